# Images purge, backup and restore through the cmdlets against the LXD lab (the first VM, remote "local"), and pack and
# unpack without a server. Instances are named mc-ps-*; the engine's xunit lab tests (MaintenanceLabTests) also cover
# Incus and the removal of images.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Backup-LxdGroup, Restore-LxdNode and Remove-LxdImage on the lab' -Tag 'Lab' {
    BeforeAll {
        $script:Lab = Read-LabEnv
        $script:Root = Join-Path $TestDrive 'maintenance'
        New-LabSpecRoot -Path $Root -Lab $Lab
        Set-Content (Join-Path $Root 'envs/mc.yml') @"
version: "1"
projects:
  - name: mc-ps
    groups:
      - name: g
        connection: local
        nodes:
          - name: box
            image_source: busybox/lab
            image_remote_server: local
"@
        $script:Run = @{ Project = 'mc-ps'; NodesPrefix = 'mc-ps'; ConfigPath = $Root }
        $script:Today = Get-Date -Format yyyyMMdd

        function Invoke-LabLxc([string[]] $Arguments) { Invoke-FirstVmLxc -Lab $Lab -Arguments $Arguments -ConfDir (Join-Path $TestDrive 'lxc-admin') }

        function Remove-McObjects {
            Remove-LxdGroup @Run -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
            foreach ($name in @(Invoke-LabLxc list, --format, csv, -c, n) -match '^mc-ps-box-\d{8}$') { Invoke-LabLxc delete, --force, $name | Out-Null }
        }

        Remove-McObjects
        Invoke-LxdApply @Run | Out-Null
    }

    AfterAll { Remove-McObjects }

    It 'names the copy with -WhatIf and makes none' {
        Backup-LxdGroup @Run -WhatIf | Should -BeNullOrEmpty
        @(Invoke-LabLxc list, --format, csv, -c, n) | Should -Not -Contain "mc-ps-box-$Today"
    }

    It 'copies each node to its dated name (instance-YYYYMMDD), and keeps an existing copy of the day' {
        $created = Backup-LxdGroup g @Run -MaxBackups 2 -RemoveProfile nothing-to-remove
        $created.Action | Should -Be 'Created'
        $created.Backup | Should -Be "mc-ps-box-$Today"
        $created.Remote | Should -Be 'local'
        @(Invoke-LabLxc list, --format, csv, -c, n) | Should -Contain "mc-ps-box-$Today"
        (Backup-LxdGroup g @Run).Action | Should -Be 'Exists'
    }

    It 'restores a piped node from its newest backup, leaving the backup' {
        $restored = Get-LxdNode box -ConfigPath $Root -NodesPrefix mc-ps | Restore-LxdNode -NodesPrefix mc-ps -Confirm:$false
        $restored.Action | Should -Be 'Restored'
        $restored.Backup | Should -Be "mc-ps-box-$Today"
        $names = @(Invoke-LabLxc list, --format, csv, -c, n)
        $names | Should -Contain 'mc-ps-box'
        $names | Should -Contain "mc-ps-box-$Today"
    }

    It 'keeps an image an instance uses, and says so' {
        $kept = @(Remove-LxdImage -AliasMatch '^busybox/lab$' -Project mc-ps -ConfigPath $Root -Confirm:$false)
        $kept.Action | Should -Be 'KeepInUse'
        $kept.UsedBy | Should -Contain 'mc-ps-box'
        $kept.Removed | Should -Be $false
        @(Invoke-LabLxc image, list, --format, csv, -c, l) -match 'busybox/lab' | Should -Not -BeNullOrEmpty
    }

    It 'refuses to guess which images: without -Name, -WithoutAlias or -AliasMatch' {
        { Remove-LxdImage -Remote local -ConfigPath $Root -Confirm:$false } | Should -Throw -ErrorId 'LxdImageSelectionMissing,*'
    }
}

Describe 'Export-LxdEnvironment and Import-LxdEnvironment' {
    BeforeAll {
        $script:Source = Join-Path $TestDrive 'qs'
        Copy-Item -Recurse (Join-Path $RepoRoot 'examples/quickstart') $Source
        Remove-Item (Join-Path $Source 'lxd-conf') -Recurse -Force -ErrorAction SilentlyContinue
        $config = Join-Path $Source '.lxd-compose.yml'
        Add-Content $config "security:`n  key: bWMtcHMta2V5LW5ldmVyLWluLXRoZS1hcmNoaXZlLTAxMjM0NQ=="
    }

    It 'round-trips the quick start without the key' {
        $packed = Export-LxdEnvironment quickstart -Path (Join-Path $TestDrive 'qs.tar') -ConfigPath $Source
        $packed.Entries[0] | Should -Be '.lxd-compose.yml'
        $packed.Entries | Should -Contain 'envs/quickstart.yml'
        Get-Content -Raw (Join-Path $TestDrive 'qs.tar') | Should -Not -Match 'bWMtcHMta2V5'
        $unpacked = Import-LxdEnvironment (Join-Path $TestDrive 'qs.tar') -Destination (Join-Path $TestDrive 'copy')
        $unpacked.Entries | Should -Be $packed.Entries
        (Get-LxdProject -ConfigPath (Join-Path $TestDrive 'copy')).Name | Should -Contain 'quickstart'
    }

    It 'reports a render file without values as an error with its id' {
        $ErrorActionPreference = 'Continue'
        Export-LxdEnvironment quickstart -Path (Join-Path $TestDrive 'qs2.tar') -ConfigPath $Source | Out-Null
        Import-LxdEnvironment (Join-Path $TestDrive 'qs2.tar') -Destination (Join-Path $TestDrive 'copy2') -RenderFile values.yaml -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'LxdUnpackRenderFileAndValues*'
    }
}
