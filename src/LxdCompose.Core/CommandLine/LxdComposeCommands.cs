namespace LxdCompose.CommandLine;

/// <summary>
/// lxd-compose's command line (its commands, aliases and flags) and the cmdlet each maps onto: the one table
/// Invoke-LxdCompose reads and its --help prints. Cmdlet and parameter names are strings, so renaming a cmdlet is one
/// edit here.
/// </summary>
public static class LxdComposeCommands
{
    private const string Endpoint = "endpoint";

    // Flags many commands share.
    private static readonly FlagMapping EndpointFlag = new(Endpoint, "e", FlagKind.Value, "Remote", "the remote to act on instead of the groups' connections");
    private static readonly FlagMapping ConnectionType = new("connection-type", null, FlagKind.NoEffectValue, null,
        "LXD or Incus is told by the server itself (a group's connection_type is honoured)");
    private static readonly FlagMapping NodeEndpoint = new(Endpoint, "e", FlagKind.NoEffectValue, null,
        "the node's group names its server (its connection); -LxdConfigDirectory chooses the client configuration");
    private static readonly FlagMapping RenderEnv = new("render-env", null, FlagKind.Pairs, "RenderValue", "KEY=VALUE; a dotted KEY is a path here");
    private static readonly FlagMapping Env = new("env", null, FlagKind.Pairs, "Env", "KEY=VALUE, never split at commas");
    private static readonly FlagMapping VarsFile = new("vars-file", null, FlagKind.List, "VarsFile");
    private static readonly FlagMapping EnableGroup = new("enable-group", null, FlagKind.List, "Group");
    private static readonly FlagMapping DisableGroup = new("disable-group", null, FlagKind.List, "DisableGroup");
    private static readonly FlagMapping EnableFlag = new("enable-flag", null, FlagKind.List, "EnableFlag");
    private static readonly FlagMapping DisableFlag = new("disable-flag", null, FlagKind.List, "DisableFlag");
    private static readonly FlagMapping NodesPrefix = new("nodes-prefix", null, FlagKind.Value, "NodesPrefix");
    private static readonly FlagMapping Json = new("json", null, FlagKind.Json, null, "the objects as JSON text (ConvertTo-Json)");
    private static readonly FlagMapping Search = new("search", "s", FlagKind.Search, null, "objects whose Name matches the regular expression");
    private static readonly FlagMapping All = new("all", "a", FlagKind.Switch, "All");
    private static readonly FlagMapping Update = new("update", "u", FlagKind.Switch, "Update");
    private static readonly FlagMapping Hooks = new("hooks", null, FlagKind.Switch, "RunHooks");

    /// <summary>The flags of every command (lxd-compose's persistent flags).</summary>
    public static IReadOnlyList<FlagMapping> GlobalFlags { get; } = new FlagMapping[]
    {
        new("config", "c", FlagKind.Value, "ConfigPath", "or $env:LXD_COMPOSE_CONFIG"),
        new("lxd-config-dir", null, FlagKind.Value, "LxdConfigDirectory"),
        new("keyfile", null, FlagKind.Value, "KeyFile"),
        new("key", null, FlagKind.Value, "Key", "a SecureString made from the text"),
        new("debug", "d", FlagKind.Switch, "Verbose", "-Verbose (not -Debug, which asks before every message)"),
        new("p2p-mode", null, FlagKind.Switch, "P2PMode"),
        new("cmds-output", null, FlagKind.NoEffect, null, "hook output is always on the information stream (-InformationAction Continue shows it)"),
        new("push-progress", null, FlagKind.NoEffect, null, "each pushed file is a step of Write-Progress"),
        new("legacy-api", null, FlagKind.NoEffect, null, "no effect, as in lxd-compose"),
        new("render-default", null, FlagKind.ConfigKey, "LXD_COMPOSE_RENDER_DEFAULT_FILE", "render_default_file for this call"),
        new("render-values", null, FlagKind.ConfigKey, "LXD_COMPOSE_RENDER_VALUES_FILE", "render_values_file for this call"),
        new("render-secrets", null, FlagKind.ConfigKey, "LXD_COMPOSE_RENDER_SECRETS_FILE", "render_secrets_file for this call"),
        new("encrypted-secrets", null, FlagKind.ConfigSwitch, "LXD_COMPOSE_SECURITY__ENCRYPTED_SECRETS", "security.encrypted_secrets for this call"),
        new("concurrency", null, FlagKind.ConfigKey, "LXD_COMPOSE_GENERAL__CONCURRENCY", "general.concurrency (parallel template compiles) for this call; -ThrottleLimit runs groups in parallel"),
        new("version", null, FlagKind.Unsupported, null, "(Get-Module LxdCompose).Version"),
        new("help", "h", FlagKind.Switch, null, "prints this mapping (lxd-compose --help, or lxd-compose <command> --help)"),
    };

