using LxdCompose.Loading;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>Every section of an environment file (reference §1.2–§1.15), from Fixtures/sections.</summary>
public sealed class SectionsTests
{
    private static readonly string Root = SpecTestKit.FixtureDir("sections");
    private static readonly string EnvFile = Path.Combine(Root, "envs", "all.yml");
    private readonly SpecSet _specs = SpecTestKit.LoadFixture("sections");
    private LxdEnvironment Env => Assert.Single(_specs.Environments);

    [Fact]
    public void Loads_without_errors_or_warnings() =>
        Assert.Empty(SpecTestKit.Problems(_specs.Diagnostics, Root));

    [Fact]
    public void Environment_header()
    {
        Assert.Equal(EnvFile, Env.File);
        Assert.Equal(Path.Combine(Root, "envs"), Env.BaseDirectory);
        Assert.Equal("1", Env.Version);
        Assert.Equal("jinja2", Env.TemplateEngine.Engine);
        Assert.Equal(new[] { "--format=yaml", "-e" }, Env.TemplateEngine.Opts);
        Assert.Equal(new SourceLocation(EnvFile, 3, 3), Env.TemplateEngine.Location);
    }

    [Fact]
    public void Profile_with_config_and_devices_keeping_raw_scalar_text()
    {
        var profile = Assert.Single(Env.Profiles);
        Assert.Equal("net0", profile.Name);
        Assert.Equal("Bridged NIC", profile.Description);
        Assert.Equal("true", profile.Config["boot.autostart"]);
        Assert.Equal("2", profile.Config["limits.cpu"]);
        Assert.Equal(new[] { "eth0", "root" }, profile.Devices.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("bridged", profile.Devices["eth0"]["nictype"]);
        Assert.Equal("false", profile.Devices["root"]["readonly"]);
        Assert.Equal(new SourceLocation(EnvFile, 6, 5), profile.Location);
        Assert.Equal(EnvFile, profile.EnvironmentFile);
        Assert.Null(profile.IncludedFrom);
    }

    [Fact]
    public void Network_with_forwards_and_ports()
    {
        var network = Assert.Single(Env.Networks);
        Assert.Equal(("br0", "bridge", "lab bridge"), (network.Name, network.Type, network.Description));
        Assert.Equal("10.0.0.1/24", network.Config["ipv4.address"]);
        Assert.Equal("true", network.Config["ipv4.nat"]);
        var forward = Assert.Single(network.Forwards);
        Assert.Equal(("192.0.2.1", "web"), (forward.ListenAddress, forward.Description));
        Assert.Equal("10.0.0.2", forward.Config["target_address"]);
        var port = Assert.Single(forward.Ports);
        Assert.Equal(("http", "tcp", "80,81,8080-8090", "80", "10.0.0.3"),
            (port.Description, port.Protocol, port.ListenPort, port.TargetPort, port.TargetAddress));
        Assert.Equal(new SourceLocation(EnvFile, 32, 13), port.Location);
    }

    [Fact]
    public void Storage_pool()
    {
        var pool = Assert.Single(Env.Storages);
        Assert.Equal(("pool1", "dir", "a pool", "only for people"),
            (pool.Name, pool.Driver, pool.Description, pool.Documentation));
        Assert.Equal("/srv/pool1", pool.Config["source"]);
    }

    [Fact]
    public void Acl_with_egress_and_ingress_rules()
    {
        var acl = Assert.Single(Env.Acls);
        Assert.Equal(("acl1", "web only", "local notes", "y"), (acl.Name, acl.Description, acl.Documentation, acl.Config["user.x"]));
        var egress = Assert.Single(acl.Egress);
        Assert.Equal(("allow", "10.0.0.0/8", "tcp", "443", "enabled"),
            (egress.Action, egress.Destination, egress.Protocol, egress.DestinationPort, egress.State));
        var ingress = Assert.Single(acl.Ingress);
        Assert.Equal(("drop", "0.0.0.0/0", "22", "icmp4", "8", "0", "no ping", "logged"),
            (ingress.Action, ingress.Source, ingress.SourcePort, ingress.Protocol, ingress.IcmpType, ingress.IcmpCode,
                ingress.Description, ingress.State));
    }

    [Fact]
    public void Certificates_with_path_made_absolute_against_the_environment_directory()
    {
        Assert.Equal(2, Env.Certificates.Count);
        var admin = Env.Certificates[0];
        Assert.Equal(("admin", "client", true), (admin.Name, admin.Type, admin.Restricted));
        Assert.Equal(new[] { "default", "web" }, admin.Projects);
        Assert.Equal(Path.Combine(Root, "envs", "certs", "admin.crt"), admin.CertificatePath);
        var metrics = Env.Certificates[1];
        Assert.Equal(("metrics", "-----BEGIN CERTIFICATE-----", "abcdef", string.Empty),
            (metrics.Type, metrics.Certificate, metrics.Fingerprint, metrics.CertificatePath));
    }

    [Fact]
    public void Pack_extra()
    {
        var pack = Assert.IsType<PackExtra>(Env.PackExtra);
        Assert.Equal(new[] { "files" }, pack.Dirs);
        Assert.Equal(new[] { "README.md" }, pack.Files);
        var rename = Assert.Single(pack.Rename);
        Assert.Equal(("files/a", "b"), (rename.Source, rename.Destination));
    }

    [Fact]
    public void Command_with_every_field()
    {
        var command = Assert.Single(Env.Commands);
        Assert.Equal(("up", "bring web up", "web", "ci"), (command.Name, command.Description, command.Project, command.NodesPrefix));
        Assert.True(command.ApplyAlias);
        Assert.True(command.SkipSync);
        Assert.False(command.Destroy);
        Assert.Equal(new[] { "f1" }, command.EnableFlags);
        Assert.Equal(new[] { "f2" }, command.DisableFlags);
        Assert.Equal(new[] { "g1" }, command.EnableGroups);
        Assert.Equal(new[] { "g2" }, command.DisableGroups);
        Assert.Equal("value1", Assert.IsType<VarsBlock>(command.Envs).Envs["key1"]);
        // Neither is read at load time: lxd-compose loads them when the command runs (some are generated by hooks).
        Assert.Equal(new[] { "vars/generated-at-runtime.yml" }, command.VarsFiles);
        Assert.Equal(new[] { "hooks/cmd.yml" }, command.IncludeHooksFiles);
        Assert.Equal(EnvFile, command.EnvironmentFile);
    }

    [Fact]
    public void Project_with_vars_blocks_including_the_encrypted_form()
    {
        var project = Assert.Single(Env.Projects);
        Assert.Equal(("web", "the web project"), (project.Name, project.Description));
        Assert.Equal(new[] { "secret_var" }, project.ShellEnvsFilter);
        Assert.Equal(2, project.Vars.Count);
        Assert.Equal(8080L, project.Vars[0].Envs["app_port"]);
        var users = Assert.IsType<List<object?>>(project.Vars[0].Envs["users"]);
        Assert.Equal("a", Assert.IsType<Dictionary<string, object?>>(Assert.Single(users))["name"]);
        Assert.True(project.Vars[1].Encrypted);
        Assert.Equal("GBOFC0X5Wf1LfBVk0Kt7/PShGERDngBPBsgfTrOUZ2/Gom65t3+OYj4nqC8m4eM0E4UK311KeDvwyxkiuLOmAzcq4k9zFAQ=", project.Vars[1].EncryptedContent);
        Assert.Equal(new Dictionary<string, object?> { ["secret_var"] = "hidden" }, project.Vars[1].Envs);
        var template = Assert.Single(project.ConfigTemplates);
        Assert.Equal(("tmpl/p.tmpl", "out/p"), (template.Source, template.Destination));
        Assert.Equal(EnvFile, project.EnvironmentFile);
        Assert.Same(Env, _specs.EnvironmentOf(project));
        Assert.Same(project, _specs.FindProject("web"));
        Assert.Null(_specs.FindProject("nope"));
    }

    [Fact]
    public void Project_hook_with_every_field()
    {
        var hook = Assert.Single(Assert.Single(Env.Projects).Hooks);
        Assert.Equal((HookEvents.PreProject, "host"), (hook.Event, hook.Node));
        Assert.Equal(new[] { "echo preparing" }, hook.Commands);
        Assert.Equal(new[] { "/bin/sh", "-c" }, hook.Entrypoint);
        Assert.Equal(new[] { "setup" }, hook.Flags);
        Assert.True(hook.Disable);
        Assert.Equal(("out_var", "err_var"), (hook.Out2Var, hook.Err2Var));
        Assert.Null(hook.Uid);
        Assert.Null(hook.Cwd);
        Assert.Equal(HookLevel.Project, hook.Level);
        Assert.Null(hook.IncludedFrom);
    }

    [Fact]
    public void Group_with_every_field_and_connection_type_as_written()
    {
        var group = Assert.Single(Assert.Single(Env.Projects).Groups);
        Assert.Equal(("web-grp", "front", "local", "lxd-6"), (group.Name, group.Description, group.Connection, group.ConnectionType));
        Assert.Equal(new[] { "default", "net0" }, group.CommonProfiles);
        Assert.Equal("1GB", group.Config["limits.memory"]);
        Assert.True(group.Ephemeral); // "yes": a YAML 1.1 bool, accepted in bool fields as yaml.v3 does
        Assert.Equal("tmpl/g.tmpl", Assert.Single(group.ConfigTemplates).Source);
        var hook = Assert.Single(group.Hooks);
        Assert.Equal((HookEvents.PreGroup, HookLevel.Group), (hook.Event, hook.Level));
        Assert.Equal(("web", EnvFile), (group.Project, group.EnvironmentFile));
        Assert.Equal(new SourceLocation(EnvFile, 123, 9), group.Location);
    }

    [Fact]
    public void Node_with_every_field()
    {
        var node = Assert.Single(_specs.Nodes);
        Assert.Equal(("web1", "web1", string.Empty), (node.Name, node.InstanceName, node.NamePrefix));
        Assert.Equal(("alpine/edge", "images", "./src"), (node.ImageSource, node.ImageRemoteServer, node.SourceDir));
        Assert.Equal(new[] { "/bin/sh", "-c" }, node.Entrypoint);
        Assert.Equal(30, node.WaitIp);
        Assert.Equal("front", node.Labels["role"]);
        Assert.Equal("7", node.Labels["id"]);
        Assert.Equal("true", node.Config["security.nesting"]);
        Assert.Equal(new[] { "net0" }, node.Profiles);
        Assert.Equal(("tmpl/app.conf.tmpl", "out/web1/app.conf"),
            (node.ConfigTemplates[0].Source, node.ConfigTemplates[0].Destination));
        Assert.Equal(("out/web1/app.conf", "/etc/app/app.conf"),
            (node.SyncResources[0].Source, node.SyncResources[0].Destination));
        Assert.Equal(("web", "web-grp", EnvFile), (node.Project, node.Group, node.EnvironmentFile));
        Assert.Equal(new SourceLocation(EnvFile, 139, 13), node.Location);
        var hook = Assert.Single(node.Hooks);
        Assert.Equal((HookEvents.PostNodeSync, string.Empty, HookLevel.Node), (hook.Event, hook.Node, hook.Level));
        Assert.Equal((1000u, 16u, "/tmp"), (hook.Uid, hook.Gid, hook.Cwd));
    }

    [Fact]
    public void Spec_set_views_flatten_every_environment()
    {
        Assert.Equal(new[] { "web" }, _specs.Projects.Select(p => p.Name));
        Assert.Equal(new[] { "web-grp" }, _specs.Groups.Select(g => g.Name));
        Assert.Equal(new[] { "up" }, _specs.Commands.Select(c => c.Name));
        Assert.Equal(Path.Combine(Root, ".lxd-compose.yml"), _specs.Config.File);
        Assert.Equal("./lxd-conf", _specs.Config.General.LxdConfDir);
    }
}
