# PowerShell host hooks (entrypoint pwsh:runspace and pwsh:session) against the LXD lab (tests/lab/lab.sh): typed
# project variables in a new runspace, PowerCLI-shaped stand-in functions called from the caller's own session, out2var
# into a container hook, failures as error records, the Windows default (injected with $LxdHostHookEntrypoint) and
# Ctrl+C. Without the lab these tests fail, as the lab contract says. The one instance created is t-psh-box, removed
# at the end.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    $lab = Read-LabEnv
    $image = $lab.LXDCOMPOSE_LAB_IMAGE_BUSYBOX

    $script:Root = Join-Path $TestDrive 'pshooks'
    New-LabSpecRoot -Path $Root -Lab $lab
    $script:Marker = Join-Path $TestDrive 'hook-started'
    # psh: a VM created by the caller's PowerCLI (stand-ins) in pre-project, its address handed to the container.
    # psh-host: host hooks only (no server is contacted), selected by flag.
    Set-Content (Join-Path $Root 'envs/psh.yml') @"
version: "1"
projects:
  - name: psh
    vars:
      - envs:
          vm-name: esx-lxd07
          port: 8080
          zones: [a, b]
          sizing: { cpu: 2, memory: 4GB }
    hooks:
      - event: pre-project
        node: host
        entrypoint: ["pwsh:runspace"]
        commands:
          - |
            "port=`$(`$port.GetType().Name):`$port zones=`$(`$zones.GetType().Name):`$(`$zones.Count) sizing=`$(`$sizing.GetType().Name):`$(`$sizing.cpu + 1)"
            "name=`$vm_name spec=`$(`$LxdVars['vm-name']) conf=`$LXD_CONF project=`$(`$project.name)"
            "caller's New-VM visible: `$([bool](Get-Command New-VM -ErrorAction Ignore))"
      - event: pre-project
        node: host
        entrypoint: ["pwsh:session"]
        out2var: vm_ip
        commands:
          - |
            `$vm = New-VM -Name `$vm_name -NumCpu `$sizing.cpu | Start-VM
            Write-Host "`$(`$vm.Name) is `$(`$vm.PowerState) on `$(`$DefaultVIServer.Name)"
            `$vm.Guest.IPAddress | Where-Object { `$_ -notlike 'fe80:*' } | Select-Object -First 1
      - event: post-project
        node: host
        entrypoint: ["pwsh:runspace"]
        commands:
          - '"post-project sees vm_ip=`$(`$vm_ip.Trim())"'
      - event: post-project-shutdown
        node: host
        entrypoint: ["pwsh:session"]
        flags: [remove-vm]
        disable: true
        commands:
          - Get-VM -Name `$vm_name | Stop-VM -Confirm:`$false | Remove-VM -DeletePermanently -Confirm:`$false
    groups:
      - name: box
        connection: local
        nodes:
          - name: box
            image_source: $image
            image_remote_server: local
            entrypoint: ["/bin/sh", "-c"]
        hooks:
          - event: post-node-creation
            node: ""
            commands:
              - echo "container sees vm_ip=`$vm_ip"
  - name: psh-host
    vars:
      - envs:
          port: 8080
    hooks:
      - event: pre-project
        node: host
        flags: [nonterminating]
        entrypoint: ["pwsh:runspace"]
        commands:
          - '"checking quota"; Write-Error "VM quota exceeded"; "went on"'
      - event: pre-project
        node: host
        flags: [throw]
        entrypoint: ["pwsh:session"]
        commands:
          - '"checking quota"; throw "no datastore left"'
      - event: pre-project
        node: host
        flags: [exit]
        entrypoint: ["pwsh:runspace"]
        commands:
          - '"before exit"; Write-Error "exit follows"; exit 3'
      - event: pre-project
        node: host
        flags: [default]
        commands:
          - '"edition=`$(`$PSVersionTable.PSEdition) port=`$(`$port.GetType().Name)"'
      - event: pre-project
        node: host
        flags: [slow-session]
        entrypoint: ["pwsh:session"]
        commands:
          - 'Set-Content "$Marker" started; Start-Sleep -Seconds 120; Set-Content "$Marker" finished'
      - event: pre-project
        node: host
        flags: [slow-runspace]
        entrypoint: ["pwsh:runspace"]
        commands:
          - 'Set-Content "$Marker" started; Start-Sleep -Seconds 120; Set-Content "$Marker" finished'
"@
    $script:ConfigPath = Join-Path $Root '.lxd-compose.yml'
    $script:Common = @{ Project = 'psh'; NodesPrefix = 't-psh'; ConfigPath = $ConfigPath }
    $script:HostOnly = @{ Project = 'psh-host'; NodesPrefix = 't-psh'; ConfigPath = $ConfigPath }
    Remove-LxdGroup @Common -Confirm:$false -ErrorAction SilentlyContinue | Out-Null

    function Get-HookLines {
        # The hook output lines of one event on one node, without the [node] prefix.
        param($Information, [string] $Node, [string] $Event, [string] $Stream = 'stdout')
        $Information | Where-Object { $_.Tags -contains "node:$Node" -and $_.Tags -contains "event:$Event" -and $_.Tags -contains $Stream } |
            ForEach-Object { "$($_.MessageData)" -replace '^\[[^\]]+\] ', '' }
    }
}

AfterAll {
    Remove-LxdGroup @Common -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
}

Describe 'PowerShell host hooks on the lab' -Tag 'Lab' {
    It 'creates the VM through the caller''s PowerCLI session in pre-project and hands its address to later hooks' {
        # Stand-ins of PowerCLI's shape, defined here, in the caller's own scope: New-VM and Start-VM return VM objects
        # with Name, PowerState and Guest.IPAddress, and need the connection Connect-VIServer would have made.
        $DefaultVIServer = [pscustomobject]@{ PSTypeName = 'VMware.VimAutomation.ViCore.Impl.V1.VIServerImpl'; Name = 'vcenter.test'; IsConnected = $true }
        $created = [System.Collections.Generic.List[object]]::new()
        function New-VM {
            param([string] $Name, [int] $NumCpu = 1)
            if (-not $DefaultVIServer.IsConnected) { throw 'You are not currently connected to any servers.' }
            $vm = [pscustomobject]@{
                PSTypeName = 'VMware.VimAutomation.ViCore.Impl.V1.VM.UniversalVirtualMachineImpl'
                Name       = $Name
                NumCpu     = $NumCpu
                PowerState = 'PoweredOff'
                Guest      = [pscustomobject]@{
                    PSTypeName = 'VMware.VimAutomation.ViCore.Impl.V1.VM.Guest.VMGuestImpl'
                    VmName     = $Name
                    IPAddress  = [string[]]@()
                }
            }
            $created.Add($vm)
            $vm
        }
        function Start-VM {
            param([Parameter(Mandatory, ValueFromPipeline)] $VM)
            process {
                $VM.PowerState = 'PoweredOn'
                $VM.Guest.IPAddress = [string[]]@('fe80::250:56ff:fe8a:1b2c', '198.18.0.77')
                $VM
            }
        }
        $LASTEXITCODE = 0

        $results = Invoke-LxdApply @Common -InformationVariable info

        $results.Node | Should -Be 't-psh-box'
        $results.Action | Should -Be 'Created'
        # The session hook ran here: it called the functions of this scope, and what they did is visible here.
        $created | Should -HaveCount 1
        $created[0].Name | Should -Be 'esx-lxd07'
        $created[0].NumCpu | Should -Be 2
        $created[0].PowerState | Should -Be 'PoweredOn'
        # Its variables stayed in the hook's own scope.
        Get-Variable vm_name, vm -Scope Local -ErrorAction Ignore | Should -BeNullOrEmpty
        $LASTEXITCODE | Should -Be 0
        # The new runspace had the variables with their types, and not the caller's functions.
        Get-HookLines $info host pre-project | Select-Object -First 3 | Should -Be @(
            'port=Int64:8080 zones=Object[]:2 sizing=OrderedDictionary:3'
            "name=esx-lxd07 spec=esx-lxd07 conf=$(Join-Path $Root 'lxd-conf') project=psh"
            "caller's New-VM visible: False"
        )
        # Write-Host of the session hook is attributed like any hook line; out2var took only the success output.
        Get-HookLines $info host pre-project | Should -Contain 'esx-lxd07 is PoweredOn on vcenter.test'
        Get-HookLines $info host pre-project | Should -Contain '198.18.0.77'
        Get-HookLines $info t-psh-box post-node-creation | Should -Contain 'container sees vm_ip=198.18.0.77'
        Get-HookLines $info host post-project | Should -Be 'post-project sees vm_ip=198.18.0.77'
    }

    It 'runs a pwsh:session shutdown hook in Remove-LxdGroup: the caller''s Remove-VM removes the VM' {
        $vms = @{ 'esx-lxd07' = [pscustomobject]@{ Name = 'esx-lxd07'; PowerState = 'PoweredOn' } }
        $removed = [System.Collections.Generic.List[string]]::new()
        function Get-VM { param([string] $Name) $vms[$Name] }
        function Stop-VM {
            [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
            param([Parameter(ValueFromPipeline)] $VM)
            process { if ($PSCmdlet.ShouldProcess($VM.Name, 'Stop')) { $VM.PowerState = 'PoweredOff' }; $VM }
        }
        function Remove-VM {
            [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
            param([Parameter(ValueFromPipeline)] $VM, [switch] $DeletePermanently)
            process { if ($PSCmdlet.ShouldProcess($VM.Name, 'Remove')) { $removed.Add("$($VM.Name):$($VM.PowerState):$DeletePermanently") } }
        }

        $results = Remove-LxdGroup @Common -EnableFlag remove-vm -Confirm:$false

        $results.Node | Should -Be 't-psh-box'
        $results.Action | Should -Be 'Destroyed'
        $removed | Should -Be 'esx-lxd07:PoweredOff:True'
    }

    It 'passes Test-LxdEnvironment, which reports a pwsh: entrypoint that cannot run with its position' {
        Test-LxdEnvironment -ConfigPath $ConfigPath | Should -BeNullOrEmpty

        $broken = Join-Path $TestDrive 'broken-psh'
        New-Item -ItemType Directory -Path (Join-Path $broken 'envs') -Force | Out-Null
        Set-Content (Join-Path $broken '.lxd-compose.yml') "env_dirs:`n  - ./envs`n"
        Set-Content (Join-Path $broken 'envs/broken.yml') @'
version: "1"
projects:
  - name: broken
    groups:
      - name: g
        connection: local
        nodes:
          - name: n1
            image_source: busybox
        hooks:
          - event: post-node-sync
            entrypoint: ["pwsh:session"]
            commands:
              - Get-Date
'@
        $problems = Test-LxdEnvironment -ConfigPath (Join-Path $broken '.lxd-compose.yml')

        $problems | Should -HaveCount 1
        $problems.Severity | Should -Be 'Error'
        $problems.Code | Should -Be 'PowerShellEntrypoint'
        ($problems.Line, $problems.Column) | Should -Be @(11, 13)
        $problems.Message | Should -BeLike "*needs 'node: host'*"
    }

    It 'fails a hook that <Case> with an LxdHookFailed error like a shell hook''s' -ForEach @(
        @{ Case = 'writes a non-terminating error'; Flag = 'nonterminating'; ExitCode = 1; Tail = 'VM quota exceeded'; Stdout = @('checking quota', 'went on') }
        @{ Case = 'throws, in the caller''s session'; Flag = 'throw'; ExitCode = 1; Tail = 'no datastore left'; Stdout = @('checking quota') }
        @{ Case = 'exits with a code'; Flag = 'exit'; ExitCode = 3; Tail = 'exit follows'; Stdout = @('before exit') }
    ) {
        $results = Invoke-LxdApply @HostOnly -EnableFlag $Flag -InformationVariable info -ErrorVariable problems -ErrorAction SilentlyContinue

        $results | Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdHookFailed,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $problems[0].TargetObject | Should -Be 'host'
        $problems[0].Exception.Node | Should -Be 'host'
        $problems[0].Exception.Event | Should -Be 'pre-project'
        $problems[0].Exception.ExitCode | Should -Be $ExitCode
        $problems[0].Exception.StderrTail | Should -Be $Tail
        $problems[0].Exception.Message | Should -BeLike "The pre-project hook command on host exited with code $ExitCode*"
        @(Get-HookLines $info host pre-project) | Should -Be $Stdout
        Get-HookLines $info host pre-project stderr | Should -Contain $Tail
    }

    It 'runs a host hook without entrypoint in a new runspace when that is the default, as on Windows (injected)' {
        $LxdHostHookEntrypoint = 'pwsh:runspace'

        Invoke-LxdApply @HostOnly -EnableFlag default -InformationVariable info -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Select-Object -ExpandProperty Message |
            Should -Contain "Host hooks without an entrypoint run with 'pwsh:runspace' (`$LxdHostHookEntrypoint)."

        Get-HookLines $info host pre-project | Should -Be 'edition=Core port=Int64'
    }

    It 'stops a running <Scope> hook on Ctrl+C' -ForEach @(
        @{ Scope = 'pwsh:session'; Flag = 'slow-session' }
        @{ Scope = 'pwsh:runspace'; Flag = 'slow-runspace' }
    ) {
        Remove-Item $Marker -ErrorAction SilentlyContinue
        # A runspace of its own with the module imported, so that the stopped pipeline is the apply alone.
        $sessionState = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
        $sessionState.ImportPSModule([string[]] @($ModuleManifest))
        $ps = [powershell]::Create($sessionState)
        try {
            $null = $ps.AddCommand('Invoke-LxdApply')
            foreach ($entry in $HostOnly.GetEnumerator()) { $null = $ps.AddParameter($entry.Key, $entry.Value) }
            $null = $ps.AddParameter('EnableFlag', $Flag)
            $async = $ps.BeginInvoke()

            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Test-Path $Marker) -and -not $async.IsCompleted -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 50
            }
            Test-Path $Marker | Should -BeTrue -Because 'the hook must have started before the stop'
            $async.IsCompleted | Should -BeFalse -Because 'the 120 s hook is still running'

            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            # The hook itself was stopped, not left running behind the stopped command.
            Get-Content $Marker | Should -Be 'started'
        }
        finally {
            $ps.Dispose()
        }
    }
}
