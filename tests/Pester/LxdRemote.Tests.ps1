# The remote cmdlets against the LXD lab (tests/lab/lab.sh). Without the lab these tests fail, as the lab contract says.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    $script:Lab = Read-LabEnv
    $script:LabConf = $Lab.LXDCOMPOSE_LAB_CONF
    $script:Vm = ($Lab.LXDCOMPOSE_LAB_VMS -split ' ')[0]
    $script:VmAddress = $Lab["LXDCOMPOSE_LAB_ADDRESS_$Vm"]
    $script:VmSocket = $Lab["LXDCOMPOSE_LAB_SOCKET_$Vm"]

    function New-TrustToken {
        # A token from the VM's own lxc, as an administrator would create it.
        param([string] $ClientName)
        $env:LXD_DIR = Split-Path $VmSocket
        $env:LXD_CONF = Join-Path $TestDrive 'admin-lxc'
        try { (& lxc config trust add --name $ClientName -q 2>&1 | Select-Object -Last 1).ToString().Trim() }
        finally { Remove-Item Env:LXD_DIR, Env:LXD_CONF -ErrorAction SilentlyContinue }
    }

    function Remove-Trust {
        param([string] $CertificatePath)
        if (-not (Test-Path $CertificatePath)) { return }
        $fingerprint = [Security.Cryptography.X509Certificates.X509Certificate2]::new($CertificatePath).GetCertHashString('SHA256').ToLowerInvariant()
        $env:LXD_DIR = Split-Path $VmSocket
        $env:LXD_CONF = Join-Path $TestDrive 'admin-lxc'
        try { & lxc config trust remove $fingerprint 2>&1 | Out-Null }
        finally { Remove-Item Env:LXD_DIR, Env:LXD_CONF -ErrorAction SilentlyContinue }
    }
}

Describe 'Get-LxdRemote' -Tag 'Lab' {
    It 'lists the lab remotes with the default marked and pinned fingerprints' {
        $remotes = Get-LxdRemote -ConfigDirectory $LabConf
        $remotes.Name | Should -Contain $Vm
        $remotes.Name | Should -Contain 'local'
        $default = $remotes | Where-Object IsDefault
        $default.Name | Should -Be $Vm
        $default.Address | Should -Be $VmAddress
        $default.PinnedFingerprint | Should -Match '^[0-9a-f]{64}$'
        $default.PSObject.TypeNames[0] | Should -Be 'LxdCompose.PowerShell.LxdRemoteInfo'
    }

    It 'filters by wildcard and by -Default' {
        (Get-LxdRemote 'vm*' -ConfigDirectory $LabConf).Name | Should -Contain $Vm
        (Get-LxdRemote -Default -ConfigDirectory $LabConf).Name | Should -Be $Vm
    }

    It 'reports an unknown name as a non-terminating ObjectNotFound error' {
        $found = Get-LxdRemote 'nope' -ConfigDirectory $LabConf -ErrorVariable problems -ErrorAction SilentlyContinue
        $found | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdRemoteNotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'nope'
    }

    It 'lists the built-in remotes when there is no config.yml' {
        $remotes = Get-LxdRemote -ConfigDirectory (Join-Path $TestDrive 'empty')
        $remotes.Name | Should -Be @('images', 'local')
        ($remotes | Where-Object Name -eq 'images').Protocol | Should -Be 'simplestreams'
    }

    It 'shows a table with the remote columns' {
        $text = Get-LxdRemote -ConfigDirectory $LabConf | Format-Table | Out-String -Width 120
        $text | Should -Match 'Name\s+Address\s+Protocol\s+Auth\s+Pinned'
        $text | Should -Match "$Vm \*"
    }
}

