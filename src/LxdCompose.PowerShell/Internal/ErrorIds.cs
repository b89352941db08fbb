namespace LxdCompose.PowerShell.Internal;

/// <summary>Stable error ids of the module's own errors (load problems use the diagnostic's code).</summary>
internal static class ErrorIds
{
    public const string ProjectNotFound = "LxdProjectNotFound";
    public const string GroupNotFound = "LxdGroupNotFound";
    public const string NodeNotFound = "LxdNodeNotFound";
    public const string CommandNotFound = "LxdCommandNotFound";
    public const string InvalidRenderValue = "LxdInvalidRenderValue";
    public const string RenderValueNotFound = "LxdRenderValueNotFound";
    public const string TemplateFileNotFound = "LxdTemplateFileNotFound";
    public const string TemplateFileUnreadable = "LxdTemplateFileUnreadable";
    public const string GoTemplateInvalid = "LxdGoTemplateInvalid";
    public const string OutFileNeedsOneTemplate = "LxdOutFileNeedsOneTemplate";
}
