using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Templating;

namespace LxdCompose.PowerShell.Completers;

/// <summary>Dotted names of the render values set in this session (Set-LxdRenderValue), leaves and their parents.</summary>
public sealed class RenderValueNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            return CompletionText.Complete(wordToComplete, Names());
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<NamedItem> Names()
    {
        var names = new List<NamedItem>();
        foreach (var (name, value) in RenderValueTree.Flatten(RenderValueSession.Current.Snapshot()))
        {
            var parts = name.Split('.');
            for (var i = 1; i < parts.Length; i++)
            {
                names.Add(new NamedItem(string.Join('.', parts[..i]), "(map)"));
            }

            // The type only: a render value can be a password.
            names.Add(new NamedItem(name, value?.GetType().Name ?? "null"));
        }

        return names;
    }
}
