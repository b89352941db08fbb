using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Security;
using LxdCompose.Loading;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Shared plumbing of the cmdlets that read specs: where to load from (PowerShell's location, not the process's),
/// one load per config within an invocation, and how load diagnostics become PowerShell errors, warnings and verbose.
/// Core types appear only inside method bodies, so nothing resolves LxdCompose.Core before the module initializer runs.
/// </summary>
public abstract class LxdSpecCmdlet : PSCmdlet, IDisposable
{
    /// <summary>Name of the note property every output object carries, so piped objects reload the same config.</summary>
    internal const string ConfigFileProperty = "ConfigFile";

    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, object> _loadedByKey = new(StringComparer.Ordinal);
    private string? _lastConfigFile;
    private PipelineScope? _pipeline;
    private string? _configPathGiven;

    /// <summary>
    /// The lxd-compose config file; default: LXD_COMPOSE_CONFIG, else .lxd-compose.yml in the current location. Each
    /// cmdlet declares the parameter (<see cref="LxdPipedCmdlet"/>, <see cref="LxdConfigBoundCmdlet"/>): a parameter bound
    /// by property name would let the parameter set without -InputObject take piped objects and ignore what they name.
    /// </summary>
    public abstract string? ConfigPath { get; set; }

    /// <summary>
    /// Render values for this call only, over the session's (Set-LxdRenderValue) and the render values files: a
    /// hashtable of any depth; a key with dots is a path (<c>@{ 'db.host' = 'x' }</c>); <c>$null</c> removes a default.
    /// </summary>
    [Parameter]
    public Hashtable? RenderValue { get; set; }

    /// <summary>
    /// The encryption key (base64, as New-LxdEncryptionKey makes it) that decrypts encrypted vars blocks and the
    /// encrypted render secrets file; wins over -KeyFile and the config's security.key and security.keyfile.
    /// </summary>
    [Parameter]
    public SecureString? Key { get; set; }

    /// <summary>A file holding the base64 encryption key (lxd-compose's --keyfile); wins over the config's key.</summary>
    [Parameter]
    public string? KeyFile { get; set; }

    /// <summary>
    /// Shows secret values instead of masking them (values of encrypted or <c>secret: true</c> vars blocks, the render
    /// secrets file, and names matching <c>security.secret_name_patterns</c>) in everything this call reports: objects,
    /// errors, messages and -WhatIf text. Without it they appear as ********.
    /// </summary>
    [Parameter]
    public SwitchParameter ShowSecret { get; set; }

    /// <summary>The secrets of every spec set this call loaded; null with -ShowSecret.</summary>
    private ReportMask? _mask;

    /// <summary>Like lxd-compose's --nodes-prefix; only the cmdlets whose objects contain nodes expose it.</summary>
    private protected virtual string? NodesPrefixOption => null;

    /// <summary>-LxdConfigDirectory of the cmdlets that talk to servers (lxd-compose's --lxd-config-dir); null elsewhere.</summary>
    private protected virtual string? LxdConfigDirectoryOption => null;

    /// <summary>-Strict of the cmdlets that act on servers: the deploy gate treats warnings as errors.</summary>
    internal virtual bool StrictValidation => false;

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Joins the pipeline's report scope, notes a -ConfigPath given directly, then <see cref="BeginCommand"/>.</summary>
    protected sealed override void BeginProcessing()
    {
        _pipeline = PipelineScope.Join(MyInvocation);
        _configPathGiven = MyInvocation.BoundParameters.ContainsKey(nameof(ConfigPath)) ? ConfigPath : null;
        _mask = ShowSecret ? null : new ReportMask();
        if (ShowSecret)
        {
            WriteVerbose("-ShowSecret: secret values are shown as they are in everything this command reports.");
        }

        Masked(BeginCommand);
    }

    protected sealed override void ProcessRecord() => Masked(ProcessInput);

    protected sealed override void EndProcessing() => Masked(EndCommand);

    /// <summary>The cmdlet's BeginProcessing; everything it reports is masked.</summary>
    protected virtual void BeginCommand()
    {
    }

    /// <summary>The cmdlet's ProcessRecord; everything it reports is masked.</summary>
    protected virtual void ProcessInput()
    {
    }

    /// <summary>The cmdlet's EndProcessing; everything it reports is masked.</summary>
    protected virtual void EndCommand()
    {
    }

    /// <summary>Masks these secrets too in everything this call reports (values the cmdlet adds, such as -VarsFile's).</summary>
    internal void IncludeSecrets(Security.SecretValues secrets) => _mask?.Include(secrets);

