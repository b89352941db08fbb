using LxdCompose.Specs;

namespace LxdCompose.Loading;

/// <summary>Collects the diagnostics of one load unit (an env file with its includes, or the config).</summary>
internal sealed class DiagnosticSink
{
    private readonly List<SpecDiagnostic> _items = new();

    public IReadOnlyList<SpecDiagnostic> Items => _items;
    public bool HasErrors => _items.Any(d => d.Severity == DiagnosticSeverity.Error);

    public void Add(SpecDiagnostic diagnostic) => _items.Add(diagnostic);

    public void Error(string code, string message, SourceLocation at) =>
        _items.Add(new SpecDiagnostic(DiagnosticSeverity.Error, code, message, at));

    public void Warning(string code, string message, SourceLocation at) =>
        _items.Add(new SpecDiagnostic(DiagnosticSeverity.Warning, code, message, at));

    public void Verbose(string code, string message, SourceLocation at) =>
        _items.Add(new SpecDiagnostic(DiagnosticSeverity.Verbose, code, message, at));
}

/// <summary>Stable codes of load diagnostics.</summary>
public static class LoadCodes
{
    public const string ConfigNotFound = "ConfigNotFound";
    public const string ConfigInvalid = "ConfigInvalid";
    public const string EnvDirNotFound = "EnvDirNotFound";
    public const string YamlExtensionIgnored = "YamlExtensionIgnored";
    public const string UnknownKey = "UnknownKey";
    public const string TypeMismatch = "TypeMismatch";
    public const string ValueOutOfRange = "ValueOutOfRange";
    public const string IncludeNotFound = "IncludeNotFound";
    public const string IncludeEmpty = "IncludeEmpty";
    public const string IncludeIgnored = "IncludeIgnored";
    public const string IncludeCycle = "IncludeCycle";
    public const string HooksFileWithoutHooksKey = "HooksFileWithoutHooksKey";
    public const string FileUnreadable = "FileUnreadable";
    public const string NotARegularFile = "NotARegularFile";
    public const string FileTooLarge = "FileTooLarge";
    public const string InvalidEncoding = "InvalidEncoding";
    public const string NestingTooDeep = "NestingTooDeep";
    /// <summary>YAML nested deeper than lxd-compose's YAML library allows (10,000 levels).</summary>
    public const string YamlTooDeep = "YamlTooDeep";
    /// <summary>Aliases that would expand a document far beyond its size (an alias bomb).</summary>
    public const string YamlExcessiveAliasing = "YamlExcessiveAliasing";

    /// <summary>The message of <see cref="NestingTooDeep"/>: data nested deeper than the thread's stack allows.</summary>
    internal const string NestingTooDeepMessage =
        "the data nests lists and maps too deep for this thread's stack to walk; flatten it";
    public const string EmptyEnvironment = "EmptyEnvironment";
    public const string EnvironmentExcluded = "EnvironmentExcluded";
    public const string CommandFlatEnvs = "CommandFlatEnvs";
    /// <summary>Something encrypted must be decrypted and no key is set (-Key, -KeyFile, security.key, security.keyfile).</summary>
    public const string EncryptionKeyMissing = "EncryptionKeyMissing";
    /// <summary>The key is not base64, or its key file cannot be read.</summary>
    public const string EncryptionKeyInvalid = "EncryptionKeyInvalid";
    /// <summary>Encrypted content that does not decrypt with the key and dka_opts, or whose plain text is no vars file.</summary>
    public const string DecryptionFailed = "DecryptionFailed";
    /// <summary>A command file (-CommandFile) names a project no environment declares.</summary>
    public const string CommandProjectNotFound = "CommandProjectNotFound";
}
