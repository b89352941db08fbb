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

function Read-LabEnv {
    # The lab description written by tests/lab/lab.sh up, as a hashtable (plus Path). Lab tests fail without it, as
    # the lab contract says.
    $path = if ($env:LXDCOMPOSE_LAB_ENV) { $env:LXDCOMPOSE_LAB_ENV } else { '/var/lib/lxdcompose-lab/lab.env' }
    if (-not (Test-Path $path)) { throw "the LXD lab is not up: run ``sudo bash tests/lab/lab.sh up`` ($path is missing)" }
    $lab = @{ Path = $path }
    foreach ($line in Get-Content $path) {
        if ($line -match '^\s*([A-Za-z0-9_]+)=(.*)$') { $lab[$Matches[1]] = $Matches[2].Trim().Trim('"', "'") }
    }
    $lab
}

function Invoke-FirstVmLxc {
    # lxc on the lab's first VM over its unix socket, as an admin on that machine would run it; throws when lxc fails.
    param([Parameter(Mandatory)] [hashtable] $Lab, [Parameter(Mandatory)] [string[]] $Arguments, [Parameter(Mandatory)] [string] $ConfDir)
    $vm = ($Lab.LXDCOMPOSE_LAB_VMS -split ' ')[0]
    $env:LXD_DIR = Split-Path $Lab["LXDCOMPOSE_LAB_SOCKET_$vm"]
    $env:LXD_CONF = $ConfDir
    try {
        $output = & lxc @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "lxc $Arguments failed: $output" }
        $output | ForEach-Object { "$_" }
    }
    finally { Remove-Item Env:LXD_DIR, Env:LXD_CONF -ErrorAction SilentlyContinue }
}

function New-LabSpecRoot {
    # An empty spec folder for the lab: .lxd-compose.yml (env_dirs ./envs), envs/, and lxd-conf/ with the quick start's
    # remotes (local = the first VM, vm2 = the second, imgsrv).
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [hashtable] $Lab)
    New-Item -ItemType Directory -Path (Join-Path $Path 'envs') -Force | Out-Null
    & (Join-Path $RepoRoot 'examples/quickstart/New-QuickstartConf.ps1') -LabEnv $Lab.Path -Destination (Join-Path $Path 'lxd-conf') 6>$null
    Set-Content (Join-Path $Path '.lxd-compose.yml') "general:`n  lxd_confdir: ./lxd-conf`nenv_dirs:`n  - ./envs`n"
}

function New-ClosedQuickstart {
    # A copy of the quick start whose remotes (local, vm2, imgsrv) all point at port 1 on loopback, where nothing
    # listens: a run that gets past what the test checks fails at once and changes nothing. Returns the copy's path.
    param([Parameter(Mandatory)] [string] $Path)
    Copy-Item -Recurse (Join-Path $RepoRoot 'examples/quickstart') $Path
    $conf = Join-Path $Path 'lxd-conf'
    Remove-Item $conf -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory $conf | Out-Null
    Set-Content (Join-Path $conf 'config.yml') (@(
            'default-remote: local'
            'remotes:'
            "  local: {addr: 'https://127.0.0.1:1', protocol: lxd, public: false}"
            "  vm2: {addr: 'https://127.0.0.1:1', protocol: lxd, public: false}"
            "  imgsrv: {addr: 'https://127.0.0.1:1', protocol: lxd, public: true}"
        ) -join "`n")
    $Path
}
