BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Basic = Join-Path $Fixtures 'basic'
    $script:BasicConfig = Join-Path $Basic '.lxd-compose.yml'
    $script:BasicEnv = Join-Path $Basic 'envs/basic.yml'
}

Describe 'Get-LxdProject' {
    BeforeEach { Push-Location $Basic }
    AfterEach { Pop-Location }

    It 'returns every project as an LxdProject with its contents and where it was written' {
        $projects = @(Get-LxdProject)
        $projects.Name | Should -Be @('alpha', 'beta')
        $alpha = $projects[0]
        $alpha.GetType().FullName | Should -Be 'LxdCompose.Specs.LxdProject'
        $alpha.Description | Should -Be 'First project'
        $alpha.Groups.Name | Should -Be @('front', 'back')
        $alpha.EnvironmentFile | Should -Be $BasicEnv
        $alpha.Location.File | Should -Be $BasicEnv
        $alpha.Location.Line | Should -Be 5
        $alpha.Location.Column | Should -Be 5
        $alpha.ProjectName | Should -Be 'alpha'
        $alpha.ConfigFile | Should -Be $BasicConfig
    }

    It 'filters by wildcard, case-insensitively' {
        (Get-LxdProject -Name 'AL*').Name | Should -Be 'alpha'
        (Get-LxdProject '*a').Name | Should -Be @('alpha', 'beta')
        @(Get-LxdProject 'zz*') | Should -HaveCount 0
    }

    It 'returns exact names and reports a missing one as a non-terminating ObjectNotFound error' {
        $found = Get-LxdProject -Name 'beta', 'nope' -ErrorVariable problems -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'beta'
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdProjectNotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'nope'
        $problems[0].Exception.Message | Should -BeLike "*project named 'nope'*$BasicConfig*"
    }

    It 'does not report a wildcard that matches nothing' {
        Get-LxdProject -Name 'none*' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 0
    }

    It 'applies -NodesPrefix to the nodes it contains' {
        $beta = Get-LxdProject -Name beta -NodesPrefix dev
        $alpha = Get-LxdProject -Name alpha -NodesPrefix dev
        $alpha.Groups[0].Nodes.InstanceName | Should -Be @('dev-web1', 'dev-web2')
        # name_prefix "-" opts a node out of the prefix
        $beta.Groups[0].Nodes[0].InstanceName | Should -Be 'tool1'
    }
}

Describe 'Where specs are loaded from' {
    It 'resolves a relative -ConfigPath against the PowerShell location, not the process directory' {
        $savedDirectory = [Environment]::CurrentDirectory
        Push-Location $Fixtures
        try {
            [Environment]::CurrentDirectory = [IO.Path]::GetTempPath()
            (Get-LxdProject -ConfigPath 'basic/.lxd-compose.yml').Name | Should -Be @('alpha', 'beta')
            (Get-LxdProject -ConfigPath 'other/.lxd-compose.yml').Name | Should -Be 'gamma'
        }
        finally {
            Pop-Location
            [Environment]::CurrentDirectory = $savedDirectory
        }
    }

    It 'finds .lxd-compose.yml in the PowerShell location when -ConfigPath is omitted' {
        $savedDirectory = [Environment]::CurrentDirectory
        Push-Location (Join-Path $Fixtures 'other')
        try {
            [Environment]::CurrentDirectory = [IO.Path]::GetTempPath()
            (Get-LxdProject).Name | Should -Be 'gamma'
        }
        finally {
            Pop-Location
            [Environment]::CurrentDirectory = $savedDirectory
        }
    }

    It 'takes a config file piped from Get-ChildItem' {
        $names = Get-ChildItem -Path $Fixtures -Filter '.lxd-compose.yml' -Recurse -Force |
            Where-Object { $_.Directory.Name -in 'basic', 'other' } |
            Get-LxdProject | ForEach-Object Name
        $names | Sort-Object | Should -Be @('alpha', 'beta', 'gamma')
    }
}
