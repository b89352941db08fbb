BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Basic = Join-Path $Fixtures 'basic'
}

Describe 'Get-LxdCommand' {
    BeforeEach { Push-Location $Basic }
    AfterEach { Pop-Location }

    It 'returns every command with its project and options' {
        $commands = @(Get-LxdCommand)
        $commands.Name | Should -Be @('alpha-up', 'beta-up')
        $commands[0].GetType().FullName | Should -Be 'LxdCompose.Specs.LxdCommand'
        $commands[0].Project | Should -Be 'alpha'
        $commands[0].Description | Should -Be 'Apply alpha'
        $commands[0].ApplyAlias | Should -BeTrue
        $commands[0].CommandName | Should -Be 'alpha-up'
        $commands[0].Location.Line | Should -Be 39
    }

    It 'filters by name and project wildcards' {
        (Get-LxdCommand -Name '*-up' -Project 'b*').Name | Should -Be 'beta-up'
        (Get-LxdCommand 'alpha*').Name | Should -Be 'alpha-up'
    }

    It 'lists the commands of piped projects' {
        (Get-LxdProject beta | Get-LxdCommand).Name | Should -Be 'beta-up'
    }

    It 'reports a missing command' {
        $null = Get-LxdCommand -Name 'down' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdCommandNotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'down'
    }
}
