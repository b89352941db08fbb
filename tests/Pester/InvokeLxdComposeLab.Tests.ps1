# lxd-compose command lines against the LXD lab (the first VM, remote "local"): --lxd-config-dir / -LxdConfigDirectory
# replaces general.lxd_confdir for validation and connection; an apply and a destroy written as lxd-compose lines run
# through Invoke-LxdCompose. The instance is cli-n1, removed at the end.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    $script:Lab = Read-LabEnv
    $script:Root = Join-Path $TestDrive 'cli'
    New-LabSpecRoot -Path $Root -Lab $Lab
    # The config names ./lxd-conf, which is gone: only -LxdConfigDirectory leads to the lab's remotes.
    $script:OtherConf = Join-Path $TestDrive 'cli-conf'
    Move-Item (Join-Path $Root 'lxd-conf') $OtherConf
    Set-Content (Join-Path $Root 'envs/cli.yml') @'
version: "1"
projects:
  - name: cli-app
    vars:
      - envs: {greeting: from-spec}
    groups:
      - name: cli-g1
        connection: local
        nodes:
          - name: cli-n1
            image_source: busybox/lab
            image_remote_server: local
            entrypoint: ["/bin/sh", "-c"]
            hooks:
              - event: post-node-creation
                commands: ["echo greeting=${greeting}"]
'@
}

AfterAll {
    Remove-LxdGroup -Project cli-app -ConfigPath $Root -LxdConfigDirectory $OtherConf -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
}

Describe 'lxd-compose command lines against the lab' -Tag 'Lab' {
    It 'refuses to plan with the config''s missing lxd_confdir, and plans with -LxdConfigDirectory' {
        $null = Get-LxdApplyPlan cli-app -ConfigPath $Root -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -Not -BeNullOrEmpty
        ($problems | ForEach-Object { $_.Exception.Message }) -join "`n" | Should -Match 'lxd-conf'
        $plan = @(Get-LxdApplyPlan cli-app -ConfigPath $Root -LxdConfigDirectory $OtherConf)
        ($plan | Where-Object Node -EQ 'cli-n1').Action | Should -Be 'Create'
    }

    It 'applies with --lxd-config-dir and --env, hook output on the information stream, then destroys with d' {
        $results = @(Invoke-LxdCompose -InformationVariable info -- -c $Root --lxd-config-dir $OtherConf a cli-app --env greeting=from-line)
        $node = $results | Where-Object Node -EQ 'cli-n1'
        $node.Error | Should -BeNullOrEmpty
        $node.State | Should -Be 'Running'
        ($info | ForEach-Object { "$($_.MessageData)" }) -join "`n" | Should -Match 'greeting=from-line'

        $plan = @(Invoke-LxdCompose -WhatIf -Translate -- -c $Root --lxd-config-dir $OtherConf d cli-app)
        $plan.Parameters.WhatIf | Should -BeTrue
        $removed = @(Invoke-LxdCompose -Confirm:$false -- -c $Root --lxd-config-dir $OtherConf d cli-app)
        ($removed | Where-Object Node -EQ 'cli-n1').Error | Should -BeNullOrEmpty
        $after = Get-LxdApplyPlan cli-app -ConfigPath $Root -LxdConfigDirectory $OtherConf
        ($after | Where-Object Node -EQ 'cli-n1').Action | Should -Be 'Create'
    }
}
