BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Broken = Join-Path $Fixtures 'broken'
    $script:BrokenFile = Join-Path $Broken 'envs/zbroken.yml'
}

Describe 'Load problems' {
    It 'reports a broken environment file as non-terminating InvalidData errors with file:line:column' {
        Push-Location $Broken
        try {
            $projects = Get-LxdProject -ErrorVariable problems -ErrorAction SilentlyContinue
        }
        finally { Pop-Location }
        # The good file still loads; the broken one is excluded whole.
        $projects.Name | Should -Be 'good'
        $problems.Count | Should -BeGreaterThan 0
        $yaml = $problems[0]
        $yaml.CategoryInfo.Category | Should -Be 'InvalidData'
        $yaml.Exception.Message | Should -BeLike "${BrokenFile}:4:23: *"
        $yaml.TargetObject.GetType().FullName | Should -Be 'LxdCompose.Specs.SpecDiagnostic'
        $yaml.TargetObject.Line | Should -Be 4
        $yaml.TargetObject.Column | Should -Be 23
        $yaml.FullyQualifiedErrorId | Should -BeLike "$($yaml.TargetObject.Code),*"
        $problems.TargetObject.Code | Should -Contain 'EnvironmentExcluded'
    }

    It 'stops with a terminating ObjectNotFound error when there is no config' {
        Push-Location $TestDrive
        try {
            { Get-LxdProject -ErrorAction Stop } | Should -Throw -ErrorId 'ConfigNotFound,*'
            try { Get-LxdProject } catch { $record = $_ }
        }
        finally { Pop-Location }
        $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $record.Exception.Message | Should -BeLike "*no .lxd-compose.yml in $TestDrive*"
    }

    It 'stops when -ConfigPath names a file that does not exist, whatever -ErrorAction says' {
        Push-Location $TestDrive
        try {
            $threw = $false
            try { Get-LxdGroup -ConfigPath 'missing.yml' -ErrorAction SilentlyContinue } catch { $threw = $true; $record = $_ }
        }
        finally { Pop-Location }
        $threw | Should -BeTrue
        $record.FullyQualifiedErrorId | Should -BeLike 'ConfigNotFound,*'
        $record.Exception.Message | Should -BeLike "*$(Join-Path $TestDrive 'missing.yml')*"
    }

    It 'reports an unparsable config as a terminating InvalidData error with its position' {
        $config = Join-Path $TestDrive 'bad.yml'
        Set-Content -Path $config -Value "env_dirs: [./envs`n"
        $record = $null
        try { Get-LxdProject -ConfigPath $config } catch { $record = $_ }
        $record | Should -Not -BeNullOrEmpty
        $record.CategoryInfo.Category | Should -Be 'InvalidData'
        $record.Exception.Message | Should -BeLike "${config}:*:*: *"
    }
}
