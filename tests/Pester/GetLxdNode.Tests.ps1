BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Basic = Join-Path $Fixtures 'basic'
    $script:BasicEnv = Join-Path $Basic 'envs/basic.yml'
}

Describe 'Get-LxdNode' {
    BeforeEach { Push-Location $Basic }
    AfterEach { Pop-Location }

    It 'returns every node with its project, group, image and hooks' {
        $nodes = @(Get-LxdNode)
        $nodes.Name | Should -Be @('web1', 'web2', 'db1', 'tool1')
        $web2 = $nodes[1]
        $web2.GetType().FullName | Should -Be 'LxdCompose.Specs.LxdNode'
        $web2.Project | Should -Be 'alpha'
        $web2.Group | Should -Be 'front'
        $web2.InstanceName | Should -Be 'web2'
        $web2.ImageSource | Should -Be 'alpine/edge'
        $web2.ImageRemoteServer | Should -Be 'images'
        $web2.NodeName | Should -Be 'web2'
        $web2.Location.ToString() | Should -Be "${BasicEnv}:15:13"
        $db1 = $nodes[2]
        $db1.Hooks | Should -HaveCount 1
        $db1.Hooks[0].Event | Should -Be 'post-node-creation'
        $db1.Hooks[0].Node | Should -Be 'host'
        $db1.Hooks[0].Flags | Should -Be 'setup'
        $db1.Hooks[0].Level | Should -Be 'Node'
        $db1.Hooks[0].Location.Line | Should -Be 24
    }

    It 'filters by node, group and project wildcards' {
        (Get-LxdNode -Name 'web*').Name | Should -Be @('web1', 'web2')
        (Get-LxdNode -Group back).Name | Should -Be 'db1'
        (Get-LxdNode -Project beta).Name | Should -Be 'tool1'
        (Get-LxdNode -Project alpha -Group 'f*' -Name '*2').Name | Should -Be 'web2'
    }

    It 'matches the instance name when a nodes prefix applies' {
        (Get-LxdNode -Name 'dev-web1' -NodesPrefix dev).InstanceName | Should -Be 'dev-web1'
        (Get-LxdNode -Name 'web1' -NodesPrefix dev).InstanceName | Should -Be 'dev-web1'
    }

    It 'reports a missing node and a missing group' {
        $null = Get-LxdNode -Name 'ghost' -ErrorVariable nodeProblems -ErrorAction SilentlyContinue
        $nodeProblems | Should -HaveCount 1
        $nodeProblems[0].FullyQualifiedErrorId | Should -BeLike 'LxdNodeNotFound,*'
        $nodeProblems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $nodeProblems[0].TargetObject | Should -Be 'ghost'

        $null = Get-LxdNode -Group 'nogroup' -Project alpha -ErrorVariable groupProblems -ErrorAction SilentlyContinue
        $groupProblems | Should -HaveCount 1
        $groupProblems[0].FullyQualifiedErrorId | Should -BeLike 'LxdGroupNotFound,*'
        $groupProblems[0].TargetObject | Should -Be 'nogroup'
    }
}
