using System.Management.Automation;
using Microsoft.PowerShell.Commands;

namespace LxdCompose.PowerShell.Internal;

/// <summary>
/// The -Path of the template cmdlets (Expand-LxdTemplate, ConvertTo-LxdScribanTemplate): position 0 and piped strings
/// are file paths, template text goes to -Template. Resolves a path to files, or reports why it names none.
/// </summary>
internal static class TemplateFiles
{
    /// <summary>
    /// The files <paramref name="path"/> names (wildcards expanded, folders left out). A path that names no file is the
    /// non-terminating error LxdTemplateFileNotFound, which points to -Template when the path looks like template text.
    /// </summary>
    private static IReadOnlyList<string> Resolve(PSCmdlet cmdlet, string path)
    {
        List<string> files;
        try
        {
            var resolved = cmdlet.GetResolvedProviderPathFromPSPath(path, out var provider);
            files = provider.ImplementingType == typeof(FileSystemProvider)
                ? resolved.Where(p => !Directory.Exists(p)).ToList()
                : [];
        }
        catch (Exception e) when (e is ItemNotFoundException or WildcardPatternException or ProviderNotFoundException
                                      or System.Management.Automation.DriveNotFoundException or ArgumentException or NotSupportedException)
        {
            files = [];
        }

        if (files.Count == 0)
        {
            cmdlet.WriteError(ErrorRecords.NotFound(ErrorIds.TemplateFileNotFound, NotFoundMessage(cmdlet, path), path));
        }

        return files;
    }

    /// <summary>Each file <paramref name="path"/> names with its text; an unreadable file is the error LxdTemplateFileUnreadable.</summary>
    public static IEnumerable<(string File, string Text)> Read(PSCmdlet cmdlet, string path)
    {
        foreach (var file in Resolve(cmdlet, path))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                cmdlet.WriteError(new ErrorRecord(e, ErrorIds.TemplateFileUnreadable, ErrorCategory.ReadError, file));
                continue;
            }

            yield return (file, text);
        }
    }

    private static string NotFoundMessage(PSCmdlet cmdlet, string path)
    {
        var message = $"Template file '{path}' was not found.";
        // Position 0 was template text before; a first guess at the old use gets the way to say it now.
        bool looksLikeText = path.Contains("{{", StringComparison.Ordinal) || path.Contains('\n');
        return looksLikeText
            ? message + $" It looks like template text: a bare argument or a piped string is a path; pass text with -Template " +
              $"(alias -Text), e.g. {cmdlet.MyInvocation.MyCommand.Name} -Template '{{{{ ... }}}}'."
            : message;
    }
}
