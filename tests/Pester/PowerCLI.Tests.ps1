# PowerCLI interop against the LXD lab (tests/lab/lab.sh): objects shaped like what Get-VM and Get-VMGuest emit (live
# and deserialized) go through Add-LxdRemote, and one goes on into Invoke-LxdApply. PowerCLI itself is not installed:
# the objects carry PowerCLI's type names and properties only, as the module duck-types them. Without the lab these
# tests fail, as the lab contract says. The one instance created is t-pcli-box, removed at the end.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    $script:Lab = Read-LabEnv
    $labEnv = $Lab.Path
    $script:LabConf = $Lab.LXDCOMPOSE_LAB_CONF
    # lxc's state for the lab's admin calls (tests/lab/lab.sh lxc_admin), beside lab.env.
    $script:AdminConf = Join-Path (Split-Path $labEnv) 'admin-conf'
    $script:LabVms = @($Lab.LXDCOMPOSE_LAB_VMS -split ' ' | Where-Object { $_ })

    # PowerCLI's runtime type names (PSObject.TypeNames[0] of its objects); interfaces never appear there.
    $script:VmType = 'VMware.VimAutomation.ViCore.Impl.V1.VM.UniversalVirtualMachineImpl'
    $script:InventoryVmType = 'VMware.VimAutomation.ViCore.Impl.V1.Inventory.VirtualMachineImpl'
    $script:GuestType = 'VMware.VimAutomation.ViCore.Impl.V1.VM.Guest.VMGuestImpl'

    function Get-LabVm {
        # Spreads the tests over the lab's VMs.
        param([int] $Index)
        $LabVms[$Index % $LabVms.Count]
    }

    function Get-LabIp {
        param([string] $Vm)
        ([uri]$Lab["LXDCOMPOSE_LAB_ADDRESS_$Vm"]).Host
    }

    function Invoke-LabAdmin {
        # lxc against a lab VM's daemon over its unix socket, as tests/lab/lab.sh lxc_admin does.
        param([string] $Vm, [string[]] $Arguments)
        $env:LXD_DIR = Split-Path $Lab["LXDCOMPOSE_LAB_SOCKET_$Vm"]
        $env:LXD_CONF = $AdminConf
        try { & lxc @Arguments 2>&1 }
        finally { Remove-Item Env:LXD_DIR, Env:LXD_CONF -ErrorAction SilentlyContinue }
    }

    function New-TrustToken {
        # A token from the VM's own lxc, as an administrator would create it.
        param([string] $Vm, [string] $ClientName)
        $output = Invoke-LabAdmin $Vm @('config', 'trust', 'add', '--name', $ClientName, '-q')
        if ($LASTEXITCODE -ne 0) { throw "lxc config trust add on ${Vm} failed: $output" }
        "$($output | Select-Object -Last 1)".Trim()
    }

    function Remove-Trust {
        # Untrusts the client certificate a test generated, so runs do not pile up trusted certificates in the lab.
        param([string] $Vm, [string] $ConfigDirectory)
        $certificate = Join-Path $ConfigDirectory 'client.crt'
        if (-not (Test-Path $certificate)) { return }
        $fingerprint = [Security.Cryptography.X509Certificates.X509Certificate2]::new($certificate).GetCertHashString('SHA256').ToLowerInvariant()
        Invoke-LabAdmin $Vm @('config', 'trust', 'remove', $fingerprint) | Out-Null
    }

    function Set-TypeNames {
        # What a deserialized object carries: the original type names behind "Deserialized.", and no live type.
        param([psobject] $Object, [string[]] $TypeNames)
        $Object.PSTypeNames.Clear()
        foreach ($name in $TypeNames) { $Object.PSTypeNames.Add($name) }
        $Object
    }

    function New-VmGuest {
        # The VMGuest of Get-VMGuest or $vm.Guest: VmName, HostName, IPAddress (string[], index 0 the primary), ...
        # Before VMware Tools report, IPAddress and HostName are empty.
        param([string] $VmName, [string[]] $IPAddress)
        [pscustomobject]@{
            PSTypeName = $GuestType
            VmName     = $VmName
            VmId       = 'VirtualMachine-vm-1001'
            HostName   = if ($IPAddress) { "$VmName.corp.example" } else { '' }
            IPAddress  = [string[]]$IPAddress
            OSFullName = 'Ubuntu Linux (64-bit)'
            State      = 'Running'
        }
    }

    function New-Vm {
        # What Get-VM emits: Name, PowerState, ... and the guest information one level down, under Guest.
        param([string] $Name, [string[]] $IPAddress, [string] $TypeName = $VmType)
        [pscustomobject]@{
            PSTypeName = $TypeName
            Name       = $Name
            Id         = 'VirtualMachine-vm-1001'
            PowerState = 'PoweredOn'
            NumCpu     = 2
            MemoryGB   = 4
            Guest      = New-VmGuest -VmName $Name -IPAddress $IPAddress
        }
    }

    function ConvertTo-HandDeserialized {
        # A deserialized object built by hand: PSTypeNames prefixed with "Deserialized.", arrays as ArrayLists typed
        # Deserialized.System.String[], nested objects likewise; what Receive-Job or Invoke-Command hand back.
        param([psobject] $Object)
        $copy = [pscustomobject]@{}
        foreach ($property in $Object.PSObject.Properties) {
            $value = $property.Value
            if ($value -is [array]) {
                $value = Set-TypeNames ([psobject][Collections.ArrayList]::new($value)) @(
                    'Deserialized.System.String[]', 'Deserialized.System.Array', 'Deserialized.System.Object')
            }
            elseif ($value -is [psobject] -and $value.PSObject.BaseObject -is [Management.Automation.PSCustomObject]) {
                $value = ConvertTo-HandDeserialized $value
            }
            $copy | Add-Member -NotePropertyName $property.Name -NotePropertyValue $value
        }
        Set-TypeNames $copy @("Deserialized.$($Object.PSTypeNames[0])", 'Deserialized.System.Object')
    }

    function ConvertTo-Deserialized {
        # The real round trip of jobs and remoting, at their default depth.
        param([psobject] $Object)
        $xml = [Management.Automation.PSSerializer]::Serialize($Object, 1)
        [Management.Automation.PSSerializer]::Deserialize($xml)
    }

    function New-Shape {
        # Every shape a VMware admin pipes in, for VM name $Name whose reachable address is $Ip. PowerCLI lists the
        # IPv6 link-local and an APIPA address too; the global IPv6 comes after the primary IPv4 as the guest reports it.
        param([string] $Shape, [string] $Name, [string] $Ip)
        $addresses = @('fe80::250:56ff:fe8a:1b2c', '169.254.33.7', $Ip, '2001:db8:10::11')
        switch ($Shape) {
            'Get-VM' { New-Vm -Name $Name -IPAddress $addresses }
            'Get-VM (inventory type)' { New-Vm -Name $Name -IPAddress $addresses -TypeName $InventoryVmType }
            'Get-VMGuest' { New-VmGuest -VmName $Name -IPAddress $addresses }
            'Get-VM, deserialized by hand' { ConvertTo-HandDeserialized (New-Vm -Name $Name -IPAddress $addresses) }
            'Get-VMGuest, deserialized by hand' { ConvertTo-HandDeserialized (New-VmGuest -VmName $Name -IPAddress $addresses) }
            'Get-VM, through PSSerializer' { ConvertTo-Deserialized (New-Vm -Name $Name -IPAddress $addresses) }
            'Get-VMGuest, through PSSerializer' { ConvertTo-Deserialized (New-VmGuest -VmName $Name -IPAddress $addresses) }
            'plain object' { [pscustomobject]@{ Name = $Name; IPAddress = $Ip } }
            default { throw "unknown shape '$Shape'" }
        }
    }

    function Assert-RemoteWritten {
        # The remote as Add-LxdRemote returned it, as config.yml and servercerts/ hold it, and usable with the new
        # client certificate.
        param($Added, [string] $ConfigDirectory, [string] $Name, [string] $Vm)
        $labRemote = Get-LxdRemote $Vm -ConfigDirectory $LabConf
        $Added | Should -HaveCount 1
        $Added.Name | Should -Be $Name
        $Added.Address | Should -Be $Lab["LXDCOMPOSE_LAB_ADDRESS_$Vm"]
        $Added.Protocol | Should -Be 'lxd'
        $Added.PinnedFingerprint | Should -Be $labRemote.PinnedFingerprint

        $written = Get-LxdRemote $Name -ConfigDirectory $ConfigDirectory
        $written.Address | Should -Be $Added.Address
        $written.AuthType | Should -Be 'tls'
        $pin = Join-Path $ConfigDirectory "servercerts/$Name.crt"
        $pin | Should -Exist
        [Security.Cryptography.X509Certificates.X509Certificate2]::new($pin).GetCertHashString('SHA256').ToLowerInvariant() |
            Should -Be $labRemote.PinnedFingerprint
        (Test-LxdRemote $Name -ConfigDirectory $ConfigDirectory).Trusted | Should -BeTrue
    }
}

