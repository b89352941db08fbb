# Every example of every cmdlet's built help runs as written. Each example is classified here: NoServer examples run in
# a prepared copy of examples/ (a client configuration of its own, a home folder of its own); Lab examples run against
# the LXD lab in the 'Lab' block, in the order of the table (deploy before stop and remove), inside an LXD project of
# their own on every lab VM, deleted with all it holds at the end. An example fails on an error, and on a warning its
# remarks do not announce. An example that is not classified, or a classification whose example is gone, fails the
# 'classification' tests.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    # Key "<cmdlet> <example number>": NoServer, or Lab (then in the order they run).
    $script:Classes = [ordered]@{
        'Add-LxdRemote 3'                = 'NoServer'
        'Clear-LxdRenderValue 1'         = 'NoServer'
        'Clear-LxdRenderValue 2'         = 'NoServer'
        'Clear-LxdRenderValue 3'         = 'NoServer'
        'ConvertTo-LxdScribanTemplate 1' = 'NoServer'
        'ConvertTo-LxdScribanTemplate 2' = 'NoServer'
        'ConvertTo-LxdScribanTemplate 3' = 'NoServer'
        'ConvertTo-LxdScribanTemplate 4' = 'NoServer'
        'Expand-LxdTemplate 1'           = 'NoServer'
        'Expand-LxdTemplate 2'           = 'NoServer'
        'Expand-LxdTemplate 3'           = 'NoServer'
        'Expand-LxdTemplate 4'           = 'NoServer'
        'Expand-LxdTemplate 5'           = 'NoServer'
        'Get-LxdCommand 1'               = 'NoServer'
        'Get-LxdCommand 2'               = 'NoServer'
        'Get-LxdGroup 1'                 = 'NoServer'
        'Get-LxdGroup 2'                 = 'NoServer'
        'Get-LxdGroup 3'                 = 'NoServer'
        'Get-LxdNode 1'                  = 'NoServer'
        'Get-LxdNode 2'                  = 'NoServer'
        'Get-LxdNode 3'                  = 'NoServer'
        'Get-LxdNode 4'                  = 'NoServer'
        'Get-LxdProject 1'               = 'NoServer'
        'Get-LxdProject 2'               = 'NoServer'
        'Get-LxdProject 3'               = 'NoServer'
        'Get-LxdProject 4'               = 'NoServer'
        'Get-LxdRemote 1'                = 'NoServer'
        'Get-LxdRemote 3'                = 'NoServer'
        'Get-LxdRenderValue 1'           = 'NoServer'
        'Get-LxdRenderValue 2'           = 'NoServer'
        'Get-LxdRenderValue 3'           = 'NoServer'
        'Invoke-LxdCompile 1'            = 'NoServer'
        'Invoke-LxdCompile 2'            = 'NoServer'
        'Invoke-LxdCompile 3'            = 'NoServer'
        'Remove-LxdRemote 1'             = 'NoServer'
        'Remove-LxdRemote 2'             = 'NoServer'
        'Remove-LxdRemote 3'             = 'NoServer'
        'Remove-LxdRemote 4'             = 'NoServer'
        'Set-LxdRenderValue 1'           = 'NoServer'
        'Set-LxdRenderValue 2'           = 'NoServer'
        'Set-LxdRenderValue 3'           = 'NoServer'
        'Set-LxdRenderValue 4'           = 'NoServer'
        'Get-LxdApplyPlan 8'             = 'NoServer'
        'Test-LxdEnvironment 1'          = 'NoServer'
        'Test-LxdEnvironment 2'          = 'NoServer'
        'Test-LxdEnvironment 3'          = 'NoServer'
        'Test-LxdEnvironment 4'          = 'NoServer'

        # Lab, in this order: read-only first, then deploy, then stop and remove.
        'Get-LxdRemote 2'                = 'Lab'
        'Test-LxdRemote 1'               = 'Lab'
        'Test-LxdRemote 2'               = 'Lab'
        'Test-LxdRemote 3'               = 'Lab'
        'Test-LxdRemote 4'               = 'Lab'
        'Add-LxdRemote 1'                = 'Lab'
        'Add-LxdRemote 2'                = 'Lab'
        'Save-LxdImage 2'                = 'Lab'
        'Save-LxdImage 1'                = 'Lab'
        'Save-LxdImage 3'                = 'Lab'
        'Save-LxdImage 4'                = 'Lab'
        'Save-LxdImage 5'                = 'Lab'
        'Get-LxdApplyPlan 1'             = 'Lab'
        'Get-LxdApplyPlan 2'             = 'Lab'
        'Get-LxdApplyPlan 4'             = 'Lab'
        'Get-LxdApplyPlan 5'             = 'Lab'
        'Get-LxdApplyPlan 6'             = 'Lab'
        'Get-LxdApplyPlan 7'             = 'Lab'
        'Invoke-LxdApply 1'              = 'Lab'
        'Get-LxdApplyPlan 3'             = 'Lab'
        'Invoke-LxdApply 2'              = 'Lab'
        'Invoke-LxdApply 3'              = 'Lab'
        'Invoke-LxdApply 4'              = 'Lab'
        'Invoke-LxdApply 5'              = 'Lab'
        'Invoke-LxdApply 6'              = 'Lab'
        'Invoke-LxdCommand 1'            = 'Lab'
        'Invoke-LxdCommand 2'            = 'Lab'
        'New-LxdEncryptionKey 1'         = 'NoServer'
        'New-LxdEncryptionKey 2'         = 'NoServer'
        'New-LxdEncryptionKey 3'         = 'NoServer'
        'Protect-LxdVariable 1'          = 'NoServer'
        'Protect-LxdVariable 2'          = 'NoServer'
        'Protect-LxdVariable 3'          = 'NoServer'
        'Unprotect-LxdVariable 1'        = 'NoServer'
        'Unprotect-LxdVariable 2'        = 'NoServer'
        'Invoke-LxdCommand 3'            = 'Lab'
        'Invoke-LxdCommand 4'            = 'Lab'
        'Get-LxdInstance 1'              = 'Lab'
        'Get-LxdInstance 2'              = 'Lab'
        'Get-LxdInstance 3'              = 'Lab'
        'Invoke-LxdExec 1'               = 'Lab'
        'Invoke-LxdExec 2'               = 'Lab'
        'Invoke-LxdExec 3'               = 'Lab'
        'Copy-LxdFile 1'                 = 'Lab'
        'Copy-LxdFile 2'                 = 'Lab'
        'Copy-LxdFile 3'                 = 'Lab'
        'Sync-LxdNode 1'                 = 'Lab'
        'Sync-LxdNode 2'                 = 'Lab'
        'New-LxdNode 1'                  = 'Lab'
        'New-LxdNode 2'                  = 'Lab'
        'Unlock-LxdProject 1'            = 'Lab'
        'Unlock-LxdProject 2'            = 'Lab'
        'Stop-LxdGroup 3'                = 'Lab'
        'Stop-LxdGroup 1'                = 'Lab'
        'Stop-LxdGroup 2'                = 'Lab'
        'Stop-LxdGroup 4'                = 'Lab'
        'Stop-LxdGroup 5'                = 'Lab'
        'Remove-LxdGroup 2'              = 'Lab'
        'Remove-LxdGroup 3'              = 'Lab'
        'Remove-LxdGroup 4'              = 'Lab'
        'Remove-LxdGroup 5'              = 'Lab'
        'Remove-LxdGroup 1'              = 'Lab'

        # Resources declared in environments: read first, then -WhatIf, then changes (in the examples' LXD project).
        'Get-LxdProfile 1'               = 'Lab'
        'Get-LxdProfile 2'               = 'Lab'
        'Get-LxdNetwork 1'               = 'Lab'
        'Get-LxdNetwork 2'               = 'Lab'
        'Get-LxdStoragePool 1'           = 'Lab'
        'Get-LxdStoragePool 2'           = 'NoServer'
        'Get-LxdNetworkAcl 1'            = 'Lab'
        'Get-LxdNetworkAcl 2'            = 'NoServer'
        'Get-LxdCertificate 1'           = 'Lab'
        'Get-LxdCertificate 2'           = 'Lab'
        'Publish-LxdProfile 1'           = 'Lab'
        'Publish-LxdProfile 2'           = 'Lab'
        'Publish-LxdNetwork 1'           = 'Lab'
        'Publish-LxdNetwork 2'           = 'Lab'
        'Publish-LxdStoragePool 1'       = 'Lab'
        'Publish-LxdStoragePool 2'       = 'Lab'
        'Publish-LxdNetworkAcl 1'        = 'Lab'
        'Publish-LxdNetworkAcl 2'        = 'Lab'
        'Publish-LxdCertificate 1'       = 'Lab'
        'Publish-LxdCertificate 2'       = 'Lab'
        # Part 16C: images purge, backup and restore (after the removals: Start-QuickstartNodes brings the nodes back), pack, unpack.
        'Export-LxdEnvironment 1'        = 'NoServer'
        'Export-LxdEnvironment 2'        = 'NoServer'
        'Import-LxdEnvironment 1'        = 'NoServer'
        'Import-LxdEnvironment 2'        = 'NoServer'
        'Remove-LxdImage 1'              = 'Lab'
        'Remove-LxdImage 2'              = 'Lab'
        'Remove-LxdImage 3'              = 'Lab'
        'Backup-LxdGroup 1'              = 'Lab'
        'Backup-LxdGroup 2'              = 'Lab'
        'Restore-LxdNode 2'              = 'Lab'
        'Restore-LxdNode 1'              = 'Lab'
        # Part 16D: diagnostics and lxd-compose's command line.
        'Get-LxdVariable 1'              = 'NoServer'
        'Get-LxdVariable 2'              = 'NoServer'
        'Get-LxdVariable 3'              = 'NoServer'
        'Get-LxdComposeConfig 1'         = 'NoServer'
        'Get-LxdComposeConfig 2'         = 'NoServer'
        'Invoke-LxdCompose 1'            = 'NoServer'
        'Invoke-LxdCompose 2'            = 'NoServer'
        'Invoke-LxdCompose 3'            = 'NoServer'
        'Invoke-LxdCompose 4'            = 'Lab'
    }

    # What an example assumes without saying it (a token an administrator gave you, PowerCLI's Get-VM), run in its
    # scope before it. The functions named here are defined by the Lab preparation below.
    $script:Setups = @{
        'Add-LxdRemote 1'   = '$token = New-LabTrustToken vm1; $env:LXD_CONF = New-EmptyClientConfig'
        'Add-LxdRemote 2'   = '$token = New-LabTrustToken vm2; $fingerprint = Get-LabFingerprint vm2; $env:LXD_CONF = New-EmptyClientConfig'
        'Invoke-LxdApply 6' = '$tokens = @{ vm2 = New-LabTrustToken vm2 }; Remove-LxdRemote vm2 -ConfigDirectory ./examples/quickstart/lxd-conf -Confirm:$false'
        # Stopping and removing start from running nodes (an earlier example stopped some; hooks cannot run in them).
        'Stop-LxdGroup 2'   = 'Start-QuickstartNodes'
        'Stop-LxdGroup 4'   = 'Start-QuickstartNodes'
        'Remove-LxdGroup 2' = 'Start-QuickstartNodes'
        'Remove-LxdGroup 1' = 'Start-QuickstartNodes'
        'Backup-LxdGroup 1' = 'Start-QuickstartNodes'
    }

    # The warnings an example shows on purpose (its remarks explain them), as wildcard patterns; any other warning fails
    # the example, as an error does.
    $script:AllowedWarnings = @{
        'ConvertTo-LxdScribanTemplate 2' = @("*app.conf.mottainai.tmpl:3:11: range: 'range .upstreams' became a Scriban for loop*")
        'New-LxdNode 1'                  = @('Node *probe exists on *: left as it is.')
    }

    # Every example of the built help (Get-Help), as the user sees it.
    $script:AllExamples = foreach ($name in (Get-Module LxdCompose).ExportedCmdlets.Keys | Sort-Object) {
        foreach ($example in @((Get-Help $name -Full).examples.example)) {
            if ($example.title -notmatch 'Example (\d+)') { throw "${name}: example title '$($example.title)' has no number" }
            $key = "$name $($Matches[1])"
            @{ Key = $key; Code = $example.code; Kind = $Classes[$key]; Setup = $Setups[$key]; Allowed = @($AllowedWarnings[$key]) }
        }
    }
    $script:NoServerExamples = @($Classes.Keys | Where-Object { $Classes[$_] -eq 'NoServer' } |
        ForEach-Object { $key = $_; $AllExamples | Where-Object Key -EQ $key })
    $script:LabExamples = @($Classes.Keys | Where-Object { $Classes[$_] -eq 'Lab' } |
        ForEach-Object { $key = $_; $AllExamples | Where-Object Key -EQ $key })
    $script:Stale = @($Classes.Keys | Where-Object { $_ -notin $AllExamples.Key })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    function New-ExampleRoot {
        # A copy of examples/ as the examples expect it below the current location (./examples/quickstart, ...), without
        # what a local run may have left in it (lxd-conf, compiled files).
        param([string] $Path)
        New-Item -ItemType Directory -Path $Path -Force | Out-Null
        Copy-Item -Recurse (Join-Path $RepoRoot 'examples') $Path
        Remove-Item (Join-Path $Path 'examples/quickstart/lxd-conf') -Recurse -Force -ErrorAction SilentlyContinue
        $Path
    }

    function Invoke-HelpExample {
        # Runs the examples in one child pwsh (a session of their own) whose prompts all get "Yes to All"; returns the
        # results by key.
        param([object[]] $Examples, [string] $Root, [string] $Preparation)
        $examplesPath = Join-Path $Root '.examples.json'
        $resultPath = Join-Path $Root '.results.json'
        $preparationPath = Join-Path $Root '.preparation.ps1'
        ConvertTo-Json -InputObject @($Examples | ForEach-Object { [pscustomobject]@{ Key = $_.Key; Code = $_.Code; Setup = $_.Setup } }) -Depth 3 |
            Set-Content -Path $examplesPath
        Set-Content -Path $preparationPath -Value $Preparation
        $pwsh = @(Get-PwshCommandLine)
        $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-File', (Join-Path $PSScriptRoot 'HelpExampleRunner.ps1'),
            '-ModuleManifest', $ModuleManifest, '-ExamplesPath', $examplesPath, '-Root', $Root, '-ResultPath', $resultPath,
            '-PreparationPath', $preparationPath)
        $log = @(1..500 | ForEach-Object { 'A' }) | & $pwsh[0] @arguments 2>&1 | ForEach-Object { "$_" }
        $results = @{}
        if (Test-Path $resultPath) {
            foreach ($result in @(Get-Content -Raw $resultPath | ConvertFrom-Json)) { $results[$result.Key] = $result }
        }
        # The runner's own failure (before or between examples) is the answer for every example that did not run.
        foreach ($example in $Examples | Where-Object { -not $results.ContainsKey($_.Key) }) {
            $results[$example.Key] = [pscustomobject]@{ Key = $example.Key; Ran = $false; Error = "the runner stopped: $($log -join "`n")"; Warnings = @(); Output = '' }
        }
        $results
    }
}

Describe 'Help example classification' {
    It 'classifies <Key> as NoServer or Lab' -ForEach $AllExamples {
        $Kind | Should -BeIn @('NoServer', 'Lab') -Because "every help example must run somewhere; add '$Key' to the table in HelpExamples.Tests.ps1"
    }

    It 'classifies only examples that exist' {
        $Stale | Should -BeNullOrEmpty -Because 'an example was renumbered or removed: update the table'
        $NoServerExamples.Count + $LabExamples.Count | Should -Be $AllExamples.Count
    }
}

Describe 'Help examples that need no server' -ForEach @(@{ Examples = $NoServerExamples }) {
    BeforeAll {
        $root = New-ExampleRoot (Join-Path $TestDrive 'no-server')
        # The user's own lxc configuration and home folder, with the remotes the examples name, as each example starts.
        $lxc = Join-Path $root 'lxc'
        $homeFolder = Join-Path $root 'home'
        $preparation = @"
`$env:LXD_CONF = '$lxc'
(Get-PSProvider FileSystem).Home = '$homeFolder'
Remove-Item Env:LXD_COMPOSE_CONFIG -ErrorAction SilentlyContinue
function Reset-ExampleState {
    function Write-Remotes([string] `$Directory, [string[]] `$Names, [string] `$Default) {
        New-Item -ItemType Directory -Path `$Directory -Force | Out-Null
        `$lines = @(if (`$Default) { "default-remote: `$Default" }) + 'remotes:'
        `$i = 10
        foreach (`$name in `$Names) {
            `$lines += "  `${name}:", "    addr: https://198.18.0.`$((++`$i)):8443", '    protocol: lxd', '    auth_type: tls'
        }
        Set-Content -Path (Join-Path `$Directory 'config.yml') -Value `$lines
    }
    Write-Remotes '$lxc' @('lab1', 'lab2', 'test-old') 'lab1'
    # The quick start's own client configuration (New-QuickstartConf.ps1 writes it for the lab): without it, the specs
    # do not validate, and the deploy cmdlets refuse them before any server call.
    Write-Remotes '$(Join-Path $root 'examples/quickstart/lxd-conf')' @('local', 'vm2', 'imgsrv', 'images', 'myserver') 'local'
    Write-Remotes '$(Join-Path $homeFolder 'lxdcompose/vsphere-conf')' @('esx-web1', 'esx-web2') ''
}
"@
        $script:Results = Invoke-HelpExample -Examples $Examples -Root $root -Preparation $preparation
    }

    It 'runs <Key> without error or unexpected warning' -ForEach $NoServerExamples {
        $result = $Results[$Key]
        $result.Error | Should -BeNullOrEmpty -Because "$Key`n$Code"
        $result.Ran | Should -BeTrue
        $unexpected = @($result.Warnings | Where-Object { $warning = $_; -not @($Allowed | Where-Object { $warning -like $_ }) })
        $unexpected | Should -BeNullOrEmpty -Because "$Key warns only as its remarks say`n$Code"
    }
}

