using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using LxdCompose.Lxd.Transport;
using LxdCompose.Specs;
using LxdCompose.Yaml;

namespace LxdCompose.Lxd.Config;

/// <summary>
/// An lxc/incus client configuration directory: config.yml (<c>default-remote</c>, <c>remotes</c>, <c>aliases</c>),
/// client.crt/client.key and servercerts/&lt;remote&gt;.crt. A missing config.yml means the built-in defaults
/// (<c>local</c> on the unix socket, <c>images</c> simplestreams), not an error. Immutable: changes return a new instance
/// and <see cref="Save"/> writes it.
/// </summary>
public sealed partial class LxdClientConfig
{
    public const string FileName = "config.yml";

    private LxdClientConfig(string directory, bool fileExists, string defaultRemote, IReadOnlyDictionary<string, LxdRemoteConfig> remotes, IReadOnlyDictionary<string, string> aliases)
    {
        Directory = directory;
        FileExists = fileExists;
        DefaultRemote = defaultRemote;
        Remotes = remotes;
        Aliases = aliases;
    }

    public string Directory { get; }

    public bool FileExists { get; }

    /// <summary><c>default-remote</c>; <c>local</c> when unset.</summary>
    public string DefaultRemote { get; }

    /// <summary>Remotes by name (ordinal), built-ins included.</summary>
    public IReadOnlyDictionary<string, LxdRemoteConfig> Remotes { get; }

    /// <summary>lxc command aliases, kept so that writing the file does not lose them.</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; }

    public string ConfigFile => Path.Combine(Directory, FileName);

    public string ClientCertificatePath => Path.Combine(Directory, "client.crt");

    public string ClientKeyPath => Path.Combine(Directory, "client.key");

    public bool HasClientIdentity => File.Exists(ClientCertificatePath) && File.Exists(ClientKeyPath);

    public string ServerCertificatePath(string remote) => Path.Combine(Directory, "servercerts", remote + ".crt");

    /// <summary>The pinned certificate of a remote, or null when none is pinned.</summary>
    public X509Certificate2? LoadPinnedCertificate(string remote) =>
        File.Exists(ServerCertificatePath(remote)) ? LxdCertificateFiles.LoadCertificate(ServerCertificatePath(remote)) : null;

    public LxdRemoteConfig GetRemote(string name) =>
        Remotes.TryGetValue(name, out var remote)
            ? remote
            : throw new LxdConfigException(
                $"The remote '{name}' is not in {ConfigFile}{(FileExists ? string.Empty : " (which does not exist)")}; known remotes: " +
                $"{string.Join(", ", Remotes.Keys.Order(StringComparer.Ordinal))}.")
            { Target = name };

    /// <summary>The built-in configuration of a dialect (LXD when null).</summary>
    public static LxdClientConfig Defaults(string directory, LxdDialect? dialect = null) =>
        new(directory, false, "local", WithBuiltIns(new Dictionary<string, LxdRemoteConfig>(StringComparer.Ordinal), dialect), new Dictionary<string, string>());

    /// <summary>Reads <c>&lt;directory&gt;/config.yml</c>; a missing file yields the built-in defaults.</summary>
    public static LxdClientConfig Load(string directory, LxdDialect? dialect = null)
    {
        var file = Path.Combine(directory, FileName);
        if (!File.Exists(file))
        {
            return Defaults(directory, dialect);
        }

        YamlNode? root;
        try
        {
            root = YamlTreeReader.Parse(LxdCompose.Loading.InputFiles.ReadText(file), file);
        }
        catch (SpecException e)
        {
            throw new LxdConfigException($"{file} is not valid YAML: {e.Message}", e) { Target = file };
        }
        catch (IOException e)
        {
            throw new LxdConfigException($"Cannot read {file}: {e.Message}", e) { Target = file };
        }

        var remotes = new Dictionary<string, LxdRemoteConfig>(StringComparer.Ordinal);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        var defaultRemote = string.Empty;
        if (root is YamlMapping map)
        {
            defaultRemote = Text(map["default-remote"]) ?? string.Empty;
            if (map["remotes"] is YamlMapping remoteMap)
            {
                foreach (var (key, value) in remoteMap.Entries)
                {
                    remotes[key.Value] = ReadRemote(key.Value, value, file);
                }
            }

            if (map["aliases"] is YamlMapping aliasMap)
            {
                foreach (var (key, value) in aliasMap.Entries)
                {
                    aliases[key.Value] = Text(value) ?? string.Empty;
                }
            }
        }
        else if (root is not null && !(root is YamlScalar { IsNull: true }))
        {
            throw new LxdConfigException($"{file}:{root.Location.Line}:{root.Location.Column}: expected a map with default-remote and remotes.") { Target = file };
        }

        return new LxdClientConfig(directory, true, defaultRemote.Length == 0 ? "local" : defaultRemote, WithBuiltIns(remotes, dialect), aliases);
    }

    /// <summary>
    /// A copy without the built-in servers (<c>local</c>, the host's own socket) that config.yml does not list: for a
    /// directory the user named, where reaching another server than the file says would be a silent surprise. The
    /// built-in <c>images</c> image server stays.
    /// </summary>
    public LxdClientConfig WithoutBuiltInServers()
    {
        var remotes = Remotes.Values.Where(r => !(r.IsBuiltIn && r.IsApiServer)).ToDictionary(r => r.Name, StringComparer.Ordinal);
        return new LxdClientConfig(Directory, FileExists, DefaultRemote, remotes, Aliases);
    }