    private static ArgumentMapping Arg(string name, string parameter, ArgumentKind kind = ArgumentKind.One) => new(name, parameter, kind);

    private static CommandMapping Command(string words, string cmdlet, ArgumentMapping[] arguments, FlagMapping[] flags, string note = "") =>
        new(words.Split(' ').Select(w => w.Split('|')).ToList(), cmdlet, arguments, flags, note);

    // Before Commands: static fields initialise in order.
    private static readonly IReadOnlyDictionary<string, object> DeclaredOnly = new Dictionary<string, object> { ["DeclaredOnly"] = true };

    private static readonly ArgumentMapping[] NoArguments = Array.Empty<ArgumentMapping>();
    private static readonly ArgumentMapping[] Projects = { Arg("project", "Project", ArgumentKind.Many) };

    /// <summary>Every command of lxd-compose's command line (reference §2.2), first word's aliases after its name.</summary>
    public static IReadOnlyList<CommandMapping> Commands { get; } = new[]
    {
        Command("apply|a", "Invoke-LxdApply", Projects, new[]
        {
            EnableFlag, DisableFlag, EnableGroup, DisableGroup, Env, RenderEnv, VarsFile, NodesPrefix,
            new("skip-sync", null, FlagKind.Switch, "SkipSync"),
            new("upgrade", null, FlagKind.Switch, "Upgrade"),
            new("ask", null, FlagKind.Switch, "Confirm", "-Confirm asks before each change"),
            new("destroy", null, FlagKind.Switch, "Destroy"),
        }),
        Command("destroy|d", "Remove-LxdGroup", Projects, new[] { NodesPrefix, RenderEnv, Env, EnableGroup, ShutdownDisableGroup("Remove-LxdGroup") }),
        Command("stop|s", "Stop-LxdGroup", Projects, new[] { NodesPrefix, RenderEnv, Env, EnableGroup, ShutdownDisableGroup("Stop-LxdGroup") }),
        Command("fetch|f", "Save-LxdImage", Projects, new[]
        {
            EnableGroup, DisableGroup, RenderEnv,
            new("nodes-prefix", null, FlagKind.NoEffectValue, null, "the images a project needs do not depend on node names"),
            new("test-images", null, FlagKind.Switch, "TestImage"),
            new("test-profile", null, FlagKind.List, "TestProfile"),
            new("sleep", null, FlagKind.NoEffectValue, null, "the test container is deleted when its start finished, without a fixed wait"),
        }),
        Command("compile|co", "Invoke-LxdCompile", NoArguments, new[]
        {
            new("project", "p", FlagKind.List, "Project"),
            new("source-file", "f", FlagKind.List, "SourceFile"),
            new("nodes-prefix", null, FlagKind.NoEffectValue, null, "lxd-compose does not apply it to compile either"),
            VarsFile, Env, RenderEnv, EnableGroup, DisableGroup,
        }),
        Command("validate|v", "Test-LxdEnvironment", NoArguments, new[]
        {
            new FlagMapping("ignore-errors", "i", FlagKind.NoEffect, null, "problems are objects; Test-LxdEnvironment -Quiet gives $true/$false"),
        }),
        Command("print", "Get-LxdComposeConfig", NoArguments, Array.Empty<FlagMapping>(), "the key is never shown"),
        Command("diagnose|di vars", "Get-LxdVariable", new[] { Arg("project", "Project") }, new[]
        {
            new FlagMapping("json", null, FlagKind.Switch, "AsJson"), RenderEnv, Env, VarsFile,
        }),
        Command("project|p|pj list|l|li", "Get-LxdProject", NoArguments, new[] { Json, Search }),
        Command("group|g list|l|li", "Get-LxdGroup", new[] { Arg("project", "Project") }, new[] { Json, Search }),
        Command("command|c|cmd list|l|li", "Get-LxdCommand", NoArguments, new[]
        {
            Json, Search, new("command-file", null, FlagKind.List, "CommandFile"),
        }),
        Command("command|c|cmd run|r", "Invoke-LxdCommand", new[] { Arg("project", string.Empty), Arg("command", "Name") }, new[]
        {
            RenderEnv, Env, NodesPrefix,
            new("destroy", null, FlagKind.Switch, "Destroy"),
            new("vars-file", null, FlagKind.NoEffectValue, null, "lxd-compose ignores it too; put vars_files in the command"),
            new("command-file", null, FlagKind.UnsupportedValue, null, "put the command file in the environment's include_commands_files"),
        }, "<project> is not passed: command names are unique, and the command runs in its own project"),
        Command("node|no create|c", "New-LxdNode", new[] { Arg("node", "Name", ArgumentKind.Many) }, new[]
        {
            NodeEndpoint, ConnectionType, Hooks, EnableFlag, DisableFlag, Env, NodesPrefix,
        }),
        Command("node|no exec|e", "Invoke-LxdExec", new[] { Arg("node", "Name"), Arg("cmd", "Command", ArgumentKind.Joined) }, new[]
        {
            NodeEndpoint, ConnectionType, Env, NodesPrefix,
        }),
        Command("node|no list|l|li", "Get-LxdInstance", NoArguments, new[] { EndpointFlag, ConnectionType, Json, Search }),
        Command("node|no push|p|pu", "Copy-LxdFile", new[] { Arg("node", "Name") }, new[]
        {
            new FlagMapping("from", null, FlagKind.Value, "Path"),
            new FlagMapping("to", null, FlagKind.Value, "Destination"),
            NodeEndpoint, ConnectionType, NodesPrefix,
        }),
        Command("node|no sync|s", "Sync-LxdNode", new[] { Arg("node", "Name") }, new[] { NodeEndpoint, ConnectionType, Hooks, NodesPrefix }),
        Command("profile|pro|pf list|l|li", "Get-LxdProfile", NoArguments, new[] { EndpointFlag, ConnectionType, Json, Search }),
        Command("profile|pro|pf create|c", "Publish-LxdProfile", ProjectAndNames("profile"), new[] { EndpointFlag, ConnectionType, All, Update, RenderEnv }),
        Command("network|n list|l|li", "Get-LxdNetwork", NoArguments, new[] { EndpointFlag, ConnectionType, Json, Search }),
        Command("network|n create|c", "Publish-LxdNetwork", ProjectAndNames("network"), new[]
        {
            EndpointFlag, ConnectionType, All, Update, RenderEnv, new("with-forwards", null, FlagKind.Switch, "WithForwards"),
        }),
        Command("storage|st available|a", "Get-LxdStoragePool", NoArguments, new[] { EndpointFlag, ConnectionType, Json, Search }),
        Command("storage|st list|l|li", "Get-LxdStoragePool", new[] { Arg("project", "Project") }, new[] { Json, Search },
            "what the specs declare, without a server") with { Fixed = DeclaredOnly },
        Command("storage|st create|c", "Publish-LxdStoragePool", ProjectAndNames("pool"), new[] { EndpointFlag, ConnectionType, All, Update, RenderEnv }),
        // lxd-compose gives acl the alias st too; storage, registered first, owns it.
        Command("acl available|a", "Get-LxdNetworkAcl", NoArguments, new[] { EndpointFlag, ConnectionType, Json, Search }),
        Command("acl list|l|li", "Get-LxdNetworkAcl", new[] { Arg("project", "Project") }, new[] { Json, Search },
            "what the specs declare, without a server") with { Fixed = DeclaredOnly },
        Command("acl create|c", "Publish-LxdNetworkAcl", ProjectAndNames("acl"), new[] { EndpointFlag, ConnectionType, All, Update, RenderEnv }),
        Command("trust|tru|t list|l|li", "Get-LxdCertificate", NoArguments, new[] { EndpointFlag, ConnectionType, Json, Search }),
        Command("trust|tru|t create|c", "Publish-LxdCertificate", ProjectAndNames("certificate"), new[] { EndpointFlag, ConnectionType, All, RenderEnv }),
        Command("images|i purge|p", "Remove-LxdImage", new[] { Arg("project", "Project", ArgumentKind.Any) }, new[]
        {
            EndpointFlag, ConnectionType, RenderEnv,
            new("all", "a", FlagKind.Constant, "Project", "every group of every project") { Constant = new[] { "*" } },
            new("all-images", null, FlagKind.Constant, "Name", "every image") { Constant = new[] { "*" } },
            new("without-aliases", null, FlagKind.Switch, "WithoutAlias"),
            new("fingerprint", "f", FlagKind.Repeated, "Name", "a fingerprint or its prefix"),
            new("match", null, FlagKind.Repeated, "AliasMatch"),
        }, "an image an instance was made from is kept unless -IncludeUsed"),
        // lxd-compose gives backup the alias f too; fetch, registered first, owns it.
        Command("backup", "Backup-LxdGroup", Projects, new[]
        {
            EnableGroup, ShutdownDisableGroup("Backup-LxdGroup"), RenderEnv, NodesPrefix,
            new("remove-profile", null, FlagKind.List, "RemoveProfile"),
            new("max-backups", null, FlagKind.Integer, "MaxBackups"),
        }),
        Command("pack", "Export-LxdEnvironment", Projects, new[]
        {
            new FlagMapping("to", null, FlagKind.Value, "Path"),
            new FlagMapping("source-common-path", null, FlagKind.Value, "SourceCommonPath"),
            RenderEnv,
            new("env", null, FlagKind.NoEffectValue, null, "lxd-compose ignores it too"),
            new("vars-file", null, FlagKind.NoEffectValue, null, "lxd-compose ignores it too"),
        }),
        Command("unpack", "Import-LxdEnvironment", new[] { Arg("tarball", "Path") }, new[]
        {
            new FlagMapping("to", null, FlagKind.Value, "Destination"),
            new FlagMapping("render-file", null, FlagKind.Value, "RenderFile"),
            RenderEnv,
            new FlagMapping("same-owner", null, FlagKind.Switch, "SameOwner"),
        }),
        Command("security|se|sec encrypt|e|enc", "Protect-LxdVariable", NoArguments, CipherFlags()),
        Command("security|se|sec decrypt|d|de", "Unprotect-LxdVariable", NoArguments, CipherFlags()),
        Command("security|se|sec genkey|g|gk", "New-LxdEncryptionKey", NoArguments, new[]
        {
            new FlagMapping("length", "l", FlagKind.Integer, "Size"),
        }),
    };

    private static FlagMapping ShutdownDisableGroup(string cmdlet) => new("disable-group", null, FlagKind.UnsupportedValue, null,
        $"name the groups to act on instead: --enable-group, or Get-LxdGroup -Project <project> | Where-Object Name -NotLike <group> | {cmdlet}");

    private static ArgumentMapping[] ProjectAndNames(string kind) =>
        new[] { Arg("project", "Project"), Arg(kind, "Name", ArgumentKind.Any) };

    private static FlagMapping[] CipherFlags() => new FlagMapping[]
    {
        new("vars-file", null, FlagKind.Value, "VarsFile"),
        new("secrets-file", null, FlagKind.Value, "SecretsFile"),
        new("to", null, FlagKind.Value, "Destination"),
    };

    /// <summary>The cmdlets the table names, each once.</summary>
    public static IEnumerable<string> Cmdlets => Commands.Select(c => c.Cmdlet).Distinct(StringComparer.Ordinal);
}
