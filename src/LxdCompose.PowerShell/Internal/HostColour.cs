using System.Management.Automation;
using System.Text.RegularExpressions;

namespace LxdCompose.PowerShell.Internal;

/// <summary>
/// Whether text the module writes may carry ANSI colour: the session's <c>$PSStyle.OutputRendering</c> decides, as
/// PowerShell's own formatting does (Ansi: keep; PlainText: strip; Host: keep only on a host that renders VT sequences). Text from containers (hook output) passes through here before it is written.
/// Call on the pipeline thread only: it reads the session's variables.
/// </summary>
internal static partial class HostColour
{
    public static bool IsEnabled(PSCmdlet cmdlet)
    {
        var style = cmdlet.SessionState.PSVariable.GetValue("PSStyle");
        var rendering = style is null ? null : PSObject.AsPSObject(style).Properties["OutputRendering"]?.Value?.ToString();
        return rendering switch
        {
            "Ansi" => true,
            "PlainText" => false,
            _ => cmdlet.Host?.UI is { SupportsVirtualTerminal: true },
        };
    }

    /// <summary>The text as the host should get it: unchanged when colour is on, without escape sequences otherwise.</summary>
    public static string ForHost(PSCmdlet cmdlet, string text) =>
        text.IndexOf('\u001b') < 0 || IsEnabled(cmdlet) ? text : Strip(text);

    /// <summary>
    /// Removes ANSI escape sequences: CSI (colours, cursor), OSC (titles, links), character-set selections such as
    /// <c>ESC ( B</c> (what <c>tput sgr0</c> prints), the other two-character escapes (<c>ESC 7</c>, <c>ESC =</c>), and
    /// an ESC that starts nothing complete.
    /// </summary>
    public static string Strip(string text) => text.IndexOf('\u001b') < 0 ? text : EscapeSequence().Replace(text, string.Empty);

    [GeneratedRegex(@"\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[ -/]+[0-~]|[0-~])?")]
    private static partial Regex EscapeSequence();
}
