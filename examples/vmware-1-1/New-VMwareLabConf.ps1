<#
.SYNOPSIS
    Writes lxd-conf/ (the client configuration the example's lxd_confdir names) for the LXD lab of tests/lab.
.DESCRIPTION
    The VMware-LXD 1:1 example deploys one nginx node per VM, to the remotes vm1, vm2, ... its render values name,
    and takes the image nginx/<release> from the simplestreams remote "myserver". This script writes one remote per
    lab VM (those of `lab.sh up` and those `lab.sh add` made, or the ones -Vm names) plus myserver (also as "images"),
    with the lab's client certificate and the servers' pinned certificates. A VM added later joins with Add-LxdRemote (see
    docs/vmware-1-1.md) or by running this script again.
.EXAMPLE
    ./examples/vmware-1-1/New-VMwareLabConf.ps1
.EXAMPLE
    ./examples/vmware-1-1/New-VMwareLabConf.ps1 -Vm vm1, vm2
#>
[CmdletBinding()]
param(
    # The lab description written by `tests/lab/lab.sh up`.
    [string] $LabEnv = $(if ($env:LXDCOMPOSE_LAB_ENV) { $env:LXDCOMPOSE_LAB_ENV } else { '/var/lib/lxdcompose-lab/lab.env' }),
    # Where to write the configuration.
    [string] $Destination = (Join-Path $PSScriptRoot 'lxd-conf'),
    # The VMs to write remotes for; all of the lab's by default.
    [string[]] $Vm
)

$ErrorActionPreference = 'Stop'
if (-not (Test-Path $LabEnv)) { throw "the LXD lab is not up: run ``sudo bash tests/lab/lab.sh up`` ($LabEnv is missing)" }
$lab = @{}
foreach ($line in Get-Content $LabEnv) {
    if ($line -match '^\s*([A-Za-z0-9_]+)=(.*)$') { $lab[$Matches[1]] = $Matches[2].Trim().Trim('"', "'") }
}
$source = $lab['LXDCOMPOSE_LAB_CONF']
$labVms = @("$($lab['LXDCOMPOSE_LAB_VMS']) $($lab['LXDCOMPOSE_LAB_ADDED_VMS'])" -split ' ' | Where-Object { $_ })
if (-not $Vm) { $Vm = $labVms }
foreach ($name in $Vm) {
    if ($name -notin $labVms) { throw "the lab has no VM '$name' (it has $($labVms -join ', ')); add it with ``sudo bash tests/lab/lab.sh add $name``" }
}

New-Item -ItemType Directory -Force -Path (Join-Path $Destination 'servercerts') | Out-Null
$yaml = [System.Text.StringBuilder]::new("default-remote: $($Vm[0])`nremotes:`n")
foreach ($name in $Vm) {
    # lab.env keys spell "-" in VM names as "_" (vm1-new: LXDCOMPOSE_LAB_ADDRESS_vm1_new).
    $address = $lab["LXDCOMPOSE_LAB_ADDRESS_$($name -replace '-', '_')"]
    [void] $yaml.Append("  ${name}:`n    addr: $address`n    protocol: lxd`n    public: false`n    auth_type: tls`n    project: default`n")
    Copy-Item (Join-Path $source "servercerts/$name.crt") (Join-Path $Destination "servercerts/$name.crt") -Force
}
# lxc's built-in remote "images" is a public server, and the lab reaches nothing outside the machine: the lab's
# simplestreams server takes that name too, so a search of every remote (P2P mode) stays in the lab.
foreach ($name in 'myserver', 'images') {
    [void] $yaml.Append("  ${name}:`n    addr: $($lab['LXDCOMPOSE_LAB_SIMPLESTREAMS'].TrimEnd('/'))`n    protocol: simplestreams`n    public: true`n")
    Copy-Item (Join-Path $source 'servercerts/myserver.crt') (Join-Path $Destination "servercerts/$name.crt") -Force
}
[void] $yaml.Append("aliases: {}`n")
foreach ($file in 'client.crt', 'client.key') { Copy-Item (Join-Path $source $file) (Join-Path $Destination $file) -Force }
Set-Content -Path (Join-Path $Destination 'config.yml') -Value $yaml.ToString() -NoNewline
Write-Verbose "Wrote $Destination (remotes $($Vm -join ', '), myserver, images)."
