# Secret values never show: a spec with a secret of every kind (an encrypted vars file, a `secret: true` block, a
# secret-named variable, a secret-named label, the encrypted render secrets file, a secret-named render value, -Env) is
# applied to the LXD lab (the first VM, remote "local") with -Verbose -Debug, through a hook that echoes every secret and
# one that fails quoting them. Every stream ([PowerShell].Streams), every output object (ConvertTo-Json -Depth 10), the
# -WhatIf text and every file the module wrote are searched: the secrets appear only in the container (where the hooks
# and the pushed config file need them) and in the compiled template (0600). The instance is sec-ps-app and is removed.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    $script:Lab = Read-LabEnv
    $script:Root = Join-Path $TestDrive 'secrets'
    New-LabSpecRoot -Path $Root -Lab $Lab
    $script:Instance = 'sec-ps-app'
    $script:Secrets = [ordered]@{
        EncryptedVar  = 'EncVarSecret1x'
        MarkedBlock   = 'MarkedVarSecret2x'
        NamedVar      = 'PatternVarSecret3x'
        NamedLabel    = 'LabelTokenSecret4x'
        SecretsFile   = 'RenderFileSecret5x'
        EnvParameter  = 'EnvParamSecret6x'
        NamedRender   = 'RenderNamedTok3n7x'
    }
    $keyText = New-LxdEncryptionKey
    $script:Key = ConvertTo-SecureString $keyText -AsPlainText -Force
    $script:KeyText = $keyText
    $quickDka = "  dka_opts: {time_iterations: 1, memory_usage: 1024, parallelism: 2, key_length: 16}`n"
    Add-Content (Join-Path $Root '.lxd-compose.yml') ("render_default_file: ./values.yml`nrender_secrets_file: ./secrets.enc`n" +
        "security:`n  encrypted_secrets: true`n$quickDka")
    Set-Content (Join-Path $Root 'values.yml') "api_token: $($Secrets.NamedRender)`nport: 8080`n"
    Set-Content (Join-Path $TestDrive 'secrets.yml') "root_pw: $($Secrets.SecretsFile)`n"
    Protect-LxdVariable -SecretsFile (Join-Path $TestDrive 'secrets.yml') -Destination (Join-Path $Root 'secrets.enc') -Key $Key -ConfigPath $Root
    New-Item -ItemType Directory (Join-Path $Root 'envs/vars'), (Join-Path $Root 'envs/tpl') -Force | Out-Null
    Set-Content (Join-Path $TestDrive 'vars.yml') "envs:`n  enc_var: $($Secrets.EncryptedVar)`n"
    Protect-LxdVariable -VarsFile (Join-Path $TestDrive 'vars.yml') -Destination (Join-Path $Root 'envs/vars/enc.yml') -Key $Key -ConfigPath $Root
    Set-Content (Join-Path $Root 'envs/tpl/app.tmpl') "password={{ .db_password }}`nmarked={{ .marked }}`n"
    Set-Content (Join-Path $Root 'envs/tpl/plain.tmpl') "listen={{ .port }}`n"
    Set-Content (Join-Path $Root 'envs/sec.yml') @"
version: "1"
template_engine:
  engine: mottainai
projects:
  - name: sec-ps
    include_env_files: [vars/enc.yml]
    vars:
      - envs:
          db_password: $($Secrets.NamedVar)
          port: "8080"
      - secret: true
        envs:
          marked: $($Secrets.MarkedBlock)
    config_templates:
      - {source: tpl/app.tmpl, dst: out/app.conf}
      - {source: tpl/plain.tmpl, dst: out/plain.conf}
    groups:
      - name: g
        connection: local
        nodes:
          - name: app
            image_source: busybox/lab
            image_remote_server: local
            entrypoint: ["/bin/sh", "-c"]
            labels:
              token: $($Secrets.NamedLabel)
              from_render: "{{ .Values.api_token }}"
            config:
              environment.ROOT_PW: "{{ .Values.secrets.root_pw }}"
            sync_resources:
              - {source: out/app.conf, dst: /etc/app.conf}
              - {source: out/plain.conf, dst: /etc/plain.conf}
            hooks:
              - event: post-node-sync
                commands:
                  - echo "seen `$enc_var `$marked `$db_password `$deploy_key {{ .Values.secrets.root_pw }} {{ .Values.api_token }}" > /root/seen; echo "echo `$enc_var `$marked `$db_password `$deploy_key"
              - event: post-node-sync
                commands:
                  - echo "{{ .Values.secrets.root_pw }} `$enc_var" > /dev/null; echo "denied for `$db_password `$marked" >&2; exit 7
