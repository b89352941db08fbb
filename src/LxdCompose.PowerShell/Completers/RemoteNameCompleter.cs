using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;
using LxdCompose.Lxd.Config;

namespace LxdCompose.PowerShell.Completers;

/// <summary>
/// Remote names of the lxc/incus client configuration the command line points at (-ConfigDirectory, else the directory
/// Get-LxdRemote uses). Reads config.yml only: no remote is contacted. Never throws.
/// </summary>
public sealed class RemoteNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var here = CompletionText.CurrentDirectory();
            var directory = CompletionText.BoundPath(fakeBoundParameters, "ConfigDirectory", here);
            return CompletionText.Complete(wordToComplete, Remotes(directory));
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<NamedItem> Remotes(string? directory)
    {
        var config = LxdClientConfig.Load(LxdConfigDirectory.Resolve(directory));
        return config.Remotes.Values
            .Select(r => new NamedItem(r.Name, $"{r.Address} ({r.Protocol}){(r.Name == config.DefaultRemote ? ", default" : string.Empty)}"))
            .ToList();
    }
}
