# Ctrl+C in the middle of a real apply on the LXD lab: the run stops at once, what finished was already written, and
# applying again continues where it stopped. Instances are named t-stop-* and removed at the end.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    $lab = Read-LabEnv
    $image = $lab.LXDCOMPOSE_LAB_IMAGE_BUSYBOX

    $script:Root = Join-Path $TestDrive 'stop'
    New-LabSpecRoot -Path $Root -Lab $lab
    $script:Marker = Join-Path $TestDrive 'slow-hook-started'
    # Group "quick" finishes; group "slow" then runs a long creation hook (on the host, so that only the first run waits),
    # during which the test stops the run.
    Set-Content (Join-Path $Root 'envs/stop.yml') @"
version: "1"
template_engine:
  engine: scriban
projects:
  - name: stopping
    groups:
      - name: quick
        connection: local
        nodes:
          - name: quick1
            image_source: $image
            image_remote_server: local
      - name: slow
        connection: local
        nodes:
          - name: slow1
            image_source: $image
            image_remote_server: local
            hooks:
              - event: post-node-creation
                node: host
                commands:
                  - test -f '$Marker' || { touch '$Marker'; sleep 120; }
"@
    $script:ConfigPath = Join-Path $Root '.lxd-compose.yml'
    $script:Common = @{ Project = 'stopping'; NodesPrefix = 't-stop'; ConfigPath = $ConfigPath; Confirm = $false }
    Remove-LxdGroup @Common -ErrorAction SilentlyContinue | Out-Null
}

AfterAll {
    Remove-LxdGroup @Common -ErrorAction SilentlyContinue | Out-Null
}

Describe 'Stopping Invoke-LxdApply (Ctrl+C)' -Tag 'Lab' {
    It 'stops during a running creation hook, having already written the finished node' {
        # A runspace of its own with the module imported, so that the stopped pipeline is the apply alone.
        $sessionState = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
        $sessionState.ImportPSModule([string[]] @($ModuleManifest))
        $ps = [powershell]::Create($sessionState)
        try {
            $null = $ps.AddCommand('Invoke-LxdApply')
            foreach ($entry in $Common.GetEnumerator()) { $null = $ps.AddParameter($entry.Key, $entry.Value) }
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $noInput = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $noInput.Complete()
            $async = $ps.BeginInvoke($noInput, $output)

            # Wait (bounded) until the slow container exists and its long hook has begun.
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            while (-not (Test-Path $Marker) -and -not $async.IsCompleted -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 100
            }
            Test-Path $Marker | Should -BeTrue -Because 'the slow hook must have started before the stop'
            $async.IsCompleted | Should -BeFalse -Because 'the 120 s hook is still running'

            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            # The node that finished before the stop was written when it finished.
            $finished = @($output | Where-Object { $_.PSObject.TypeNames[0] -eq 'LxdCompose.Deploy.NodeResult' })
            $finished.Node | Should -Be @('t-stop-quick1')
            $finished.Action | Should -Be @('Created')
        }
        finally {
            $ps.Dispose()
        }
    }

    It 'applies again and continues: the finished node is unchanged, the interrupted one is made again' {
        (Get-LxdApplyPlan -Project stopping -NodesPrefix t-stop -ConfigPath $ConfigPath | Where-Object Node -EQ 't-stop-slow1').Action |
            Should -Be 'Replace' -Because 'the creation was interrupted in its hook: the hook may have half run, so the node is not resumed'
        $results = Invoke-LxdApply @Common
        ($results | Where-Object Node -EQ 't-stop-quick1').Action | Should -Be 'Unchanged'
        ($results | Where-Object Node -EQ 't-stop-slow1').Action | Should -Be 'Replaced'
        (Get-LxdApplyPlan -Project stopping -NodesPrefix t-stop -ConfigPath $ConfigPath).Action | Sort-Object -Unique | Should -Be 'Unchanged'
        $results.State | Sort-Object -Unique | Should -Be 'Running'
    }
}