    /// <summary>A copy with the remote added or replaced.</summary>
    public LxdClientConfig WithRemote(LxdRemoteConfig remote, bool makeDefault = false)
    {
        var remotes = new Dictionary<string, LxdRemoteConfig>(Remotes, StringComparer.Ordinal) { [remote.Name] = remote with { IsBuiltIn = false } };
        return new LxdClientConfig(Directory, FileExists, makeDefault ? remote.Name : DefaultRemote, remotes, Aliases);
    }

    /// <summary>A copy without the remote; the default falls back to <c>local</c> when it was the default.</summary>
    public LxdClientConfig WithoutRemote(string name)
    {
        var remotes = new Dictionary<string, LxdRemoteConfig>(Remotes, StringComparer.Ordinal);
        remotes.Remove(name);
        return new LxdClientConfig(Directory, FileExists, DefaultRemote == name ? "local" : DefaultRemote, remotes, Aliases);
    }

    public LxdClientConfig WithDefaultRemote(string name)
    {
        GetRemote(name);
        return new LxdClientConfig(Directory, FileExists, name, Remotes, Aliases);
    }

    /// <summary>Writes config.yml (atomically, through a temporary file) in the lxc format; built-ins are written too, as lxc does.</summary>
    public void Save()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var text = new StringBuilder();
        text.Append("default-remote: ").Append(Scalar(DefaultRemote)).Append('\n');
        text.Append("remotes:\n");
        foreach (var remote in Remotes.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            text.Append("  ").Append(Scalar(remote.Name)).Append(":\n");
            text.Append("    addr: ").Append(Scalar(remote.Address)).Append('\n');
            if (remote.AuthType.Length > 0)
            {
                text.Append("    auth_type: ").Append(Scalar(remote.AuthType)).Append('\n');
            }

            if (remote.Project.Length > 0)
            {
                text.Append("    project: ").Append(Scalar(remote.Project)).Append('\n');
            }

            text.Append("    protocol: ").Append(Scalar(remote.Protocol)).Append('\n');
            text.Append("    public: ").Append(remote.Public ? "true" : "false").Append('\n');
        }

        if (Aliases.Count == 0)
        {
            text.Append("aliases: {}\n");
        }
        else
        {
            text.Append("aliases:\n");
            foreach (var (name, command) in Aliases.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                text.Append("  ").Append(Scalar(name)).Append(": ").Append(Scalar(command)).Append('\n');
            }
        }

        var temporary = ConfigFile + ".tmp";
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, ConfigFile, overwrite: true);
    }

    /// <summary>Pins a server certificate as servercerts/&lt;remote&gt;.crt.</summary>
    public void PinServerCertificate(string remote, X509Certificate2 certificate)
    {
        var path = ServerCertificatePath(remote);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, LxdCertificateFiles.ToPem(certificate));
    }

    public void RemovePinnedCertificate(string remote)
    {
        var path = ServerCertificatePath(remote);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static Dictionary<string, LxdRemoteConfig> WithBuiltIns(Dictionary<string, LxdRemoteConfig> remotes, LxdDialect? dialect)
    {
        if (!remotes.ContainsKey("local"))
        {
            remotes["local"] = new LxdRemoteConfig("local", "unix://") { Protocol = dialect == LxdDialect.Incus ? "incus" : "lxd", IsBuiltIn = true };
        }

        if (!remotes.ContainsKey("images"))
        {
            remotes["images"] = new LxdRemoteConfig("images", (dialect ?? LxdDialect.Lxd).ImagesRemoteAddress)
            {
                Protocol = "simplestreams",
                Public = true,
                IsBuiltIn = true,
            };
        }

        return remotes;
    }

    private static LxdRemoteConfig ReadRemote(string name, YamlNode node, string file)
    {
        if (node is not YamlMapping map)
        {
            throw new LxdConfigException($"{file}:{node.Location.Line}:{node.Location.Column}: the remote '{name}' must be a map with addr, protocol, ...") { Target = name };
        }

        var address = Text(map["addr"]);
        if (string.IsNullOrEmpty(address) && map["addresses"] is YamlSequence list && list.Items.Count > 0)
        {
            address = Text(list.Items[0]); // Incus configs may list several addresses
        }

        if (string.IsNullOrEmpty(address))
        {
            throw new LxdConfigException($"{file}:{map.Location.Line}:{map.Location.Column}: the remote '{name}' has no addr.") { Target = name };
        }

        var isPublic = map["public"] is YamlScalar p && YamlScalarTyping.ParseBool(p.Value, legacy: false) == true;
        var protocol = Text(map["protocol"]) is { Length: > 0 } given ? given : "lxd";
        var authType = Text(map["auth_type"]) ?? string.Empty;
        if (authType.Length == 0 && !isPublic && !address.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) && protocol != "simplestreams")
        {
            authType = "tls"; // as lxc: private remotes without auth_type use TLS
        }

        return new LxdRemoteConfig(name, address)
        {
            Protocol = protocol,
            AuthType = authType,
            Project = Text(map["project"]) ?? string.Empty,
            Public = isPublic,
        };
    }

    private static string? Text(YamlNode? node) => node is YamlScalar { IsNull: false } scalar ? scalar.Value : null;

    /// <summary>A YAML scalar that reads back as the same string: plain when unambiguous, else double-quoted.</summary>
    internal static string Scalar(string value)
    {
        var plain = PlainScalar().IsMatch(value)
            && YamlScalarTyping.Resolve(new YamlScalar(SourceLocation.None, string.Empty, value, true)) is string;
        if (plain)
        {
            return value;
        }

        var escaped = new StringBuilder("\"");
        foreach (var c in value)
        {
            escaped.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when c < ' ' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return escaped.Append('"').ToString();
    }

    [GeneratedRegex(@"^[A-Za-z0-9_./@+-][A-Za-z0-9_./:@+-]*$")]
    private static partial Regex PlainScalar();
}
