using System.Security.Cryptography;
using System.Text;
using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Templating;

/// <summary>
/// The public corpus through the Go engines: the galaxy's three mottainai config templates (Tier C of
/// galaxy-and-templates.md §4.2) with their projects' variables, and lxd-compose's contrib examples, the only
/// samples of define, template, include "tpl/…" and a secrets file.
/// </summary>
public sealed class GoEngineCorpusTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    /// <summary>
    /// SHA-256 of the "Generated output" of nginx.conf.tmpl in lxd-compose-docs site/content/docs/template_engine.md
    /// (commit 86829fb); the galaxy's template and vars are the ones that page shows. A hash, so the output is checked
    /// byte for byte without copying the document into this repository.
    /// </summary>
    private const string DocumentedNginxOutputSha256 = "0289aa180b4f0f84ff52a18b52fb70763fbe311500b84b5ef57f673489eba522";

    [SharedCorpusFact]
    public void Nginx_template_gives_the_documented_output_byte_for_byte()
    {
        var output = CompileGalaxyTemplate("nginx-proxy", "nginx.conf.tmpl");

        Assert.StartsWith("user www-data;\n", output, StringComparison.Ordinal);
        Assert.Contains("  upstream upstream1 {\n    server 192.168.0.90:8065;\n    keepalive 32;\n  }\n", output, StringComparison.Ordinal);
        // nindent 10 of a value that ends with a newline leaves 10 spaces on the last line.
        Assert.Contains("     location /public/ {\n        \n          allow all;\n          \n     }\n", output, StringComparison.Ordinal);
        Assert.Equal(2064, Encoding.UTF8.GetByteCount(output));
        Assert.Equal(DocumentedNginxOutputSha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(output))));
    }

    [SharedCorpusFact]
    public void Mottainai_server_nginx_template_takes_the_else_branch_with_default_values()
    {
        var output = CompileGalaxyTemplate("mottainai-server-services", "nginx.conf.tmpl");

        Assert.DoesNotContain("{{", output, StringComparison.Ordinal);
        Assert.DoesNotContain("<no value>", output, StringComparison.Ordinal);
        Assert.DoesNotContain("/certbot/live/", output, StringComparison.Ordinal);
        Assert.Contains("     location /mottainai/ {\n", output, StringComparison.Ordinal);
        Assert.Contains("\n          proxy_pass https://mottainai-dashboard.mottainai.local:3000;\n", output, StringComparison.Ordinal);
    }

    [SharedCorpusFact]
    public void Funtoo_gitea_template_uses_go_field_names_raw_strings_and_prints_no_value()
    {
        var output = CompileGalaxyTemplate("funtoo::gitea", "app.ini.tmpl", withFuntoo: true);
        var lines = output.Split('\n');

        Assert.Contains("SSH_DOMAIN = gitea", lines);
        Assert.Contains("ROOT_URL = https://gitea.mottainai.local/", lines);
        // Defined nowhere: lxd-compose writes Go's "<no value>" into app.ini.
        Assert.Contains("INTERNAL_TOKEN = <no value>", lines);
        Assert.Contains("JWT_SECRET = ", lines);
        Assert.Contains(lines, l => l.StartsWith("; ACCESS_LOG_TEMPLATE = {{.Ctx.RemoteHost}} - {{.Identity}}", StringComparison.Ordinal));
    }

    [SharedExamplesFact]
    public void Contrib_example_renders_define_template_include_and_secrets()
    {
        var examples = Path.Combine(SharedCorpus.Examples!, "contrib", "examples");
        _t.Write(".lxd-compose.yml", $"""
            render_values_file: {Path.Combine(examples, "values.yml")}
            render_secrets_file: {Path.Combine(examples, "secrets.yaml")}
            render_templates_dirs:
              - {Path.Combine(examples, "templates")}
            env_dirs:
              - {Path.Combine(examples, "envs")}
            """);
        var specs = _t.Load();
        Assert.Empty(specs.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
        var project = specs.Projects.Single();

        // {{ template "defines.def1" . }} prints the whole render data; include "tpl/commands" .Values | nindent 8
        // runs define defines.def2 of another file with .Values as dot.
        var templated = project.Hooks.Single(h => h.Flags.Contains("template"));
        Assert.Equal(2, templated.Commands.Count);
        Assert.StartsWith("echo \"prova map[Capabilities:<nil> Chart:", templated.Commands[0], StringComparison.Ordinal);
        Assert.Contains(" Template:map[BasePath:tpl/templates Name:tpl/templates] Values:map[run:false ", templated.Commands[0], StringComparison.Ordinal);
        Assert.Equal("echo \"prova2 map[run:false secrets:map[database:map[pwd:pass user:myuser]]]\"", templated.Commands[1]);

        // include "tpl/tvalue" .Values | nindent 10 adds variables; {{- if .Values.run }} drops the node1 hook.
        var vars = ProjectVariables.Merge(project);
        Assert.Equal(("template var", false), (vars["template_var"], vars["template_var2"]));
        Assert.DoesNotContain(project.Hooks, h => h.Node == "node1");
        Assert.True(project.Groups.Single().Ephemeral);

        // The vars file reads the secrets file through .Values.secrets.
        var database = Assert.IsType<Dictionary<string, object?>>(vars["database"]);
        Assert.Equal(("myuser", "pass"), (database["user"], database["pwd"]));
        Assert.Equal(new[] { "pre-group", "pre-group", "pre-group", "post-group-shutdown", "pre-group" },
            project.Hooks.Select(h => h.Event));
        Assert.Equal(new[] { "command1", "disable-hook", "command2" }, specs.Commands.Select(c => c.Name));
    }

    [SharedExamplesFact]
    public void Contrib_example_needs_its_secrets_and_with_run_true_gets_the_conditional_hook()
    {
        var examples = Path.Combine(SharedCorpus.Examples!, "contrib", "examples");
        _t.Write(".lxd-compose.yml", $"""
            render_values_file: {Path.Combine(examples, "values.yml")}
            render_templates_dirs:
              - {Path.Combine(examples, "templates")}
            env_dirs:
              - {Path.Combine(examples, "envs")}
            """);
        var specs = SpecLoader.Load(new LoadOptions
        {
            WorkingDirectory = _t.Root,
            EnvironmentVariables = SpecTestKit.NoEnvironment,
            RenderValues = RenderValueOverrides.Empty.Then(new Dictionary<string, object?> { ["run"] = true }),
        });

        // Without the secrets file, the vars file's .Values.secrets.database.user has a missing parent: Helm's error,
        // at the vars file's position; the environment is left out.
        var error = specs.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal((TemplateCodes.TemplateRenderError, Path.Combine(examples, "vars", "file1.yml"), 6),
            (error.Code, error.File, error.Line));
        Assert.Contains("nil pointer evaluating interface {}.database", error.Message, StringComparison.Ordinal);

        _t.Write(".lxd-compose.yml", File.ReadAllText(_t.PathOf(".lxd-compose.yml")) + "\n" +
                                     $"render_secrets_file: {Path.Combine(examples, "secrets.yaml")}\n");
        specs = SpecLoader.Load(new LoadOptions
        {
            WorkingDirectory = _t.Root,
            EnvironmentVariables = SpecTestKit.NoEnvironment,
            RenderValues = RenderValueOverrides.Empty.Then(new Dictionary<string, object?> { ["run"] = true }),
        });
        var hook = specs.Projects.Single().Hooks.Single(h => h.Node == "node1");
        Assert.Equal(("post-group", "hostname"), (hook.Event, hook.Commands[1]));
    }

    [SharedExamplesFact]
    public void Lxd_compose_test_task_generates_one_node_per_go_version()
    {
        var tasks = Path.Combine(SharedCorpus.Examples!, "tests", "tasks");
        var specs = SpecLoader.Load(new LoadOptions
        {
            ConfigPath = Path.Combine(tasks, ".lxd-compose.yml"),
            WorkingDirectory = tasks,
            EnvironmentVariables = SpecTestKit.NoEnvironment,
        });

        // The one warning: push_progressbar is written under general, where lxd-compose ignores it (it is logging's).
        var warning = Assert.Single(specs.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Equal((LoadCodes.UnknownKey, ".lxd-compose.yml:4:3"), (warning.Code, $"{Path.GetFileName(warning.File)}:{warning.Line}:{warning.Column}"));
        Assert.Contains("'push_progressbar' in general", warning.Message);
        Assert.Equal(new[] { ("lxd-compose-test0", "1.18"), ("lxd-compose-test1", "1.19") },
            specs.Nodes.Select(n => (n.Name, n.Labels["golang_version"])));
    }

    /// <summary>Plans the project's templates with ConfigTemplateCompiler and renders the one whose source ends with the name.</summary>
    private string CompileGalaxyTemplate(string projectName, string sourceName, bool withFuntoo = false)
    {
        var galaxy = SharedCorpus.Galaxy!;
        SpecSet specs;
        if (withFuntoo)
        {
            _t.Write(".lxd-compose.yml", $"render_default_file: {Path.Combine(galaxy, "render", "default.yaml")}\n" +
                                         $"env_dirs: [{Path.Combine(galaxy, "envs", "funtoo")}]\n");
            specs = _t.Load();
        }
        else
        {
            specs = SpecLoader.Load(new LoadOptions
            {
                ConfigPath = Path.Combine(galaxy, ".lxd-compose"),
                WorkingDirectory = galaxy,
                EnvironmentVariables = SpecTestKit.NoEnvironment,
            });
        }

        var project = specs.FindProject(projectName) ?? throw new InvalidOperationException($"no project {projectName}");
        var stage = new ConfigTemplateCompiler(specs).Plan(project)
            .Single(s => s.Jobs.Any(j => j.Source.EndsWith(sourceName, StringComparison.Ordinal)));
        var job = stage.Jobs.Single(j => j.Source.EndsWith(sourceName, StringComparison.Ordinal));
        Assert.Equal("mottainai", job.Engine);
        var engine = TemplateEngines.CreateConfigEngine(job.Engine, new ConfigTemplateEngineOptions(), SourceLocation.None);
        return engine.Render(File.ReadAllText(job.Source), job.Source, stage.Variables);
    }
}
