# -P2PMode of the deploy cmdlets against the LXD lab with a copy of examples/quickstart, whose client config gets an
# extra remote "gone" that refuses connections. Nothing is created: plans, What-if runs and Save-LxdImage of images
# the servers already have. Instances would be named t-p2p-*.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    $labEnv = if ($env:LXDCOMPOSE_LAB_ENV) { $env:LXDCOMPOSE_LAB_ENV } else { '/var/lib/lxdcompose-lab/lab.env' }
    if (-not (Test-Path $labEnv)) { throw "the LXD lab is not up: run ``sudo bash tests/lab/lab.sh up`` ($labEnv is missing)" }

    $script:Quickstart = Join-Path $TestDrive 'quickstart'
    Copy-Item -Recurse (Join-Path $RepoRoot 'examples/quickstart') $Quickstart
    Remove-Item (Join-Path $Quickstart 'lxd-conf') -Recurse -Force -ErrorAction SilentlyContinue
    $conf = Join-Path $Quickstart 'lxd-conf'
    & (Join-Path $Quickstart 'New-QuickstartConf.ps1') -LabEnv $labEnv -Destination $conf 6>$null

    # A port nobody listens on: the remote refuses every connection.
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $closedPort = $listener.LocalEndpoint.Port
    $listener.Stop()
    Add-Content (Join-Path $conf 'config.yml') "`n  gone:`n    addr: https://127.0.0.1:$closedPort`n    protocol: lxd`n    public: true`n"

    $script:Common = @{ Project = 'quickstart'; NodesPrefix = 't-p2p'; Env = @{ events_log = (Join-Path $TestDrive 'events.log') } }
    $script:BusyboxRemotes = 'local', 'vm2', 'imgsrv'
    Push-Location $Quickstart
}

AfterAll {
    Pop-Location
}

Describe '-P2PMode' -Tag 'Lab' {
    It 'Get-LxdApplyPlan takes each image from the remote with the newest build and warns about the unreachable one' {
        $plan = Get-LxdApplyPlan @Common -P2PMode -WarningVariable warnings -Verbose 4>&1 | Tee-Object -Variable all |
            Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $plan.Action | Sort-Object -Unique | Should -Be 'Create'
        # image_remote_server (local, imgsrv) is ignored: one answer for every node, from a server that has busybox/lab.
        @($plan.Image.Remote | Sort-Object -Unique) | Should -HaveCount 1
        $plan[0].Image.Remote | Should -BeIn $BusyboxRemotes
        $plan.Image.CopyNeeded | Sort-Object -Unique | Should -BeFalse
        $plan[0].Image.CreatedAt | Should -BeOfType [DateTimeOffset]
        @($warnings -like "P2P image search: remote 'gone' (https://127.0.0.1:*") | Should -HaveCount 1
        $verbose = $all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $verbose | Should -Not -Contain "P2P image search: 'busybox/lab' is not on remote 'gone'." -Because 'a refused remote is not a miss'
        @($verbose -like "P2P image search: 'busybox/lab' comes from remote '$($plan[0].Image.Remote)'*") | Should -HaveCount 1
    }

    It 'without it, each node uses its image_remote_server and nothing is searched' {
        $plan = Get-LxdApplyPlan @Common -WarningVariable warnings
        ($plan | Where-Object Node -eq 't-p2p-edge1').Image.Remote | Should -Be 'imgsrv'
        ($plan | Where-Object Node -eq 't-p2p-web1').Image.Remote | Should -Be 'local'
        $warnings | Should -BeNullOrEmpty
    }

    It 'Save-LxdImage names the remote each image was found on' {
        $images = Save-LxdImage -Project quickstart -P2PMode -WarningVariable warnings
        $images.Remote | Should -Be @('local', 'vm2')
        $images.Action | Sort-Object -Unique | Should -Be 'Present'
        $images.Source | Sort-Object -Unique | Should -BeIn $BusyboxRemotes
        # searched once for the whole run: one warning, not one per group or pass
        @($warnings -like "P2P image search: remote 'gone'*") | Should -HaveCount 1
    }

    It 'Invoke-LxdApply and Invoke-LxdCommand search every remote and, with -WhatIf, create nothing' {
        Invoke-LxdApply @Common -P2PMode -WhatIf -WarningVariable applyWarnings | Should -BeNullOrEmpty
        @($applyWarnings -like "P2P image search: remote 'gone'*") | Should -HaveCount 1
        Invoke-LxdCommand quickstart-web-only -NodesPrefix t-p2p -Env $Common.Env -P2PMode -WhatIf -WarningVariable commandWarnings |
            Should -BeNullOrEmpty
        @($commandWarnings -like "P2P image search: remote 'gone'*") | Should -HaveCount 1
        (Get-LxdApplyPlan @Common).Action | Sort-Object -Unique | Should -Be 'Create'
    }

    It 'general.p2pmode in the config file does the same without the switch' {
        $config = Join-Path $Quickstart '.lxd-compose.yml'
        $saved = Get-Content -Raw $config
        try {
            Set-Content $config ($saved -replace 'general:\s*\n', "general:`n  p2pmode: true`n")
            $null = Get-LxdApplyPlan @Common -WarningVariable warnings
            @($warnings -like "P2P image search: remote 'gone'*") | Should -HaveCount 1
        }
        finally {
            Set-Content $config $saved -NoNewline
        }
    }
}
