<#
.SYNOPSIS
    Runs help examples one after the other in this (child) pwsh and writes one JSON result per example; started by
    HelpExamples.Tests.ps1.
.DESCRIPTION
    Each example runs as written, in its own scope, from -Root (a prepared copy of the repository's examples/), with
    $ErrorActionPreference = 'Stop': an error it writes fails it. Its setup (variables it assumes, such as a trust
    token) runs first in the same scope. The location, $env:LXD_CONF and the session's render values are restored
    after each one. Confirmation prompts read this process's standard input, which the test fills with "Yes to All".
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    # JSON: [{ Key, Code, Setup }] in the order to run.
    [Parameter(Mandatory)] [string] $ExamplesPath,
    [Parameter(Mandatory)] [string] $Root,
    [Parameter(Mandatory)] [string] $ResultPath,
    # Session preparation shared by every example (environment, helper functions), dot-sourced once; a function
    # Reset-ExampleState it defines runs before each example.
    [string] $PreparationPath
)

$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
if ($PreparationPath) { . $PreparationPath }
$examples = @(Get-Content -Raw $ExamplesPath | ConvertFrom-Json)
$results = [System.Collections.Generic.List[object]]::new()
foreach ($example in $examples) {
    $savedConf = $env:LXD_CONF
    $result = [ordered]@{ Key = $example.Key; Ran = $false; Error = $null; Warnings = @(); Output = '' }
    Set-Location $Root
    try {
        # The preparation may define this to give every example the same starting state (files an earlier one changed).
        if (Get-Command Reset-ExampleState -CommandType Function -ErrorAction SilentlyContinue) { Reset-ExampleState }
        $records = @(& {
                $ErrorActionPreference = 'Stop'
                if ($example.Setup) { . ([scriptblock]::Create($example.Setup)) }
                . ([scriptblock]::Create($example.Code))
            } *>&1)
        # Warnings are kept apart: the test allows only those an example is known to show.
        $result.Warnings = @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
        $result.Output = $records | Out-String -Width 120
        $result.Ran = $true
    }
    catch {
        $result.Error = "$($_.Exception.Message)`n$($_.InvocationInfo.PositionMessage)"
    }
    finally {
        $env:LXD_CONF = $savedConf
        Clear-LxdRenderValue
    }
    $results.Add([pscustomobject]$result)
    # Written after every example: a run that dies half-way still tells which examples ran.
    ConvertTo-Json -InputObject $results.ToArray() -Depth 3 | Set-Content -Path $ResultPath
}
