# Secret values in what the spec cmdlets report, without a server: objects, views, verbose text and errors are masked;
# -ShowSecret shows them; masked objects still select what they name down the pipeline. The whole apply (hooks, errors,
# files, -WhatIf) is SecretsLab.Tests.ps1.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    $script:Root = Join-Path $TestDrive 'specs'
    New-Item -ItemType Directory (Join-Path $Root 'envs') -Force | Out-Null
    Set-Content (Join-Path $Root '.lxd-compose.yml') "env_dirs: [./envs]`nrender_default_file: ./values.yml`nrender_secrets_file: ./secrets.yml`n"
    Set-Content (Join-Path $Root 'values.yml') "release: r1`n"
    Set-Content (Join-Path $Root 'secrets.yml') "db_password: FileSecretValue1`n"
    Set-Content (Join-Path $Root 'envs/app.yml') @'
version: "1"
projects:
  - name: app
    vars:
      - envs: {api_password: NamedSecretValue2, normal: visible-value}
      - secret: true
        envs: {marked: MarkedSecretValue3}
    groups:
      - name: g1
        nodes:
          - name: n1
            image_source: "debian/{{ .Values.release }}"
            labels: {token: LabelSecretValue4, role: web}
            config:
              environment.DB: "{{ .Values.secrets.db_password }}"
            hooks:
              - event: post-node-creation
                commands: ["echo {{ .Values.secrets.db_password }}"]
'@
    $script:SecretPattern = 'FileSecretValue1|NamedSecretValue2|MarkedSecretValue3|LabelSecretValue4'
}

Describe 'Secret values in spec objects' {
    It 'masks them in nodes and projects, at any depth, and keeps the rest' {
        $json = Get-LxdNode -ConfigPath $Root | ConvertTo-Json -Depth 10
        $json | Should -Not -Match $SecretPattern
        $json | Should -Match '"token": "\*{8}"'
        $json | Should -Match '"role": "web"'
        $json | Should -Match 'echo \*{8}'
        $project = Get-LxdProject -ConfigPath $Root | ConvertTo-Json -Depth 10
        $project | Should -Not -Match $SecretPattern
        $project | Should -Match 'visible-value'
    }

    It 'masks them in the table and list views and in ToString' {
        $node = Get-LxdNode -ConfigPath $Root
        ($node | Format-List * | Out-String -Width 200) + ($node.Hooks | Format-Table | Out-String -Width 200) + "$($node.Hooks)" |
            Should -Not -Match $SecretPattern
    }

    It 'shows them with -ShowSecret, and says so in the verbose stream' {
        $node = Get-LxdNode -ConfigPath $Root -ShowSecret -Verbose 4>&1
        $verbose = $node | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $verbose.Message | Should -Contain '-ShowSecret: secret values are shown as they are in everything this command reports.'
        ($node | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Labels['token'] | Should -Be 'LabelSecretValue4'
    }

    It 'keeps masked objects usable down the pipeline: a piped node still selects itself' {
        (Get-LxdNode -ConfigPath $Root | Get-LxdNode).Name | Should -Be 'n1'
        (Get-LxdNode -ConfigPath $Root | Get-LxdNode -ShowSecret).Config['environment.DB'] | Should -Be 'FileSecretValue1'
    }

    It 'lets a masked object whose name holds a secret value still select itself down the pipeline' {
        $root = Join-Path $TestDrive 'names'
        New-Item -ItemType Directory (Join-Path $root 'envs') -Force | Out-Null
        Set-Content (Join-Path $root '.lxd-compose.yml') "env_dirs: [./envs]`n"
        Set-Content (Join-Path $root 'envs/e.yml') "projects:`n  - name: sonarqube`n    vars:`n      - envs: {db_password: sonar}`n    groups:`n      - name: sonar-db`n        nodes: [{name: db, image_source: a}]`n"

        $project = Get-LxdProject -ConfigPath $root
        $project.Name | Should -Be '********qube'
        ($project | Get-LxdGroup).Name | Should -Be '********-db'
        ($project | Get-LxdGroup -ShowSecret).Name | Should -Be 'sonar-db'
    }

    It 'masks a secret in a problem message, and -ShowSecret shows it' {
        Set-Content (Join-Path $Root 'envs/broken.yml') @'
version: "1"
projects:
  - name: broken
    groups:
      - name: g
        common_profiles: ["{{ .Values.secrets.db_password }}"]
        nodes: [{name: x, image_source: a}]
'@
        try {
            $problems = @(Test-LxdEnvironment -ConfigPath $Root -WarningAction SilentlyContinue | Where-Object Code -eq 'UndeclaredProfile')
            $shown = @(Test-LxdEnvironment -ConfigPath $Root -ShowSecret -WarningAction SilentlyContinue | Where-Object Code -eq 'UndeclaredProfile')
        }
        finally { Remove-Item (Join-Path $Root 'envs/broken.yml') }
        $problems | Should -HaveCount 1
        $problems[0].Message | Should -Match "uses profile '\*{8}'"
        ($problems | ConvertTo-Json -Depth 4) + ($problems | Out-String -Width 300) | Should -Not -Match $SecretPattern
        $shown[0].Message | Should -Match "uses profile 'FileSecretValue1'"
    }
}

Describe 'Secret-named render values of the session' {
    BeforeAll { Clear-LxdRenderValue -Confirm:$false }
    AfterAll { Clear-LxdRenderValue -Confirm:$false }

    It 'masks values under a secret name, and shows them with -ShowSecret' {
        Set-LxdRenderValue -Name 'db.password' -Value 'SessionSecretValue5'
        Set-LxdRenderValue -Name 'db.host' -Value 'db.internal'

        (Get-LxdRenderValue | ConvertTo-Json) | Should -Not -Match 'SessionSecretValue5'
        (Get-LxdRenderValue -Name 'db.host').Value | Should -Be 'db.internal'
        (Get-LxdRenderValue -AsHashtable).db.password | Should -Be '********'
        (Get-LxdRenderValue -Name 'db.password' -ShowSecret).Value | Should -Be 'SessionSecretValue5'
    }
}
