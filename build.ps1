#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests, demonstrates and packages the LxdCompose module.
.DESCRIPTION
    Build   - publishes LxdCompose.Core and its dependencies to bin/Dependencies and places the cmdlet assembly and
              the ps1xml files in bin/, so that `Import-Module ./LxdCompose.psd1` works from the repository root;
              builds the help from docs/en-US into en-US/ (build/Build-Help.ps1).
    Test    - FormatCheck, Build, installs the tools the tests run (j2cli) and brings the LXD lab up (tests/lab/lab.sh;
              root on Linux; every package either needs is installed when missing), then the xunit tests of Core and
              of the Go-template library and the Pester tests of the module (in a child pwsh), and a closing line
              "N passed, N failed" summing them all. Exits non-zero when anything failed.
    FastTest - the same tests without those that need the lab (xunit trait Category=Lab, Pester tag Lab): no root,
              no lab, no LXD. Needs j2 on PATH (Test installs it).
    Format  - applies the code style of .editorconfig to every project of LxdCompose.sln (dotnet format).
    FormatCheck - fails, naming the files to fix, when a file's layout differs from .editorconfig (dotnet format
              whitespace; seconds). The style rules at severity warning (braces, file-scoped namespaces) are enforced
              by every build (EnforceCodeStyleInBuild in Directory.Build.props).
    Demo    - Build, lists the quick-start example (examples/quickstart) as objects, then deploys it to the LXD lab
              (brought up with one VM when none is up; installs what it needs) and prints the result objects.
    Package - Build, then writes the self-contained module folder out/LxdCompose/<version>/.
    Clean   - removes bin/, out/, TestResults/ and every obj/ and project bin/ folder.
    Run with the pinned PowerShell: `dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test`.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'FastTest', 'Demo', 'Package', 'Clean', 'Format', 'FormatCheck')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$ModuleBin = Join-Path $Root 'bin'
# Get-Help looks for a module's help only in <module folder>/<culture>, beside the manifest.
$HelpOutput = Join-Path $Root 'en-US'
$OutRoot = Join-Path $Root 'out'
$ResultsDir = Join-Path $Root 'TestResults'
$Manifest = Join-Path $Root 'LxdCompose.psd1'
$Solution = Join-Path $Root 'LxdCompose.sln'
$PowerShellProject = Join-Path $Root 'src/LxdCompose.PowerShell'
$CoreProject = Join-Path $Root 'src/LxdCompose.Core'
$LabScript = Join-Path $Root 'tests/lab/lab.sh'
# Tests that need the lab carry this xunit trait (Category=Lab) or this Pester tag (Lab).
$LabTraitName = 'Category'
$LabTraitValue = 'Lab'

# In CI no build server may outlive the run (they would hold the output pipe open).
$DotnetBuildArgs = @('-c', $Configuration, '--nologo')
if ($env:CI -eq 'true') { $DotnetBuildArgs += '--disable-build-servers' }

function Invoke-Native {
    # Runs a native command and stops the build when it fails.
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @())
    & $FilePath @ArgumentList | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Get-PwshCommandLine {
    # The pwsh running this script, for child processes: `dotnet pwsh` runs pwsh.dll through the dotnet host.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, (Join-Path $PSHOME 'pwsh.dll'))
    }
    return @($process)
}

function Invoke-ChildPwsh {
    # Runs a script file in a fresh pwsh, so nothing loaded there stays in this session. Returns the exit code.
    param([Parameter(Mandatory)] [string] $ScriptPath, [string[]] $ArgumentList = @())
    $pwsh = @(Get-PwshCommandLine)
    $pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $ScriptPath) + $ArgumentList
    & $pwsh[0] @pwshArgs | Out-Host
    return $LASTEXITCODE
}

function Get-ModuleVersion {
    (Import-PowerShellDataFile -Path $Manifest).ModuleVersion
}

function Get-NuGetPackagesFolder {
    $line = & dotnet nuget locals global-packages --list
    if ($LASTEXITCODE -ne 0) { throw 'dotnet nuget locals failed.' }
    # Output: "global-packages: /root/.nuget/packages/"
    ($line -replace '^\s*global-packages:\s*', '').Trim()
}

