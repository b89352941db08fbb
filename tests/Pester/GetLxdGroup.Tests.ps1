BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Basic = Join-Path $Fixtures 'basic'
}

Describe 'Get-LxdGroup' {
    BeforeEach { Push-Location $Basic }
    AfterEach { Pop-Location }

    It 'returns the groups of every project with their properties' {
        $groups = @(Get-LxdGroup)
        $groups.Name | Should -Be @('front', 'back', 'misc')
        $front = $groups[0]
        $front.GetType().FullName | Should -Be 'LxdCompose.Specs.LxdGroup'
        $front.Project | Should -Be 'alpha'
        $front.Description | Should -Be 'Web servers'
        $front.Connection | Should -Be 'local'
        $front.CommonProfiles | Should -Be @('default', 'web')
        $front.Nodes.Name | Should -Be @('web1', 'web2')
        $front.GroupName | Should -Be 'front'
        $front.Location.Line | Should -Be 8
        $front.Location.Column | Should -Be 9
        $groups[1].Connection | Should -Be 'remote1'
    }

    It 'filters by group and project wildcards' {
        (Get-LxdGroup -Name 'f*').Name | Should -Be 'front'
        (Get-LxdGroup -Project 'b*').Name | Should -Be 'misc'
        (Get-LxdGroup '*' -Project 'alpha').Name | Should -Be @('front', 'back')
    }

    It 'reports a missing group with the projects searched' {
        $null = Get-LxdGroup -Name 'nope' -Project alpha -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdGroupNotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'nope'
        $problems[0].Exception.Message | Should -BeLike "*group named 'nope' in project 'alpha'*"
    }

    It 'says how to name a project given where the group name goes (lxd-compose''s "group list <project>" habit)' {
        $null = Get-LxdGroup alpha -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdGroupNotFound,*'
        $problems[0].Exception.Message | Should -BeLike "No group named 'alpha'*."
        $problems[0].ErrorDetails.RecommendedAction | Should -Be "'alpha' is a project: name it with -Project (Get-LxdGroup -Project alpha)."
        $null = Get-LxdNode alpha -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].ErrorDetails.RecommendedAction | Should -Be "'alpha' is a project: name it with -Project (Get-LxdNode -Project alpha)."
    }

    It 'reports a missing project' {
        $groups = Get-LxdGroup -Project 'nope', 'beta' -ErrorVariable problems -ErrorAction SilentlyContinue
        $groups.Name | Should -Be 'misc'
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdProjectNotFound,*'
        $problems[0].TargetObject | Should -Be 'nope'
    }
}