Describe 'Test-LxdRemote' -Tag 'Lab' {
    It 'finds the default remote reachable, trusted, LXD with a version' {
        $result = Test-LxdRemote -ConfigDirectory $LabConf
        $result.Name | Should -Be $Vm
        $result.Reachable | Should -BeTrue
        $result.Trusted | Should -BeTrue
        $result.Dialect | Should -Be 'lxd'
        $result.ServerVersion | Should -Not -BeNullOrEmpty
        $result.Problem | Should -BeNullOrEmpty
        Test-LxdRemote $Vm -Quiet -ConfigDirectory $LabConf | Should -BeTrue
    }

    It 'reports an unreachable remote as a result with the problem, not an error' {
        $conf = Join-Path $TestDrive 'unreachable'
        New-Item -ItemType Directory $conf | Out-Null
        Set-Content (Join-Path $conf 'config.yml') "remotes:`n  dead: {addr: 'https://127.0.0.1:1', protocol: lxd}`n"
        $result = Test-LxdRemote dead -ConfigDirectory $conf
        $result.Reachable | Should -BeFalse
        $result.Problem | Should -Match 'Cannot reach'
        Test-LxdRemote dead -Quiet -ConfigDirectory $conf | Should -BeFalse
    }
}

Describe 'Add-LxdRemote and Remove-LxdRemote' -Tag 'Lab' {
    BeforeEach {
        $script:Conf = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    }

    It 'onboards with a trust token like lxc remote add: client certificate, pin, config.yml' {
        $token = New-TrustToken -ClientName 'pester-token'
        try {
            $added = Add-LxdRemote -Name lab -Address $VmAddress -Token $token -ConfigDirectory $Conf -Default
            $added.Name | Should -Be 'lab'
            $added.IsDefault | Should -BeTrue
            $added.PinnedFingerprint | Should -Be (Get-LxdRemote $Vm -ConfigDirectory $LabConf).PinnedFingerprint
            Get-Content -Raw (Join-Path $Conf 'client.key') | Should -Match '^-----BEGIN EC PRIVATE KEY-----'
            Get-Content -Raw (Join-Path $Conf 'config.yml') | Should -Match 'default-remote: lab'
            (Test-LxdRemote lab -ConfigDirectory $Conf).Trusted | Should -BeTrue
        }
        finally { Remove-Trust (Join-Path $Conf 'client.crt') }
    }

    It 'binds a PowerCLI-shaped VM through Guest.IPAddress, skipping link-local addresses' {
        $token = New-TrustToken -ClientName 'pester-vm'
        $ip = ([uri]$VmAddress).Host
        $vm = [pscustomobject]@{
            PSTypeName = 'VMware.VimAutomation.ViCore.Impl.V1.VM.UniversalVirtualMachineImpl'
            Name       = 'labvm'
            PowerState = 'PoweredOn'
            Guest      = [pscustomobject]@{ IPAddress = @('fe80::250:56ff:fe01:2', $ip); HostName = 'labvm.example' }
        }
        try {
            $added = $vm | Add-LxdRemote -Token $token -ConfigDirectory $Conf
            $added.Name | Should -Be 'labvm'
            $added.Address | Should -Be "https://${ip}:8443"
        }
        finally { Remove-Trust (Join-Path $Conf 'client.crt') }
    }

    It 'binds Name and IPAddress by property name from any object' {
        $token = New-TrustToken -ClientName 'pester-flat'
        try {
            $added = [pscustomobject]@{ Name = 'flat'; IPAddress = ([uri]$VmAddress).Host } | Add-LxdRemote -Token $token -ConfigDirectory $Conf
            $added.Name | Should -Be 'flat'
        }
        finally { Remove-Trust (Join-Path $Conf 'client.crt') }
    }

    It 'refuses a self-signed server without token or -AcceptCertificate as a SecurityError naming the fingerprint' {
        Add-LxdRemote -Name lab -Address $VmAddress -ConfigDirectory $Conf -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdTlsFailed,*'
        $problems[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $problems[0].TargetObject | Should -Be 'lab'
        $problems[0].Exception.Message | Should -Match (Get-LxdRemote $Vm -ConfigDirectory $LabConf).PinnedFingerprint
        Join-Path $Conf 'config.yml' | Should -Not -Exist
    }

    It 'refuses a certificate that does not have the expected fingerprint as a pin mismatch' {
        Add-LxdRemote -Name lab -Address $VmAddress -Fingerprint ('0' * 64) -ConfigDirectory $Conf -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdCertificatePinMismatch,*'
        $problems[0].CategoryInfo.Category | Should -Be 'SecurityError'
    }

    It 'reports an untrusted client with -AcceptCertificate as PermissionDenied with the way out' {
        Add-LxdRemote -Name lab -Address $VmAddress -AcceptCertificate -ConfigDirectory $Conf -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdNotTrusted,*'
        $problems[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $problems[0].Exception.Message | Should -Match 'lxc config trust add'
    }

    It 'writes nothing with -WhatIf' {
        Add-LxdRemote -Name lab -Address $VmAddress -AcceptCertificate -ConfigDirectory $Conf -WhatIf
        Join-Path $Conf 'config.yml' | Should -Not -Exist
    }

    It 'adds a unix socket remote without certificates and removes it with its pin, honouring -WhatIf' {
        Add-LxdRemote -Name sock -Address "unix:$VmSocket" -ConfigDirectory $Conf | Out-Null
        (Test-LxdRemote sock -ConfigDirectory $Conf).Trusted | Should -BeTrue
        Add-LxdRemote -Name sock -Address "unix:$VmSocket" -ConfigDirectory $Conf -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].CategoryInfo.Category | Should -Be 'ResourceExists'

        Remove-LxdRemote sock -ConfigDirectory $Conf -WhatIf
        (Get-LxdRemote -ConfigDirectory $Conf).Name | Should -Contain 'sock'
        Get-LxdRemote sock -ConfigDirectory $Conf | Remove-LxdRemote -ConfigDirectory $Conf -Confirm:$false
        (Get-LxdRemote -ConfigDirectory $Conf).Name | Should -Not -Contain 'sock'
        Remove-LxdRemote local -ConfigDirectory $Conf -Confirm:$false -ErrorVariable builtIn -ErrorAction SilentlyContinue
        $builtIn[0].FullyQualifiedErrorId | Should -BeLike 'LxdConfigInvalid,*'
    }

    It 'takes remote objects: Test-LxdRemote and Remove-LxdRemote use the configuration each was listed from' {
        Add-LxdRemote -Name sock -Address "unix:$VmSocket" -ConfigDirectory $Conf | Out-Null
        $remote = Get-LxdRemote sock -ConfigDirectory $Conf
        $remote.ConfigDirectory | Should -Be $Conf
        # No -ConfigDirectory below: without the remote's own, the default configuration (which has no "sock") is used.
        (Get-Command Remove-LxdRemote).Parameters['InputObject'].ParameterSets.Keys | Should -Be 'InputObject'
        ($remote | Test-LxdRemote).Trusted | Should -BeTrue
        (Test-LxdRemote -InputObject $remote -Quiet) | Should -BeTrue

        Remove-LxdRemote -InputObject $remote -WhatIf
        (Get-LxdRemote -ConfigDirectory $Conf).Name | Should -Contain 'sock'
        Remove-LxdRemote -InputObject $remote -Confirm:$false
        (Get-LxdRemote -ConfigDirectory $Conf).Name | Should -Not -Contain 'sock'
        Join-Path $Conf 'servercerts/sock.crt' | Should -Not -Exist

        # Gone now: the object names a remote its configuration no longer has.
        $remote | Remove-LxdRemote -Confirm:$false -ErrorVariable gone -ErrorAction SilentlyContinue
        $gone[0].FullyQualifiedErrorId | Should -BeLike 'LxdNotFound,*'
        $gone[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $gone[0].Exception.Message | Should -BeLike "*$Conf*"
    }
}