Describe 'Help examples against the lab' -Tag 'Lab' -ForEach @(@{ Examples = $LabExamples }) {
    BeforeAll {
        $lab = Read-LabEnv
        $root = New-ExampleRoot (Join-Path $TestDrive 'lab')
        $labConf = $lab.LXDCOMPOSE_LAB_CONF
        $adminConf = Join-Path (Split-Path $lab.Path) 'admin-conf'
        $vms = @($lab.LXDCOMPOSE_LAB_VMS -split ' ' | Where-Object { $_ })
        # The quick start deploys to the first two VMs (New-QuickstartConf.ps1); every container and profile the examples
        # make lives in this LXD project on them, deleted at the end with all it holds. The instances' DNS names on the
        # VM's bridge are shared by all projects, so they also get a nodes prefix of their own unless an example names
        # one (ci-web1: no other test uses the prefix ci).
        $script:ExampleVms = @($vms | Select-Object -First 2)
        $script:LxdProject = 'helpex-' + [Guid]::NewGuid().ToString('n').Substring(0, 8)
        $nodesPrefix = 'hx' + [Guid]::NewGuid().ToString('n').Substring(0, 4)
        $script:CreatedClientConfigs = [System.Collections.Generic.List[string]]::new()

        function Invoke-LabAdmin {
            # lxc against a lab VM's daemon over its unix socket, as tests/lab/lab.sh lxc_admin does.
            param([string] $Vm, [string[]] $Arguments, [string] $InputText)
            $env:LXD_DIR = Split-Path $lab["LXDCOMPOSE_LAB_SOCKET_$Vm"]
            $env:LXD_CONF = $adminConf
            try {
                $output = if ($InputText) { $InputText | & lxc @Arguments 2>&1 } else { & lxc @Arguments 2>&1 }
                if ($LASTEXITCODE -ne 0) { throw "lxc $Arguments on ${Vm} failed: $output" }
                $output | ForEach-Object { "$_" }
            }
            finally { Remove-Item Env:LXD_DIR, Env:LXD_CONF -ErrorAction SilentlyContinue }
        }
        $script:InvokeLabAdmin = ${function:Invoke-LabAdmin}

        foreach ($vm in $ExampleVms) {
            # Images stay shared (the lab imports busybox/lab in the default project); profiles are the project's own,
            # its default one a copy of the VM's (root disk, eth0).
            Invoke-LabAdmin $vm @('project', 'create', $LxdProject, '-c', 'features.images=false', '-c', 'features.profiles=true') | Out-Null
            $defaultProfile = (Invoke-LabAdmin $vm @('profile', 'show', 'default')) -join "`n"
            Invoke-LabAdmin $vm @('profile', 'edit', 'default', '--project', $LxdProject) -InputText $defaultProfile | Out-Null
        }

        # The quick start's client configuration for the lab, in the project above.
        $quickstartConf = Join-Path $root 'examples/quickstart/lxd-conf'
        & (Join-Path $RepoRoot 'examples/quickstart/New-QuickstartConf.ps1') -LabEnv $lab.Path -Destination $quickstartConf 6>$null
        $configPath = Join-Path $quickstartConf 'config.yml'
        (Get-Content -Raw $configPath) -replace '(?m)^(  (local|vm2):\r?\n(    .*\r?\n)*?    auth_type: tls)', "`$1`n    project: $LxdProject" |
            Set-Content -Path $configPath -NoNewline
        # The user's own lxc configuration: the lab's, with "local" on the first VM's unix socket (as on an LXD host).
        $lxc = Join-Path $root 'lxc'
        Copy-Item -Recurse $labConf $lxc
        $localRemote = "  local:`n    addr: unix://$($lab["LXDCOMPOSE_LAB_SOCKET_$($vms[0])"])`n    protocol: lxd`n    project: $LxdProject`n"
        (Get-Content -Raw (Join-Path $lxc 'config.yml')) -replace '(?m)^remotes:\r?\n', "remotes:`n$localRemote" |
            Set-Content (Join-Path $lxc 'config.yml') -NoNewline
        $homeFolder = Join-Path $root 'home'
        New-Item -ItemType Directory -Path (Join-Path $homeFolder 'lxdcompose') -Force | Out-Null
        Copy-Item -Recurse $labConf (Join-Path $homeFolder 'lxdcompose/vsphere-conf')
        (Get-Content -Raw (Join-Path $homeFolder 'lxdcompose/vsphere-conf/config.yml')) -replace '(?m)^  vm(\d+):', '  esx-vm$1:' -replace
            '(?m)^default-remote: vm', 'default-remote: esx-vm' |
            Set-Content (Join-Path $homeFolder 'lxdcompose/vsphere-conf/config.yml') -NoNewline
        Get-ChildItem (Join-Path $homeFolder 'lxdcompose/vsphere-conf/servercerts') -Filter 'vm*.crt' |
            Rename-Item -NewName { "esx-$($_.Name)" }
        $clientConfigs = Join-Path $root 'new-clients'

        $preparation = @"
`$env:LXD_CONF = '$lxc'
(Get-PSProvider FileSystem).Home = '$homeFolder'
Remove-Item Env:LXD_COMPOSE_CONFIG -ErrorAction SilentlyContinue
# Remotes the examples add use the test's LXD project too, and nodes get the test's prefix unless the example gives one.
`$PSDefaultParameterValues['Add-LxdRemote:Project'] = '$LxdProject'
`$PSDefaultParameterValues['*-Lxd*:NodesPrefix'] = '$nodesPrefix'
`$script:AdminConf = '$adminConf'
`$script:LabConf = '$labConf'
`$script:LabSockets = @{ $(($vms | ForEach-Object { "'$_' = '$($lab["LXDCOMPOSE_LAB_SOCKET_$_"])'" }) -join '; ') }
`$script:LabAddresses = @{ $(($vms | ForEach-Object { "'$_' = '$($lab["LXDCOMPOSE_LAB_ADDRESS_$_"])'" }) -join '; ') }
function New-LabTrustToken([string] `$Vm) {
    # A token from the VM's own lxc, as its administrator gives it to you.
    `$env:LXD_DIR = Split-Path `$LabSockets[`$Vm]
    `$saved = `$env:LXD_CONF
    `$env:LXD_CONF = `$AdminConf
    try { "`$(& lxc config trust add --name "helpex-`$([Guid]::NewGuid().ToString('n').Substring(0, 6))" -q 2>&1 | Select-Object -Last 1)".Trim() }
    finally { Remove-Item Env:LXD_DIR; `$env:LXD_CONF = `$saved }
}
function Get-LabFingerprint([string] `$Vm) {
    # What the VM's administrator reads from lxc info: its certificate's SHA-256.
    [Security.Cryptography.X509Certificates.X509Certificate2]::new((Join-Path `$LabConf "servercerts/`$Vm.crt")).GetCertHashString('SHA256').ToLowerInvariant()
}
function Start-QuickstartNodes {
    # What the Stop-LxdGroup help says starts stopped nodes again.
    Invoke-LxdApply -Project quickstart -ConfigPath '$root/examples/quickstart/.lxd-compose.yml' | Out-Null
}
function New-EmptyClientConfig {
    # A client without a certificate yet (Add-LxdRemote makes one); the test untrusts it at the end.
    `$path = Join-Path '$clientConfigs' ([Guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Path `$path -Force | Out-Null
    `$path
}
function Get-VM([string[]] `$Name) {
    # What PowerCLI's Get-VM gives for the lab's VMs: Name and the guest's addresses under Guest (PowerCLI.Tests.ps1).
    foreach (`$vm in `$LabSockets.Keys | Where-Object { `$n = `$_; @(`$Name | Where-Object { `$n -like `$_ }).Count -gt 0 } | Sort-Object) {
        `$address = ([uri]`$LabAddresses[`$vm]).Host
        [pscustomobject]@{
            PSTypeName = 'VMware.VimAutomation.ViCore.Impl.V1.VM.UniversalVirtualMachineImpl'
            Name = `$vm; PowerState = 'PoweredOn'
            Guest = [pscustomobject]@{ PSTypeName = 'VMware.VimAutomation.ViCore.Impl.V1.VM.Guest.VMGuestImpl'; VmName = `$vm; IPAddress = [string[]]@(`$address) }
        }
    }
}
"@
        $script:Results = Invoke-HelpExample -Examples $Examples -Root $root -Preparation $preparation
        $script:ClientConfigs = $clientConfigs
    }

    AfterAll {
        foreach ($vm in $ExampleVms) {
            # Everything in the project goes with it: instances, then profiles other than default, then the project.
            $instances = @(& $InvokeLabAdmin $vm @('list', '--project', $LxdProject, '--format', 'csv', '-c', 'n') | Where-Object { $_ })
            foreach ($instance in $instances) { & $InvokeLabAdmin $vm @('delete', '--force', '--project', $LxdProject, $instance) | Out-Null }
            $profiles = @(& $InvokeLabAdmin $vm @('profile', 'list', '--project', $LxdProject, '--format', 'csv') |
                ForEach-Object { ($_ -split ',')[0] } | Where-Object { $_ -and $_ -ne 'default' })
            foreach ($profile in $profiles) { & $InvokeLabAdmin $vm @('profile', 'delete', '--project', $LxdProject, $profile) | Out-Null }
            & $InvokeLabAdmin $vm @('project', 'delete', $LxdProject) | Out-Null
            # Tokens the examples were given but did not redeem.
            $tokens = @(& $InvokeLabAdmin $vm @('config', 'trust', 'list-tokens', '--format', 'csv') |
                ForEach-Object { ($_ -split ',')[0] } | Where-Object { $_ -like 'helpex-*' })
            foreach ($token in $tokens) { & $InvokeLabAdmin $vm @('config', 'trust', 'revoke-token', $token) | Out-Null }
            # The client certificates Add-LxdRemote made for the examples were trusted through tokens: untrust them.
            foreach ($certificate in @(Get-ChildItem $ClientConfigs -Recurse -Filter client.crt -ErrorAction SilentlyContinue)) {
                $fingerprint = [Security.Cryptography.X509Certificates.X509Certificate2]::new($certificate.FullName).GetCertHashString('SHA256').ToLowerInvariant()
                try { & $InvokeLabAdmin $vm @('config', 'trust', 'remove', $fingerprint) | Out-Null } catch { Write-Verbose "not trusted on ${vm}: $_" }
            }
        }
    }

    It 'runs <Key> against the lab without error or unexpected warning' -ForEach $LabExamples {
        $result = $Results[$Key]
        $result.Error | Should -BeNullOrEmpty -Because "$Key`n$Code"
        $result.Ran | Should -BeTrue
        $unexpected = @($result.Warnings | Where-Object { $warning = $_; -not @($Allowed | Where-Object { $warning -like $_ }) })
        $unexpected | Should -BeNullOrEmpty -Because "$Key warns only as its remarks say`n$Code"
    }
}
