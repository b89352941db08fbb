# The gate before every run that acts on servers: specs that do not validate are refused before any server call.
# No lab: the specs' remote 'lab' is a loopback port that listens and is never answered, so a run that got past the
# gate would leave a pending connection there (and hang); 'closed' is a loopback port nothing listens on, so a run
# that got past the gate fails with the module's connection error.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    $script:Listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $Listener.Start()
    $script:ListeningPort = $Listener.LocalEndpoint.Port

    # A spec folder: the config (lxd_confdir ./lxd-conf unless -ConfDir), a client config with the remotes 'lab' and
    # 'closed', envs/env.yml and any other files (relative path => text).
    function New-GateSpecs {
        param([string] $Name, [string] $Env, [hashtable] $Files = @{}, [string] $ConfDir = './lxd-conf')
        $root = Join-Path $TestDrive $Name
        New-Item -ItemType Directory (Join-Path $root 'envs'), (Join-Path $root 'lxd-conf') -Force | Out-Null
        Set-Content (Join-Path $root '.lxd-compose.yml') "general:`n  lxd_confdir: $ConfDir`nenv_dirs: [envs]`n"
        Set-Content (Join-Path $root 'lxd-conf/config.yml') (@(
                'default-remote: lab'
                'remotes:'
                "  lab: {addr: 'https://127.0.0.1:$ListeningPort', protocol: lxd, public: false}"
                "  closed: {addr: 'https://127.0.0.1:1', protocol: lxd, public: false}"
            ) -join "`n")
        Set-Content (Join-Path $root 'envs/env.yml') $Env
        foreach ($file in $Files.GetEnumerator()) {
            $path = Join-Path $root $file.Key
            New-Item -ItemType Directory (Split-Path $path) -Force | Out-Null
            Set-Content $path $file.Value
        }
        $root
    }

    # One project 'probe' with one group on $Connection; $Nodes and $GroupExtra are YAML at the group's indentation.
    function New-ProbeEnv {
        param([string] $Nodes, [string] $GroupExtra = '', [string] $Connection = 'lab')
        @"
projects:
  - name: probe
    groups:
      - name: g
        connection: $Connection
$GroupExtra        nodes:
$Nodes
commands:
  - name: probe-cmd
    project: probe
    apply_alias: true
"@
    }

    # Runs $Command in $Root; returns the error records it wrote or threw.
    function Invoke-InSpecs {
        param([string] $Root, [scriptblock] $Command)
        Push-Location $Root
        try {
            # Every error record, also under the runner's ErrorActionPreference Stop (which would end at the first).
            $output = try { & { $ErrorActionPreference = 'Continue'; & $Command } 2>&1 3>$null } catch { $_ }
            @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        }
        finally { Pop-Location }
    }

    function Get-ErrorId([System.Management.Automation.ErrorRecord[]] $Records) {
        @($Records | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] })
    }

    $script:ProbeNames = New-ProbeEnv -Nodes @"
          - name: probe-d01-a
            image_source: alpine/3.19
          - name: probe_d01_b
            image_source: alpine/3.19
"@
}

AfterAll {
    $Listener.Stop()
}

