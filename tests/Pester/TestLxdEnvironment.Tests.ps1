BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:InvalidEnv = Join-Path $Fixtures 'invalid/envs/invalid.yml'
}

Describe 'Test-LxdEnvironment' {
    It 'returns nothing and -Quiet $true for valid specs' {
        Push-Location (Join-Path $Fixtures 'basic')
        try {
            @(Test-LxdEnvironment) | Should -HaveCount 0
            Test-LxdEnvironment -Quiet | Should -BeExactly $true
        }
        finally { Pop-Location }
    }

    It 'returns exactly the problems of the invalid fixture, with positions' {
        $problems = @(Test-LxdEnvironment -ConfigPath (Join-Path $Fixtures 'invalid/.lxd-compose.yml'))
        $problems | ForEach-Object { $_.GetType().FullName | Should -Be 'LxdCompose.Specs.SpecDiagnostic' }
        $summary = $problems | Sort-Object Line | ForEach-Object { '{0} {1} {2}:{3}' -f $_.Severity, $_.Code, $_.Line, $_.Column }
        $summary | Should -Be @(
            'Warning UndeclaredProfile 7:9'
            'Error UnknownHookEvent 10:13'
            'Error DuplicateNode 15:13'
            'Error CommandApplyAliasDisabled 18:5'
        )
        $problems.File | Sort-Object -Unique | Should -Be $InvalidEnv
        ($problems | Where-Object Code -EQ 'DuplicateNode').Node | Should -Be 'n1'
    }

    It '-Quiet returns $false when there is an error' {
        Test-LxdEnvironment -ConfigPath (Join-Path $Fixtures 'invalid/.lxd-compose.yml') -Quiet | Should -BeExactly $false
    }

    It 'includes load errors of excluded files' {
        $problems = @(Test-LxdEnvironment -ConfigPath (Join-Path $Fixtures 'broken/.lxd-compose.yml'))
        $problems.Code | Should -Contain 'EnvironmentExcluded'
        ($problems | Where-Object Line -EQ 4).Column | Should -Be 23
        Test-LxdEnvironment -ConfigPath (Join-Path $Fixtures 'broken/.lxd-compose.yml') -Quiet | Should -BeExactly $false
    }

    It '-Strict turns warnings into errors, keeping code and position' {
        $config = Join-Path $PSScriptRoot '../LxdCompose.Core.Tests/Fixtures/validate-undeclared-profile/.lxd-compose.yml'
        $plain = @(Test-LxdEnvironment -ConfigPath $config)
        $strict = @(Test-LxdEnvironment -ConfigPath $config -Strict)
        $plain.Severity | Sort-Object -Unique | Should -Be 'Warning'
        $strict.Severity | Sort-Object -Unique | Should -Be 'Error'
        $strict | ForEach-Object { '{0} {1}' -f $_.Code, $_.Line } | Should -Be ($plain | ForEach-Object { '{0} {1}' -f $_.Code, $_.Line })
        Test-LxdEnvironment -ConfigPath $config -Quiet | Should -BeExactly $true
        Test-LxdEnvironment -ConfigPath $config -Quiet -Strict | Should -BeExactly $false
    }

    It '-NodesPrefix validates the instance names the prefix makes' {
        $config = Join-Path $PSScriptRoot '../LxdCompose.Core.Tests/Fixtures/validate-instance-names-prefix/.lxd-compose.yml'
        (Test-LxdEnvironment -ConfigPath $config | Where-Object Code -EQ InvalidInstanceName).Node |
            Should -Be @('probe_d01_b', 'a23456789012345678901234567890123456789012345678901234567890123456')
        $prefixed = @(Test-LxdEnvironment -ConfigPath $config -NodesPrefix probe_ | Where-Object Code -EQ InvalidInstanceName)
        $prefixed.Node | Should -Contain 'probe_-probe-d01-a'
        $prefixed.Node | Should -Not -Contain 'opted-out'
        $prefixed | Should -HaveCount 4
    }

    It 'names the missing client configuration directory and the remote a group names but config.yml lacks' {
        $fixtures = Join-Path $PSScriptRoot '../LxdCompose.Core.Tests/Fixtures'
        $missing = Test-LxdEnvironment -ConfigPath (Join-Path $fixtures 'validate-client-config-dir/.lxd-compose.yml')
        $missing.Code | Should -Be 'ClientConfigDirNotFound'
        $missing.Message | Should -BeLike "*'./nonexistent' (general.lxd_confdir) does not exist*"
        $remote = @(Test-LxdEnvironment -ConfigPath (Join-Path $fixtures 'validate-unknown-remote/.lxd-compose.yml'))
        $remote[0].Message | Should -BeLike "the connection 'local' of group 'local-is-not-listed' is not in *config.yml*"
    }

    It 'reports a config that cannot be loaded as a problem, not an exception' {
        $problems = @(Test-LxdEnvironment -ConfigPath (Join-Path $TestDrive 'absent.yml'))
        $problems | Should -HaveCount 1
        $problems[0].Code | Should -Be 'ConfigNotFound'
        Test-LxdEnvironment -ConfigPath (Join-Path $TestDrive 'absent.yml') -Quiet | Should -BeExactly $false
    }
}

# One fixture per validation rule, shared with the xunit validator tests; each states the problems it must produce.
Describe 'Test-LxdEnvironment on the validation rule fixtures' {
    BeforeDiscovery {
        $fixtureRoot = Join-Path $PSScriptRoot '../LxdCompose.Core.Tests/Fixtures'
        $script:RuleFixtures = Get-ChildItem $fixtureRoot -Directory -Filter 'validate-*' |
            ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } }
    }

    It 'finds the rule fixtures' {
        (Get-ChildItem (Join-Path $PSScriptRoot '../LxdCompose.Core.Tests/Fixtures') -Directory -Filter 'validate-*').Count |
            Should -BeGreaterOrEqual 13
    }

    It '<Name> reports exactly its expected problems with positions' -ForEach $RuleFixtures {
        $expected = @(Get-Content (Join-Path $Path 'expected-problems.txt') | Where-Object { $_ -and -not $_.StartsWith('#') })
        $actual = @(Test-LxdEnvironment -ConfigPath (Join-Path $Path '.lxd-compose.yml') | ForEach-Object {
                '{0} {1} {2}:{3}:{4}' -f $_.Severity, $_.Code,
                    [IO.Path]::GetRelativePath($Path, $_.File).Replace('\', '/'), $_.Line, $_.Column
            })
        $actual | Should -Be $expected
        Test-LxdEnvironment -ConfigPath (Join-Path $Path '.lxd-compose.yml') -Quiet |
            Should -Be (-not ($expected -match '^Error '))
    }
}
