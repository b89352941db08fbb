# The VMware-LXD 1:1 scenario of docs/vmware-1-1.md, end to end against the LXD lab (tests/lab/lab.sh), with a copy
# of examples/vmware-1-1: one LXD per VM, nginx containers holding their VM's service NIC srv0, nodes listed in the
# render values, a rolling upgrade one group at a time, scale-out to a new VM, and a VM replacement with rollback.
# The deploy steps use only the module's cmdlets; the lab adds the VMs vm3 and vm1-new (lab.sh add), as VMware would;
# lxc only looks inside the containers. Instances nginx1..nginx3 are removed from every lab VM at the start and the
# end. Without the lab these tests fail, as the lab contract says.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    # Only the example's render files count, not values an earlier test left in the session.
    Clear-LxdRenderValue

    # Read-LabEnv (TestHelpers.ps1) is read again after lab.sh add: the lab's lab.env then lists the new VM.
    $script:Lab = Read-LabEnv
    $script:LabEnvPath = $Lab.Path
    $script:LabScript = Join-Path $RepoRoot 'tests/lab/lab.sh'
    $script:Release = '22.10'
    $script:NewRelease = '22.10.01'
    foreach ($image in "nginx/$Release", "nginx/$NewRelease") {
        if ($Lab.LXDCOMPOSE_LAB_IMAGE_NGINX -notmatch [regex]::Escape($image)) {
            throw "the lab publishes no $image (LXDCOMPOSE_LAB_IMAGE_NGINX in $LabEnvPath): run ``sudo bash tests/lab/lab.sh up``"
        }
    }
    if (-not $Lab.LXDCOMPOSE_LAB_LOGS -or -not (Test-Path $Lab.LXDCOMPOSE_LAB_LOGS)) {
        throw "the lab has no logs directory for the logs-disk profile (LXDCOMPOSE_LAB_LOGS): run ``sudo bash tests/lab/lab.sh up``"
    }
    # The service addresses of the example's vars files (envs/myenv/vars/nginxN-net.yml).
    $script:ServiceAddress = @{ nginx1 = '198.18.20.100'; nginx2 = '198.18.20.101'; nginx3 = '198.18.20.102' }
    $script:Nodes = 'nginx1', 'nginx2', 'nginx3'

    $script:Example = Join-Path $TestDrive 'vmware-1-1'
    Copy-Item -Recurse (Join-Path $RepoRoot 'examples/vmware-1-1') $Example
    Remove-Item (Join-Path $Example 'lxd-conf') -Recurse -Force -ErrorAction SilentlyContinue
    $script:ExampleConf = Join-Path $Example 'lxd-conf'
    & (Join-Path $Example 'New-VMwareLabConf.ps1') -LabEnv $LabEnvPath -Destination $ExampleConf -Vm vm1, vm2

    function Set-ProdValues {
        # What the user edits: render/prod.yaml, the release and one nginx node per VM.
        param([string] $Release, [System.Collections.Specialized.OrderedDictionary] $Connections)
        $lines = @("release: `"$Release`"", "logs_dir: $($Lab.LXDCOMPOSE_LAB_LOGS)/", 'nginx_nodes:')
        foreach ($name in $Connections.Keys) {
            $lines += "  - connection: `"$($Connections[$name])`"", "    name: `"$name`""
        }
        Set-Content -Path (Join-Path $Example 'render/prod.yaml') -Value $lines
    }

    function Invoke-LabLxc {
        # lxc with the lab's client configuration, to look inside containers and clean up.
        $saved = $env:LXD_CONF
        $env:LXD_CONF = $Lab.LXDCOMPOSE_LAB_CONF
        try { & lxc @args 2>&1 | ForEach-Object { "$_" } }
        finally { $env:LXD_CONF = $saved }
    }

    function Get-Instance {
        # The instance's state on a VM, or $null when it has none by that name.
        param([string] $Vm, [string] $Name)
        $json = Invoke-LabLxc query "${Vm}:/1.0/instances/$Name"
        if ($LASTEXITCODE -ne 0) { return $null }
        ($json -join "`n") | ConvertFrom-Json
    }

    function Invoke-InContainer {
        param([string] $Vm, [string] $Name, [string] $Command)
        # '--' quoted: unquoted, PowerShell takes it as its own end-of-parameters mark and drops it.
        $output = Invoke-LabLxc exec "${Vm}:$Name" '--' bash -c $Command
        if ($LASTEXITCODE -ne 0) { throw "lxc exec ${Vm}:$Name '$Command' failed: $output" }
        $output
    }

    function Remove-StoryInstances {
        # nginx1..nginx3 on every lab VM: what an interrupted earlier run may have left, and what this one made.
        $lab = Read-LabEnv
        foreach ($vm in "$($lab.LXDCOMPOSE_LAB_VMS) $($lab.LXDCOMPOSE_LAB_ADDED_VMS)" -split ' ' | Where-Object { $_ }) {
            $existing = Invoke-LabLxc list "${vm}:" --format csv --columns n
            foreach ($name in $Nodes | Where-Object { $_ -in $existing }) {
                $output = Invoke-LabLxc delete --force "${vm}:$name"
                if ($LASTEXITCODE -ne 0) { throw "cannot remove ${vm}:$name left by the VMware story: $output" }
            }
        }
    }

    function Wait-Page {
        # GET http://<address>/ until nginx answers with the node's header and the image release's page. The service
        # address comes up when systemd-networkd has configured it: that is the readiness waited for, up to a bound.
        param([string] $Node, [string] $Release, [int] $TimeoutSeconds = 90)
        $uri = "http://$($ServiceAddress[$Node])/"
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        $last = 'no answer'
        do {
            try {
                $response = Invoke-WebRequest -Uri $uri -TimeoutSec 2 -NoProxy -ErrorAction Stop
                if ("$($response.Headers['X-Served-By'])" -eq $Node -and $response.Content -match "image nginx/$([regex]::Escape($Release)) ") {
                    return $response
                }
                $last = "HTTP $($response.StatusCode) from $($response.Headers['X-Served-By']): $($response.Content)"
            }
            catch {
                $last = $_.Exception.Message
            }
            Start-Sleep -Milliseconds 200
        } while ([DateTime]::UtcNow -lt $deadline)
        throw "$uri did not serve $Node with nginx/$Release within $TimeoutSeconds s; last: $last"
    }

    $script:Watches = [System.Collections.Generic.List[object]]::new()
    function Start-PageWatch {
        # Requests a node's page in the background, every 200 ms, until Stop-PageWatch: the service must not blink
        # while another group is replaced.
        param([string] $Node)
        $stop = Join-Path $TestDrive "stop-watch-$Node"
        Remove-Item $stop -ErrorAction SilentlyContinue
        $job = Start-ThreadJob -ArgumentList "http://$($ServiceAddress[$Node])/", $stop -ScriptBlock {
            param($Uri, $Stop)
            $answered = 0
            $failures = [System.Collections.Generic.List[string]]::new()
            while (-not (Test-Path $Stop)) {
                try {
                    $null = Invoke-WebRequest -Uri $Uri -TimeoutSec 2 -NoProxy -ErrorAction Stop
                    $answered++
                }
                catch {
                    $failures.Add($_.Exception.Message)
                }
                Start-Sleep -Milliseconds 200
            }
            [pscustomobject]@{ Answered = $answered; Failures = $failures.ToArray() }
        }
        $script:Watches.Add($job)
        $job
    }

    function Stop-PageWatch {
        param([string] $Node, $Job)
        New-Item -ItemType File (Join-Path $TestDrive "stop-watch-$Node") | Out-Null
        $result = $Job | Wait-Job | Receive-Job
        $Job | Remove-Job
        $result
    }

    function New-LabVm {
        # The lab's stand-in for PowerCLI's New-VM | Start-VM: a new LXD VM, returned as an object of the shape
        # Get-VM gives (Name, PowerState, Guest.IPAddress), which Add-LxdRemote reads.
        param([string] $Name)
        # The lab whose lab.env the tests read (lab.sh keeps lab.env in its state root).
        $saved = $env:LAB_ROOT
        $env:LAB_ROOT = Split-Path $LabEnvPath
        try { $output = & bash $LabScript add $Name 2>&1 }
        finally { $env:LAB_ROOT = $saved }
        if ($LASTEXITCODE -ne 0) { throw "lab.sh add $Name failed: $($output -join [Environment]::NewLine)" }
        $address = ([uri](Read-LabEnv)["LXDCOMPOSE_LAB_ADDRESS_$($Name -replace '-', '_')"]).Host
        [pscustomobject]@{
            PSTypeName = 'VMware.VimAutomation.ViCore.Impl.V1.VM.UniversalVirtualMachineImpl'
            Name       = $Name
            PowerState = 'PoweredOn'
            Guest      = [pscustomobject]@{
                PSTypeName = 'VMware.VimAutomation.ViCore.Impl.V1.VM.Guest.VMGuestImpl'
                VmName     = $Name
                IPAddress  = [string[]]@($address)
            }
        }
    }

    function Get-PinnedFingerprint {
        # The fingerprint of the certificate the lab pinned for a VM it added (what an administrator reads from
        # `lxc info` on the VM); the lab's config.yml must list the VM for this.
        param([string] $Vm)
        $remote = Get-LxdRemote $Vm -ConfigDirectory (Read-LabEnv).LXDCOMPOSE_LAB_CONF
        $remote.Address | Should -Be (Read-LabEnv)["LXDCOMPOSE_LAB_ADDRESS_$($Vm -replace '-', '_')"]
        $remote.PinnedFingerprint | Should -Match '^[0-9a-f]{64}$'
        $remote.PinnedFingerprint
    }

    Remove-StoryInstances
    # Save-LxdImage must find the new release missing on both VMs to show that it copies it.
    foreach ($vm in 'vm1', 'vm2') {
        foreach ($image in "nginx/$Release", "nginx/$NewRelease") {
            Invoke-LabLxc image delete "${vm}:$image" | Out-Null
        }
    }
    Set-ProdValues -Release $Release -Connections ([ordered]@{ nginx1 = 'vm1'; nginx2 = 'vm2' })
    Push-Location $Example
}

