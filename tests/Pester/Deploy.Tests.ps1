# The deploy cmdlets against the LXD lab (tests/lab/lab.sh) with a copy of examples/quickstart. Without the lab these
# tests fail, as the lab contract says. Instances are named t-ps-* and removed at the end.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    $labEnv = (Read-LabEnv).Path

    $script:Quickstart = Join-Path $TestDrive 'quickstart'
    Copy-Item -Recurse (Join-Path $RepoRoot 'examples/quickstart') $Quickstart
    Remove-Item (Join-Path $Quickstart 'lxd-conf') -Recurse -Force -ErrorAction SilentlyContinue
    & (Join-Path $Quickstart 'New-QuickstartConf.ps1') -LabEnv $labEnv -Destination (Join-Path $Quickstart 'lxd-conf') 6>$null
    $script:EventsLog = Join-Path $TestDrive 'events.log'
    $script:Common = @{ Project = 'quickstart'; NodesPrefix = 't-ps'; Env = @{ events_log = $EventsLog } }
    Push-Location $Quickstart

    function Remove-TestNodes {
        # What an interrupted earlier run may have left, and what this one created.
        foreach ($prefix in 't-ps', 't-pc', 't-pf') {
            Remove-LxdGroup -Project quickstart, tmpl-mottainai, tmpl-jinja2 -NodesPrefix $prefix -Env @{ events_log = $EventsLog } `
                -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
        }
    }
    Remove-TestNodes
    Remove-Item $EventsLog -ErrorAction SilentlyContinue
}

AfterAll {
    Remove-TestNodes
    Pop-Location
}

Describe 'Deploying the quick start' -Tag 'Lab' {
    It 'plans four new nodes without changing anything' {
        $plan = Get-LxdApplyPlan @Common
        $plan.Node | Should -Be @('t-ps-web1', 't-ps-web2', 't-ps-edge1', 't-ps-probe')
        $plan.Action | Sort-Object -Unique | Should -Be 'Create'
        $plan[0].PSObject.TypeNames[0] | Should -Be 'LxdCompose.Deploy.NodePlan'
        ($plan | Format-Table | Out-String) | Should -Match 't-ps-web1\s+web\s+local\s+Create'
    }

    It '-WhatIf reports the changes and makes none' {
        $result = Invoke-LxdApply @Common -WhatIf
        $result | Should -BeNullOrEmpty
        (Get-LxdApplyPlan @Common).Action | Sort-Object -Unique | Should -Be 'Create'
        Test-Path $EventsLog | Should -BeFalse
    }

    It 'applies: one result per node, hook output on the information stream tagged with the node' {
        # What the events log holds when each result reaches the next command: results stream as nodes finish.
        $seen = [System.Collections.Generic.List[object]]::new()
        $results = Invoke-LxdApply @Common -InformationVariable info | ForEach-Object { $seen.Add(@(Get-Content $EventsLog)); $_ }
        $seen[0] | Should -Not -Contain 'post-project'
        $seen[0].Count | Should -BeLessThan @(Get-Content $EventsLog).Count
        $results.Node | Should -Be @('t-ps-web1', 't-ps-web2', 't-ps-edge1', 't-ps-probe')
        $results.Action | Sort-Object -Unique | Should -Be 'Created'
        $results.State | Sort-Object -Unique | Should -Be 'Running'
        $results[0].PSObject.TypeNames[0] | Should -Be 'LxdCompose.Deploy.NodeResult'
        ($results | Where-Object Node -eq 't-ps-web1').FilesSynced | Should -Be 3
        $edge = $info | Where-Object { $_.Tags -contains 'node:t-ps-edge1' }
        $edge.MessageData | Should -Contain '[t-ps-edge1] web checked by the probe 2'
        # err2var: the probe's stderr, captured in one container, reaches a hook in another group on another server
        ($edge.MessageData -match '^\[t-ps-edge1\] the probe said: probed http://198\.18\.[0-9.]+:8080/$') | Should -HaveCount 1
        $edge[0].Tags | Should -Contain 'event:post-group'
        (Get-Content $EventsLog)[0] | Should -Be 'pre-project'
        (Get-Content $EventsLog)[-1] | Should -Be 'post-project'
    }

    It 'applies again from piped projects without recreating anything' {
        $results = Get-LxdProject quickstart | Invoke-LxdApply -NodesPrefix t-ps -Env @{ events_log = $EventsLog }
        $results.Action | Sort-Object -Unique | Should -Be 'Unchanged'
    }

    It 'runs the quickstart-smoke command: only smoke-test hooks, and the probe really reaches the web page' {
        $results = Invoke-LxdCommand quickstart-smoke -NodesPrefix t-ps -Env @{ events_log = $EventsLog } -InformationVariable info
        $results.Action | Sort-Object -Unique | Should -Be 'Unchanged'
        # The probe counts the site title in the page fetched from the address captured by a smoke-test hook.
        ($info | Where-Object { $_.Tags -contains 'node:t-ps-probe' }).MessageData | Should -Contain '[t-ps-probe] 2'
        ($info.MessageData -match 'bad address') | Should -BeNullOrEmpty
    }

    It 'writes nested progress: project, group and node activities, each ending with a Completed record' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddParameter('Name', $ModuleManifest).AddStatement()
            $null = $ps.AddCommand('Invoke-LxdApply').AddParameter('Project', 'quickstart').AddParameter('NodesPrefix', 't-ps').
                AddParameter('EnableGroup', 'web').AddParameter('Env', @{ events_log = $EventsLog }).
                AddParameter('ConfigPath', (Join-Path $Quickstart '.lxd-compose.yml')).
                AddParameter('EnableFlag', 'summary') # no httpd restart: its port may still be taken right after the last one
            $results = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $progress = @($ps.Streams.Progress)
        }
        finally {
            $ps.Dispose()
        }
        $results.Node | Should -Be @('t-ps-web1', 't-ps-web2')
        ($progress | Where-Object ActivityId -EQ 1).ParentActivityId | Sort-Object -Unique | Should -Be -1
        $groups = $progress | Where-Object ParentActivityId -EQ 1
        $groups.Activity | Sort-Object -Unique | Should -Be 'Group web'
        $nodes = $progress | Where-Object ParentActivityId -In $groups.ActivityId
        $nodes.Activity | Sort-Object -Unique | Should -Be @('Node t-ps-web1', 'Node t-ps-web2')
        foreach ($activity in $progress | Group-Object ActivityId) {
            $activity.Group[-1].RecordType | Should -Be 'Completed' -Because "activity $($activity.Name) ends"
        }
    }

    It 'stops a piped group, and apply starts it again' {
        $stopped = Get-LxdGroup web -Project quickstart | Stop-LxdGroup -NodesPrefix t-ps -Env @{ events_log = $EventsLog }
        $stopped.Node | Should -Be @('t-ps-web1', 't-ps-web2')
        $stopped.Action | Sort-Object -Unique | Should -Be 'Stopped'
        $started = Invoke-LxdApply @Common -EnableGroup web
        $started.Action | Sort-Object -Unique | Should -Be 'Started'
    }

    It 'reports a failing hook as an error record naming node, event and exit code' {
        $results = Invoke-LxdApply @Common -EnableGroup web -Env @{ events_log = $EventsLog; http_port = 'not-a-port' } `
            -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdHookFailed,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $problems[0].TargetObject | Should -Be 't-ps-web1'
        $problems[0].Exception.Event | Should -Be 'post-node-sync'
        $problems[0].Exception.ExitCode | Should -Not -Be 0
        $problems[0].Exception.Message | Should -BeLike '*httpd -p ${http_port}*'
        $problems[0].Exception.StderrTail | Should -Match "bad address 'not-a-port'"
        ($results | Where-Object Node -eq 't-ps-web1').Action | Should -Be 'Failed'
        ($results | Where-Object Node -eq 't-ps-web2').Action | Should -Be 'Skipped'
    }

    It 'reports a missing image as ObjectNotFound before anything changes' {
        $spec = Get-Content -Raw (Join-Path $Quickstart 'envs/quickstart.yml')
        $broken = Join-Path $TestDrive 'broken'
        Copy-Item -Recurse $Quickstart $broken
        Set-Content (Join-Path $broken 'envs/quickstart.yml') ($spec -replace 'image_source: busybox/lab\r?\n(\s+)image_remote_server: imgsrv', "image_source: t-missing/image`n`$1image_remote_server: imgsrv")
        Invoke-LxdApply @Common -ConfigPath (Join-Path $broken '.lxd-compose.yml') -EnableGroup edge -NodesPrefix t-ps-x `
            -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdApplyPlanFailed,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].Exception.Message | Should -Match "t-missing/image"
    }

    It 'reports a group that matches nothing as ObjectNotFound and applies the groups that exist' {
        Remove-Item $EventsLog -ErrorAction SilentlyContinue
        $results = Invoke-LxdApply @Common -EnableGroup t-nope, edge -EnableFlag summary -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdGroupNotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 't-nope'
        $results.Node | Should -Be 't-ps-edge1'

        # Only unknown names: nothing runs, not even the project hooks.
        Remove-Item $EventsLog -ErrorAction SilentlyContinue
        Invoke-LxdApply @Common -EnableGroup t-nope -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdGroupNotFound,*'
        Test-Path $EventsLog | Should -BeFalse
        Invoke-LxdApply @Common -EnableGroup 't-nope*' -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems | Should -BeNullOrEmpty
        Test-Path $EventsLog | Should -BeFalse

        Get-LxdApplyPlan @Common -EnableGroup t-nope -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdGroupNotFound,*'
    }

    It 'removes every group of the project' {
        $removed = Remove-LxdGroup @Common -Confirm:$false
        $removed.Action | Sort-Object -Unique | Should -Be 'Destroyed'
        $removed | Should -HaveCount 4
        (Get-LxdApplyPlan @Common).Action | Sort-Object -Unique | Should -Be 'Create'
    }

    It 'applies the config templates of lxd-compose''s engines (mottainai, jinja2) and removes those projects too' {
        $engines = @{ Project = 'tmpl-mottainai', 'tmpl-jinja2'; NodesPrefix = 't-ps' }
        try {
            $results = Invoke-LxdApply @engines -InformationVariable info
            # in the order named, as lxd-compose applies its arguments (the specs list tmpl-jinja2 first)
            $results.Node | Should -Be @('t-ps-conf-mottainai', 't-ps-conf-jinja2')
            $results.Action | Sort-Object -Unique | Should -Be 'Created'
            $results.FilesSynced | Sort-Object -Unique | Should -Be 1
            # each node's post-node-sync hook printed the file it received; the engines differ only in the first line
            foreach ($engine in 'mottainai', 'jinja2') {
                $lines = ($info | Where-Object { $_.Tags -contains "node:t-ps-conf-$engine" }).MessageData
                $lines | Should -Be @(
                    "[t-ps-conf-$engine] # tmpl-${engine}: compiled by $engine for conf-$engine (config)"
                    "[t-ps-conf-$engine] listen 9090;", "[t-ps-conf-$engine] upstream web1;", "[t-ps-conf-$engine] upstream web2;"
                    "[t-ps-conf-$engine] cache off;", "[t-ps-conf-$engine] gzip on;")
            }
        }
        finally {
            $removed = Remove-LxdGroup @engines -Confirm:$false
        }
        $removed.Node | Should -Be @('t-ps-conf-mottainai', 't-ps-conf-jinja2')
        $removed.Action | Sort-Object -Unique | Should -Be 'Destroyed'
    }
}

Describe 'Commands, images and clean-up' -Tag 'Lab' {
    It 'Invoke-LxdCommand applies a command alias with its groups and skip_sync, and -Destroy removes the nodes afterwards' {
        $results = Invoke-LxdCommand quickstart-web-only -NodesPrefix t-pc -Env @{ events_log = $EventsLog } -Destroy -Confirm:$false
        $created = $results | Where-Object Action -eq 'Created'
        $created.Node | Should -Be @('t-pc-web1', 't-pc-web2')
        $created.FilesSynced | Sort-Object -Unique | Should -Be 0
        ($results | Where-Object Action -eq 'Destroyed').Node | Should -Be @('t-pc-web1', 't-pc-web2')
    }

    It 'Invoke-LxdCommand runs the hooks of the command''s include_hooks_files with its vars_files, envs and -Env in that order' {
        $files = New-Item -ItemType Directory (Join-Path $Quickstart 'cmdfiles') -Force
        Set-Content (Join-Path $files 'hooks.yml') @'
hooks:
  - event: post-node-creation
    node: ""
    entrypoint: ["/bin/sh", "-c"]
    commands:
      - echo "on $(hostname) shared=${shared} file=${from_file} envs=${from_envs}"
  - event: post-project
    node: host
    commands:
      - echo "command post-project" >> "${events_log}"
'@
        Set-Content (Join-Path $files 'vars.yml') "envs:`n  shared: vars_file`n  from_file: loaded`n  from_envs: vars_file`n"
        $commandEnv = Join-Path $Quickstart 'envs/t-command.yml'
        Set-Content $commandEnv @'
version: "1"
commands:
  - name: t-edge-hooks
    project: quickstart
    apply_alias: true
    skip_sync: true
    enable_groups: [edge]
    include_hooks_files: [../cmdfiles/hooks.yml]
    vars_files: [../cmdfiles/vars.yml]
    envs:
      envs:
        shared: envs
        from_envs: envs
'@
        try {
            $results = Invoke-LxdCommand t-edge-hooks -NodesPrefix t-pc -Env @{ events_log = $EventsLog; shared = 'env' } -Destroy -Confirm:$false `
                -InformationVariable info -WarningVariable warnings
            $warnings | Should -BeNullOrEmpty
            ($results | Where-Object Action -eq 'Created').Node | Should -Be 't-pc-edge1'
            ($results | Where-Object Action -eq 'Destroyed').Node | Should -Be 't-pc-edge1'
            ($info | Where-Object { $_.Tags -contains 'event:post-node-creation' }).MessageData |
                Should -Be '[t-pc-edge1] on t-pc-edge1 shared=env file=loaded envs=envs'
            Get-Content $EventsLog | Should -Contain 'command post-project'
            # the hooks belong to the command's run only
            (Get-LxdProject quickstart).Hooks.Commands | Should -Not -Contain 'echo "command post-project" >> "${events_log}"'
        }
        finally {
            Remove-Item $commandEnv
        }
    }

    It 'Invoke-LxdCommand reports an unknown command' {
        Invoke-LxdCommand nope -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdCommandNotFound,*'
    }

    It '-CleanupOnFailure deletes what the failed apply created' {
        $results = Invoke-LxdApply -Project quickstart -NodesPrefix t-pf -EnableGroup web -CleanupOnFailure `
            -Env @{ events_log = $EventsLog; http_port = 'bad' } -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdHookFailed,*'
        ($results | Where-Object Node -eq 't-pf-web1').Action | Should -Be @('Failed', 'Destroyed')
        (Get-LxdApplyPlan -Project quickstart -NodesPrefix t-pf -EnableGroup web).Action | Sort-Object -Unique | Should -Be 'Create'
    }

    It 'Save-LxdImage makes sure every server has its images, once per server' {
        $images = Save-LxdImage -Project quickstart
        $images | Should -HaveCount 2
        $images.Remote | Should -Be @('local', 'vm2')
        $images.Action | Sort-Object -Unique | Should -Be 'Present'
        $images[0].Fingerprint | Should -Match '^[0-9a-f]{64}$'
        $images.Tested | Sort-Object -Unique | Should -BeFalse
    }

    It 'Save-LxdImage -TestImage creates and deletes a container from each image on each server' {
        $images = Save-LxdImage -Project quickstart -TestImage -TestProfile default -Verbose 4>&1 | Tee-Object -Variable all |
            Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $images.Remote | Should -Be @('local', 'vm2')
        $images.Tested | Sort-Object -Unique | Should -BeTrue
        $verbose = $all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        @($verbose -like 'Creating the test container test-image-*') | Should -HaveCount 2
        @($verbose -like 'Deleted the test container test-image-*') | Should -HaveCount 2
    }

    It 'Save-LxdImage -TestImage -WhatIf creates no container' {
        $images = Save-LxdImage -Project quickstart -TestImage -WhatIf -Verbose 4>&1 | Tee-Object -Variable all |
            Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $images.Tested | Sort-Object -Unique | Should -BeFalse
        ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Not -BeLike 'Creating the test container*'
    }

    It 'Save-LxdImage has no parameters that cannot change what it does' {
        $parameters = (Get-Command Save-LxdImage).Parameters.Keys
        foreach ($name in 'EnableFlag', 'DisableFlag', 'Env', 'VarsFile', 'NodesPrefix') { $parameters | Should -Not -Contain $name }
    }
}
