# Dot-sourced by every *.Tests.ps1: paths of the repository and a way to run code in a fresh pwsh.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
$script:ModuleManifest = Join-Path $RepoRoot 'LxdCompose.psd1'
$script:Fixtures = Join-Path $PSScriptRoot 'Fixtures'

function Get-PwshCommandLine {
    # The running pwsh; under `dotnet pwsh` that is the dotnet host plus pwsh.dll.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, (Join-Path $PSHOME 'pwsh.dll'))
    }
    return @($process)
}

function Invoke-ChildPwsh {
    # Runs a script block's text in a new pwsh process and returns its output lines; throws when it fails.
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{}
    )
    $pwsh = @(Get-PwshCommandLine)
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        $pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)
        $output = & $pwsh[0] @pwshArgs 2>&1
        if ($LASTEXITCODE -ne 0) {
            throw "child pwsh failed with exit code ${LASTEXITCODE}: $($output -join [Environment]::NewLine)"
        }
        return $output | ForEach-Object { "$_" }
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

function Get-NuGetPackagesFolder {
    $line = & dotnet nuget locals global-packages --list
    ($line -replace '^\s*global-packages:\s*', '').Trim()
}