function Invoke-Build {
    Write-Host '==> Build' -ForegroundColor Cyan
    if (Test-Path $ModuleBin) { Remove-Item $ModuleBin -Recurse -Force }
    $dependencies = Join-Path $ModuleBin 'Dependencies'
    Invoke-Native dotnet (@('publish', $CoreProject, '-o', $dependencies) + $DotnetBuildArgs)
    Invoke-Native dotnet (@('build', $PowerShellProject) + $DotnetBuildArgs)

    # Only our cmdlet assembly sits beside the manifest; Core and its dependencies stay in bin/Dependencies.
    $output = Join-Path $PowerShellProject "bin/$Configuration/net8.0"
    foreach ($file in 'LxdCompose.PowerShell.dll', 'LxdCompose.PowerShell.pdb') {
        Copy-Item -Path (Join-Path $output $file) -Destination $ModuleBin
    }
    Copy-Item -Path (Join-Path $PowerShellProject 'Formats/*.ps1xml') -Destination $ModuleBin
    Copy-Item -Path (Join-Path $PowerShellProject 'Types/*.ps1xml') -Destination $ModuleBin
    Invoke-HelpBuild
    Write-Host "Module ready: Import-Module $Manifest"
}

function Invoke-HelpBuild {
    # In a child pwsh: the generator imports the module to read the cmdlets' parameters.
    if (Test-Path $HelpOutput) { Remove-Item $HelpOutput -Recurse -Force }
    $exitCode = Invoke-ChildPwsh -ScriptPath (Join-Path $Root 'build/Build-Help.ps1') -ArgumentList @(
        '-ManifestPath', $Manifest, '-DocsPath', (Join-Path $Root 'docs/en-US'), '-OutputPath', $HelpOutput)
    if ($exitCode -ne 0) { throw "The help build failed with exit code $exitCode." }
}

function Invoke-Package {
    $version = Get-ModuleVersion
    $target = Join-Path $OutRoot "LxdCompose/$version"
    Write-Host "==> Package $target" -ForegroundColor Cyan
    if (Test-Path $target) { Remove-Item $target -Recurse -Force }
    New-Item -ItemType Directory -Path $target -Force | Out-Null
    Copy-Item -Path $Manifest -Destination $target
    Copy-Item -Path $ModuleBin -Destination $target -Recurse
    Copy-Item -Path $HelpOutput -Destination $target -Recurse
    return $target
}

function Get-TrxCounts {
    param([Parameter(Mandatory)] [string] $Path)
    [xml] $trx = Get-Content -Raw -Path $Path
    $counters = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed = [int] $counters.passed
        # Anything that ran but did not pass counts as a failure.
        Failed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
    }
}

function Invoke-XunitTests {
    # One xunit project; its results go to TestResults/<TrxName>.
    param([Parameter(Mandatory)] [string] $Project, [Parameter(Mandatory)] [string] $TrxName, [switch] $ExcludeLab)
    Write-Host "==> xunit: $Project" -ForegroundColor Cyan
    $trx = Join-Path $ResultsDir $TrxName
    if (Test-Path $trx) { Remove-Item $trx -Force }
    $testArgs = @('test', (Join-Path $Root $Project), '--logger', "trx;LogFileName=$TrxName",
        '--results-directory', $ResultsDir) + $DotnetBuildArgs
    if ($ExcludeLab) { $testArgs += @('--filter', "$LabTraitName!=$LabTraitValue") }
    & dotnet @testArgs | Out-Host
    $exitCode = $LASTEXITCODE
    if (-not (Test-Path $trx)) {
        throw "xunit produced no results ($trx missing, exit code $exitCode): the test project did not build or run."
    }
    $counts = Get-TrxCounts -Path $trx
    if ($exitCode -ne 0 -and $counts.Failed -eq 0) {
        throw "dotnet test failed with exit code $exitCode although no test failed; see the output above."
    }
    Write-Host "xunit: $($counts.Passed) passed, $($counts.Failed) failed"
    $counts
}

