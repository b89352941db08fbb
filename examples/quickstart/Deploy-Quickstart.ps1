<#
.SYNOPSIS
    Deploys the quick start to the LXD lab and prints what happened (what `build.ps1 -Task Demo` runs after listing it).
.DESCRIPTION
    Writes lxd-conf/ for the lab (New-QuickstartConf.ps1), shows the plan, applies it and prints one result per node.
    Run it again: nothing is recreated. Remove everything with:
        Remove-LxdGroup -Project quickstart -ConfigPath ./examples/quickstart/.lxd-compose.yml
.EXAMPLE
    ./examples/quickstart/Deploy-Quickstart.ps1 -ModulePath ./LxdCompose.psd1
#>
param(
    # The module to import: a manifest path, or the name of an installed module.
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../LxdCompose.psd1'),
    # The lab description written by `tests/lab/lab.sh up`.
    [string] $LabEnv = $(if ($env:LXDCOMPOSE_LAB_ENV) { $env:LXDCOMPOSE_LAB_ENV } else { '/var/lib/lxdcompose-lab/lab.env' })
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
& (Join-Path $PSScriptRoot 'New-QuickstartConf.ps1') -LabEnv $LabEnv
Push-Location $PSScriptRoot
try {
    Write-Host "`n# Get-LxdApplyPlan -Project quickstart" -ForegroundColor Green
    Get-LxdApplyPlan -Project quickstart | Format-Table | Out-Host

    Write-Host '# Invoke-LxdApply -Project quickstart  (hook output: the information stream)' -ForegroundColor Green
    $results = Invoke-LxdApply -Project quickstart -InformationAction Continue
    $results | Format-Table | Out-Host
    if (@($results | Where-Object Action -in 'Failed', 'Skipped').Count -gt 0) { exit 1 }
}
finally {
    Pop-Location
}
