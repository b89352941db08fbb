# Argument completers: what Tab offers for spec names, hook flags, profiles, remotes and render values.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:CompletionFixture = Join-Path $Fixtures 'completion'
    $script:CompletionConfig = Join-Path $CompletionFixture '.lxd-compose.yml'

    # The completion texts TabExpansion2 returns for a command line, cursor at its end.
    function Get-Completion {
        param([Parameter(Mandatory)] [string] $Line)
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
    }
}

Describe 'Spec name completion' {
    It 'offers every project, and only the matching ones for a prefix' {
        Get-Completion "Get-LxdProject -ConfigPath '$CompletionConfig' -Name " | Should -Be @('shop', 'shopfloor')
        Get-Completion "Get-LxdProject -ConfigPath '$CompletionConfig' shopf" | Should -Be @('shopfloor')
        Get-Completion "Get-LxdProject -ConfigPath '$CompletionConfig' SHOPF" | Should -Be @('shopfloor')
        Get-Completion "Get-LxdGroup -ConfigPath '$CompletionConfig' -Project sh" | Should -Be @('shop', 'shopfloor')
    }

    It 'takes wildcards in what was typed' {
        Get-Completion "Get-LxdNode -ConfigPath '$CompletionConfig' -Name *1" | Should -Be @('sensor1', 'web1')
        Get-Completion "Get-LxdProject -ConfigPath '$CompletionConfig' -Name *floor" | Should -Be @('shopfloor')
        Get-Completion "Get-LxdProject -ConfigPath '$CompletionConfig' -Name nothing*" | Should -BeNullOrEmpty
    }

    It 'narrows groups by -Project and nodes by -Group' {
        Get-Completion "Get-LxdGroup -ConfigPath '$CompletionConfig' -Name " | Should -Be @('sensors', 'web')
        Get-Completion "Get-LxdGroup -ConfigPath '$CompletionConfig' -Project shop -Name " | Should -Be @('web')
        Get-Completion "Get-LxdGroup -ConfigPath '$CompletionConfig' -Project shopf* -Name " | Should -Be @('sensors')
        Get-Completion "Get-LxdNode -ConfigPath '$CompletionConfig' -Group web -Name " | Should -Be @('web1', 'web2')
        Get-Completion "Get-LxdNode -ConfigPath '$CompletionConfig' -Project shopfloor -Name " | Should -Be @('sensor1')
        Get-Completion "Invoke-LxdCompile -ConfigPath '$CompletionConfig' -Project shop -EnableGroup " | Should -Be @('web')
        Get-Completion "Invoke-LxdCompile -ConfigPath '$CompletionConfig' -DisableGroup s" | Should -Be @('sensors')
    }

    It 'offers command names, narrowed by -Project' {
        Get-Completion "Get-LxdCommand -ConfigPath '$CompletionConfig' -Name " | Should -Be @('floor-up', 'shop-up')
        Get-Completion "Get-LxdCommand -ConfigPath '$CompletionConfig' -Project shop -Name " | Should -Be @('shop-up')
    }

    It 'reads the config of the current location, and -ConfigPath relative to it' {
        Push-Location $CompletionFixture
        try {
            Get-Completion 'Get-LxdCommand -Name f' | Should -Be @('floor-up')
            Get-Completion 'Get-LxdNode -Name w' | Should -Be @('web1', 'web2')
        }
        finally { Pop-Location }
        Push-Location $Fixtures
        try { Get-Completion 'Get-LxdProject -ConfigPath ./completion/.lxd-compose.yml -Name s' | Should -Be @('shop', 'shopfloor') }
        finally { Pop-Location }
    }

    It 'sees a change of an included file on the next completion' {
        $copy = Join-Path $TestDrive 'completion'
        Copy-Item -Path $CompletionFixture -Destination $copy -Recurse
        $config = Join-Path $copy '.lxd-compose.yml'
        Get-Completion "Get-LxdGroup -ConfigPath '$config' -Project shop -Name " | Should -Be @('web')
        $envFile = Join-Path $copy 'envs/shop.yml'
        (Get-Content -Raw $envFile) -replace '(?m)^      - groups/shop-groups.yml', "`$0`n      - groups/shop-db.yml" |
            Set-Content -Path $envFile -NoNewline
        # A clear step in the file time, whatever the file system's resolution.
        (Get-Item $envFile).LastWriteTimeUtc = [DateTime]::UtcNow.AddMinutes(1)
        Get-Completion "Get-LxdGroup -ConfigPath '$config' -Project shop -Name " | Should -Be @('db', 'web')
    }

    It 'offers nothing, and throws nothing, for a missing or broken config' {
        $errorsBefore = $Error.Count
        Get-Completion "Get-LxdProject -ConfigPath '$(Join-Path $TestDrive 'none.yml')' -Name " | Should -BeNullOrEmpty
        $broken = Join-Path $TestDrive 'broken.yml'
        Set-Content -Path $broken -Value "env_dirs: [unclosed"
        Get-Completion "Get-LxdNode -ConfigPath '$broken' -Name " | Should -BeNullOrEmpty
        Push-Location $TestDrive
        try { Get-Completion 'Get-LxdGroup -Name ' | Should -BeNullOrEmpty }
        finally { Pop-Location }
        $Error.Count | Should -Be $errorsBefore
    }
}

