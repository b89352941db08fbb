<#
.SYNOPSIS
    Writes lxd-conf/ (the client configuration the quick start's lxd_confdir names) for the LXD lab of tests/lab.
.DESCRIPTION
    The quick start deploys its web and tools groups to the remote "local" and its edge group to "vm2", and takes the
    edge image from "imgsrv". This script points "local" at the lab's first VM and "vm2" at its second (the first one
    again when the lab has a single VM), "images" at the lab's simplestreams server, and copies the lab's client
    certificate and pinned server certificates.
.EXAMPLE
    ./examples/quickstart/New-QuickstartConf.ps1
#>
param(
    # The lab description written by `tests/lab/lab.sh up`.
    [string] $LabEnv = $(if ($env:LXDCOMPOSE_LAB_ENV) { $env:LXDCOMPOSE_LAB_ENV } else { '/var/lib/lxdcompose-lab/lab.env' }),
    # Where to write the configuration.
    [string] $Destination = (Join-Path $PSScriptRoot 'lxd-conf')
)

$ErrorActionPreference = 'Stop'
if (-not (Test-Path $LabEnv)) { throw "the LXD lab is not up: run ``sudo bash tests/lab/lab.sh up`` ($LabEnv is missing)" }
$lab = @{}
foreach ($line in Get-Content $LabEnv) {
    if ($line -match '^\s*([A-Za-z0-9_]+)=(.*)$') { $lab[$Matches[1]] = $Matches[2].Trim().Trim('"', "'") }
}
$source = $lab['LXDCOMPOSE_LAB_CONF']
$vms = @($lab['LXDCOMPOSE_LAB_VMS'] -split ' ' | Where-Object { $_ })
$first = $vms[0]
$second = if ($vms.Count -gt 1) { $vms[1] } else { $vms[0] }
$remotes = [ordered]@{ local = $first; vm2 = $second }

New-Item -ItemType Directory -Force -Path (Join-Path $Destination 'servercerts') | Out-Null
$yaml = [System.Text.StringBuilder]::new("default-remote: local`nremotes:`n")
foreach ($name in $remotes.Keys) {
    $vm = $remotes[$name]
    [void] $yaml.Append("  ${name}:`n    addr: $($lab["LXDCOMPOSE_LAB_ADDRESS_$vm"])`n    protocol: lxd`n    public: false`n    auth_type: tls`n")
    Copy-Item (Join-Path $source "servercerts/$vm.crt") (Join-Path $Destination "servercerts/$name.crt") -Force
}
$labConfig = Get-Content -Raw (Join-Path $source 'config.yml')
if ($labConfig -notmatch 'imgsrv:\s*\n\s*addr:\s*(\S+)') { throw "the lab's config.yml has no imgsrv remote" }
[void] $yaml.Append("  imgsrv:`n    addr: $($Matches[1])`n    protocol: lxd`n    public: true`n")
Copy-Item (Join-Path $source 'servercerts/imgsrv.crt') (Join-Path $Destination 'servercerts/imgsrv.crt') -Force
# lxc's built-in remote "images" is a public server, and the lab reaches nothing outside the machine: the lab's
# simplestreams server takes its name, so a spec without image_remote_server (or a P2P search) stays in the lab.
if ($labConfig -notmatch 'myserver:\s*\n\s*addr:\s*(\S+)') { throw "the lab's config.yml has no myserver remote" }
[void] $yaml.Append("  images:`n    addr: $($Matches[1])`n    protocol: simplestreams`n    public: true`n")
Copy-Item (Join-Path $source 'servercerts/myserver.crt') (Join-Path $Destination 'servercerts/images.crt') -Force
foreach ($file in 'client.crt', 'client.key') { Copy-Item (Join-Path $source $file) (Join-Path $Destination $file) -Force }
Set-Content -Path (Join-Path $Destination 'config.yml') -Value $yaml.ToString() -NoNewline
Write-Host "Wrote $Destination (local = $first, vm2 = $second)."
