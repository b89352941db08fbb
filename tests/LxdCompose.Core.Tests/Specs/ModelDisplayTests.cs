using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Specs;

// PowerShell shows nested collections through ToString: these texts are what a user reads in list views.
public class ModelDisplayTests
{
    [Fact]
    public void Hook_shows_event_target_and_first_command_line()
    {
        var hook = new LxdHook { Event = "post-node-sync", Commands = new[] { "echo one\necho two", "x" } };
        Assert.Equal("post-node-sync on *: echo one", hook.ToString());
        Assert.Equal("pre-project on host: (no commands)",
            new LxdHook { Event = "pre-project", Node = "host" }.ToString());
    }

    [Fact]
    public void Node_shows_its_instance_name_with_prefix()
    {
        Assert.Equal("p-web1", new LxdNode { Name = "web1", NamePrefix = "p" }.ToString());
        Assert.Equal("web1", new LxdNode { Name = "web1", NamePrefix = "-" }.ToString());
    }

    [Fact]
    public void Vars_block_and_file_mapping_read_as_summaries()
    {
        var vars = new VarsBlock { Envs = new Dictionary<string, object?> { ["a"] = 1L, ["b"] = "x" } };
        Assert.Equal("2 variables", vars.ToString());
        Assert.Equal("encrypted vars", new VarsBlock { Encrypted = true }.ToString());
        Assert.Equal("a.tmpl -> /etc/a", new FileMapping { Source = "a.tmpl", Destination = "/etc/a" }.ToString());
    }

    [Fact]
    public void Named_elements_show_their_name()
    {
        Assert.Equal("grp", new LxdGroup { Name = "grp" }.ToString());
        Assert.Equal("proj", new LxdProject { Name = "proj" }.ToString());
        Assert.Equal("net0", new LxdNetwork { Name = "net0" }.ToString());
    }
}