Describe 'Hook flag and profile completers' {
    # The completer classes called as PowerShell calls them (TabExpansion2 below covers the cmdlets that use them).
    It 'offers the hook flags of the hooks and commands in scope' {
        $completer = [LxdCompose.PowerShell.Completers.HookFlagCompleter]::new()
        $all = $completer.CompleteArgument('Invoke-LxdApply', 'EnableFlag', '', $null, @{ ConfigPath = $CompletionConfig })
        $all.CompletionText | Should -Be @('prepare', 'reload', 'seed', 'web-only')
        $completer.CompleteArgument('Invoke-LxdApply', 'DisableFlag', 're', $null, @{ ConfigPath = $CompletionConfig }).CompletionText |
            Should -Be @('reload')
        $completer.CompleteArgument('Invoke-LxdApply', 'EnableFlag', '', $null, @{ ConfigPath = $CompletionConfig; Project = 'shopfloor' }) |
            Should -BeNullOrEmpty
    }

    It 'offers the profiles declared in the specs' {
        $completer = [LxdCompose.PowerShell.Completers.ProfileNameCompleter]::new()
        $completer.CompleteArgument('Get-LxdProfile', 'Name', 'shop-', $null, @{ ConfigPath = $CompletionConfig }).CompletionText |
            Should -Be @('shop-disk', 'shop-net')
        $completer.CompleteArgument('Get-LxdProfile', 'Name', '*net', $null, @{ ConfigPath = $CompletionConfig }).CompletionText |
            Should -Be @('shop-net')
    }
}

Describe 'Completion of flags, connections, template sources and test profiles on <_>' -ForEach @(
    'EnableFlag', 'DisableFlag', 'Remote', 'SourceFile', 'TestProfile') {
    BeforeAll {
        $script:Parameter = $_
        # Every cmdlet of the module that has the parameter; what Tab offers there, per parameter.
        $script:Cmdlets = @(Get-Command -Module LxdCompose | Where-Object { $_.Parameters.ContainsKey($Parameter) } | ForEach-Object Name)
        $script:Expected = @{
            EnableFlag  = @('prepare', 'reload', 'seed', 'web-only')
            DisableFlag = @('prepare', 'reload', 'seed', 'web-only')
            Remote      = @('floor-lxd', 'local')
            SourceFile  = @('templates/motd.tmpl', 'templates/sensor.conf.tmpl', 'templates/web-group.conf.tmpl', 'templates/web1.conf.tmpl')
            TestProfile = @('default', 'shop-disk', 'shop-net')
        }[$Parameter]
        # An empty folder: without a completer Tab would offer its files, so a missing completer cannot pass.
        $script:Here = Join-Path $TestDrive "empty-$Parameter"
        New-Item -ItemType Directory -Path $Here -Force | Out-Null
        Set-Content -Path (Join-Path $Here 'not-a-flag.txt') -Value ''
    }

    It 'is offered by every cmdlet that has it, from the specs of -ConfigPath' {
        $Cmdlets | Should -Not -BeNullOrEmpty
        Push-Location $Here
        try {
            foreach ($cmdlet in $Cmdlets) {
                # -Remote belongs to the set that also needs -Project; a project name first keeps that set.
                $prefix = if ($Parameter -eq 'Remote') { "$cmdlet * -ConfigPath '$CompletionConfig'" } else { "$cmdlet -ConfigPath '$CompletionConfig'" }
                Get-Completion "$prefix -$Parameter " | Should -Be $Expected -Because "$cmdlet -$Parameter"
            }
        }
        finally { Pop-Location }
    }

    It 'narrows to what was typed and to -Project' {
        # A cmdlet that takes projects first (Backup-LxdGroup, first by name, takes groups first).
        $cmdlet = if ($Cmdlets -contains 'Invoke-LxdApply') { 'Invoke-LxdApply' } else { $Cmdlets[0] }
        switch ($Parameter) {
            { $_ -in 'EnableFlag', 'DisableFlag' } {
                Get-Completion "$cmdlet -ConfigPath '$CompletionConfig' -$Parameter re" | Should -Be @('reload')
                Get-Completion "$cmdlet shop -ConfigPath '$CompletionConfig' -$Parameter *only" | Should -Be @('web-only')
            }
            'Remote' {
                Get-Completion "$cmdlet shopfloor -ConfigPath '$CompletionConfig' -Remote " | Should -Be @('floor-lxd')
                Get-Completion "$cmdlet shop -ConfigPath '$CompletionConfig' -Remote l" | Should -Be @('local')
            }
            'SourceFile' {
                Get-Completion "$cmdlet -ConfigPath '$CompletionConfig' -Project shopfloor -SourceFile " | Should -Be @('templates/sensor.conf.tmpl')
                Get-Completion "$cmdlet -ConfigPath '$CompletionConfig' -SourceFile templates/web" |
                    Should -Be @('templates/web-group.conf.tmpl', 'templates/web1.conf.tmpl')
            }
            'TestProfile' {
                Get-Completion "$cmdlet shop -ConfigPath '$CompletionConfig' -TestProfile d" | Should -Be @('default')
                Get-Completion "$cmdlet shopfloor -ConfigPath '$CompletionConfig' -TestProfile " | Should -Be @('shop-disk', 'shop-net')
            }
        }
    }
}