"@
    $script:Run = @{ Project = 'sec-ps'; NodesPrefix = 'sec-ps'; ConfigPath = $Root; Key = $Key }

    function Invoke-LabLxc([string[]] $Arguments) {
        # lxc on the first VM's daemon over its unix socket, to look inside the container.
        Invoke-FirstVmLxc -Lab $Lab -Arguments $Arguments -ConfDir (Join-Path $TestDrive 'lxc-admin')
    }

    function Find-Secrets([string] $Text) {
        # The secret values (and the key) that appear in $Text.
        @(@($Secrets.Values) + $KeyText | Where-Object { $Text.Contains($_) })
    }

    Remove-LxdGroup @Run -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
}

AfterAll {
    Remove-LxdGroup @Run -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
}

Describe 'Secret values through a whole apply' -Tag 'Lab' {
    BeforeAll {
        $specFilesBefore = @{}
        Get-ChildItem $Root -Recurse -File | ForEach-Object { $specFilesBefore[$_.FullName] = $_.LastWriteTimeUtc }
        # Regular files only (find -type f): the temp folder also holds other programs' FIFOs, which block a reader.
        $stamp = Join-Path $TestDrive 'secrets-run-started'
        Set-Content $stamp ''
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Run, $Envs)
                    Import-Module $Manifest
                    $plan = Get-LxdApplyPlan @Run -Env $Envs -Item
                    $results = Invoke-LxdApply @Run -Env $Envs -Verbose -Debug -Confirm:$false
                    [pscustomobject]@{ Plan = @($plan); Results = @($results); Nodes = @(Get-LxdNode @Run); Projects = @(Get-LxdProject -ConfigPath $Run.ConfigPath -Key $Run.Key) }
                }).AddArgument($ModuleManifest).AddArgument($Run).AddArgument(@{ deploy_key = $Secrets.EnvParameter })
            $script:Output = @($ps.Invoke())
            # Copied out: the collections go with the PowerShell instance.
            $script:Streams = [pscustomobject]@{
                Error = @($ps.Streams.Error); Verbose = @($ps.Streams.Verbose); Debug = @($ps.Streams.Debug)
                Warning = @($ps.Streams.Warning); Information = @($ps.Streams.Information); Progress = @($ps.Streams.Progress)
            }
        }
        finally { $ps.Dispose() }
        $script:Written = @(Get-ChildItem $Root -Recurse -File | Where-Object { $specFilesBefore[$_.FullName] -ne $_.LastWriteTimeUtc })
        $script:NewTemp = @(& find ([IO.Path]::GetTempPath()) -xdev -type f -newer $stamp -size -1024k 2>$null | ForEach-Object { Get-Item -LiteralPath $_ -ErrorAction SilentlyContinue })
    }

    It 'ran the hooks with the real values: the container saw every secret, and the failing hook failed the node' {
        $seen = Invoke-LabLxc exec, $Instance, '--', cat, /root/seen
        $seen | Should -Contain "seen $($Secrets.EncryptedVar) $($Secrets.MarkedBlock) $($Secrets.NamedVar) $($Secrets.EnvParameter) $($Secrets.SecretsFile) $($Secrets.NamedRender)"
        $Output.Results.Action | Should -Be 'Failed'
        $Streams.Error.FullyQualifiedErrorId | Should -Match '^LxdHookFailed,'
    }

    It 'pushed the config file that holds secrets as 0600 and the plain one as 0644' {
        (Invoke-LabLxc exec, $Instance, '--', cat, /etc/app.conf) -join "`n" | Should -Match ([regex]::Escape("password=$($Secrets.NamedVar)`nmarked=$($Secrets.MarkedBlock)"))
        Invoke-LabLxc exec, $Instance, '--', stat, -c, '%a', /etc/app.conf | Should -Be '600'
        Invoke-LabLxc exec, $Instance, '--', stat, -c, '%a', /etc/plain.conf | Should -Be '644'
    }

    It 'shows no secret in any stream, with -Verbose and -Debug' {
        $Streams.Verbose.Count | Should -BeGreaterThan 5 -Because 'the run was verbose'
        $Streams.Information.Count | Should -BeGreaterThan 0 -Because 'the hooks printed'
        ($Streams.Information.MessageData | Out-String) | Should -Match 'echo \*{8} \*{8} \*{8} \*{8}' -Because 'the echo is masked, not dropped'
        $errorText = $Streams.Error | ForEach-Object {
            $_ | Out-String -Width 1000
            $_.Exception.ToString()
            $_.ErrorDetails.Message
            $_.ErrorDetails.RecommendedAction
            $_.CategoryInfo.TargetName
            $_.TargetObject | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue
            $_.Exception | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue
        } | Out-String
        $errorText | Should -Match 'exited with code 7' -Because 'the hook failure is reported'
        $errorText | Should -Match '\*{8}' -Because 'the quoted command and stderr are masked, not dropped'
        $streamText = @(
            $errorText
            $Streams.Verbose | ForEach-Object Message
            $Streams.Debug | ForEach-Object Message
            $Streams.Warning | ForEach-Object Message
            $Streams.Information | ForEach-Object { "$($_.MessageData)"; $_.Tags }
            $Streams.Progress | ForEach-Object { $_.Activity; $_.StatusDescription; $_.CurrentOperation }
        ) | Out-String
        Find-Secrets $streamText | Should -BeNullOrEmpty
    }

    It 'shows no secret in the output objects, the plan, the nodes, the projects and their views' {
        $json = $Output | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
        $json | Should -Match '\*{8}' -Because 'the objects carry the masked values'
        Find-Secrets $json | Should -BeNullOrEmpty
        $views = @($Output.Plan; $Output.Results; $Output.Nodes; $Output.Projects) | ForEach-Object {
            $_ | Format-Table | Out-String -Width 300
            $_ | Format-List * | Out-String -Width 300
            "$_"
        } | Out-String
        Find-Secrets $views | Should -BeNullOrEmpty
    }

    It 'shows no secret in the -WhatIf text' {
        $whatIf = Invoke-ChildPwsh -Environment @{ LXDC_TEST_KEY = $KeyText } -Script @"
Import-Module '$ModuleManifest'
`$key = ConvertTo-SecureString `$env:LXDC_TEST_KEY -AsPlainText -Force
Invoke-LxdApply -Project sec-ps -NodesPrefix sec-ps -ConfigPath '$Root' -Key `$key -WhatIf
"@
        ($whatIf -join "`n") | Should -Match 'What if'
        Find-Secrets ($whatIf -join "`n") | Should -BeNullOrEmpty
    }

    It 'wrote secrets only into the compiled template, readable by its owner alone' {
        $Written.Count | Should -BeGreaterThan 0
        $compiled = @($Written | Where-Object { $_.FullName -like '*/envs/out/*' })
        $compiled.Name | Sort-Object | Should -Be @('app.conf', 'plain.conf')
        foreach ($file in $compiled) { [Convert]::ToString([int]$file.UnixFileMode, 8) | Should -Be '600' -Because $file.FullName }
        $others = @($Written | Where-Object { $_.FullName -notin $compiled.FullName }) +
            @($NewTemp | Where-Object { -not $_.FullName.StartsWith($Root) })
        foreach ($file in $others) {
            # Another program's temporary file may be gone by now: what is gone cannot hold a secret of ours.
            $text = Get-Content -Raw -LiteralPath $file.FullName -ErrorAction SilentlyContinue
            Find-Secrets "$text" | Should -BeNullOrEmpty -Because "$($file.FullName) is not a rendered template"
        }
    }

    It 'shows a secret on purpose with -ShowSecret' {
        (Get-LxdNode @Run -ShowSecret | ConvertTo-Json -Depth 6) | Should -Match $Secrets.NamedLabel
        (Get-LxdNode @Run | ConvertTo-Json -Depth 6) | Should -Not -Match $Secrets.NamedLabel
    }
}