function Invoke-PesterTests {
    param([switch] $ExcludeLab)
    Write-Host '==> Pester: tests/Pester' -ForegroundColor Cyan
    # The tools project only downloads Pester (and the YamlDotNet of the isolation test) into the NuGet cache.
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/Tools/Tools.csproj'), '--nologo')
    $packages = Get-NuGetPackagesFolder
    $pester = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester 5.7.1 not found at $pester after restore." }

    New-Item -ItemType Directory -Path $ResultsDir -Force | Out-Null
    $summary = Join-Path $ResultsDir 'pester-summary.json'
    if (Test-Path $summary) { Remove-Item $summary -Force }
    # A child process: the test session loads the module and other YamlDotNet versions; none of that may leak here.
    $pesterArgs = @('-PesterManifest', $pester, '-TestPath', (Join-Path $Root 'tests/Pester'), '-SummaryPath', $summary,
        '-ResultPath', (Join-Path $ResultsDir 'pester.xml'))
    if ($ExcludeLab) { $pesterArgs += @('-ExcludeTag', $LabTraitValue) }
    $exitCode = Invoke-ChildPwsh -ScriptPath (Join-Path $Root 'tests/Pester/Invoke-PesterRun.ps1') -ArgumentList $pesterArgs
    if (-not (Test-Path $summary)) {
        throw "Pester produced no summary (exit code $exitCode): the run did not complete."
    }
    $counts = Get-Content -Raw -Path $summary | ConvertFrom-Json
    if ($counts.Passed -isnot [long] -or $counts.Failed -isnot [long]) {
        throw "The Pester summary has no counts (exit code $exitCode): the run did not complete."
    }
    if ($exitCode -ne 0 -and $counts.Failed -eq 0) {
        throw "The Pester run exited with $exitCode although no test failed; see the output above."
    }
    Write-Host "Pester: $($counts.Passed) passed, $($counts.Failed) failed"
    [pscustomobject]@{ Passed = [int] $counts.Passed; Failed = [int] $counts.Failed }
}

function Invoke-Format {
    Write-Host '==> Format (dotnet format)' -ForegroundColor Cyan
    Invoke-Native dotnet @('format', $Solution)
    # The braces fixer can leave a block on one line that the layout rules split; a second layout pass settles it.
    Invoke-Native dotnet @('format', 'whitespace', $Solution)
}