    private void Masked(Action phase) => MaskingCommandRuntime.Run(this, _mask, phase);

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Loads (once per config in this invocation) and reports load diagnostics. A config that does not load at all stops
    /// the command when it was given directly (-ConfigPath, LXD_COMPOSE_CONFIG, the current location); one that came
    /// down the pipeline (a piped file, a piped object's ConfigFile) is a non-terminating error and null, so the other
    /// piped configs still load.
    /// </summary>
    internal SpecSet? LoadSpecs()
    {
        try
        {
            return LoadSpecsOrThrow(reportDiagnostics: true);
        }
        catch (SpecException e)
        {
            var record = ErrorRecords.FromFatalSpecProblem(e);
            if (!ConfigCameDownThePipeline)
            {
                ThrowTerminatingError(record);
            }

            WriteError(record);
            return null;
        }
    }

    private bool ConfigCameDownThePipeline => !string.IsNullOrEmpty(ConfigPath) && ConfigPath != _configPathGiven;

    /// <summary>Loads once per config in this invocation; a fatal problem surfaces as <see cref="SpecException"/>.</summary>
    internal SpecSet LoadSpecsOrThrow(bool reportDiagnostics)
    {
        var workingDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        var configFile = string.IsNullOrEmpty(ConfigPath)
            ? null
            : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ConfigPath);
        var confDir = string.IsNullOrEmpty(LxdConfigDirectoryOption)
            ? null
            : SessionState.Path.GetUnresolvedProviderPathFromPSPath(LxdConfigDirectoryOption);
        var key = string.Join("\n", configFile ?? string.Empty, workingDirectory, NodesPrefixOption ?? string.Empty, confDir ?? string.Empty);
        if (_loadedByKey.TryGetValue(key, out var cached))
        {
            _mask?.Include(((SpecSet)cached).Secrets);
            _lastConfigFile = ((SpecSet)cached).Config.File;
            _knownProjects.UnionWith(((SpecSet)cached).Projects.Select(p => p.Name));
            return (SpecSet)cached;
        }

        _pipeline?.Started();
        WriteVerbose(configFile is null
            ? $"Loading specs from the config found from '{workingDirectory}'."
            : $"Loading specs from '{configFile}'.");
        SpecSet specs;
        try
        {
            specs = SpecLoader.Load(
                new LoadOptions
                {
                    ConfigPath = configFile,
                    WorkingDirectory = workingDirectory,
                    NodesPrefix = NodesPrefixOption,
                    LxdConfigDirectory = confDir,
                    RenderValues = RenderOverrides(),
                    Key = Key is null ? null : new NetworkCredential(string.Empty, Key).Password,
                    KeyFile = string.IsNullOrEmpty(KeyFile) ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(KeyFile),
                },
                _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }

        _loadedByKey[key] = specs;
        _mask?.Include(specs.Secrets);
        _lastConfigFile = specs.Config.File;
        _knownProjects.UnionWith(specs.Projects.Select(p => p.Name));
        WriteVerbose($"Loaded {specs.Projects.Count()} project(s) and {specs.Commands.Count()} command(s) from '{specs.Config.File}' " +
            $"with {specs.Diagnostics.Count} problem(s){(NodesPrefixOption is { Length: > 0 } prefix ? $", nodes prefix '{prefix}'" : string.Empty)}.");
        if (reportDiagnostics)
        {
            ReportLoadProblems(specs);
        }

        return specs;
    }

    /// <summary>
    /// The load diagnostics as errors, warnings and verbose messages, each once per pipeline. An EnvironmentExcluded
    /// diagnostic follows the errors of the file it leaves out: it becomes their advice rather than one more error.
    /// </summary>
    private void ReportLoadProblems(SpecSet specs)
    {
        var errorsOfFile = new List<SpecDiagnostic>();
        foreach (var diagnostic in specs.Diagnostics)
        {
            if (diagnostic.Code == LoadCodes.EnvironmentExcluded && errorsOfFile.Count > 0)
            {
                errorsOfFile.ForEach(error => Report(error, specs.Config.File, excludedFile: diagnostic.File));
                errorsOfFile.Clear();
                Report(new SpecDiagnostic(DiagnosticSeverity.Verbose, diagnostic.Code, diagnostic.Message, diagnostic.Location),
                    specs.Config.File);
            }
            else if (diagnostic.Severity == DiagnosticSeverity.Error && diagnostic.Code != LoadCodes.EnvironmentExcluded)
            {
                errorsOfFile.Add(diagnostic);
            }
            else
            {
                Report(diagnostic, specs.Config.File);
            }
        }

        errorsOfFile.ForEach(error => Report(error, specs.Config.File));
    }

