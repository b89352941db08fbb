# What a deploy cmdlet does when PowerShell stops it from the outside, and what it reports for a wrong name given with
# remotes. Host hooks only (a project without groups): no LXD is contacted.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    $root = Join-Path $TestDrive 'stops'
    New-Item -ItemType Directory -Path (Join-Path $root 'envs'), (Join-Path $root 'lxd-conf') -Force | Out-Null
    Set-Content (Join-Path $root 'lxd-conf/config.yml') "default-remote: local`nremotes: {}`n"
    $script:Config = Join-Path $root '.lxd-compose.yml'
    Set-Content -Path $Config -Value "general:`n  lxd_confdir: ./lxd-conf`nenv_dirs:`n  - ./envs"
    $script:Marker = Join-Path $TestDrive 'after-the-slow-hook'
    # A sleep of a length nothing else uses, so the test can look for its process.
    $script:SlowSleep = 'sleep 30.0417'
    Set-Content -Path (Join-Path $root 'envs/stops.yml') -Value @"
version: "1"
projects:
  - name: stops
    hooks:
      - event: pre-project
        node: host
        commands:
          - echo first line
      - event: pre-project
        node: host
        commands:
          - $SlowSleep
      - event: post-project
        node: host
        commands:
          - touch '$Marker'
    groups: []
  - name: verbose
    hooks:
      - event: pre-project
        node: host
        entrypoint: ["pwsh:session"]
        commands:
          - Write-Verbose 'from the hook' -Verbose; Write-Debug 'debugging' -Debug; 'output'
    groups: []
"@

    function Test-SlowHookRunning {
        @(Get-Process -Name sleep, bash -ErrorAction SilentlyContinue | Where-Object { $_.CommandLine -like "*$SlowSleep*" }).Count -gt 0
    }
}

Describe 'A run stopped from the outside' {
    It 'is cancelled and waited for when writing its output throws (-InformationAction Stop): nothing runs afterwards' {
        { Invoke-LxdApply -Project stops -ConfigPath $Config -InformationAction Stop } | Should -Throw
        # The cmdlet returned only after its work ended: the slow hook's process was killed (or never started) and the
        # post-project hook never runs. A process just killed may take a moment to leave the process table.
        $deadline = [datetime]::UtcNow.AddSeconds(5)
        while ((Test-SlowHookRunning) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Test-SlowHookRunning | Should -BeFalse
        Test-Path $Marker | Should -BeFalse
    }

    It 'relays a session hook''s verbose and debug messages as tagged hook lines, not to the console' {
        $null = Invoke-LxdApply -Project verbose -ConfigPath $Config -InformationVariable info
        $lines = @($info | Where-Object { $_.Tags -contains 'LxdHookOutput' })
        $lines.MessageData | Should -Be '[host] VERBOSE: from the hook', '[host] DEBUG: debugging', '[host] output'
        $lines[0].Tags | Should -Contain 'stderr'
        $lines[2].Tags | Should -Contain 'stdout'
    }
}

Describe 'Piped records with a wrong project' {
    It 'reports the unknown project once, not once per remote, and no remote as unused' {
        $null = 'local', 'vm2', 'imgsrv' | Get-LxdApplyPlan -Project nosuch -ConfigPath $Config -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdProjectNotFound,*'
    }

    It 'reports the unknown project once for piped group names too' {
        $groups = [pscustomobject]@{ GroupName = 'a' }, [pscustomobject]@{ GroupName = 'b' }
        $null = $groups | Get-LxdApplyPlan -Project nosuch -ConfigPath $Config -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdProjectNotFound,*'
    }
}
