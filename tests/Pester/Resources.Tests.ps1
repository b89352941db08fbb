# Resources declared in environments, against the lab: Get-Lxd<resource> lists what the servers have beside the
# declarations (InSync, Differs, Missing, Undeclared), Publish-Lxd<resource> creates the missing ones, updates the
# different ones only with -Update, and -WhatIf shows the diff (old -> new). On LXD (vm1) and Incus (incus1). Every
# object is named rc-<random>-* and removed at the end.

Describe 'Resources declared in environments, on LXD and Incus' -Tag Lab {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module $ModuleManifest -Force

        $script:Lab = Read-LabEnv
        $script:Tag = 'rc-' + [guid]::NewGuid().ToString('n').Substring(0, 6)
        $script:Root = Join-Path $TestDrive 'resources'
        New-Item -ItemType Directory (Join-Path $Root 'envs') -Force | Out-Null
        Set-Content (Join-Path $Root '.lxd-compose.yml') "general:`n  lxd_confdir: $($Lab.LXDCOMPOSE_LAB_CONF)`nenv_dirs:`n  - ./envs`n"
        $script:Vm = ($Lab.LXDCOMPOSE_LAB_VMS -split ' ')[0]

        # A client certificate of the test's own for the trust store.
        $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP384)
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$Tag", $key, 'SHA384')
        $script:Certificate = $request.CreateSelfSigned([datetimeoffset]::UtcNow.AddDays(-1), [datetimeoffset]::UtcNow.AddDays(30))
        $script:CertificateFingerprint = [Convert]::ToHexString(
            [System.Security.Cryptography.SHA256]::HashData($Certificate.RawData)).ToLowerInvariant()
        Set-Content (Join-Path $Root 'envs/client.crt') $Certificate.ExportCertificatePem()

        function Set-ResourceSpec([string] $ProfileValue = 'one') {
            Set-Content (Join-Path $Root 'envs/rc.yml') @"
version: "1"
profiles:
  - name: $Tag-p
    description: resource test profile
    config:
      user.rc: $ProfileValue
networks:
  - name: $Tag-br
    type: bridge
    config:
      ipv4.address: none
      ipv6.address: none
storages:
  - name: $Tag-pool
    driver: dir
    documentation: a pool for the resource test
acls:
  - name: $Tag-acl
    egress:
      - action: allow
        destination: 198.18.0.1/32
        protocol: tcp
        destination_port: "80"
certificates:
  - name: $Tag-cert
    type: client
    certificate_path: client.crt
projects:
  - name: $Tag
    groups:
      - name: lxd
        connection: $Vm
        nodes:
          - name: $Tag-n1
            image_source: busybox/lab
      - name: inc
        connection: incus1
        connection_type: incus
        nodes:
          - name: $Tag-n2
            image_source: busybox/lab
"@
        }
        Set-ResourceSpec
        $script:Run = @{ ConfigPath = $Root; Project = $Tag }

        function Invoke-Lab([string] $Tool, [string[]] $Arguments) {
            # lxc or incus with the lab's client configuration, for what the test checks or changes by hand.
            $env:LXD_CONF = $Lab.LXDCOMPOSE_LAB_CONF
            $env:INCUS_CONF = $Lab.LXDCOMPOSE_LAB_CONF
            & $Tool @Arguments 2>&1
        }
    }

    AfterAll {
        foreach ($remote in $Vm, 'incus1') {
            $tool = if ($remote -eq 'incus1') { 'incus' } else { 'lxc' }
            Invoke-Lab $tool @('profile', 'delete', "${remote}:$Tag-p") | Out-Null
            Invoke-Lab $tool @('network', 'acl', 'delete', "${remote}:$Tag-acl") | Out-Null
            Invoke-Lab $tool @('storage', 'delete', "${remote}:$Tag-pool") | Out-Null
            Invoke-Lab $tool @('network', 'delete', "${remote}:$Tag-br") | Out-Null
            Invoke-Lab $tool @('config', 'trust', 'remove', "${remote}:$($CertificateFingerprint.Substring(0, 12))") | Out-Null
        }
    }

    It 'lists a declared profile as Missing on both servers, beside the servers'' own profiles (Undeclared)' {
        $profiles = Get-LxdProfile -ConfigPath $Root -Project $Tag
        $mine = $profiles | Where-Object Name -EQ "$Tag-p"
        ($mine.Remote | Sort-Object) | Should -Be (@('incus1', $Vm) | Sort-Object)
        $mine.State | ForEach-Object { "$_" } | Should -Be @('Missing', 'Missing')
        $mine.Present | Should -Be @($false, $false)
        $default = $profiles | Where-Object { $_.Name -eq 'default' -and $_.Remote -eq 'incus1' }
        "$($default.State)" | Should -Be 'Undeclared'
        $default.Declared | Should -BeFalse
    }

    It '-WhatIf shows each creation with its diff and creates nothing' {
        $output = Invoke-ChildPwsh -Script @"
Import-Module '$ModuleManifest'
Publish-LxdProfile '$Tag-p' -ConfigPath '$Root' -Project '$Tag' -WhatIf -ErrorAction Stop
"@
        $lines = @($output | Where-Object { $_ -match '^What if: ' } | Sort-Object)
        $lines | Should -Be @(
            "What if: Performing the operation ""Create: description: (absent) -> resource test profile; config.user.rc: (absent) -> one"" on target ""profile $Tag-p on incus1"".",
            "What if: Performing the operation ""Create: description: (absent) -> resource test profile; config.user.rc: (absent) -> one"" on target ""profile $Tag-p on $Vm"".")
        (Get-LxdProfile "$Tag-p" -ConfigPath $Root -Project $Tag).State | ForEach-Object { "$_" } | Should -Be @('Missing', 'Missing')
    }

    It 'creates the profile on LXD and on Incus, then lists it InSync' {
        $created = Publish-LxdProfile "$Tag-p" @Run -Confirm:$false
        ($created.Remote | Sort-Object) | Should -Be (@('incus1', $Vm) | Sort-Object)
        $created.Action | ForEach-Object { "$_" } | Should -Be @('Create', 'Create')
        $created.Done | Should -Be @($true, $true)
        Invoke-Lab 'incus' @('profile', 'get', "incus1:$Tag-p", 'user.rc') | Should -Be 'one'
        Invoke-Lab 'lxc' @('profile', 'get', "${Vm}:$Tag-p", 'user.rc') | Should -Be 'one'
        (Get-LxdProfile "$Tag-p" -ConfigPath $Root -Project $Tag).State | ForEach-Object { "$_" } | Should -Be @('InSync', 'InSync')
    }

    It 'shows a changed declaration as Differs (old -> new), leaves it alone without -Update and updates it with -Update' {
        Set-ResourceSpec -ProfileValue 'two'
        try {
            $status = Get-LxdProfile "$Tag-p" -ConfigPath $Root -Project $Tag -Remote incus1
            "$($status.State)" | Should -Be 'Differs'
            "$($status.Changes)" | Should -Be 'config.user.rc: one -> two'

            $left = Publish-LxdProfile "$Tag-p" @Run -Group inc -WarningVariable warned -WarningAction SilentlyContinue
            "$($left.Action)" | Should -Be 'LeftAlone'
            "$warned" | Should -Match '-Update updates it'
            Invoke-Lab 'incus' @('profile', 'get', "incus1:$Tag-p", 'user.rc') | Should -Be 'one'

            $updated = Publish-LxdProfile "$Tag-p" @Run -Group inc -Update -Confirm:$false
            "$($updated.Action)" | Should -Be 'Update'
            $updated.Done | Should -BeTrue
            Invoke-Lab 'incus' @('profile', 'get', "incus1:$Tag-p", 'user.rc') | Should -Be 'two'
            Invoke-Lab 'lxc' @('profile', 'get', "${Vm}:$Tag-p", 'user.rc') | Should -Be 'one'
        }
        finally {
            Set-ResourceSpec
        }
    }

    It 'publishes a storage pool and a network ACL on LXD, and lists their documentation' {
        (Get-LxdStoragePool -ConfigPath $Root -Project $Tag -DeclaredOnly).Documentation | Should -Be 'a pool for the resource test'
        $pool = Publish-LxdStoragePool -All @Run -Group lxd -Confirm:$false
        "$($pool.Action)" | Should -Be 'Create'
        Invoke-Lab 'lxc' @('storage', 'get', "${Vm}:$Tag-pool", 'source') | Should -Not -BeNullOrEmpty
        "$((Get-LxdStoragePool "$Tag-pool" -ConfigPath $Root -Remote $Vm).State)" | Should -Be 'InSync'

        $acl = Publish-LxdNetworkAcl -All @Run -Group lxd -Confirm:$false
        "$($acl.Action)" | Should -Be 'Create'
        $status = Get-LxdNetworkAcl "$Tag-acl" -ConfigPath $Root -Remote $Vm
        "$($status.State)" | Should -Be 'InSync'
        $status.Description | Should -Be "ACL $Tag-acl created by lxd-compose"
        $status.ServerObject.Egress[0].Destination | Should -Be '198.18.0.1/32'
    }

    It 'creates a declared bridge on LXD with lxd-compose''s description, then lists it InSync beside the lab''s own bridge' {
        $network = Publish-LxdNetwork "$Tag-br" @Run -Group lxd -Confirm:$false
        "$($network.Action)" | Should -Be 'Create'
        $network.Done | Should -BeTrue
        Invoke-Lab 'lxc' @('network', 'get', "${Vm}:$Tag-br", 'ipv4.address') | Should -Be 'none'
        $listed = Get-LxdNetwork -ConfigPath $Root -Remote $Vm
        $mine = $listed | Where-Object Name -EQ "$Tag-br"
        "$($mine.State)" | Should -Be 'InSync'
        $mine.Type | Should -Be 'bridge'
        $mine.Description | Should -Be "Network $Tag-br created by lxd-compose"
        "$(($listed | Where-Object Name -EQ 'lxdbr0').State)" | Should -Be 'Undeclared'
    }

    It 'trusts a declared certificate on Incus by name and never updates it' {
        $trusted = Publish-LxdCertificate -All @Run -Group inc -Confirm:$false
        "$($trusted.Action)" | Should -Be 'Create'
        $status = Get-LxdCertificate "$Tag-cert" -ConfigPath $Root -Remote incus1
        "$($status.State)" | Should -Be 'InSync'
        $status.Fingerprint | Should -Be $CertificateFingerprint
        "$((Publish-LxdCertificate -All @Run -Group inc -Confirm:$false).Action)" | Should -Be 'Unchanged'
    }

    It 'refuses Publish without names and without -All, and reports an undeclared name' {
        { Publish-LxdProfile @Run -ErrorAction Stop } | Should -Throw -ErrorId 'LxdResourceNameMissing,*'
        $ErrorActionPreference = 'Continue'
        Publish-LxdProfile "$Tag-nothing" @Run -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'LxdResourceNotFound,*'
        "$($failed[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
    }
}