Describe 'Add-LxdRemote takes PowerCLI objects' -Tag 'Lab' {
    BeforeEach {
        $script:Conf = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    }

    It 'onboards from the <Shape> shape: name, first usable address, pinned certificate' -ForEach @(
        @{ Shape = 'Get-VM'; Index = 0 }
        @{ Shape = 'Get-VM (inventory type)'; Index = 1 }
        @{ Shape = 'Get-VMGuest'; Index = 0 }
        @{ Shape = 'Get-VM, deserialized by hand'; Index = 1 }
        @{ Shape = 'Get-VMGuest, deserialized by hand'; Index = 0 }
        @{ Shape = 'Get-VM, through PSSerializer'; Index = 1 }
        @{ Shape = 'Get-VMGuest, through PSSerializer'; Index = 0 }
        @{ Shape = 'plain object'; Index = 1 }
    ) {
        $vm = Get-LabVm $Index
        $name = "esx-app0$Index"
        $object = New-Shape -Shape $Shape -Name $name -Ip (Get-LabIp $vm)
        if ($Shape -like '*deserialized*' -or $Shape -like '*PSSerializer*') {
            # The objects really are what a job or remoting session hands back, not live ones.
            $object.PSTypeNames[0] | Should -BeLike 'Deserialized.VMware.VimAutomation.ViCore.Impl.V1.*'
            $object.PSTypeNames | Should -Not -Contain $VmType
            $object.PSTypeNames | Should -Not -Contain $GuestType
            if ($Shape -like 'Get-VM,*') { $object.Guest.PSTypeNames[0] | Should -Be "Deserialized.$GuestType" }
        }
        $token = New-TrustToken -Vm $vm -ClientName "pester-pcli-$Index"
        try {
            $added = $object | Add-LxdRemote -Token $token -ConfigDirectory $Conf
            Assert-RemoteWritten -Added $added -ConfigDirectory $Conf -Name $name -Vm $vm
        }
        finally { Remove-Trust -Vm $vm -ConfigDirectory $Conf }
    }

    It 'onboards VMs piped together, each with its own token, into one configuration' {
        $vms = @(0, 1 | ForEach-Object { Get-LabVm $_ })
        $objects = @(
            New-Shape -Shape 'Get-VM' -Name 'esx-web01' -Ip (Get-LabIp $vms[0])
            New-Shape -Shape 'Get-VMGuest' -Name 'esx-web02' -Ip (Get-LabIp $vms[1])
        )
        $tokens = @{
            'esx-web01' = New-TrustToken -Vm $vms[0] -ClientName 'pester-pcli-web01'
            'esx-web02' = New-TrustToken -Vm $vms[1] -ClientName 'pester-pcli-web02'
        }
        try {
            $added = $objects | ForEach-Object {
                $vmName = if ($_.Name) { $_.Name } else { $_.VmName }
                $_ | Add-LxdRemote -Token $tokens[$vmName] -ConfigDirectory $Conf
            }
            $added.Name | Should -Be @('esx-web01', 'esx-web02')
            Assert-RemoteWritten -Added $added[0] -ConfigDirectory $Conf -Name 'esx-web01' -Vm $vms[0]
            Assert-RemoteWritten -Added $added[1] -ConfigDirectory $Conf -Name 'esx-web02' -Vm $vms[1]
            (Get-LxdRemote 'esx-*' -ConfigDirectory $Conf).Name | Should -Be @('esx-web01', 'esx-web02')
        }
        finally { $vms | Sort-Object -Unique | ForEach-Object { Remove-Trust -Vm $_ -ConfigDirectory $Conf } }
    }

    It 'reports a VM whose tools have not reported an address as a per-object error, and onboards the next one' {
        # This configuration's client is already trusted (the lab's), so no token is needed: -Fingerprint pins.
        New-Item -ItemType Directory -Path $Conf | Out-Null
        Copy-Item (Join-Path $LabConf 'client.crt'), (Join-Path $LabConf 'client.key') $Conf
        $vm = Get-LabVm 0
        $unready = New-Vm -Name 'esx-booting' -IPAddress @()
        $ready = New-Vm -Name 'esx-ready' -IPAddress @('fe80::1', (Get-LabIp $vm))
        $fingerprint = (Get-LxdRemote $vm -ConfigDirectory $LabConf).PinnedFingerprint

        $added = $unready, $ready | Add-LxdRemote -Fingerprint $fingerprint -ConfigDirectory $Conf -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdRemoteAddressMissing,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $problems[0].TargetObject.Name | Should -Be 'esx-booting'
        $problems[0].Exception.Message | Should -Match 'Guest\.IPAddress'
        Assert-RemoteWritten -Added $added -ConfigDirectory $Conf -Name 'esx-ready' -Vm $vm
        (Get-LxdRemote 'esx-*' -ConfigDirectory $Conf).Name | Should -Be 'esx-ready'
    }

    It 'skips link-local addresses of both families and writes an IPv6 address in brackets (-WhatIf, in a new pwsh)' {
        # What-if text goes to the host, so it is read from a child pwsh's output; nothing is contacted.
        $output = Invoke-ChildPwsh -Script @"
Import-Module '$ModuleManifest'
`$guest = [pscustomobject]@{ PSTypeName = '$GuestType'; VmName = 'esx-v6'; HostName = 'esx-v6.corp.example'; IPAddress = [string[]]@('fe80::250:56ff:fe8a:1b2c', '169.254.1.9', '2001:db8:10::11', '198.18.0.99') }
`$guest | Add-LxdRemote -AcceptCertificate -ConfigDirectory '$Conf' -WhatIf
"@
        ($output -join "`n") | Should -Match ([regex]::Escape("remote 'esx-v6' at [2001:db8:10::11] in"))
        Join-Path $Conf 'config.yml' | Should -Not -Exist
    }
}

