# The node commands against the lab, on LXD (the first VM, remote "local") and on Incus (incus1): Invoke-LxdExec with
# the node's entrypoint and the project's variables, streamed and captured, its exit code as an error record and
# $LASTEXITCODE; Copy-LxdFile of a file and a tree, a secret-holding file pushed 0600; Get-LxdInstance with the spec's
# nodes, an instance the specs do not know, and addresses; Sync-LxdNode and New-LxdNode with and without their hooks.
# The instances are nc-* and are removed.

Describe 'Node commands in the lab' -Tag Lab {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module $ModuleManifest -Force

        $script:Lab = Read-LabEnv
        $script:Root = Join-Path $TestDrive 'nc'
        New-LabSpecRoot -Path $Root -Lab $Lab
        # incus1 beside the quick start's remotes.
        $conf = Join-Path $Root 'lxd-conf'
        Copy-Item (Join-Path $Lab.LXDCOMPOSE_LAB_CONF 'servercerts/incus1.crt') (Join-Path $conf 'servercerts/incus1.crt')
        Add-Content (Join-Path $conf 'config.yml') "`n  incus1:`n    addr: $($Lab.LXDCOMPOSE_LAB_INCUS_ADDRESS)`n    protocol: incus`n    public: false`n    auth_type: tls`n"
        New-Item -ItemType Directory (Join-Path $Root 'envs/tree/sub') -Force | Out-Null
        Set-Content (Join-Path $Root 'envs/tree/a.txt') 'alpha'
        Set-Content (Join-Path $Root 'envs/tree/sub/b.txt') 'beta'
        Set-Content (Join-Path $Root 'envs/secret.conf') 'password=NcSecretValue9x'
        New-Item -ItemType Directory (Join-Path $Root 'envs/tpl') -Force | Out-Null
        Set-Content (Join-Path $Root 'envs/tpl/app.tmpl') 'greeting={{ .greeting }}'
        Set-Content (Join-Path $Root 'envs/nc.yml') @"
version: "1"
template_engine:
  engine: mottainai
projects:
  - name: nc
    vars:
      - envs:
          greeting: hello-nc
          db_password: NcSecretValue9x
    groups:
      - name: lxd
        connection: local
        nodes:
          - name: nc-lxd1
            image_source: busybox/lab
            image_remote_server: local
            entrypoint: ["/bin/sh", "-c"]
            labels:
              role: front
            config_templates:
              - {source: tpl/app.tmpl, dst: out/app.conf}
            sync_resources:
              - {source: out/app.conf, dst: /etc/nc-app.conf}
            hooks:
              - event: post-node-sync
                commands: ["echo synced >> /root/sync-count"]
      - name: incus
        connection: incus1
        connection_type: incus
        nodes:
          - name: nc-incus1
            image_source: busybox/lab
            image_remote_server: incus1
            entrypoint: ["/bin/sh", "-c"]
      - name: later
        connection: local
        nodes:
          - name: nc-new1
            image_source: busybox/lab
            image_remote_server: local
            entrypoint: ["/bin/sh", "-c"]
            hooks:
              - event: post-node-creation
                commands: ["echo created > /root/created"]
"@
        $script:Spec = @{ ConfigPath = $Root }
        # The group "later" is left for New-LxdNode.
        Invoke-LxdApply -Project nc -Group lxd, incus @Spec -Confirm:$false | Out-Null
        $env:INCUS_CONF = $Lab.LXDCOMPOSE_LAB_CONF
        $script:Outsider = 'nc-outsider'
        # An instance no spec declares, on incus1.
        & incus launch incus1:busybox/lab "incus1:$Outsider" -q
        if ($LASTEXITCODE -ne 0) { throw 'could not launch the outsider instance on incus1' }
    }

    AfterAll {
        Remove-LxdGroup -Project nc @Spec -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
        & incus delete --force "incus1:$Outsider" 2>$null
    }

    It 'runs a command in a node on <Remote> with its entrypoint and the project''s variables, output on the information stream' -ForEach @(
        @{ Node = 'nc-lxd1'; Remote = 'local' }, @{ Node = 'nc-incus1'; Remote = 'incus1' }) {
        $out = Invoke-LxdExec $Node 'echo "$greeting from $(hostname) $role"' @Spec -InformationVariable info
        $out | Should -BeNullOrEmpty
        $line = @($info | Where-Object { $_.Tags -contains 'LxdHookOutput' -and $_.Tags -contains 'stdout' })
        $line | Should -HaveCount 1
        $line[0].Tags | Should -Contain "node:$Node"
        $line[0].Tags | Should -Contain 'event:exec'
        $expectedRole = if ($Node -eq 'nc-lxd1') { ' front' } else { ' ' }
        "$($line[0].MessageData)" | Should -Be "[$Node] hello-nc from $Node$expectedRole"
        $LASTEXITCODE | Should -Be 0
    }

    It 'captures output with -PassThru and reports a non-zero exit code as LxdExecFailed and $LASTEXITCODE on <Remote>' -ForEach @(
        @{ Node = 'nc-lxd1'; Remote = 'local' }, @{ Node = 'nc-incus1'; Remote = 'incus1' }) {
        $ErrorActionPreference = 'Continue'
        $result = Invoke-LxdExec $Node 'echo out; echo err >&2; exit 3' @Spec -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue -InformationVariable info
        $result.ExitCode | Should -Be 3
        $result.Stdout | Should -Be "out`n"
        $result.Stderr | Should -Be "err`n"
        $result.Remote | Should -Be $Remote
        @($info | Where-Object { $_.Tags -contains 'LxdHookOutput' }) | Should -BeNullOrEmpty -Because '-PassThru captures the output'
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'LxdExecFailed*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $failures[0].TargetObject.ExitCode | Should -Be 3
        "$($failures[0])" | Should -Match 'exited with code 3.*nc\.yml:\d+:\d+.*err'
        $LASTEXITCODE | Should -Be 3
    }

    It 'masks secret values in captured output' {
        $result = Invoke-LxdExec nc-lxd1 'echo "$db_password"' @Spec -PassThru
        $result.Stdout | Should -Not -Match 'NcSecretValue9x'
        $result.Stdout | Should -Match '\*{8}'
    }

    It 'runs in the nodes piped in, and only in them' {
        $results = @(Get-LxdNode -Group incus @Spec | Invoke-LxdExec -Command 'hostname' -PassThru)
        $results.Node | Should -Be @('nc-incus1')
        $results[0].Stdout.Trim() | Should -Be 'nc-incus1'
    }

    It 'runs nothing with -WhatIf' {
        Invoke-LxdExec nc-lxd1 'touch /tmp/whatif-ran' @Spec -WhatIf
        Invoke-LxdExec nc-lxd1 'test -e /tmp/whatif-ran' @Spec -ErrorAction SilentlyContinue
        $LASTEXITCODE | Should -Be 1
    }

    It 'copies a file under a new name and a tree''s contents into a node on <Remote>' -ForEach @(
        @{ Node = 'nc-lxd1'; Remote = 'local' }, @{ Node = 'nc-incus1'; Remote = 'incus1' }) {
        $file = Copy-LxdFile $Node -From (Join-Path $Root 'envs/tree/a.txt') -To /opt/nc/renamed.txt @Spec -PassThru
        $file.Files | Should -Be 1
        $tree = Copy-LxdFile $Node -Path "$(Join-Path $Root 'envs/tree')/" -Destination /opt/nc/tree/ @Spec -PassThru
        $tree.Files | Should -Be 2
        $tree.Remote | Should -Be $Remote
        $seen = Invoke-LxdExec $Node 'cat /opt/nc/renamed.txt /opt/nc/tree/a.txt /opt/nc/tree/sub/b.txt' @Spec -PassThru
        $seen.Stdout | Should -Be "alpha`nalpha`nbeta`n"
    }

    It 'pushes a file holding a secret value without group and other bits' {
        Copy-LxdFile nc-lxd1 -Path (Join-Path $Root 'envs/secret.conf') -Destination /opt/nc/secret.conf @Spec
        (Invoke-LxdExec nc-lxd1 'stat -c %a /opt/nc/secret.conf' @Spec -PassThru).Stdout.Trim() | Should -Be '600'
        Copy-LxdFile nc-lxd1 -Path (Join-Path $Root 'envs/tree/a.txt') -Destination /opt/nc/plain.txt @Spec
        (Invoke-LxdExec nc-lxd1 'stat -c %a /opt/nc/plain.txt' @Spec -PassThru).Stdout.Trim() | Should -Not -Be '600'
    }

    It 'refuses a source that does not exist, pushing nothing' {
        $ErrorActionPreference = 'Continue'
        Copy-LxdFile nc-lxd1 -Path (Join-Path $Root 'missing') -Destination /opt/nc/missing @Spec -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'LxdCopySourceNotFound*'
    }

    It 'lists the instances on the specs'' remotes with their spec node, addresses, and one the specs do not know' {
        $instances = @(Get-LxdInstance nc-* @Spec)
        $lxd = $instances | Where-Object Name -EQ nc-lxd1
        $lxd.Remote | Should -Be 'local'
        $lxd.InSpecs | Should -BeTrue
        $lxd.Project | Should -Be 'nc'
        $lxd.Group | Should -Be 'lxd'
        $lxd.Status | Should -Be 'Running'
        $incus = $instances | Where-Object Name -EQ nc-incus1
        $incus.Remote | Should -Be 'incus1'
        $incus.InSpecs | Should -BeTrue
        $incus.IPv4 | Should -Match '^\d+\.\d+\.\d+\.\d+$'
        $outsider = $instances | Where-Object Name -EQ $Outsider
        $outsider.Remote | Should -Be 'incus1'
        $outsider.InSpecs | Should -BeFalse
        $outsider.Project | Should -Be ''
        ($outsider | Out-String -Width 120) | Should -Match '\(not in specs\)'
    }

    It 'narrows to the instance of a piped node, and reads only -Remote' {
        @(Get-LxdNode nc-incus1 @Spec | Get-LxdInstance).Name | Should -Be @('nc-incus1')
        $onIncus = @(Get-LxdInstance nc-* -Remote incus1 @Spec)
        $onIncus.Remote | Sort-Object -Unique | Should -Be 'incus1'
        $onIncus.Name | Should -Contain $Outsider
        $onIncus.Name | Should -Not -Contain 'nc-lxd1'
    }

    It 'pipes a known instance on to Invoke-LxdExec' {
        $result = Get-LxdInstance nc-incus1 @Spec | Invoke-LxdExec -Command 'echo piped' -PassThru
        $result.Node | Should -Be 'nc-incus1'
        $result.Stdout | Should -Be "piped`n"
    }

    It 'syncs a node''s templates and files again, its sync hooks only with -RunHooks' {
        $result = Sync-LxdNode nc-lxd1 @Spec -Env @{ greeting = 'changed-once' } -Confirm:$false
        $result.Action | Should -Be 'Synced'
        $result.FilesSynced | Should -Be 1
        $result.HooksRun | Should -Be 0
        $seen = Invoke-LxdExec nc-lxd1 'cat /etc/nc-app.conf; wc -l < /root/sync-count' @Spec -PassThru
        $seen.Stdout -split "`n" | Select-Object -First 2 | ForEach-Object Trim | Should -Be @('greeting=changed-once', '1')
        $hooked = Sync-LxdNode nc-lxd1 @Spec -RunHooks -Confirm:$false
        $hooked.HooksRun | Should -Be 1
        (Invoke-LxdExec nc-lxd1 'cat /etc/nc-app.conf; wc -l < /root/sync-count' @Spec -PassThru).Stdout -split "`n" |
            Select-Object -First 2 | ForEach-Object Trim | Should -Be @('greeting=hello-nc', '2')
    }

    It 'creates a node alone without its creation hooks, then with them, and leaves an existing node as it is' {
        $created = New-LxdNode nc-new1 @Spec -Confirm:$false
        $created.Action | Should -Be 'Created'
        $created.State | Should -Be 'Running'
        (Get-LxdInstance nc-new1 @Spec).InSpecs | Should -BeTrue
        Invoke-LxdExec nc-new1 'test -e /root/created' @Spec -ErrorAction SilentlyContinue
        $LASTEXITCODE | Should -Be 1 -Because 'no hook runs without -RunHooks'
        $again = New-LxdNode nc-new1 @Spec -Confirm:$false -WarningVariable warned
        $again.Action | Should -Be 'Unchanged'
        "$warned" | Should -Match 'nc-new1 exists'
        Remove-LxdGroup later -Project nc @Spec -Confirm:$false | Out-Null
        $hooked = New-LxdNode nc-new1 @Spec -RunHooks -Confirm:$false
        $hooked.HooksRun | Should -Be 1
        (Invoke-LxdExec nc-new1 'cat /root/created' @Spec -PassThru).Stdout | Should -Be "created`n"
    }

    It 'creates nothing with -WhatIf' {
        Remove-LxdGroup later -Project nc @Spec -Confirm:$false | Out-Null
        New-LxdNode nc-new1 @Spec -WhatIf | Should -BeNullOrEmpty
        Get-LxdInstance nc-new1 -Remote local @Spec -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'does not sync while another run holds the project''s lock' {
        # A lock as a live run of this host (this test's own process) holds it, on the first VM.
        $socket = $Lab.LXDCOMPOSE_LAB_SOCKET_vm1
        $now = [DateTime]::UtcNow.ToString('O')
        $lock = @{
            name = 'lxdcompose-lock.nc'
            config = @{
                'user.lxdcompose.lock.project' = 'nc'; 'user.lxdcompose.lock.token' = 'nc-token'; 'user.lxdcompose.lock.run' = 'nc-run'
                'user.lxdcompose.lock.pid' = "$PID"; 'user.lxdcompose.lock.process-start' = (Get-Process -Id $PID).StartTime.ToUniversalTime().ToString('O')
                'user.lxdcompose.lock.host' = [Environment]::MachineName
                'user.lxdcompose.lock.boot-id' = (Get-Content /proc/sys/kernel/random/boot_id).Trim()
                'user.lxdcompose.lock.user' = 'tester'; 'user.lxdcompose.lock.command' = 'Invoke-LxdApply -Project nc'
                'user.lxdcompose.lock.since' = $now; 'user.lxdcompose.lock.heartbeat' = $now
            }
        }
        Invoke-RestMethod -UnixSocket $socket -Uri 'http://lxd/1.0/profiles/lxdcompose-lock.nc' -Method DELETE -SkipHttpErrorCheck | Out-Null
        Invoke-RestMethod -UnixSocket $socket -Uri 'http://lxd/1.0/profiles' -Method POST -Body ($lock | ConvertTo-Json -Depth 5) -ContentType 'application/json' | Out-Null
        try {
            $ErrorActionPreference = 'Continue'
            $result = Sync-LxdNode nc-lxd1 @Spec -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'LxdProjectLocked*'
        }
        finally {
            Invoke-RestMethod -UnixSocket $socket -Uri 'http://lxd/1.0/profiles/lxdcompose-lock.nc' -Method DELETE -SkipHttpErrorCheck | Out-Null
        }
    }
}
