# Plan items: -WhatIf lists exactly the plan's items, Get-LxdApplyPlan -Item/-Operation writes them; stop and destroy
# plans read no server (the copied quick start points every remote at a closed loopback port).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Closed = New-ClosedQuickstart -Path (Join-Path $TestDrive 'closed')

    # The What-if lines of a command run in a child pwsh (they go to the host), as "<operation> | <target>".
    function Get-WhatIfLines([string] $Command, [string] $Location) {
        $output = Invoke-ChildPwsh -Script @"
Import-Module '$ModuleManifest'
Set-Location '$Location'
$Command -WhatIf -ErrorAction Stop
"@
        @($output | Where-Object { $_ -match '^What if: Performing the operation "([^"]+)" on target "([^"]+)"' } |
            ForEach-Object { "$($Matches[1]) | $($Matches[2])" })
    }
}

Describe 'Plan items of stop and destroy' {
    It 'Get-LxdApplyPlan -Operation Destroy writes the group and node items without contacting a server' {
        Push-Location $Closed
        try { $items = Get-LxdApplyPlan -Project quickstart -Operation Destroy -Group web -ErrorVariable problems -ErrorAction SilentlyContinue }
        finally { Pop-Location }
        $problems | Should -BeNullOrEmpty -Because 'a stop or destroy plan reads no server'
        $items[0].PSObject.TypeNames[0] | Should -Be 'LxdCompose.Deploy.PlanItem'
        @($items | ForEach-Object { "$($_.Kind) $($_.Target)" }) | Should -Be @(
            'ProjectHooks project quickstart', 'GroupHooks group web of project quickstart (2 node(s))', 'ShutdownNode web1', 'ShutdownNode web2')
        @($items | Select-Object -Skip 1).Deletes | Sort-Object -Unique | Should -BeTrue
        $items[2].Parent | Should -Be $items[1].Id
        ($items | Format-Table | Out-String) | Should -Match 'ShutdownNode\s+web1\s+Stop and delete the instance'
    }

    It 'Remove-LxdGroup -WhatIf lists the same items, the parts of the group too' {
        $lines = Get-WhatIfLines 'Remove-LxdGroup -Project quickstart -Name web' $Closed
        $lines | Should -Be @(
            "Run the project's shutdown hooks (2) | project quickstart"
            'Run the shutdown hooks, stop and delete the instances | group web of project quickstart (2 node(s))'
            'Stop and delete the instance | web1'
            'Stop and delete the instance | web2')
    }

    It 'Stop-LxdGroup -Confirm:$false runs every item: it reaches the closed port' {
        Push-Location $Closed
        try { $null = Stop-LxdGroup -Project quickstart -Name web -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue }
        finally { Pop-Location }
        ($problems[0].FullyQualifiedErrorId -split ',')[0] | Should -Be 'LxdDeployFailed'
    }
}

Describe 'Plan items of apply' -Tag 'Lab' {
    BeforeAll {
        $labEnv = (Read-LabEnv).Path
        $script:Lab = Join-Path $TestDrive 'lab-quickstart'
        Copy-Item -Recurse (Join-Path $RepoRoot 'examples/quickstart') $Lab
        Remove-Item (Join-Path $Lab 'lxd-conf') -Recurse -Force -ErrorAction SilentlyContinue
        & (Join-Path $Lab 'New-QuickstartConf.ps1') -LabEnv $labEnv -Destination (Join-Path $Lab 'lxd-conf') 6>$null
    }

    It 'Invoke-LxdApply -WhatIf lists exactly the items Get-LxdApplyPlan -Item writes, and changes nothing' {
        Push-Location $Lab
        try { $items = Get-LxdApplyPlan -Project quickstart -NodesPrefix engine-items -Item }
        finally { Pop-Location }
        $items.Kind | Should -Contain 'Node'
        $items.Kind | Should -Contain 'GroupHooks'
        @($items | Where-Object Kind -eq 'Node').Target | Should -Be @('engine-items-web1', 'engine-items-web2', 'engine-items-edge1', 'engine-items-probe')

        $lines = Get-WhatIfLines 'Invoke-LxdApply -Project quickstart -NodesPrefix engine-items' $Lab
        $lines | Should -Be @($items | ForEach-Object { "$($_.Description) | $($_.Target)" })
        Push-Location $Lab
        try { (Get-LxdApplyPlan -Project quickstart -NodesPrefix engine-items).Action | Sort-Object -Unique | Should -Be 'Create' }
        finally { Pop-Location }
    }
}