Describe 'From a PowerCLI VM to a running container' -Tag 'Lab' {
    BeforeAll {
        $script:ApplyVm = Get-LabVm 1
        $script:ApplyConf = Join-Path $TestDrive 'apply-lxd-conf'
        $script:RemoteName = 'esx-lxdhost01'
        # A second VM of the project that is not onboarded: its group must be left alone when only the first is piped.
        $script:OtherRemote = 'esx-lxdhost02'
        $script:Instance = 't-pcli-box'

        # A project with one group per VM: "box" on the remote the VM becomes, "spare" on a VM never added as a remote
        # (an apply that reached it would fail: the remote is unknown). lxd_confdir is where the remote is written.
        $specRoot = Join-Path $TestDrive 'pcli-spec'
        New-Item -ItemType Directory -Path (Join-Path $specRoot 'envs') -Force | Out-Null
        $script:SpecConfig = Join-Path $specRoot '.lxd-compose.yml'
        Set-Content -Path $SpecConfig -Value @"
general:
  lxd_confdir: $ApplyConf
env_dirs:
  - ./envs
"@
        Set-Content -Path (Join-Path $specRoot 'envs/pcli.yml') -Value @"
version: "1"
projects:
  - name: pcli
    groups:
      - name: box
        connection: $RemoteName
        nodes:
          - name: box
            image_source: $($Lab.LXDCOMPOSE_LAB_IMAGE_BUSYBOX)
            # the image alias the server already has
            image_remote_server: $RemoteName
            entrypoint: ["/bin/sh", "-c"]
            wait_ip: 60
        hooks:
          - event: post-node-creation
            node: ""
            entrypoint: ["/bin/sh", "-c"]
            commands:
              - hostname
      - name: spare
        connection: $OtherRemote
        nodes:
          - name: spare
            image_source: $($Lab.LXDCOMPOSE_LAB_IMAGE_BUSYBOX)
            image_remote_server: $OtherRemote
  # Named like the LXD project every remote uses: a remote piped without -Project must not deploy it.
  - name: default
    groups:
      - name: trap
        connection: $RemoteName
        nodes:
          - name: trap
            image_source: $($Lab.LXDCOMPOSE_LAB_IMAGE_BUSYBOX)
            image_remote_server: $RemoteName
"@
        $script:Apply = @{ Project = 'pcli'; ConfigPath = $SpecConfig; NodesPrefix = 't-pcli' }

        # Instances an interrupted earlier run left (its client configuration went with its TestDrive).
        foreach ($leftover in $Instance, 't-pcli-trap') {
            if ((Invoke-LabAdmin $ApplyVm @('list', $leftover, '-f', 'csv', '-c', 'n')) -contains $leftover) {
                Invoke-LabAdmin $ApplyVm @('delete', '--force', $leftover) | Out-Null
            }
        }
    }

    AfterAll {
        # Runs even when a test failed: the container goes first (it needs the trusted client), then the trust.
        if (Test-Path (Join-Path $ApplyConf 'config.yml')) {
            Remove-LxdGroup @Apply -Group box -Confirm:$false -ErrorAction Continue | Out-Null
        }
        Remove-Trust -Vm $ApplyVm -ConfigDirectory $ApplyConf
    }

    It 'pipes a Get-VM object through Add-LxdRemote straight into Invoke-LxdApply: only the group on that VM runs' {
        $vm = New-Shape -Shape 'Get-VM' -Name $RemoteName -Ip (Get-LabIp $ApplyVm)
        $token = New-TrustToken -Vm $ApplyVm -ClientName 'pester-pcli-apply'

        $results = $vm | Add-LxdRemote -Token $token -ConfigDirectory $ApplyConf | Tee-Object -Variable added |
            Invoke-LxdApply -Project pcli -ConfigPath $SpecConfig -NodesPrefix t-pcli -InformationVariable info

        Assert-RemoteWritten -Added $added -ConfigDirectory $ApplyConf -Name $RemoteName -Vm $ApplyVm
        # The remote's own Project is LXD's 'default'; it did not bind to the spec project of that name.
        $added.Project | Should -BeIn @('', 'default')
        $results | Should -HaveCount 1
        $results.Project | Should -Be 'pcli'
        $results.Group | Should -Be 'box'
        $results.Node | Should -Be $Instance
        $results.Remote | Should -Be $RemoteName
        $results.Action | Should -Be 'Created'
        $results.State | Should -Be 'Running'
        $results.IPv4 | Should -Match '^198\.18\.1\d\d\.\d+$'
        # The hook ran inside the container, through the new remote.
        ($info | Where-Object { $_.Tags -contains "node:$Instance" }).MessageData | Should -Contain "[$Instance] $Instance"
        # And the server itself says so; the trap project's node was never created.
        Invoke-LabAdmin $ApplyVm @('list', $Instance, '-f', 'csv', '-c', 'ns') | Should -Be "$Instance,RUNNING"
        Invoke-LabAdmin $ApplyVm @('list', 't-pcli-trap', '-f', 'csv', '-c', 'n') | Should -BeNullOrEmpty
    }

    It 'plans through the remote object from Get-LxdRemote, and through a deserialized copy of it' {
        $remote = Get-LxdRemote $RemoteName -ConfigDirectory $ApplyConf
        $plan = $remote | Get-LxdApplyPlan @Apply
        $plan.Node | Should -Be $Instance
        $plan.Action | Should -Be 'Unchanged'

        # What Receive-Job or Invoke-Command hands back binds -Remote too.
        $copy = ConvertTo-Deserialized $remote
        $copy.PSTypeNames[0] | Should -Be 'Deserialized.LxdCompose.PowerShell.LxdRemoteInfo'
        ($copy | Get-LxdApplyPlan @Apply).Node | Should -Be $Instance
        # And a remote named on the command line.
        (Get-LxdApplyPlan @Apply -Remote $RemoteName).Node | Should -Be $Instance
    }

    It 'stops a remote piped without -Project with LxdRemoteNeedsProject, and deploys nothing' {
        $remote = Get-LxdRemote $RemoteName -ConfigDirectory $ApplyConf
        $results = $remote | Invoke-LxdApply -ConfigPath $SpecConfig -NodesPrefix t-pcli -ErrorVariable problems -ErrorAction SilentlyContinue

        $results | Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdRemoteNeedsProject,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problems[0].TargetObject.Name | Should -Be $RemoteName
        $problems[0].Exception.Message | Should -Match '-Project <project>'
        Invoke-LabAdmin $ApplyVm @('list', 't-pcli-trap', '-f', 'csv', '-c', 'n') | Should -BeNullOrEmpty
    }

    It 'refuses a remote of another client configuration, and names a remote no group runs on' {
        $elsewhere = Get-LxdRemote $ApplyVm -ConfigDirectory $LabConf
        $null = $elsewhere | Get-LxdApplyPlan @Apply -ErrorVariable mismatch -ErrorAction SilentlyContinue
        $mismatch | Should -HaveCount 1
        $mismatch[0].FullyQualifiedErrorId | Should -BeLike 'LxdRemoteConfigMismatch,*'
        $mismatch[0].Exception.Message | Should -BeLike "*'$LabConf'*'$ApplyConf'*"

        $plan = Get-LxdApplyPlan @Apply -Remote $RemoteName, 'esx-unused' -ErrorVariable unused -ErrorAction SilentlyContinue
        $plan.Node | Should -Be $Instance
        $unused | Should -HaveCount 1
        $unused[0].FullyQualifiedErrorId | Should -BeLike 'LxdRemoteHasNoGroup,*'
        $unused[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $unused[0].Exception.Message | Should -Match "esx-lxdhost01, esx-lxdhost02"
    }

    It 'Remove-LxdGroup deletes it through the same remote, piped' {
        $removed = Get-LxdRemote $RemoteName -ConfigDirectory $ApplyConf | Remove-LxdGroup @Apply -Confirm:$false
        $removed.Node | Should -Be $Instance
        $removed.Action | Should -Be 'Destroyed'
        Invoke-LabAdmin $ApplyVm @('list', $Instance, '-f', 'csv', '-c', 'n') | Should -BeNullOrEmpty
    }
}