    /// <summary>The session's render values, then -RenderValue (which wins).</summary>
    internal RenderValueOverrides RenderOverrides()
    {
        var overrides = RenderValueOverrides.Empty.Then(RenderValueSession.Current.Snapshot());
        if (RenderValue is null)
        {
            return overrides;
        }

        try
        {
            foreach (var tree in RenderValueTrees(PowerShellValues.ToMap(RenderValue, nameof(RenderValue))))
            {
                overrides = overrides.Then(tree);
            }
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument(ErrorIds.InvalidRenderValue, e, RenderValue));
        }

        return overrides;
    }

    /// <summary>A map whose top-level keys may be dotted paths, as trees in key order.</summary>
    internal static IEnumerable<Dictionary<string, object?>> RenderValueTrees(Dictionary<string, object?> map) =>
        map.Select(e => RenderValueTree.FromPath(RenderValueTree.ParsePath(e.Key), e.Value));

    /// <summary>
    /// Reports one diagnostic of the specs of <paramref name="configFile"/> unless an earlier command of this pipeline
    /// did; <paramref name="excludedFile"/> is the environment file the error keeps from loading, if any.
    /// </summary>
    private void Report(SpecDiagnostic diagnostic, string configFile, string? excludedFile = null) =>
        Report(diagnostic, configFile, () => ErrorRecords.FromDiagnostic(diagnostic, excludedFile));

    /// <summary>
    /// Reports a problem the deploy gate found (<see cref="Host.DeployCmdletSupport.PassesGate"/>), an error as
    /// <paramref name="errorRecord"/>, unless this pipeline reported it already (a load problem is found again).
    /// </summary>
    internal void ReportGateProblem(SpecDiagnostic diagnostic, string configFile, Func<ErrorRecord> errorRecord) =>
        Report(diagnostic, configFile, errorRecord);

    private void Report(SpecDiagnostic diagnostic, string configFile, Func<ErrorRecord> errorRecord)
    {
        var problem = string.Join("\n", configFile, diagnostic.Severity, diagnostic.Code, diagnostic.Location, diagnostic.Message);
        if (_pipeline is not null && !_pipeline.FirstReport(problem))
        {
            return;
        }

        switch (diagnostic.Severity)
        {
            case DiagnosticSeverity.Error:
                WriteError(errorRecord());
                break;
            case DiagnosticSeverity.Warning:
                WriteWarning(diagnostic.ToString());
                break;
            default:
                WriteVerbose(diagnostic.ToString());
                break;
        }
    }

    /// <summary>Runs <paramref name="action"/> with -ConfigPath set to the config a piped object came from, when it names one.</summary>
    internal void WithConfigOf(PipedObject item, Action action)
    {
        var saved = ConfigPath;
        ConfigPath = item.ConfigFile ?? saved;
        try
        {
            action();
        }
        finally
        {
            ConfigPath = saved;
        }
    }

    /// <summary>
    /// Asks before a run that deletes containers, as a ConfirmImpact High cmdlet asks: in a default session
    /// ($ConfirmPreference High) unless -Confirm or -WhatIf was given (then ShouldProcess asks or tells, node by node).
    /// The cmdlets that call it are Medium, because most of their runs delete nothing. A session that cannot ask
    /// (non-interactive) gets a terminating error that names -Confirm:$false.
    /// </summary>
    internal bool ConfirmDeletion(string query)
    {
        var bound = MyInvocation.BoundParameters;
        if (bound.ContainsKey("Confirm") || bound.ContainsKey("WhatIf") || LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference")))
        {
            return true;
        }

        // Low or Medium: ShouldProcess already asks for every change; None: the caller never wants to be asked.
        if (!LanguagePrimitives.TryConvertTo<ConfirmImpact>(GetVariableValue("ConfirmPreference"), out var preference) ||
            preference != ConfirmImpact.High)
        {
            return true;
        }

        try
        {
            return ShouldContinue(query + " Continue?", "Delete containers");
        }
        catch (Exception e) when (e is PSInvalidOperationException or System.Management.Automation.Host.HostException)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"{query} This session cannot ask ({e.Message}). Add -Confirm:$false to proceed.", e),
                ErrorIds.DeletionNotConfirmed, ErrorCategory.PermissionDenied, null)
            {
                ErrorDetails = new ErrorDetails($"{query} This session cannot ask.")
                {
                    RecommendedAction = $"Add -Confirm:$false to {MyInvocation.MyCommand.Name} to delete without asking, or -WhatIf to see what it would do.",
                },
            });
            return false;
        }
    }

    /// <summary>Writes a spec object with the config it came from, which the next cmdlet binds to -ConfigPath.</summary>
    internal void WriteSpecObject(object item, SpecSet specs)
    {
        var wrapped = PSObject.AsPSObject(item);
        wrapped.Properties.Add(new PSNoteProperty(ConfigFileProperty, specs.Config.File));
        WriteObject(wrapped);
    }

    /// <summary>
    /// The projects whose names match the patterns, in spec order or, with <paramref name="inPatternOrder"/>, in the
    /// order of the patterns that name them (as lxd-compose applies its arguments: first named, first applied); a
    /// literal name without a match is reported at once.
    /// </summary>
    internal IReadOnlyList<LxdProject> SelectProjects(SpecSet specs, string[]? projectPatterns, bool inPatternOrder = false)
    {
        var filter = new NameFilter(projectPatterns);
        var selected = specs.Projects.Where(p => filter.IsMatch(p.Name)).ToList();
        if (inPatternOrder)
        {
            // OrderBy is stable: projects matched by one wildcard keep their spec order.
            selected = selected.OrderBy(p => filter.FirstMatchIndex(p.Name)).ToList();
        }
        foreach (var name in filter.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.ProjectNotFound, "project", name);
        }

        return selected;
    }

    /// <summary>Names of the projects in the specs loaded so far, for advice when one is given where another name belongs.</summary>
    private readonly HashSet<string> _knownProjects = new(StringComparer.Ordinal);

    /// <summary>The not-found messages written in this invocation: piped records that repeat a name repeat no error.</summary>
    private readonly HashSet<string> _reportedNotFound = new(StringComparer.Ordinal);

    /// <summary>
    /// Reports a literal name that matched nothing, once per invocation; <paramref name="projects"/> are the projects
    /// searched.
    /// </summary>
    internal void WriteNotFound(string errorId, string kind, string name, IReadOnlyCollection<string>? projects = null)
    {
        var within = projects is { Count: > 0 }
            ? $" in project {string.Join(", ", projects.Select(p => $"'{p}'"))}"
            : string.Empty;
        var where = _lastConfigFile is { Length: > 0 } ? $" of the specs of '{_lastConfigFile}'" : string.Empty;
        // lxd-compose's "group list <project>" takes the project first; a project name in the first position is that habit.
        var advice = kind != "project" && _knownProjects.Contains(name)
            ? $"'{name}' is a project: name it with -Project ({MyInvocation.MyCommand.Name} -Project {name})."
            : "Check the name, or omit it to list them all.";
        var message = $"No {kind} named '{name}'{within}{where}.";
        if (_reportedNotFound.Add(errorId + "\n" + message))
        {
            WriteError(ErrorRecords.NotFound(errorId, message, name, advice));
        }
    }
}

