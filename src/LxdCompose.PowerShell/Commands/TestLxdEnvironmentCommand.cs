using System.Management.Automation;
using LxdCompose.Loading;
using LxdCompose.Specs;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Loads and validates the environments (lxd-compose <c>validate</c>) and returns the problems found as objects, or with
/// -Quiet only whether there is no error. A config that cannot be loaded at all is itself a problem, not an exception.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "LxdEnvironment", DefaultParameterSetName = "Config")]
[OutputType("LxdCompose.Specs.SpecDiagnostic")]
[OutputType(typeof(bool))]
public sealed class TestLxdEnvironmentCommand : LxdConfigBoundCmdlet
{
    private readonly HashSet<string> _testedConfigs = new(StringComparer.Ordinal);

    /// <summary>Return $true when no problem of severity Error was found, else $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Treat every warning as an error (unknown keys, undeclared profiles, ...): the problem is then an Error.</summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    /// <summary>Like lxd-compose's --nodes-prefix: validates the instance names the nodes get with this prefix.</summary>
    [Parameter]
    public string? NodesPrefix { get; set; }

    private protected override string? NodesPrefixOption => NodesPrefix;

    protected override void ProcessInput()
    {
        var problems = new List<SpecDiagnostic>();
        try
        {
            var specs = LoadSpecsOrThrow(reportDiagnostics: false);
            if (!_testedConfigs.Add(specs.Config.File))
            {
                return; // several piped objects of one config: test it once
            }

            problems.AddRange(SpecValidator.Problems(specs, new ValidationOptions { Strict = Strict }));
        }
        catch (SpecException e)
        {
            problems.Add(e.Diagnostic);
        }

        foreach (var detail in problems.Where(p => p.Severity == DiagnosticSeverity.Verbose))
        {
            WriteVerbose(detail.ToString());
        }

        if (Quiet)
        {
            WriteObject(problems.All(p => p.Severity != DiagnosticSeverity.Error));
            return;
        }

        foreach (var problem in problems.Where(p => p.Severity != DiagnosticSeverity.Verbose))
        {
            WriteObject(problem);
        }
    }
}