Describe 'The deploy cmdlets refuse specs that do not validate, before any server call' {
    BeforeAll {
        $script:NamesRoot = New-GateSpecs -Name 'names' -Env $ProbeNames
    }

    AfterEach {
        $Listener.Pending() | Should -BeFalse -Because 'a refused run never connects to a server'
    }

    It '<Name> refuses probe_d01_b beside probe-d01-a with one error record at the node' -ForEach @(
        @{ Name = 'Invoke-LxdApply'; Command = { Invoke-LxdApply -Project probe } }
        @{ Name = 'Invoke-LxdApply -WhatIf'; Command = { Invoke-LxdApply -Project probe -WhatIf } }
        @{ Name = 'Get-LxdApplyPlan'; Command = { Get-LxdApplyPlan -Project probe } }
        @{ Name = 'Stop-LxdGroup'; Command = { Stop-LxdGroup -Project probe -Confirm:$false } }
        @{ Name = 'Remove-LxdGroup'; Command = { Remove-LxdGroup -Project probe -Confirm:$false } }
        @{ Name = 'Save-LxdImage'; Command = { Save-LxdImage -Project probe -Confirm:$false } }
        @{ Name = 'Invoke-LxdCommand'; Command = { Invoke-LxdCommand probe-cmd -Confirm:$false } }
        @{ Name = 'piped groups'; Command = { Get-LxdGroup g -Project probe | Invoke-LxdApply } }
    ) {
        $errors = Invoke-InSpecs $NamesRoot $Command
        Get-ErrorId $errors | Should -Be 'InvalidInstanceName'
        $record = $errors[0]
        $record.CategoryInfo.Category | Should -Be 'InvalidData'
        $record.CategoryInfo.TargetName | Should -Be "$(Join-Path $NamesRoot 'envs/env.yml'):9:13"
        $record.TargetObject.Node | Should -Be 'probe_d01_b'
        $record.ErrorDetails.RecommendedAction | Should -BeLike "Fix *env.yml:9:13: * changes nothing until project 'probe' validates*"
    }

    It '<Command> refuses before asking about deleting, in a session that cannot ask' -ForEach @(
        @{ Command = 'Invoke-LxdApply -Project probe -Destroy' }
        @{ Command = 'Invoke-LxdApply -Project probe -Upgrade' }
        @{ Command = 'Invoke-LxdCommand probe-cmd -Destroy' }
    ) {
        $output = Invoke-ChildPwsh -Script @"
Import-Module '$ModuleManifest'
Set-Location '$NamesRoot'
try { $Command -ErrorVariable problems -ErrorAction SilentlyContinue 3>`$null | Out-Null } catch { 'ERROR: ' + `$_.FullyQualifiedErrorId }
`$problems | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { 'ERROR: ' + `$_.FullyQualifiedErrorId }
"@
        @($output | Where-Object { $_ -like 'ERROR: *' } | ForEach-Object { (($_ -replace '^ERROR: ') -split ',')[0] } | Sort-Object -Unique) |
            Should -Be 'InvalidInstanceName' -Because 'the specs are refused before the question (LxdDeletionNotConfirmed) is asked'
    }

    It 'refuses <Case> (observed in issue 12)' -ForEach @(
        @{ Case = 'a 66-character name'; Code = 'InvalidInstanceName'; Line = 7
            Nodes = "          - name: $('a' * 66)`n            image_source: alpine/3.19" }
        @{ Case = 'a hook event post-node-creaton'; Code = 'UnknownHookEvent'; Line = 10
            Nodes = "          - name: n1`n            image_source: alpine/3.19`n            hooks:`n              - event: post-node-creaton`n                commands: [echo never runs]" }
        @{ Case = 'a missing sync source'; Code = 'SyncSourceNotFound'; Line = 10
            Nodes = "          - name: n1`n            image_source: alpine/3.19`n            sync_resources:`n              - { source: files/missing.conf, dst: /etc/missing.conf }" }
        @{ Case = 'a config template without template_engine'; Code = 'TemplateEngineInvalid'; Line = 10
            Nodes = "          - name: n1`n            image_source: alpine/3.19`n            config_templates:`n              - { source: t.tmpl, dst: out/t }" }
        @{ Case = 'a group hook whose node does not exist'; Code = 'UnknownHookNode'; Line = 7
            Extra = "        hooks:`n          - event: post-node-creation`n            node: n2`n            commands: [echo]`n"
            Nodes = "          - name: n1`n            image_source: alpine/3.19" }
    ) {
        $env = New-ProbeEnv -Nodes $Nodes -GroupExtra $(if ($Extra) { $Extra } else { '' })
        $root = New-GateSpecs -Name ($Case -replace '\W', '-') -Env $env -Files @{ 'envs/t.tmpl' = 'x' }
        $errors = Invoke-InSpecs $root { Invoke-LxdApply -Project probe }
        Get-ErrorId $errors | Should -Be $Code
        $errors[0].CategoryInfo.TargetName | Should -BeLike "*env.yml:$($Line):*"
    }

    It 'validates the instance names -NodesPrefix makes' {
        $root = New-GateSpecs -Name 'prefix' -Env (New-ProbeEnv -Nodes "          - name: probe-d01-a`n            image_source: alpine/3.19")
        $errors = Invoke-InSpecs $root { Invoke-LxdApply -Project probe -NodesPrefix probe_ }
        Get-ErrorId $errors | Should -Be 'InvalidInstanceName'
        $errors[0].TargetObject.Node | Should -Be 'probe_-probe-d01-a'
    }

    It 'refuses a general.lxd_confdir that does not exist, naming it' {
        $root = New-GateSpecs -Name 'no-confdir' -Env $ProbeNames -ConfDir './nonexistent'
        $errors = Invoke-InSpecs $root { Get-LxdApplyPlan -Project probe }
        Get-ErrorId $errors | Should -Be 'ClientConfigDirNotFound', 'InvalidInstanceName'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].Exception.Message | Should -BeLike "*'./nonexistent'*"
    }

    It 'judges only the projects it acts on: an error in another environment file does not stop them' {
        $root = New-GateSpecs -Name 'other-env' -Env (New-ProbeEnv -Connection closed -Nodes "          - name: n1`n            image_source: alpine/3.19") -Files @{
            'envs/other.yml' = "projects:`n  - name: other`n    groups:`n      - name: g2`n        nodes:`n          - name: bad_name`n"
        }
        # probe passes the gate and fails at the closed port; 'other' is refused.
        Get-ErrorId (Invoke-InSpecs $root { Invoke-LxdApply -Project probe }) | Should -Be 'LxdApplyPlanFailed'
        Get-ErrorId (Invoke-InSpecs $root { Invoke-LxdApply -Project other }) | Should -Be 'InvalidInstanceName'
    }
}