Describe 'Remote name completion' {
    BeforeAll {
        $script:ClientConfig = Join-Path $TestDrive 'lxc'
        New-Item -ItemType Directory -Path $ClientConfig | Out-Null
        @(
            'default-remote: lab-one'
            'remotes:'
            '  lab-one:'
            '    addr: https://192.0.2.10:8443'
            '    protocol: lxd'
            '    auth_type: tls'
            '  lab-two:'
            '    addr: https://192.0.2.11:8443'
            '    protocol: lxd'
            '    auth_type: tls'
        ) | Set-Content -Path (Join-Path $ClientConfig 'config.yml')
    }

    It 'offers the remotes of config.yml and the built-in ones, without contacting them' {
        $names = Get-Completion "Get-LxdRemote -ConfigDirectory '$ClientConfig' -Name "
        $names | Should -Contain 'lab-one'
        $names | Should -Contain 'lab-two'
        $names | Should -Contain 'local'
        Get-Completion "Test-LxdRemote -ConfigDirectory '$ClientConfig' lab-t" | Should -Be @('lab-two')
        Get-Completion "Remove-LxdRemote -ConfigDirectory '$ClientConfig' -Name *one" | Should -Be @('lab-one')
    }

    It 'offers nothing for a config.yml that does not parse' {
        $bad = Join-Path $TestDrive 'bad-lxc'
        New-Item -ItemType Directory -Path $bad | Out-Null
        Set-Content -Path (Join-Path $bad 'config.yml') -Value 'remotes: [unclosed'
        Get-Completion "Get-LxdRemote -ConfigDirectory '$bad' -Name " | Should -BeNullOrEmpty
    }
}

Describe 'Render value name completion' {
    AfterEach { Clear-LxdRenderValue }

    It 'offers the dotted names set in this session and their parents' {
        Set-LxdRenderValue -Name db.host -Value 'db.example'
        Set-LxdRenderValue -Name db.port -Value 5432
        Set-LxdRenderValue -Name web -Value 'on'
        Get-Completion 'Get-LxdRenderValue -Name d' | Should -Be @('db', 'db.host', 'db.port')
        Get-Completion 'Clear-LxdRenderValue *port' | Should -Be @('db.port')
        Get-Completion 'Set-LxdRenderValue -Name w' | Should -Be @('web')
    }

    It 'never shows a value in the tooltip' {
        Set-LxdRenderValue -Name db.password -Value 'hunter2-secret'
        $line = 'Get-LxdRenderValue -Name db.pa'
        $match = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $match.CompletionText | Should -Be @('db.password')
        $match.ToolTip | Should -Not -Match 'hunter2'
    }
}
