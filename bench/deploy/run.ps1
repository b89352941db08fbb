<#
.SYNOPSIS
    Deploy benchmark on the LXD lab: LxdCompose against an lxc script, and two servers in parallel against sequential.
.DESCRIPTION
    Builds bench/deploy in Release and runs it. Phase 1 applies NODES busybox nodes (3 hooks and 2 synced files each)
    to the lab's first VM with the deploy engine, and the same deploy with lxc-deploy.sh (lxc launch, exec, file push;
    LXD_CONF = the lab's client configuration); it prints LxdCompose / lxc (goal <= 1.0). Phase 2 splits the nodes
    over the first two VMs, one group each, and prints ThrottleLimit 2 / ThrottleLimit 1 (goal <= 0.6). Containers
    are removed between runs. Needs `sudo bash tests/lab/lab.sh up` (two VMs) and lxc on the PATH.
.EXAMPLE
    ./bench/deploy/run.ps1
.EXAMPLE
    ./bench/deploy/run.ps1 -Nodes 10 -Rounds 1
#>
param(
    [int] $Nodes = 20,
    # Rounds alternate which side runs first; the ratios printed last are medians over the rounds.
    [int] $Rounds = 3
)

$ErrorActionPreference = 'Stop'
$project = Join-Path $PSScriptRoot 'DeployBench.csproj'
dotnet build -c Release --nologo -v quiet $project
if ($LASTEXITCODE -ne 0) { throw "building $project failed" }
dotnet run -c Release --no-build --project $project -- $Nodes $Rounds
if ($LASTEXITCODE -ne 0) { throw "the deploy benchmark failed (exit code $LASTEXITCODE)" }
