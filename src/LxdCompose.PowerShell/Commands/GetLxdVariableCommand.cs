using System.Collections;
using System.Management.Automation;
using LxdCompose.Loading;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Security;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose's <c>diagnose vars</c>: the variables of projects as hooks and templates get them (the project's vars
/// blocks, then -VarsFile files, then -Env), one object per variable with the block that set it, or lxd-compose's
/// variable map (with <c>project</c> and <c>env_base_dir</c>) as YAML or JSON text. Secret values are masked unless
/// -ShowSecret.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LxdVariable", DefaultParameterSetName = ProjectSet)]
[OutputType("LxdCompose.Loading.ProjectVariable")]
[OutputType(typeof(string))]
public sealed class GetLxdVariableCommand : LxdPipedCmdlet
{
    private const string ProjectSet = "Project";
    private const string InputObjectSet = "InputObject";

    /// <summary>Projects whose variables to list; wildcards allowed.</summary>
    [Parameter(Position = 0, ParameterSetName = ProjectSet)]
    [Parameter(Position = 0, ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>Piped project names or objects naming projects (projects, groups, nodes, commands and their results).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>Like --env: variables over every other block (a hashtable).</summary>
    [Parameter]
    public Hashtable? Env { get; set; }

    /// <summary>Like --vars-file: vars files (<c>envs:</c>) applied after the project's own variables, before -Env.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? VarsFile { get; set; }

    /// <summary>lxd-compose's output: the variable map of each project as YAML text.</summary>
    [Parameter]
    public SwitchParameter AsYaml { get; set; }

    /// <summary>lxd-compose's <c>--json</c>: the variable map of each project as JSON text.</summary>
    [Parameter]
    public SwitchParameter AsJson { get; set; }

    private NameFilter _names = new(null);

    protected override void BeginCommand()
    {
        if (AsYaml && AsJson)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument(ErrorIds.VariableFormatConflict,
                "Give -AsYaml or -AsJson, not both.", null, "Get-LxdVariable -Project <project> -AsJson"));
        }

        _names = new NameFilter(Project);
    }

    protected override void ProcessInput() => ListEach(ParameterSetName == InputObjectSet ? InputObject : null, List);

    private void List(SpecSet specs, PipedSelection? selection, NameFilter text)
    {
        var extra = ExtraVars(specs);
        foreach (var project in specs.Projects.Where(p => (selection?.Includes(p) ?? true) && text.IsMatch(p.Name) && _names.IsMatch(p.Name)))
        {
            if (AsYaml || AsJson)
            {
                var map = ProjectVariableReport.TemplateMap(project, specs.EnvironmentOf(project).BaseDirectory, extra);
                WriteObject(AsJson ? ProjectVariableReport.ToJson(map) : ProjectVariableReport.ToYaml(map));
                continue;
            }

            foreach (var variable in ProjectVariableReport.List(project, extra))
            {
                WriteSpecObject(variable, specs);
            }
        }

        foreach (var name in text.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.ProjectNotFound, "project", name);
        }
    }

    protected override void EndCommand()
    {
        foreach (var name in _names.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.ProjectNotFound, "project", name);
        }
    }

    /// <summary>-VarsFile blocks (rendered when the render engine is on), then the -Env block; their secrets are masked too.</summary>
    private List<VarsBlock> ExtraVars(SpecSet specs)
    {
        var blocks = new List<VarsBlock>();
        try
        {
            var renderer = TemplateEngines.SpecRendererFor(specs.Config, RenderOverrides());
            foreach (var path in VarsFile ?? Array.Empty<string>())
            {
                blocks.Add(ProjectVariables.LoadVarsFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path), renderer, specs.Config));
            }
        }
        catch (SpecException e)
        {
            ThrowTerminatingError(ErrorRecords.FromFatalSpecProblem(e));
        }

        if (Env is not null)
        {
            blocks.Add(new VarsBlock { Envs = PowerShellValues.ToMap(Env, nameof(Env)), Location = SourceLocation.FileOnly("-Env") });
        }

        var secrets = new SecretValues(specs.Secrets.Names);
        secrets.AddVarsBlocks(blocks);
        IncludeSecrets(secrets);
        return blocks;
    }
}
