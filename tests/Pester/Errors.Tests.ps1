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
        # The file left out because of it is the advice of the one error, not a second error.
        $problems | Should -HaveCount 1
        $yaml.ErrorDetails.RecommendedAction | Should -BeLike '*nothing from this environment file is used*'
    }

    It 'names the target by file:line:column on the category line, not by the whole message' {
        Push-Location $Broken
        try { $null = Get-LxdProject -ErrorVariable problems -ErrorAction SilentlyContinue }
        finally { Pop-Location }
        $problems[0].CategoryInfo.TargetName | Should -Be "${BrokenFile}:4:23"
        $problems[0].CategoryInfo.ToString() | Should -Not -BeLike '*invalid YAML*'
    }

    It 'reports one YAML error once in Get-LxdProject | Get-LxdGroup | Get-LxdNode' {
        Push-Location $Broken
        # The runner's ErrorActionPreference (Stop) must not turn the reported errors into a thrown one.
        try { $nodes = & { $ErrorActionPreference = 'Continue'; Get-LxdProject | Get-LxdGroup | Get-LxdNode } 2>&1 }
        finally { Pop-Location }
        $errors = @($nodes | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'YamlSyntax,*'
        @($nodes | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }).Name | Should -Be 'ok1'
    }

    It 'reports it again in every separate pipeline, in a script and in a loop' {
        Push-Location $Broken
        try {
            $first = @(& { $ErrorActionPreference = 'Continue'; Get-LxdProject | Get-LxdGroup } 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $second = @(& { $ErrorActionPreference = 'Continue'; Get-LxdProject | Get-LxdGroup } 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $looped = & {
                $ErrorActionPreference = 'Continue'
                foreach ($turn in 1, 2) { Get-LxdProject | Get-LxdGroup }
            } 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }
        }
        finally { Pop-Location }
        $first | Should -HaveCount 1
        $second | Should -HaveCount 1
        $looped | Should -HaveCount 2
    }

    It 'gives a compile error its template file:line:column as target and advice' {
        $root = Join-Path $TestDrive 'compile'
        New-Item -ItemType Directory (Join-Path $root 'envs/templates') -Force | Out-Null
        Set-Content (Join-Path $root '.lxd-compose.yml') "env_dirs:`n  - ./envs`n"
        Set-Content (Join-Path $root 'envs/app.yml') @"
version: "1"
template_engine:
  engine: scriban
projects:
  - name: app
    groups:
      - name: g
        nodes:
          - name: n1
            image_source: alpine/edge
            config_templates:
              - source: templates/app.conf.tmpl
                dst: out/app.conf
"@
        $template = Join-Path $root 'envs/templates/app.conf.tmpl'
        Set-Content $template "# app`nlisten {{ 1 + }}`n"
        $null = Invoke-LxdCompile -ConfigPath (Join-Path $root '.lxd-compose.yml') -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].CategoryInfo.TargetName | Should -Be "${template}:2:15"
        $problems[0].TargetObject.File | Should -Be $template
        $problems[0].TargetObject.Node | Should -Be 'n1'
        $problems[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'loads every piped config that loads and reports each one that does not, without stopping' {
        $root = Join-Path $TestDrive 'many'
        Copy-Item -Recurse (Join-Path $Fixtures 'basic') (Join-Path $root 'a-good')
        New-Item -ItemType Directory (Join-Path $root 'b-broken') -Force | Out-Null
        Set-Content (Join-Path $root 'b-broken/.lxd-compose.yml') "env_dirs: [./envs`n"
        Copy-Item -Recurse (Join-Path $Fixtures 'other') (Join-Path $root 'c-good')
        $projects = Get-ChildItem $root -Recurse -Filter .lxd-compose.yml -Force | Get-LxdProject -ErrorVariable problems -ErrorAction SilentlyContinue
        $projects.Name | Should -Be @('alpha', 'beta', 'gamma')
        $problems | Should -HaveCount 1
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].Exception.Message | Should -BeLike "$(Join-Path $root 'b-broken/.lxd-compose.yml'):*"
    }

    It 'takes a folder holding .lxd-compose.yml as -ConfigPath, and names a folder without one' {
        (Get-LxdProject -ConfigPath (Join-Path $Fixtures 'other')).Name | Should -Be 'gamma'
        $empty = Join-Path $TestDrive 'no-config-here'
        New-Item -ItemType Directory $empty -Force | Out-Null
        { Get-LxdProject -ConfigPath $empty -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'ConfigNotFound,*' -ExpectedMessage "*no .lxd-compose.yml in the folder $empty*"
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

Describe 'Inputs past a bound, and files that are not files' {
    BeforeAll {
        $script:Bounds = Join-Path $TestDrive 'bounds'
        New-Item -ItemType Directory (Join-Path $Bounds 'envs') -Force | Out-Null
        Set-Content (Join-Path $Bounds '.lxd-compose.yml') "env_dirs:`n  - ./envs`n"
        Set-Content (Join-Path $Bounds 'envs/good.yml') "version: `"1`"`nprojects:`n  - name: good`n"
        function Get-BoundProblem {
            param([string] $Name)
            $null = Get-LxdProject -ConfigPath (Join-Path $Bounds '.lxd-compose.yml') -ErrorVariable problems -ErrorAction SilentlyContinue
            @($problems | Where-Object { "$($_.TargetObject)" -like "*$Name*" -or $_.CategoryInfo.TargetName -like "*$Name*" })
        }
    }

    AfterEach { Get-ChildItem (Join-Path $Bounds 'envs') -Exclude good.yml | Remove-Item -Force }

    It 'reports YAML nested past lxd-compose''s 10,000 levels as LimitsExceeded, at its position' {
        Set-Content (Join-Path $Bounds 'envs/deep.yml') ("projects:`n  - name: deep`n    vars:`n      - x: " + ('[' * 100000))
        $problem = Get-BoundProblem 'deep.yml'
        $problem | Should -HaveCount 1
        $problem[0].FullyQualifiedErrorId | Should -BeLike 'YamlTooDeep,*'
        $problem[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $problem[0].CategoryInfo.TargetName | Should -Match 'deep\.yml:4:\d+$'
    }

    It 'reports a template loop past its bound as LimitsExceeded' {
        # Environment files are rendered (Helm engine) when a render values file is set.
        $rendered = Join-Path $TestDrive 'rendered'
        New-Item -ItemType Directory (Join-Path $rendered 'envs') -Force | Out-Null
        Set-Content (Join-Path $rendered 'values.yml') "x: 1`n"
        Set-Content (Join-Path $rendered '.lxd-compose.yml') "render_values_file: ./values.yml`nenv_dirs:`n  - ./envs`n"
        Set-Content (Join-Path $rendered 'envs/loop.yml') "projects:`n  - name: loop`n    description: `"{{ range until 200000000 }}x{{ end }}`"`n"
        $null = Get-LxdProject -ConfigPath (Join-Path $rendered '.lxd-compose.yml') -ErrorVariable problem -ErrorAction SilentlyContinue
        $problem | Should -HaveCount 1
        $problem[0].FullyQualifiedErrorId | Should -BeLike 'TemplateLimitExceeded,*'
        $problem[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
    }

    It 'reports a FIFO named *.yml as ReadError without opening it' -Skip:(-not $IsLinux) {
        & mkfifo (Join-Path $Bounds 'envs/pipe.yml')
        $LASTEXITCODE | Should -Be 0
        $problem = Get-BoundProblem 'pipe.yml'
        $problem | Should -HaveCount 1
        $problem[0].FullyQualifiedErrorId | Should -BeLike 'NotARegularFile,*'
        $problem[0].CategoryInfo.Category | Should -Be 'ReadError'
    }
}

Describe 'Load details for lxd-compose''s --debug' {
    It 'writes them on the verbose stream' {
        $verbose = Get-LxdProject -ConfigPath (Join-Path $Fixtures 'basic') -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$verbose" | Should -BeLike "*Loaded 2 project(s) and 2 command(s) from '$(Join-Path $Fixtures 'basic/.lxd-compose.yml')'*"
    }

    It 'runs unattended with -Verbose, the mapping of --debug, and shows the load details' {
        # -NonInteractive turns a prompt into an error, which -ErrorAction Stop makes fatal. (-Debug is no mapping: a
        # compiled cmdlet run with -Debug asks before each verbose message and warning, even in PowerShell 7.4+.)
        $output = Invoke-ChildPwsh -Script @"
Import-Module '$ModuleManifest'
`$projects = Get-LxdProject -ConfigPath '$(Join-Path $Fixtures 'basic')' -Verbose -ErrorAction Stop 4>&1
`$projects | ForEach-Object { "`$_" }
"@
        $output | Should -Contain "Loaded 2 project(s) and 2 command(s) from '$(Join-Path $Fixtures 'basic/.lxd-compose.yml')' with 0 problem(s)."
        $output | Should -Contain 'alpha'
    }
}
