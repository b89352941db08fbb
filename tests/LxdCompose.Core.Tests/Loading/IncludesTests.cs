using LxdCompose.Loading;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>Every include_* kind and its order (reference §1.16), from Fixtures/includes.</summary>
public sealed class IncludesTests
{
    private static readonly string Root = SpecTestKit.FixtureDir("includes");
    private static readonly string EnvDir = Path.Combine(Root, "envs");
    private readonly SpecSet _specs = SpecTestKit.LoadFixture("includes");
    private LxdEnvironment Env => Assert.Single(_specs.Environments);
    private LxdProject App => Assert.Single(Env.Projects);

    [Fact]
    public void Only_top_level_yml_files_are_environments_and_yaml_files_are_reported_as_ignored()
    {
        Assert.Equal(Path.Combine(EnvDir, "includes.yml"), Env.File);
        var ignored = Assert.Single(_specs.Diagnostics, d => d.Code == LoadCodes.YamlExtensionIgnored);
        Assert.Equal(DiagnosticSeverity.Verbose, ignored.Severity);
        Assert.Equal(Path.Combine(EnvDir, "ignored.yaml"), ignored.File);
        Assert.Contains("lxd-compose ignores *.yaml too", ignored.Message);
    }

    [Fact]
    public void Loads_without_errors_or_warnings() => Assert.Empty(SpecTestKit.Problems(_specs.Diagnostics, Root));

    [Fact]
    public void Included_objects_follow_inline_ones_and_remember_their_file()
    {
        Assert.Equal(new[] { "net-inline", "net-a" }, Env.Networks.Select(n => n.Name));
        Assert.Equal(new[] { "prof-inline", "prof-a", "prof-b" }, Env.Profiles.Select(p => p.Name));
        Assert.Equal(new[] { "pool-inline", "pool-a" }, Env.Storages.Select(s => s.Name));
        Assert.Equal(new[] { "acl-inline", "acl-a" }, Env.Acls.Select(a => a.Name));
        Assert.Equal(new[] { "cmd-inline", "cmd-a" }, Env.Commands.Select(c => c.Name));
        Assert.Equal(new[] { "grp-inline", "grp-a" }, App.Groups.Select(g => g.Name));

        Assert.Equal(Path.Combine(EnvDir, "networks", "net-a.yml"), Env.Networks[1].IncludedFrom);
        Assert.Equal(Path.Combine(EnvDir, "profiles", "prof-b.yml"), Env.Profiles[2].IncludedFrom);
        Assert.Equal(Path.Combine(EnvDir, "storages", "pool-a.yml"), Env.Storages[1].IncludedFrom);
        Assert.Equal(Path.Combine(EnvDir, "acls", "acl-a.yml"), Env.Acls[1].IncludedFrom);
        Assert.Equal(Path.Combine(EnvDir, "commands", "cmd-a.yml"), Env.Commands[1].IncludedFrom);
        Assert.Equal(Path.Combine(EnvDir, "groups", "grp-a.yaml"), App.Groups[1].IncludedFrom);
        Assert.Null(Env.Networks[0].IncludedFrom);

        // Positions point into the included file; the environment file stays the owner.
        Assert.Equal(new SourceLocation(Path.Combine(EnvDir, "profiles", "prof-a.yml"), 1, 1), Env.Profiles[1].Location);
        Assert.Equal(Env.File, Env.Profiles[1].EnvironmentFile);
        Assert.Equal(Env.File, App.Groups[1].EnvironmentFile);
        Assert.Equal(new[] { "profiles/prof-a.yml", "profiles/prof-b.yml" }, Env.IncludeProfilesFiles);
    }

    [Fact]
    public void Env_files_are_vars_blocks_after_the_inline_ones_and_other_extensions_are_skipped()
    {
        Assert.Equal(new[] { null, Path.Combine(EnvDir, "vars", "first.yml"), Path.Combine(EnvDir, "vars", "second.yaml") },
            App.Vars.Select(v => v.File));
        var skipped = Assert.Single(_specs.Diagnostics, d => d.Code == LoadCodes.IncludeIgnored);
        Assert.Equal(DiagnosticSeverity.Verbose, skipped.Severity);
        Assert.Equal((Env.File, 36, 9), (skipped.File, skipped.Line, skipped.Column));
        Assert.Equal(new[] { "vars/first.yml", "vars/second.yaml", "vars/data.j2" }, App.IncludeEnvFiles);
    }

    [Fact]
    public void Variables_merge_with_later_blocks_winning()
    {
        var merged = ProjectVariables.Merge(App);
        Assert.Equal("second", merged["source"]);
        Assert.Equal(1L, merged["inline_only"]);
        Assert.Equal(true, merged["first_only"]);
    }

    [Fact]
    public void Hook_files_append_after_inline_hooks_at_each_level()
    {
        Assert.Equal(new[] { "echo inline-project", "echo included-project" }, App.Hooks.Select(h => h.Commands[0]));
        Assert.Equal(new string?[] { null, Path.Combine(EnvDir, "hooks", "project.yml") }, App.Hooks.Select(h => h.IncludedFrom));
        Assert.All(App.Hooks, h => Assert.Equal(HookLevel.Project, h.Level));

        var inlineNode = App.Groups[0].Nodes[0];
        Assert.Equal(new[] { "echo inline-node", "echo included-node" }, inlineNode.Hooks.Select(h => h.Commands[0]));
        Assert.All(inlineNode.Hooks, h => Assert.Equal(HookLevel.Node, h.Level));
    }

    [Fact]
    public void Includes_named_inside_an_included_group_file_are_relative_to_the_environment_directory()
    {
        var group = App.Groups[1];
        Assert.Equal(new[] { "echo inline-group", "echo included-group" }, group.Hooks.Select(h => h.Commands[0]));
        Assert.Equal(Path.Combine(EnvDir, "hooks", "group.yml"), group.Hooks[1].IncludedFrom);
        Assert.All(group.Hooks, h => Assert.Equal(HookLevel.Group, h.Level));
        var node = Assert.Single(group.Nodes);
        Assert.Equal("echo included-node", Assert.Single(node.Hooks).Commands[0]);
        Assert.Equal(("app", "grp-a"), (node.Project, node.Group));
        Assert.Equal(new SourceLocation(Path.Combine(EnvDir, "hooks", "group.yml"), 2, 5), group.Hooks[1].Location);
    }

    [Fact]
    public void Included_groups_keep_an_empty_connection_type()
    {
        Assert.Equal(string.Empty, App.Groups[1].ConnectionType);
        Assert.Equal(string.Empty, App.Groups[0].ConnectionType);
    }
}