Describe 'The deploy cmdlets with -Strict' {
    BeforeAll {
        # An unknown key (a warning) in a project whose group is on the closed port.
        $script:WarnRoot = New-GateSpecs -Name 'warning' -Env (New-ProbeEnv -Connection closed -Nodes @"
          - name: n1
            image_source: alpine/3.19
            hooks:
              - event: post-node-creation
                commands: [echo]
                flagz: [x]
"@)
    }

    It 'without -Strict, a warning is written and the run goes on to the server' {
        Push-Location $WarnRoot
        try {
            $warnings = @()
            Invoke-LxdApply -Project probe -ErrorVariable errors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        }
        finally { Pop-Location }
        @($warnings -like "*env.yml:12:17*flagz*") | Should -HaveCount 1
        Get-ErrorId $errors | Should -Be 'LxdApplyPlanFailed' -Because 'it reached the closed port'
    }

    It '<Name> -Strict refuses on the warning, as an error with its code and position' -ForEach @(
        @{ Name = 'Invoke-LxdApply'; Command = { Invoke-LxdApply -Project probe -Strict } }
        @{ Name = 'Get-LxdApplyPlan'; Command = { Get-LxdApplyPlan -Project probe -Strict } }
        @{ Name = 'Stop-LxdGroup'; Command = { Stop-LxdGroup -Project probe -Strict -Confirm:$false } }
        @{ Name = 'Remove-LxdGroup'; Command = { Remove-LxdGroup -Project probe -Strict -Confirm:$false } }
        @{ Name = 'Save-LxdImage'; Command = { Save-LxdImage -Project probe -Strict } }
        @{ Name = 'Invoke-LxdCommand'; Command = { Invoke-LxdCommand probe-cmd -Strict } }
    ) {
        $errors = Invoke-InSpecs $WarnRoot $Command
        Get-ErrorId $errors | Should -Be 'UnknownKey' -Because 'no connection error: the closed port was never tried'
        $errors[0].CategoryInfo.TargetName | Should -BeLike '*env.yml:12:17'
        $errors[0].ErrorDetails.RecommendedAction | Should -BeLike '*(or run without -Strict)*'
    }

    It 'no deploy cmdlet has -SkipValidation' {
        foreach ($name in 'Invoke-LxdApply', 'Get-LxdApplyPlan', 'Stop-LxdGroup', 'Remove-LxdGroup', 'Save-LxdImage', 'Invoke-LxdCommand') {
            (Get-Command $name).Parameters.Keys | Should -Not -Contain 'SkipValidation'
            (Get-Command $name).Parameters.Keys | Should -Contain 'Strict'
        }
    }
}
