# Drift through the cmdlets, against the LXD lab (the first VM, remote "local"): Get-LxdApplyPlan shows what differs as
# old -> new, Invoke-LxdApply updates in place or (after asking) replaces, -UpdateResources updates a drifted profile.
# Instances and the profile are named drift-ps-* and removed at the end. The engine's own lab tests (xunit) cover
# Incus and each kind of drift.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    $script:Lab = Read-LabEnv
    $script:Root = Join-Path $TestDrive 'drift'
    New-LabSpecRoot -Path $Root -Lab $Lab
    $script:Profile = 'drift-ps-p'
    $script:Instance = 'drift-ps-box'
    $script:Run = @{ Project = 'drift-ps'; NodesPrefix = 'drift-ps'; ConfigPath = $Root }

    function Set-DriftSpec([string] $ExtraConfig = '') {
        Set-Content (Join-Path $Root 'envs/drift.yml') @"
version: "1"
profiles:
  - name: $Profile
    config:
      user.drift: one
projects:
  - name: drift-ps
    groups:
      - name: g
        connection: local
        nodes:
          - name: box
            image_source: busybox/lab
            image_remote_server: local
            entrypoint: ["/bin/sh", "-c"]
            profiles: [default, $Profile]
            config:
              limits.memory: 64MB
$ExtraConfig
            hooks:
              - event: post-node-creation
                commands:
                  - echo drift-ps-created
"@
    }

    function Invoke-LabLxc([string[]] $Arguments) {
        # lxc on the first VM's daemon over its unix socket, for the changes made by hand.
        Invoke-FirstVmLxc -Lab $Lab -Arguments $Arguments -ConfDir (Join-Path $TestDrive 'lxc-admin')
    }

    function Get-CreationHookLines([object[]] $Information) {
        # The line the node's post-node-creation hook prints, from an -InformationVariable.
        @($Information | Where-Object { $_.Tags -contains 'event:post-node-creation' -and "$($_.MessageData)" -match 'drift-ps-created$' })
    }

    function Remove-DriftObjects {
        Remove-LxdGroup @Run -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
        if ((Invoke-LabLxc profile, list, --format, csv) -match "^$Profile,") { Invoke-LabLxc profile, delete, $Profile | Out-Null }
    }

    Set-DriftSpec
    Remove-DriftObjects
}

AfterAll {
    Remove-DriftObjects
}

Describe 'Drift through Get-LxdApplyPlan and Invoke-LxdApply' -Tag 'Lab' {
    It 'creates the node, and the next plan finds nothing to change' {
        (Invoke-LxdApply @Run -InformationVariable created).Action | Should -Be 'Created'
        Get-CreationHookLines $created | Should -HaveCount 1
        $plan = Get-LxdApplyPlan @Run
        $plan.Action | Should -Be 'Unchanged'
        $plan.Changes | Should -BeNullOrEmpty
    }

    It 'shows a memory limit changed by hand as an Update with old -> new, and apply updates it in place' {
        Invoke-LabLxc config, set, $Instance, limits.memory=128MB | Out-Null

        $plan = Get-LxdApplyPlan @Run
        $plan.Action | Should -Be 'Update'
        $plan.Config['limits.memory'] | Should -Be '128MB' -Because 'the plan shows what the server has'
        $plan.Changes | Should -HaveCount 1
        $change = $plan.Changes[0]
        ($change.Field, $change.Old, $change.New, $change.InPlace) | Should -Be @('config.limits.memory', '128MB', '64MB', $true)
        ($plan | Out-String -Width 120) | Should -Match ([regex]::Escape('config.limits.memory: 128MB -> 64MB'))

        $result = Invoke-LxdApply @Run -InformationVariable output
        $result.Action | Should -Be 'Updated'
        Get-CreationHookLines $output | Should -BeNullOrEmpty -Because 'an update runs no creation hook'
        Invoke-LabLxc config, get, $Instance, limits.memory | Should -Be '64MB'
        (Get-LxdApplyPlan @Run).Action | Should -Be 'Unchanged'
    }

    It 'asks before a replace: a session that cannot ask is refused, -Confirm:$false replaces and the creation hooks run again' {
        Set-DriftSpec '              limits.kernel.nofile: "4096"'
        $plan = Get-LxdApplyPlan @Run
        $plan.Action | Should -Be 'Replace'
        $plan.Changes.Field | Should -Be 'config.limits.kernel.nofile'
        $plan.Changes.InPlace | Should -BeFalse

        $output = Invoke-ChildPwsh -Script @"
Import-Module '$ModuleManifest'
try { Invoke-LxdApply -Project drift-ps -NodesPrefix drift-ps -ConfigPath '$Root' -ErrorAction SilentlyContinue | Out-Null } catch { 'ERROR: ' + `$_.FullyQualifiedErrorId }
"@
        $output | Should -Match '^ERROR: LxdDeletionNotConfirmed,'
        (Get-LxdApplyPlan @Run).Action | Should -Be 'Replace' -Because 'nothing changed without the answer'

        $uuid = Invoke-LabLxc config, get, $Instance, volatile.uuid
        $result = Invoke-LxdApply @Run -Confirm:$false -InformationVariable replaced
        $result.Action | Should -Be 'Replaced'
        Get-CreationHookLines $replaced | Should -HaveCount 1
        Invoke-LabLxc config, get, $Instance, volatile.uuid | Should -Not -Be $uuid
        (Get-LxdApplyPlan @Run).Action | Should -Be 'Unchanged'
    }

    It 'shows a drifted profile, leaves it alone without -UpdateResources and updates it with it' {
        Invoke-LabLxc profile, set, $Profile, user.drift=two | Out-Null

        $items = @(Get-LxdApplyPlan @Run -WarningVariable warnings -WarningAction SilentlyContinue)
        $drift = $items | Where-Object { $_.PSObject.TypeNames[0] -eq 'LxdCompose.Deploy.ResourceDrift' }
        ($drift.Kind, $drift.Name, $drift.Action, $drift.Project, $drift.Group) | Should -Be @('Profile', $Profile, 'LeftAlone', 'drift-ps', 'g')
        "$($drift.Changes)" | Should -Be 'config.user.drift: two -> one'
        $warnings | Should -Match ([regex]::Escape("'$Profile'"))
        ($items | Where-Object { $_.PSObject.TypeNames[0] -eq 'LxdCompose.Deploy.NodePlan' }).Action | Should -Be 'Unchanged'

        Invoke-LxdApply @Run -WarningAction SilentlyContinue | Out-Null
        Invoke-LabLxc profile, get, $Profile, user.drift | Should -Be 'two'

        (Get-LxdApplyPlan @Run -UpdateResources -WarningAction SilentlyContinue | Where-Object { $_.PSObject.TypeNames[0] -eq 'LxdCompose.Deploy.ResourceDrift' }).Action |
            Should -Be 'Update'
        # A plan item piped on names its project and group, as the node items do.
        $drift | Invoke-LxdApply -NodesPrefix drift-ps -UpdateProfiles | Out-Null
        Invoke-LabLxc profile, get, $Profile, user.drift | Should -Be 'one'
        Get-LxdApplyPlan @Run | Where-Object { $_.PSObject.TypeNames[0] -eq 'LxdCompose.Deploy.ResourceDrift' } | Should -BeNullOrEmpty
    }
}