function Invoke-FormatCheck {
    # Layout only, which needs no compilation: seconds. The build enforces the style rules (braces, namespaces).
    Write-Host '==> Format check (dotnet format whitespace)' -ForegroundColor Cyan
    $output = @(& dotnet format whitespace $Solution --verify-no-changes 2>&1 | ForEach-Object { "$_" })
    if ($LASTEXITCODE -eq 0) { return }
    # Lines read "<path>(<line>,<column>): error WHITESPACE: ...": one entry per file.
    $files = @($output | ForEach-Object { if ($_ -match '^(.+?)\(\d+,\d+\): ') { [IO.Path]::GetRelativePath($Root, $Matches[1]) } } |
        Sort-Object -Unique)
    if ($files.Count -eq 0) {
        $output | Out-Host
        throw "dotnet format whitespace failed with exit code $LASTEXITCODE; see the output above."
    }
    throw "$($files.Count) file(s) differ from the code style of .editorconfig; run ``dotnet pwsh ./build.ps1 -Task Format``:`n  $($files -join "`n  ")"
}

function Test-Root { $IsLinux -and (& id -u) -eq '0' }

function Install-TestTools {
    # The jinja2 engine runs j2 (j2cli), as lxd-compose does; its tests run the real one. lab.sh owns every apt
    # install, so that `lab.sh packages` lists all the tests and the lab put on a machine.
    if (Get-Command j2 -CommandType Application -ErrorAction Ignore) { return }
    if (-not (Test-Root)) {
        Write-Warning "j2 (Debian package j2cli) is not installed and installing needs root: the jinja2 tests will fail (sudo bash $LabScript tools)."
        return
    }
    Write-Host '==> Test tools' -ForegroundColor Cyan
    Invoke-Native bash @($LabScript, 'tools')
}

function Invoke-LabUp {
    # Integration tests need the LXD lab (docs/lab.md); bringing it up again is cheap when it is already up.
    if (-not (Test-Root)) {
        Write-Warning "The LXD lab needs root on Linux; not started. Lab tests fail unless it is up (sudo bash $LabScript up); ``-Task FastTest`` leaves them out."
        return
    }
    Write-Host '==> LXD lab' -ForegroundColor Cyan
    Invoke-Native bash @($LabScript, 'up', '--vms', '2', '--incus')
}

function Test-LabRunning {
    $null = & bash $LabScript status 2>&1
    $LASTEXITCODE -eq 0
}

function Invoke-Demo {
    Write-Host '==> Demo: examples/quickstart' -ForegroundColor Cyan
    $exitCode = Invoke-ChildPwsh -ScriptPath (Join-Path $Root 'examples/quickstart/Show-Quickstart.ps1') -ArgumentList @(
        '-ModulePath', $Manifest)
    if ($exitCode -ne 0) { throw "The demo failed with exit code $exitCode." }

    # Deploying needs an LXD: the lab's (docs/lab.md). One VM is enough; an existing lab is reused as it is.
    $labEnv = if ($env:LXDCOMPOSE_LAB_ENV) { $env:LXDCOMPOSE_LAB_ENV } else { '/var/lib/lxdcompose-lab/lab.env' }
    # A lab.env whose daemons are gone (the machine restarted) is no lab: status tells, and up starts one again.
    $labRunning = (Test-Path $labEnv) -and (-not (Test-Root) -or (Test-LabRunning))
    if (-not $labRunning) {
        if (-not (Test-Root)) {
            throw "No LXD to deploy to: start the lab as root (sudo bash $LabScript up --vms 1), then run the demo again."
        }
        Write-Host '==> LXD lab (one VM)' -ForegroundColor Cyan
        Invoke-Native bash @($LabScript, 'up', '--vms', '1')
    }
    Write-Host '==> Demo: deploy examples/quickstart' -ForegroundColor Cyan
    $exitCode = Invoke-ChildPwsh -ScriptPath (Join-Path $Root 'examples/quickstart/Deploy-Quickstart.ps1') -ArgumentList @(
        '-ModulePath', $Manifest, '-LabEnv', $labEnv)
    if ($exitCode -ne 0) { throw "The deploy demo failed with exit code $exitCode." }
}

function Invoke-Clean {
    Write-Host '==> Clean' -ForegroundColor Cyan
    foreach ($path in $ModuleBin, $HelpOutput, $OutRoot, $ResultsDir) {
        if (Test-Path $path) { Remove-Item $path -Recurse -Force }
    }
    foreach ($project in Get-ChildItem -Path (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Filter *.csproj -Recurse) {
        foreach ($folder in 'obj', 'bin') {
            $path = Join-Path $project.DirectoryName $folder
            if (Test-Path $path) { Remove-Item $path -Recurse -Force }
        }
    }
}

Push-Location $Root
try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Demo' { Invoke-Build; Invoke-Demo }
        'Package' { Invoke-Build; $null = Invoke-Package }
        'Clean' { Invoke-Clean }
        'Format' { Invoke-Format }
        'FormatCheck' { Invoke-FormatCheck }
        { $_ -in 'Test', 'FastTest' } {
            $fast = $Task -eq 'FastTest'
            Invoke-FormatCheck
            Invoke-Build
            # Package first: a Pester test imports the packaged module by name.
            $null = Invoke-Package
            Install-TestTools
            if (-not $fast) { Invoke-LabUp }
            $core = Invoke-XunitTests -Project 'tests/LxdCompose.Core.Tests' -TrxName 'core.trx' -ExcludeLab:$fast
            $goTemplates = Invoke-XunitTests -Project 'tests/LxdCompose.GoTemplates.Tests' -TrxName 'gotemplates.trx' -ExcludeLab:$fast
            $module = Invoke-PesterTests -ExcludeLab:$fast
            $passed = $core.Passed + $goTemplates.Passed + $module.Passed
            $failed = $core.Failed + $goTemplates.Failed + $module.Failed
            # The closing line CI reads; nothing may be printed after it.
            Write-Host "$passed passed, $failed failed"
            if ($failed -gt 0) { exit 1 }
        }
    }
}
finally {
    Pop-Location
}
