<#
.SYNOPSIS
    Runs the module's Pester tests; called by build.ps1 in a child pwsh so the test session's assemblies stay there.
    Writes {Passed, Failed} to -SummaryPath and exits 1 when anything failed.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $TestPath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    # Tags whose blocks are left out (FastTest: Lab).
    [string[]] $ExcludeTag = @()
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -RequiredVersion 5.7.1

$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestPath
$configuration.Run.PassThru = $true
$configuration.Filter.ExcludeTag = $ExcludeTag
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $ResultPath
$result = Invoke-Pester -Configuration $configuration

if ($null -eq $result) {
    # Invoke-Pester itself failed (a plugin or the result writer): that is a failed run, never an empty green one.
    [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } | ConvertTo-Json | Set-Content -Path $SummaryPath
    Write-Error 'Invoke-Pester returned no result: the run did not complete.' -ErrorAction Continue
    exit 1
}

# A failing BeforeAll or a file that does not parse fails its block or container, not a test: count those too.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
# Anything else Pester considers a failed run counts as one failure.
if ($result.Result -ne 'Passed' -and $failed -eq 0) { $failed = 1 }
[pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount } |
    ConvertTo-Json | Set-Content -Path $SummaryPath
if ($result.SkippedCount -gt 0) { Write-Warning "$($result.SkippedCount) Pester test(s) skipped." }
exit ([int]($failed -gt 0))
