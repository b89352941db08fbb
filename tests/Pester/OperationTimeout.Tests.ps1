# -OperationTimeout on the LXD lab: a container hook without a limit of its own is bounded by the operation limit.
# The instance is named fault-optimeout-* and removed at the end.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    $lab = Read-LabEnv
    $script:Root = Join-Path $TestDrive 'optimeout'
    New-LabSpecRoot -Path $Root -Lab $lab
    Set-Content (Join-Path $Root 'envs/optimeout.yml') @"
version: "1"
projects:
  - name: fault-optimeout
    groups:
      - name: g
        connection: local
        nodes:
          - name: fault-optimeout-box
            image_source: $($lab.LXDCOMPOSE_LAB_IMAGE_BUSYBOX)
            image_remote_server: local
            entrypoint: ["/bin/sh", "-c"]
            hooks:
              - event: post-node-creation
                commands:
                  - sleep 30.0423
"@
    $script:Common = @{ Project = 'fault-optimeout'; ConfigPath = (Join-Path $Root '.lxd-compose.yml') }
    Remove-LxdGroup @Common -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
}

AfterAll {
    Remove-LxdGroup @Common -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
}

Describe 'Invoke-LxdApply -OperationTimeout' -Tag 'Lab' {
    It 'fails a container hook that outlasts the operation limit, in time, as OperationTimeout' {
        $ErrorActionPreference = 'Continue'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $result = Invoke-LxdApply @Common -OperationTimeout 3 -ErrorVariable failures -ErrorAction SilentlyContinue
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 25

        $result.Action | Should -Be 'Failed'
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $failures[0].Exception.Message | Should -BeLike '*post-node-creation hook command on fault-optimeout-box got no exit code*did not finish within 3 s*'
    }
}