/// <summary>
/// A spec cmdlet that reads piped objects through -InputObject (<see cref="PipedObject"/>), which also gives their
/// config (a ConfigFile property, a piped file): -ConfigPath is a plain parameter here.
/// </summary>
public abstract class LxdPipedCmdlet : LxdSpecCmdlet
{
    /// <summary>The lxd-compose config file; default: LXD_COMPOSE_CONFIG, else .lxd-compose.yml in the current location.</summary>
    [Parameter]
    [Alias(ConfigFileProperty)]
    public override string? ConfigPath { get; set; }

    /// <summary>
    /// Runs <paramref name="list"/> once without pipeline input (<paramref name="inputObjects"/> null), or once per
    /// piped object with that object's config, what it selects, and the name it carries (a piped string).
    /// </summary>
    private protected void ListEach(PSObject[]? inputObjects, Action<SpecSet, PipedSelection?, NameFilter> list)
    {
        if (inputObjects is null)
        {
            ListWith(null, null, list);
            return;
        }

        foreach (var item in inputObjects)
        {
            var piped = PipedObject.Read(item);
            WithConfigOf(piped, () => ListWith(piped, item, list));
        }
    }

    private void ListWith(PipedObject? piped, PSObject? item, Action<SpecSet, PipedSelection?, NameFilter> list)
    {
        if (LoadSpecs() is not { } specs)
        {
            return; // a piped config that does not load: reported, the next one may
        }

        var selection = piped is null ? null : PipedSelection.For(this, piped, specs, item!);
        if (piped is not null && selection is null)
        {
            return;
        }

        list(specs, selection, new NameFilter(selection?.Text is { } pipedText ? new[] { pipedText } : null));
    }
}

/// <summary>A spec cmdlet without -InputObject: piped objects give -ConfigPath by property name (ConfigFile, or a file's PSPath).</summary>
public abstract class LxdConfigBoundCmdlet : LxdSpecCmdlet
{
    /// <summary>The lxd-compose config file; default: LXD_COMPOSE_CONFIG, else .lxd-compose.yml in the current location.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias(ConfigFileProperty, "PSPath")]
    public override string? ConfigPath { get; set; }
}