AfterAll {
    # Watches a failed test left running.
    $Watches | Stop-Job -PassThru | Remove-Job -Force -ErrorAction SilentlyContinue
    Clear-LxdRenderValue
    Pop-Location
    Remove-StoryInstances
    # The VMs the story added ("the lab adds vm3", "vm1-new") go again, so the lab is as `lab.sh up` left it.
    $saved = $env:LAB_ROOT
    $env:LAB_ROOT = Split-Path $LabEnvPath
    try { $output = & bash $LabScript remove vm3 vm1-new 2>&1 }
    finally { $env:LAB_ROOT = $saved }
    if ($LASTEXITCODE -ne 0) { throw "lab.sh remove vm3 vm1-new failed: $($output -join [Environment]::NewLine)" }
}

Describe 'The VMware-LXD 1:1 scenario' -Tag 'Lab' {
    It '1. shows the page''s tables: one project, two groups of one node each' {
        $project = Get-LxdProject
        $project.Name | Should -Be 'nginx-services'
        $project.Groups | Should -HaveCount 2
        $groups = Get-LxdGroup -Project nginx-services
        (Get-LxdProject nginx-services | Get-LxdGroup).Name | Should -Be $groups.Name
        $groups.Name | Should -Be @('nginx1-group', 'nginx2-group')
        $groups.Description | Should -Be @('Setup Nginx Frontend Node nginx1', 'Setup Nginx Frontend Node nginx2')
        $groups.Connection | Should -Be @('vm1', 'vm2')
        $groups | ForEach-Object { $_.Nodes | Should -HaveCount 1 }
        $groups[0].CommonProfiles | Should -Be @('default', 'net-phy-srv', 'logs-disk', 'autostart')
        $groups[0].Ephemeral | Should -BeFalse
        # One profile a line: a long list never cuts a profile name.
        ($groups | Format-Table | Out-String) | Should -Match 'nginx-services\s+nginx1-group\s+vm1\s+1\s+default\s*\r?\n\s+net-phy-srv\s*\r?\n'
        (Get-LxdNode nginx1).ImageSource | Should -Be "nginx/$Release"
    }

    It 'fails on the page''s text, which uses $privileged_containers without defining it, at file:line:column' {
        $page = Join-Path $TestDrive 'page-as-written'
        Copy-Item -Recurse $Example $page
        $spec = Join-Path $page 'envs/nginx-services.yml'
        $lines = @(Get-Content $spec | Where-Object { $_ -notmatch '^\{\{ \$privileged_containers := ' })
        $lines.Count | Should -Be (@(Get-Content $spec).Count - 1) -Because 'the example adds exactly one line to the page'
        Set-Content -Path $spec -Value $lines
        $line = 1 + [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($l) $l -match '\{\{- if \$privileged_containers' })
        $column = 1 + $lines[$line - 1].IndexOf('$privileged_containers')

        Get-LxdProject -ConfigPath (Join-Path $page '.lxd-compose.yml') -ErrorVariable problems -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        # One record: that the file is left out is the advice of its error, not a second error.
        $problems | Should -HaveCount 1
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].Exception.Message | Should -BeExactly "${spec}:${line}:${column}: undefined variable `"`$privileged_containers`""
        $problems[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $found = Test-LxdEnvironment -ConfigPath (Join-Path $page '.lxd-compose.yml')
        "$($found[0].File):$($found[0].Line):$($found[0].Column)" | Should -Be "${spec}:${line}:$column"
        $found[0].Message | Should -Be 'undefined variable "$privileged_containers"'
    }

    It '2. applies: nginx1 on vm1 and nginx2 on vm2 with their VM''s srv0, static address, hosts, nginx.conf; HTTP answers' {
        $results = Invoke-LxdApply nginx-services -InformationVariable info
        $results.Node | Should -Be @('nginx1', 'nginx2')
        $results.Remote | Should -Be @('vm1', 'vm2')
        $results.Action | Sort-Object -Unique | Should -Be 'Created'
        $results.State | Sort-Object -Unique | Should -Be 'Running'
        $results.FilesSynced | Should -Be @(1, 1)
        ($info | Where-Object { $_.Tags -contains 'node:nginx1' }).MessageData |
            Should -Contain '[nginx1] [/etc/hosts] Creating row: 198.18.20.101 nginx2.svc.lab nginx2'

        foreach ($pair in @(@('nginx1', 'vm1'), @('nginx2', 'vm2'))) {
            $node, $vm = $pair
            $page = Wait-Page -Node $node -Release $Release
            $page.StatusCode | Should -Be 200
            # The container holds its VM's service NIC itself: same MAC as the VM's srv0 (the lab derives it from the
            # VM's address), the static address from the vars file, set by systemd-networkd.
            $vmMac = '02:6c:61:62:14:{0:x2}' -f [int](([uri](Read-LabEnv)["LXDCOMPOSE_LAB_ADDRESS_$vm"]).Host.Split('.')[3])
            $link = (Invoke-InContainer $vm $node 'ip -json address show srv0') -join '' | ConvertFrom-Json
            $link.address | Should -Be $vmMac
            $link.addr_info.local | Should -Contain $ServiceAddress[$node]
            (Invoke-InContainer $vm $node 'networkctl status srv0 --no-pager') -join "`n" | Should -Match 'State: routable \(configured\)'
            $peer = if ($node -eq 'nginx1') { 'nginx2' } else { 'nginx1' }
            Invoke-InContainer $vm $node 'cat /etc/hosts' | Should -Contain "$($ServiceAddress[$peer]) $peer.svc.lab $peer"
            Invoke-InContainer $vm $node 'cat /etc/nginx/nginx.conf' | Should -Contain "        add_header X-Served-By `"$node`" always;"
            Invoke-InContainer $vm $node 'cat /etc/lxdcompose-lab-release' | Should -Be "nginx/$Release"
        }
    }

    It '3. Save-LxdImage pre-downloads the new release on both VMs' {
        $fetched = Save-LxdImage nginx-services -RenderValue @{ release = $NewRelease }
        $fetched.Remote | Should -Be @('vm1', 'vm2')
        $fetched.Image | Sort-Object -Unique | Should -Be "nginx/$NewRelease"
        $fetched.Action | Sort-Object -Unique | Should -Be 'Copied'
        (Save-LxdImage nginx-services -RenderValue @{ release = $NewRelease }).Action | Sort-Object -Unique | Should -Be 'Present'
    }

    It '4. upgrades one group at a time with -RenderValue: nginx1 runs the new release while nginx2 keeps answering' {
        $watch = Start-PageWatch nginx2
        $removed = Remove-LxdGroup nginx1-group -Project nginx-services -Confirm:$false
        $removed.Node | Should -Be 'nginx1'
        $removed.Action | Should -Be 'Destroyed'
        Get-Instance vm1 nginx1 | Should -BeNullOrEmpty

        $upgraded = Invoke-LxdApply nginx-services -Group nginx1-group -RenderValue @{ release = $NewRelease }
        $upgraded.Node | Should -Be 'nginx1'
        $upgraded.Action | Should -Be 'Created'
        (Wait-Page -Node nginx1 -Release $NewRelease).StatusCode | Should -Be 200
        Invoke-InContainer vm1 nginx1 'cat /etc/lxdcompose-lab-release' | Should -Be "nginx/$NewRelease"
        $served = Stop-PageWatch nginx2 $watch
        $served.Failures | Should -BeNullOrEmpty
        $served.Answered | Should -BeGreaterThan 0
        (Wait-Page -Node nginx2 -Release $Release -TimeoutSeconds 5).StatusCode | Should -Be 200
    }

    It '4. upgrades the other group with Set-LxdRenderValue for the session, while nginx1 keeps answering' {
        $watch = Start-PageWatch nginx1
        Remove-LxdGroup nginx2-group -Project nginx-services -Confirm:$false | Out-Null
        Set-LxdRenderValue -Name release -Value $NewRelease
        try {
            (Get-LxdNode nginx2).ImageSource | Should -Be "nginx/$NewRelease"
            $upgraded = Invoke-LxdApply nginx-services -Group nginx2-group
        }
        finally {
            Clear-LxdRenderValue -Name release
        }
        $upgraded.Node | Should -Be 'nginx2'
        $upgraded.Action | Should -Be 'Created'
        (Wait-Page -Node nginx2 -Release $NewRelease).StatusCode | Should -Be 200
        $served = Stop-PageWatch nginx1 $watch
        $served.Failures | Should -BeNullOrEmpty
        $served.Answered | Should -BeGreaterThan 0
        (Get-LxdNode nginx2).ImageSource | Should -Be "nginx/$Release" -Because 'the session value is gone'
    }

    It '5. scales out: the lab adds vm3, prod.yaml gains nginx3, apply creates only what is missing' {
        $vm3 = New-LabVm vm3
        (Read-LabEnv).LXDCOMPOSE_LAB_ADDED_VMS -split ' ' | Should -Contain 'vm3'
        $vm3 | Add-LxdRemote -Fingerprint (Get-PinnedFingerprint vm3) -ConfigDirectory $ExampleConf |
            Select-Object -ExpandProperty Address | Should -Be 'https://198.18.0.13:8443'
        # The upgrade is done: prod.yaml names the new release, and the new node.
        Set-ProdValues -Release $NewRelease -Connections ([ordered]@{ nginx1 = 'vm1'; nginx2 = 'vm2'; nginx3 = 'vm3' })
        (Get-LxdGroup -Project nginx-services).Name | Should -Be @('nginx1-group', 'nginx2-group', 'nginx3-group')

        $results = Invoke-LxdApply nginx-services
        $results.Node | Should -Be @('nginx1', 'nginx2', 'nginx3')
        $results.Action | Should -Be @('Unchanged', 'Unchanged', 'Created')
        $results[2].Remote | Should -Be 'vm3'
        (Wait-Page -Node nginx3 -Release $NewRelease).StatusCode | Should -Be 200
        Invoke-InContainer vm3 nginx3 'cat /etc/hosts' | Should -Contain '198.18.20.100 nginx1.svc.lab nginx1'
    }

    It '6. replaces vm1 by vm1-new: same container name and service address; rollback by switching back' {
        # The VM first: an argument like -Fingerprint (...) is evaluated before the pipeline runs.
        $newVm = New-LabVm vm1-new
        $newVm | Add-LxdRemote -Fingerprint (Get-PinnedFingerprint vm1-new) -ConfigDirectory $ExampleConf |
            Select-Object -ExpandProperty Address | Should -Be 'https://198.18.0.61:8443'

        # The container on the old VM stops (and frees the service address); prod.yaml points nginx1 at the new VM.
        $stopped = Stop-LxdGroup nginx1-group -Project nginx-services
        $stopped.Action | Should -Be 'Stopped'
        (Get-Instance vm1 nginx1).status | Should -Be 'Stopped'
        Set-ProdValues -Release $NewRelease -Connections ([ordered]@{ nginx1 = 'vm1-new'; nginx2 = 'vm2'; nginx3 = 'vm3' })
        $moved = Invoke-LxdApply nginx-services -Group nginx1-group
        $moved.Node | Should -Be 'nginx1'
        $moved.Remote | Should -Be 'vm1-new'
        $moved.Action | Should -Be 'Created'
        (Wait-Page -Node nginx1 -Release $NewRelease).StatusCode | Should -Be 200
        (Get-Instance vm1-new nginx1).status | Should -Be 'Running'
        (Get-Instance vm1 nginx1).status | Should -Be 'Stopped' -Because 'the old container stays for the rollback'

        # Rollback: the new VM's container stops first (two running containers must never hold the same address),
        # then nginx1 points at vm1 again, and apply starts the old container.
        (Stop-LxdGroup nginx1-group -Project nginx-services).Remote | Should -Be 'vm1-new'
        Set-ProdValues -Release $NewRelease -Connections ([ordered]@{ nginx1 = 'vm1'; nginx2 = 'vm2'; nginx3 = 'vm3' })
        $rolledBack = Invoke-LxdApply nginx-services -Group nginx1-group
        $rolledBack.Remote | Should -Be 'vm1'
        $rolledBack.Action | Should -Be 'Started'
        (Wait-Page -Node nginx1 -Release $NewRelease).StatusCode | Should -Be 200
        (Get-Instance vm1 nginx1).status | Should -Be 'Running'
        (Get-Instance vm1-new nginx1).status | Should -Be 'Stopped'
    }

    It 'keeps the service address with its holder when the other copy is started by mistake (duplicate address detection)' {
        # The mistake step 6 warns about: vm1-new's copy started while the one on vm1 holds 198.18.20.100.
        $onNewVm = @{ nginx_nodes = @(@{ connection = 'vm1-new'; name = 'nginx1' }) }
        (Invoke-LxdApply nginx-services -Group nginx1-group -RenderValue $onNewVm).Action | Should -Be 'Started'
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        do {
            $journal = Invoke-InContainer vm1-new nginx1 'journalctl -b -u systemd-networkd --no-pager -o cat'
            $conflict = $journal -match "srv0: Dropping address $([regex]::Escape($ServiceAddress.nginx1)), as an address conflict was detected"
        } until ($conflict -or [DateTime]::UtcNow -gt $deadline)
        $conflict | Should -Not -BeNullOrEmpty -Because 'networkd probes before it takes the address'
        (Invoke-InContainer vm1-new nginx1 'ip -json -4 address show srv0') -join '' | ConvertFrom-Json |
            ForEach-Object { $_.addr_info.local } | Should -Not -Contain $ServiceAddress.nginx1
        (Invoke-InContainer vm1 nginx1 'ip -json -4 address show srv0') -join '' | ConvertFrom-Json |
            ForEach-Object { $_.addr_info.local } | Should -Contain $ServiceAddress.nginx1
        (Stop-LxdGroup nginx1-group -Project nginx-services -RenderValue $onNewVm).Action | Should -Be 'Stopped'
    }

    It 'removes the service: every group, then the stopped copy on vm1-new' {
        $removed = Remove-LxdGroup -Project nginx-services -Confirm:$false
        $removed.Node | Should -Be @('nginx1', 'nginx2', 'nginx3')
        $removed.Action | Sort-Object -Unique | Should -Be 'Destroyed'
        # The copy left on the other VM: nginx_nodes given for this one call, prod.yaml unchanged.
        $copy = Remove-LxdGroup nginx1-group -Project nginx-services -Confirm:$false `
            -RenderValue @{ nginx_nodes = @(@{ connection = 'vm1-new'; name = 'nginx1' }) }
        $copy.Remote | Should -Be 'vm1-new'
        $copy.Action | Should -Be 'Destroyed'
        foreach ($vm in 'vm1', 'vm2', 'vm3', 'vm1-new') {
            foreach ($node in $Nodes) { Get-Instance $vm $node | Should -BeNullOrEmpty }
        }
    }
}
