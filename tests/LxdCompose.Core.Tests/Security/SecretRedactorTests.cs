using LxdCompose.Deploy;
using LxdCompose.Security;
using LxdCompose.Specs;
using LxdCompose.Tests.Deploy.FakeServer;
using Xunit;

namespace LxdCompose.Tests.Security;

/// <summary>The masked copies of what the module reports: every string at any depth, the originals left alone.</summary>
public sealed class SecretRedactorTests
{
    private const string Secret = "hunter2-very-secret";

    private static SecretValues Secrets()
    {
        var secrets = new SecretValues();
        secrets.Add(Secret);
        return secrets;
    }

    /// <summary>Every string the redactor reaches in <paramref name="value"/>, refusing types it cannot look into.</summary>
    internal static List<string> StringsIn(object? value)
    {
        var seen = new List<string>();
        new SecretRedactor(text => { seen.Add(text); return text; }, _ => false) { Strict = true }.Redact(value);
        return seen;
    }

    [Fact]
    public void A_node_copy_is_masked_everywhere_and_the_original_keeps_its_values()
    {
        var node = new LxdNode
        {
            Name = "n1",
            Config = new Dictionary<string, string> { ["environment.DB"] = Secret },
            Hooks = new[] { new LxdHook { Event = "post-node-creation", Commands = new[] { $"echo {Secret} > /x" } } },
            Location = new SourceLocation("/specs/" + Secret + ".yml", 3, 4),
        };

        var copy = (LxdNode)new SecretRedactor(Secrets()).Redact(node)!;

        Assert.Equal("********", copy.Config["environment.DB"]);
        Assert.Equal("echo ******** > /x", copy.Hooks[0].Commands[0]);
        Assert.Equal("/specs/********.yml", copy.Location.File);
        Assert.Equal(3, copy.Location.Line);
        Assert.Equal(Secret, node.Config["environment.DB"]);
        Assert.Equal($"echo {Secret} > /x", node.Hooks[0].Commands[0]);
        Assert.DoesNotContain(StringsIn(copy), s => s.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public void An_object_without_secrets_comes_back_as_it_is()
    {
        var node = new LxdNode { Name = "n1", Labels = new Dictionary<string, string> { ["role"] = "web" } };

        Assert.Same(node, new SecretRedactor(Secrets()).Redact(node));
    }

    [Fact]
    public void A_map_entry_under_a_secret_name_is_masked_whole_even_when_the_value_is_not_known()
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal) { ["environment.API_TOKEN"] = "old-server-value", ["limits.cpu"] = "2" };

        var copy = (Dictionary<string, string>)new SecretRedactor(Secrets()).Redact(config)!;

        Assert.Equal("********", copy["environment.API_TOKEN"]);
        Assert.Equal("2", copy["limits.cpu"]);
        Assert.Same(StringComparer.Ordinal, copy.Comparer);
    }

    [Fact]
    public void An_exception_keeps_its_type_and_loses_the_secret_in_message_properties_and_inner_exceptions()
    {
        var inner = new IOException($"pipe broke while sending {Secret}");
        var failure = new HookFailedException("n1", "post-node-creation", $"mysql -p{Secret}", 1, $"denied for {Secret}", inner);

        var copy = Assert.IsType<HookFailedException>(new SecretRedactor(Secrets()).Redact(failure));

        Assert.DoesNotContain(Secret, copy.Message, StringComparison.Ordinal);
        Assert.Contains("mysql -p********", copy.Message, StringComparison.Ordinal);
        Assert.Equal("mysql -p********", copy.Command);
        Assert.Equal("pipe broke while sending ********", copy.InnerException!.Message);
        Assert.Contains(Secret, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(StringsIn(copy), s => s.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public void A_cycle_is_copied_without_looping()
    {
        var first = new Linked { Text = Secret };
        first.Next = first;

        var copy = (Linked)new SecretRedactor(Secrets()).Redact(first)!;

        Assert.Equal("********", copy.Text);
    }

    [Fact]
    public async Task Plans_items_and_results_of_a_run_with_a_failing_hook_hold_no_secret_once_masked()
    {
        using var run = new FakeDeploy($$"""
            version: "1"
            projects:
              - name: p
                vars:
                  - secret: true
                    envs: {db: {{Secret}}}
                hooks:
                  - event: post-node-creation
                    commands: ["echo {{Secret}}; exit 3"]
                groups:
                  - name: g
                    nodes:
                      - name: n1
                        image_source: img
                        config: {environment.DB: {{Secret}}}
            """);
        run.Server.ExecRule = (_, command, _) => Task.FromResult(command.Contains("exit 3", StringComparison.Ordinal) ? 3 : 0);
        var redactor = new SecretRedactor(run.Specs.Secrets) { Strict = true };

        var plan = await run.PlanAsync();
        var report = await run.ApplyAsync();

        var reported = new object?[] { plan, plan.Items, report.Outcome, report.Outcome.Results, report.Outcome.Failures };
        Assert.Contains(StringsIn(reported), s => s.Contains(Secret, StringComparison.Ordinal));
        var failure = Assert.Single(report.Outcome.Failures);
        Assert.IsType<HookFailedException>(failure.Exception);
        Assert.DoesNotContain(StringsIn(redactor.Redact(reported)), s => s.Contains(Secret, StringComparison.Ordinal));
    }

    private sealed class Linked
    {
        public string Text { get; set; } = string.Empty;
        public Linked? Next { get; set; }
    }
}
