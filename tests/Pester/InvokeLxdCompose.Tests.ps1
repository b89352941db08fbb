# lxd-compose's command line inside PowerShell (Invoke-LxdCompose) and the diagnostics it maps onto (Get-LxdVariable,
# Get-LxdComposeConfig, Get-LxdCommand -CommandFile), without a server. The runs against servers are in
# InvokeLxdComposeLab.Tests.ps1.

BeforeDiscovery {
    $lines = Join-Path $PSScriptRoot 'Fixtures/lxd-compose-lines'
    $script:ReferenceCases = @(Get-Content (Join-Path $lines 'reference.txt') | Where-Object { $_ -and $_ -notmatch '^#' } |
            ForEach-Object { @{ Line = $_ } })
    $script:CorpusCases = @(Get-Content (Join-Path $lines 'corpus.tsv') | Where-Object { $_ -and $_ -notmatch '^#' } |
            ForEach-Object { $at, $line = $_ -split "`t", 2; @{ At = $at; Line = $line } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'CommandLineCorpus.ps1')
    Import-Module $ModuleManifest -Force
    $script:Basic = Join-Path $Fixtures 'basic'
    $script:PinnedCorpus = Join-Path $Fixtures 'lxd-compose-lines/corpus.tsv'
    # The public corpus next to the repository (../shared); its tests are skipped with the reason when it is absent.
    $script:Corpus = Join-Path $RepoRoot '../shared/corpus'
    $script:Exported = @((Get-Module LxdCompose).ExportedCmdlets.Keys)

    # Runs a line with -WhatIf on the galaxy's specs, with a client configuration whose only remote is a closed loopback
    # port: the line reaches its cmdlet with every parameter bound, and whatever the cmdlet refuses (the gate's unknown
    # remotes, projects the galaxy lacks) is one of the module's own error records, never the command line's or
    # PowerShell's parameter binding's.
    function Assert-LineRunsWithWhatIf {
        param([string] $Line)
        $config = Join-Path $Corpus 'lxd-compose-galaxy/.lxd-compose'
        if (-not (Test-Path $config)) {
            Set-ItResult -Skipped -Because '../shared/corpus/lxd-compose-galaxy is absent next to the repository'
            return
        }
        $closed = Join-Path $TestDrive 'closed-lxd-conf'
        if (-not (Test-Path $closed)) {
            New-Item -ItemType Directory $closed | Out-Null
            Set-Content (Join-Path $closed 'config.yml') "default-remote: local`nremotes:`n  local: {addr: 'https://127.0.0.1:1', protocol: lxd, public: false}`n"
        }
        $ErrorActionPreference = 'Continue'
        $problems = $null
        Push-Location $TestDrive
        $stopped = $null
        try {
            Invoke-LxdCompose -WhatIf -CommandLine "-c '$config' --lxd-config-dir '$closed' $Line" -ErrorAction SilentlyContinue `
                -ErrorVariable problems -WarningAction SilentlyContinue -InformationAction SilentlyContinue 6>$null | Out-Null
        }
        catch { $stopped = $_ } # a terminating error (a missing file the line names, a remote the client config lacks)
        finally { Pop-Location }
        $problems = @($problems) + @($stopped | Where-Object { $_ })
        foreach ($problem in @($problems)) {
            # -ErrorVariable keeps a terminating error as the exception that carries its record.
            if ($problem -is [System.Management.Automation.IContainsErrorRecord]) { $problem = $problem.ErrorRecord }
            $problem | Should -BeOfType [System.Management.Automation.ErrorRecord]
            $problem.FullyQualifiedErrorId | Should -Not -Match '^(LxdCommandLine|NamedParameterNotFound|ParameterArgument|MissingArgument|AmbiguousParameterSet|PositionalParameterNotFound|InputObjectNotBound|ParameterBindingFailed|CannotConvert|MissingMandatoryParameter)' -Because "'$Line' must bind: $problem"
            $problem.Exception.GetType().FullName | Should -Match '^(LxdCompose\.|System\.(ArgumentException|InvalidOperationException|Management\.Automation\.ItemNotFoundException|IO\.FileNotFoundException|IO\.DirectoryNotFoundException))' -Because "'$Line': $problem"
        }
    }

    # Maps a line without running it: onto an exported cmdlet, with parameters the cmdlet has.
    function Assert-LineMaps {
        param([string] $Line)
        $translation = Invoke-LxdCompose -CommandLine $Line -Translate -ErrorAction Stop
        $translation.Cmdlet | Should -BeIn $Exported
        $parameters = (Get-Command $translation.Cmdlet).Parameters
        foreach ($name in $translation.Parameters.Keys) { $parameters.ContainsKey($name) | Should -BeTrue -Because "-$name of $($translation.Cmdlet)" }
    }
}

Describe 'Invoke-LxdCompose maps lxd-compose command lines' {
    It 'maps <Line> (reference section 2)' -TestCases $ReferenceCases {
        param($Line)
        Assert-LineMaps $Line
    }

    It 'maps <Line> (corpus <At>)' -TestCases $CorpusCases {
        param($At, $Line)
        if ($Line -match ' -env ') {
            # A typo in the corpus (one dash): lxd-compose refuses it too (unknown shorthand flag 'e').
            { Invoke-LxdCompose -CommandLine $Line -Translate } | Should -Throw -ErrorId 'LxdCommandLineInvalid,*'
            try { Invoke-LxdCompose -CommandLine $Line -Translate } catch { $_.ErrorDetails.RecommendedAction | Should -Match '--env' }
            return
        }
        Assert-LineMaps $Line
    }

    It 'finds exactly the pinned command lines in the public corpus' {
        if (-not (Test-Path $Corpus)) {
            Set-ItResult -Skipped -Because '../shared/corpus is absent next to the repository'
            return
        }
        $found = @(Find-LxdComposeCommandLine -Root $Corpus | ForEach-Object { '{0}:{1}{2}{3}' -f $_.File, $_.Line, "`t", $_.CommandLine })
        $found | Should -Be @(Get-Content $PinnedCorpus | Where-Object { $_ -and $_ -notmatch '^#' })
    }

    It 'runs <Line> with -WhatIf against the galaxy and no reachable server (reference)' -TestCases $ReferenceCases {
        param($Line)
        Assert-LineRunsWithWhatIf $Line
    }

    It 'runs <Line> with -WhatIf against the galaxy and no reachable server (corpus <At>)' -TestCases $CorpusCases {
        param($At, $Line)
        if ($Line -match ' -env ') { return } # the corpus typo, refused above
        Assert-LineRunsWithWhatIf $Line
    }

    It 'runs the corpus read-only lines against the galaxy: p list, c list' {
        $config = Join-Path $Corpus 'lxd-compose-galaxy/.lxd-compose'
        if (-not (Test-Path $config)) {
            Set-ItResult -Skipped -Because '../shared/corpus/lxd-compose-galaxy is absent next to the repository'
            return
        }
        $projects = @(Invoke-LxdCompose -WarningAction SilentlyContinue -- -c $config p list)
        $projects | Should -HaveCount 24
        $projects.Name | Should -Be @(Get-LxdProject -ConfigPath $config -WarningAction SilentlyContinue).Name
        @(Invoke-LxdCompose -CommandLine "-c '$config' c list" -WarningAction SilentlyContinue).Name |
            Should -Be @(Get-LxdCommand -ConfigPath $config -WarningAction SilentlyContinue).Name
    }
}

Describe 'Invoke-LxdCompose reads flags as lxd-compose does' {
    BeforeEach { Push-Location $Basic }
    AfterEach { Pop-Location }

    It 'gives an alias the command it stands for' {
        (Invoke-LxdCompose -Translate -- a alpha --skip-sync).PowerShell | Should -Be (Invoke-LxdCompose -Translate -- apply alpha --skip-sync).PowerShell
        $cmdlet = try { (Invoke-LxdCompose -Translate -- pf c p1 -a).Cmdlet } catch { $_.TargetObject }
        $cmdlet | Should -Be 'Publish-LxdProfile'
        (Invoke-LxdCompose -Translate -- f p1).Cmdlet | Should -Be 'Save-LxdImage'
        (Invoke-LxdCompose -Translate -- c r p1 c1).PowerShell | Should -Be "Invoke-LxdCommand -Name 'c1'"
    }

    It 'splits list flags at commas, never KEY=VALUE flags, and repeats both' {
        $t = Invoke-LxdCompose -CommandLine 'apply alpha --enable-group front,back --enable-group x --env k=a,b --env "k2=c d" --render-env r=1' -Translate
        $t.Parameters.Group | Should -Be @('front', 'back', 'x')
        $t.Parameters.Env['k'] | Should -Be 'a,b'
        $t.Parameters.Env['k2'] | Should -Be 'c d'
        $t.Parameters.RenderValue['r'] | Should -Be '1'
        $t.Parameters.Project | Should -Be @('alpha')
    }

    It 'takes --flag=value, -fvalue, bool values and flags before the command' {
        $t = Invoke-LxdCompose -CommandLine '-c=x.yml compile -pone -f=tpl/' -Translate
        $t.Parameters.ConfigPath | Should -Be 'x.yml'
        $t.Parameters.Project | Should -Be @('one')
        $t.Parameters.SourceFile | Should -Be @('tpl/')
        (Invoke-LxdCompose -Translate -- apply alpha --upgrade --upgrade=false).Parameters.ContainsKey('Upgrade') | Should -BeFalse
    }

    It 'maps node exec onto its cmdlet: the node, the command words, and -e left to the connection of the node group' {
        $t = Invoke-LxdCompose -CommandLine 'node exec -e vm1 web1 ls -la /' -Translate
        $t.Cmdlet | Should -Be 'Invoke-LxdExec'
        $t.Parameters.Name | Should -Be 'web1'
        $t.Parameters.Command | Should -Be 'ls -la /'
        $t.Parameters.ContainsKey('Remote') | Should -BeFalse -Because "the node's group names its server"
    }

    It 'maps images purge --all-images and -a onto every image of every project, and storage list onto the declarations' {
        $purge = Invoke-LxdCompose -CommandLine 'images purge -a --all-images --match ^old-' -Translate
        ($purge.Cmdlet, "$($purge.Parameters.Project)", "$($purge.Parameters.Name)", "$($purge.Parameters.AliasMatch)") |
            Should -Be @('Remove-LxdImage', '*', '*', '^old-')
        $list = Invoke-LxdCompose -CommandLine 'storage list p1' -Translate
        ($list.Cmdlet, $list.Parameters.Project, $list.Parameters.DeclaredOnly) | Should -Be @('Get-LxdStoragePool', 'p1', $true)
    }

    It 'refuses an unknown flag, naming it and the flags of the command' {
        $err = $null
        try { Invoke-LxdCompose -- apply alpha --bogus } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'LxdCommandLineInvalid,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be '--bogus'
        $err.Exception.Message | Should -Match "--bogus is not a flag of 'lxd-compose apply'"
        $err.ErrorDetails.RecommendedAction | Should -Match '--enable-group'
    }

    It 'refuses an unknown command, a missing argument and --version with what to use instead' {
        { Invoke-LxdCompose -- frobnicate } | Should -Throw -ErrorId 'LxdCommandLineInvalid,*'
        try { Invoke-LxdCompose -- node frob } catch { $_.ErrorDetails.RecommendedAction | Should -Match 'node exec' }
        try { Invoke-LxdCompose -- apply } catch { $_.Exception.Message | Should -Match 'needs <project>' }
        try { Invoke-LxdCompose -- --version } catch { $_.ErrorDetails.RecommendedAction | Should -Match 'Get-Module LxdCompose' }
        { Invoke-LxdCompose -- apply } | Should -Throw -ErrorId 'LxdCommandLineInvalid,*'
    }

    It 'refuses --disable-group of stop and destroy, saying how to name the groups instead' {
        $err = $null
        try { Invoke-LxdCompose -Translate -- stop p1 --disable-group db } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'LxdCommandLineInvalid,*'
        $err.Exception.Message | Should -Match '--disable-group has no counterpart'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Where-Object Name -NotLike <group> \| Stop-LxdGroup'
    }

    It 'prints the mapping for --help, all commands or one command with its flags' {
        $all = @(Invoke-LxdCompose --help)
        $all[0].PSObject.TypeNames[0] | Should -Be 'LxdCompose.PowerShell.Commands.LxdComposeMappingRow'
        ($all | Where-Object Command -EQ 'diagnose vars').Cmdlet | Should -Be 'Get-LxdVariable'
        ($all | Where-Object Flag -EQ '--lxd-config-dir').Parameter | Should -Be '-LxdConfigDirectory'
        @(Invoke-LxdCompose) | Should -HaveCount $all.Count
        $apply = @(Invoke-LxdCompose -- apply --help)
        $apply[0].Command | Should -Be 'apply'
        ($apply | Where-Object Flag -EQ '--ask').Parameter | Should -Be '-Confirm'
        ($apply | Where-Object Flag -EQ '--enable-group').Parameter | Should -Be '-Group'
    }

    It 'drops a global flag the cmdlet has no parameter for, with a verbose line' {
        $out = Invoke-LxdCompose -CommandLine '-c cfg.yml security genkey -l 40' -Translate -Verbose 4>&1
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Match 'New-LxdEncryptionKey has no -ConfigPath'
        $t = $out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $t.PowerShell | Should -Be 'New-LxdEncryptionKey -Size 40 -Verbose'
    }

    It 'runs list commands with --json and -s as objects would' {
        $json = Invoke-LxdCompose -- project list --json -s '^al'
        @($json | ConvertFrom-Json).Name | Should -Be @('alpha')
        @(Invoke-LxdCompose -- g l alpha -s ack).Name | Should -Be @('back')
        @(Invoke-LxdCompose -CommandLine 'command list').Name | Should -Be @((Get-LxdCommand).Name)
    }

    It 'sets the config flags as LXD_COMPOSE_* variables for the call only' {
        $before = $env:LXD_COMPOSE_RENDER_VALUES_FILE
        $t = Invoke-LxdCompose -Translate -- project list --render-values values.yml --encrypted-secrets
        $t.Environment['LXD_COMPOSE_RENDER_VALUES_FILE'] | Should -Be (Join-Path $Basic 'values.yml')
        $t.Environment['LXD_COMPOSE_SECURITY__ENCRYPTED_SECRETS'] | Should -Be 'true'
        Set-Content (Join-Path $TestDrive 'v.yml') "x: 1`n"
        @(Invoke-LxdCompose -- project list --render-values (Join-Path $TestDrive 'v.yml')).Name | Should -Be @('alpha', 'beta')
        $env:LXD_COMPOSE_RENDER_VALUES_FILE | Should -Be $before
        $missing = Join-Path $TestDrive 'missing.yml'
        { Invoke-LxdCompose -ErrorAction Stop -- project list --render-values $missing } | Should -Throw "*missing.yml*"
    }

    It 'splits -CommandLine as a shell: quotes and backslashes' {
        $t = Invoke-LxdCompose -CommandLine "apply 'my proj' --env `"a=b c`" --env x=y\ z" -Translate
        $t.Parameters.Project | Should -Be @('my proj')
        $t.Parameters.Env['a'] | Should -Be 'b c'
        $t.Parameters.Env['x'] | Should -Be 'y z'
        { Invoke-LxdCompose -CommandLine "apply 'open" } | Should -Throw -ErrorId 'LxdCommandLineInvalid,*'
    }

    It 'forwards -WhatIf to the cmdlet it runs' {
        $t = Invoke-LxdCompose -WhatIf -Translate -- apply alpha
        $t.Parameters.WhatIf | Should -BeTrue
        (Invoke-LxdCompose -WhatIf -Translate -- project list).Parameters.ContainsKey('WhatIf') | Should -BeFalse
    }
}

Describe 'Get-LxdVariable (diagnose vars)' {
    BeforeAll {
        $script:Root = Join-Path $TestDrive 'vars'
        New-Item -ItemType Directory (Join-Path $Root 'envs') -Force | Out-Null
        Set-Content (Join-Path $Root '.lxd-compose.yml') "env_dirs: [./envs]`n"
        Set-Content (Join-Path $Root 'extra.yml') "envs:`n  from_file: file-value`n  shared: file`n"
        Set-Content (Join-Path $Root 'envs/app.yml') @'
version: "1"
projects:
  - name: app
    vars:
      - envs: {api_password: NamedSecretValue2, shared: inline, port: 8080, nested: {a: [1, 2]}}
      - secret: true
        envs: {marked: MarkedSecretValue3}
    groups: []
  - name: other
    vars:
      - envs: {only: other}
    groups: []
'@
    }

    It 'lists the variables of a project with the block that set each, -VarsFile then -Env last' {
        $vars = @(Get-LxdVariable app -ConfigPath $Root -VarsFile (Join-Path $Root 'extra.yml') -Env @{ shared = 'env' })
        $vars.Name | Should -Be @('api_password', 'from_file', 'marked', 'nested', 'port', 'shared')
        $vars[0].PSObject.TypeNames[0] | Should -Be 'LxdCompose.Loading.ProjectVariable'
        ($vars | Where-Object Name -EQ 'shared').Value | Should -Be 'env'
        ($vars | Where-Object Name -EQ 'shared').Source.ToString() | Should -Be '-Env'
        ($vars | Where-Object Name -EQ 'from_file').Source.File | Should -Be (Join-Path $Root 'extra.yml')
        ($vars | Where-Object Name -EQ 'port').Value | Should -Be 8080
        ($vars | Where-Object Name -EQ 'port').Source.Line | Should -Be 5
    }

    It 'masks secret values unless -ShowSecret, in objects and in YAML and JSON text' {
        $vars = Get-LxdVariable app -ConfigPath $Root
        ($vars | Where-Object Name -EQ 'api_password').Value | Should -Be '********'
        ($vars | Where-Object Name -EQ 'marked').Value | Should -Be '********'
        (Get-LxdVariable app -ConfigPath $Root -AsYaml) | Should -Not -Match 'NamedSecretValue2|MarkedSecretValue3'
        (Get-LxdVariable app -ConfigPath $Root -AsJson) | Should -Not -Match 'NamedSecretValue2|MarkedSecretValue3'
        (Get-LxdVariable app -ConfigPath $Root -Env @{ db_token = 'EnvTokenValue5' }).Value | Should -Not -Contain 'EnvTokenValue5'
        ((Get-LxdVariable app -ConfigPath $Root -ShowSecret) | Where-Object Name -EQ 'marked').Value | Should -Be 'MarkedSecretValue3'
    }

    It 'writes lxd-compose''s map as YAML or JSON: the variables, project and env_base_dir, keys sorted' {
        $json = Get-LxdVariable app -ConfigPath $Root -AsJson -ShowSecret | ConvertFrom-Json -AsHashtable
        $json['env_base_dir'] | Should -Be (Join-Path $Root 'envs')
        $json['project']['name'] | Should -Be 'app'
        $json['nested']['a'] | Should -Be @(1, 2)
        @($json.Keys) | Should -Be @($json.Keys | Sort-Object -CaseSensitive)
        $yaml = Get-LxdVariable app -ConfigPath $Root -AsYaml
        $yaml | Should -Match '(?m)^port: 8080$'
        $yaml | Should -Match '(?m)^env_base_dir: '
        { Get-LxdVariable app -ConfigPath $Root -AsYaml -AsJson } | Should -Throw -ErrorId 'LxdVariableFormatConflict,*'
    }

    It 'takes piped projects and reports a project that is not there' {
        @(Get-LxdProject other -ConfigPath $Root | Get-LxdVariable).Name | Should -Be @('only')
        $null = Get-LxdVariable nope -ConfigPath $Root -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'LxdProjectNotFound,*'
    }

    It 'is what lxd-compose diagnose vars maps onto, --json included' {
        @(Invoke-LxdCompose -- -c $Root diagnose vars other).Name | Should -Be @('only')
        (Invoke-LxdCompose -- -c $Root di vars other --json --env k=v | ConvertFrom-Json).k | Should -Be 'v'
    }
}

Describe 'Get-LxdComposeConfig (print)' {
    It 'shows the effective configuration, the key never' {
        $root = Join-Path $TestDrive 'cfg'
        New-Item -ItemType Directory (Join-Path $root 'envs') -Force | Out-Null
        $key = 'c2VjcmV0LWtleS12YWx1ZS1mb3ItdGVzdHMtMTIzNDU2Nzg5MA=='
        Set-Content (Join-Path $root '.lxd-compose.yml') "env_dirs: [./envs]`ngeneral:`n  lxd_confdir: ./conf`nsecurity:`n  key: $key`n"
        foreach ($show in $false, $true) {
            $config = Get-LxdComposeConfig -ConfigPath $root -ShowSecret:$show
            $config.ConfigFile | Should -Be (Join-Path $root '.lxd-compose.yml')
            $config.LxdConfDir | Should -Be './conf'
            $config.EnvDirs | Should -Be @('./envs')
            $config.KeySet | Should -BeTrue
            ($config | ConvertTo-Json -Depth 5) + ($config | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($key))
        }
        $env:LXD_COMPOSE_GENERAL__LXD_CONFDIR = '/from/env'
        try { (Get-LxdComposeConfig -ConfigPath $root).LxdConfDir | Should -Be '/from/env' }
        finally { Remove-Item Env:LXD_COMPOSE_GENERAL__LXD_CONFDIR }
        (Invoke-LxdCompose -- -c $root print).KeySet | Should -BeTrue
    }
}

Describe 'Get-LxdCommand -CommandFile (command list --command-file)' {
    BeforeEach { Push-Location $Basic }
    AfterEach { Pop-Location }

    It 'lists the commands of the files with the others, each in its project''s environment' {
        $file = Join-Path $TestDrive 'extra-cmd.yml'
        Set-Content $file "name: extra-up`nproject: beta`ndescription: from a file`nenable_groups: [misc]`n"
        $commands = @(Get-LxdCommand -CommandFile $file)
        $commands.Name | Should -Be @('alpha-up', 'beta-up', 'extra-up')
        $commands[2].Project | Should -Be 'beta'
        $commands[2].EnvironmentFile | Should -Be (Join-Path $Basic 'envs/basic.yml')
        (Get-LxdCommand -CommandFile $file -Project alpha).Name | Should -Be 'alpha-up'
        @(Invoke-LxdCompose -- command list --command-file $file -s extra).Name | Should -Be @('extra-up')
    }

    It 'reports a file that is missing or names an unknown project, and lists the rest' {
        $bad = Join-Path $TestDrive 'bad-cmd.yml'
        Set-Content $bad "name: lost`nproject: nowhere`n"
        $commands = @(Get-LxdCommand -CommandFile $bad, (Join-Path $TestDrive 'none.yml') -ErrorVariable err -ErrorAction SilentlyContinue)
        $commands.Name | Should -Be @('alpha-up', 'beta-up')
        $err | Should -HaveCount 2
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CommandProjectNotFound*'
        $err[0].Exception.Message | Should -Match "bad-cmd.yml:1:1.*'nowhere'"
        $err[1].FullyQualifiedErrorId | Should -BeLike 'IncludeNotFound*'
    }
}

Describe '-LxdConfigDirectory (--lxd-config-dir)' {
    It 'is on every cmdlet that talks to a server, and names the remote cmdlets'' -ConfigDirectory' {
        $talking = @(Get-Command -Module LxdCompose -CommandType Cmdlet |
                Where-Object { $_.Parameters.ContainsKey('Remote') -or $_.Name -in 'Invoke-LxdCommand', 'Unlock-LxdProject' })
        $talking.Name | Should -Contain 'Invoke-LxdApply'
        foreach ($command in $talking) {
            $command.Parameters.ContainsKey('LxdConfigDirectory') | Should -BeTrue -Because "$($command.Name) talks to servers"
        }
        foreach ($name in 'Add-LxdRemote', 'Get-LxdRemote', 'Remove-LxdRemote', 'Test-LxdRemote') {
            (Get-Command $name).Parameters['ConfigDirectory'].Aliases | Should -Contain 'LxdConfigDirectory'
        }
    }

    It 'replaces general.lxd_confdir in the validation before any server call' {
        $root = Join-Path $TestDrive 'confdir'
        New-Item -ItemType Directory (Join-Path $root 'envs'), (Join-Path $root 'conf-b') -Force | Out-Null
        Set-Content (Join-Path $root '.lxd-compose.yml') "env_dirs: [./envs]`ngeneral:`n  lxd_confdir: ./conf-a`n"
        Set-Content (Join-Path $root 'conf-b/config.yml') "default-remote: cli-b`nremotes:`n  cli-b: {addr: 'https://127.0.0.1:1', protocol: lxd, public: false}`n"
        Set-Content (Join-Path $root 'envs/e.yml') "version: '1'`nprojects:`n  - name: cli-p`n    groups:`n      - name: g`n        connection: cli-b`n        nodes:`n          - name: cli-x`n            image_source: busybox/lab`n"
        $null = Get-LxdApplyPlan cli-p -ConfigPath $root -ErrorVariable without -ErrorAction SilentlyContinue
        ($without.Exception.Message -join "`n") | Should -Match 'conf-a'
        $null = Get-LxdApplyPlan cli-p -ConfigPath $root -LxdConfigDirectory (Join-Path $root 'conf-b') -ErrorVariable with -ErrorAction SilentlyContinue
        ($with.Exception.Message -join "`n") | Should -Not -Match 'conf-a'
        ($with.Exception.Message -join "`n") | Should -Match '127\.0\.0\.1:1|cli-b'
    }
}

