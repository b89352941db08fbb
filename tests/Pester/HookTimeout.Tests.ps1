# -HookTimeout and a hook's timeout key on the host: the overrun command's process tree is killed and the run fails
# with LxdHookTimeout. Host hooks only (a project without groups): no LXD is contacted.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    $root = Join-Path $TestDrive 'timeouts'
    New-Item -ItemType Directory -Path (Join-Path $root 'envs'), (Join-Path $root 'lxd-conf') -Force | Out-Null
    Set-Content (Join-Path $root 'lxd-conf/config.yml') "default-remote: local`nremotes: {}`n"
    $script:Config = Join-Path $root '.lxd-compose.yml'
    Set-Content -Path $Config -Value "general:`n  lxd_confdir: ./lxd-conf`nenv_dirs:`n  - ./envs"
    $script:ChildPid = Join-Path $TestDrive 'child.pid'
    $script:After = Join-Path $TestDrive 'after'
    Set-Content -Path (Join-Path $root 'envs/timeouts.yml') -Value @"
version: "1"
projects:
  - name: by-parameter
    hooks:
      - event: pre-project
        node: host
        entrypoint: ["/bin/sh", "-c"]
        commands:
          - sleep 30.0419 & echo `$! > '$ChildPid'; wait
      - event: post-project
        node: host
        entrypoint: ["/bin/sh", "-c"]
        commands:
          - touch '$After'
  - name: by-key
    hooks:
      - event: pre-project
        node: host
        entrypoint: ["/bin/sh", "-c"]
        timeout: 0.5
        commands:
          - sleep 30.0419
  - name: in-runspace
    hooks:
      - event: pre-project
        node: host
        entrypoint: ["pwsh:runspace"]
        timeout: 1
        commands:
          - Start-Sleep 30
  - name: in-session
    hooks:
      - event: pre-project
        node: host
        entrypoint: ["pwsh:session"]
        timeout: 1
        commands:
          - Start-Sleep 30
commands:
  - name: run-by-parameter
    project: by-parameter
    apply_alias: true
"@
}

Describe 'Invoke-LxdApply -HookTimeout' -Skip:($IsWindows) {
    BeforeAll {
        function Test-Running([int] $Id) {
            $stat = Get-Content "/proc/$Id/stat" -ErrorAction SilentlyContinue
            [bool]$stat -and $stat -notmatch '\) Z '
        }
    }

    BeforeEach {
        Remove-Item $ChildPid, $After -ErrorAction SilentlyContinue
    }

    It 'stops a host hook past the limit with its children and fails the run with LxdHookTimeout' {
        $ErrorActionPreference = 'Continue'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Invoke-LxdApply by-parameter -ConfigPath $Config -HookTimeout 1 -ErrorVariable failures -ErrorAction SilentlyContinue
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 20

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'LxdHookTimeout,*'
        $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $failures[0].Exception.Message | Should -BeLike '*pre-project hook command on host ran longer than its limit of 1 s*timeouts.yml:5:*'
        $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*-HookTimeout*'
        # The shell's child went with it, and the run stopped at the failure.
        $child = [int](Get-Content $ChildPid)
        # Killed means gone or a zombie waiting for init to reap it; the kill is asynchronous, so wait a bounded while.
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ((Test-Running $child) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Test-Running $child | Should -BeFalse
        $After | Should -Not -Exist
    }

    It 'takes the limit from the hook''s timeout key' {
        $ErrorActionPreference = 'Continue'
        Invoke-LxdApply by-key -ConfigPath $Config -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].Exception.Message | Should -BeLike '*limit of 0.5 s*'
    }

    It 'applies to the runs of Invoke-LxdCommand too' {
        $ErrorActionPreference = 'Continue'
        Invoke-LxdCommand run-by-parameter -ConfigPath $Config -HookTimeout 1 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'LxdHookTimeout,*'
        $After | Should -Not -Exist
    }

    It 'stops a PowerShell host hook (<Project>) past its timeout' -ForEach @(
        @{ Project = 'in-runspace' }
        @{ Project = 'in-session' }
    ) {
        $ErrorActionPreference = 'Continue'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Invoke-LxdApply $Project -ConfigPath $Config -ErrorVariable failures -ErrorAction SilentlyContinue
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 20
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'LxdHookTimeout,*'
        $failures[0].Exception.Message | Should -BeLike '*its PowerShell was stopped*'
    }

    It 'refuses a limit below one second' {
        { Invoke-LxdApply by-key -ConfigPath $Config -HookTimeout 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}
