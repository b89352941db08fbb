# Colour only where the host shows it: the module's format views and the hook output it relays (text from commands
# that may print ANSI escapes) follow $PSStyle.OutputRendering. Host hooks run on this machine: no LXD is needed.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Escape = [char]27

    # A project without groups whose host hooks print coloured text; the second one fails with coloured stderr.
    $root = Join-Path $TestDrive 'colour-spec'
    New-Item -ItemType Directory -Path (Join-Path $root 'envs'), (Join-Path $root 'lxd-conf') -Force | Out-Null
    $script:Config = Join-Path $root '.lxd-compose.yml'
    Set-Content -Path $Config -Value "general:`n  lxd_confdir: ./lxd-conf`nenv_dirs:`n  - ./envs"
    Set-Content -Path (Join-Path $root 'envs/colour.yml') -Value @'
version: "1"
projects:
  - name: colour
    hooks:
      - event: pre-project
        node: host
        commands:
          - printf '\033[31mred\033[0m plain\n'
          # what `tput sgr0` prints on xterm-256color, then save/restore cursor and a lone ESC
          - printf '\033(B\033[mreset\0337\0338 done\033\n'
    groups: []
  - name: colour-fails
    hooks:
      - event: pre-project
        node: host
        commands:
          - printf '\033[1;31mboom\033[0m\n' >&2; exit 3
    groups: []
'@

    function Get-HookText {
        # The text of the relayed hook output lines.
        param([string] $Project = 'colour')
        $null = Invoke-LxdApply -Project $Project -ConfigPath $Config -InformationVariable info -ErrorAction SilentlyContinue
        @($info | Where-Object { $_.Tags -contains 'LxdHookOutput' } | ForEach-Object MessageData)
    }
}

Describe 'Colour follows $PSStyle.OutputRendering' {
    BeforeEach { $script:SavedRendering = $PSStyle.OutputRendering }
    AfterEach { $PSStyle.OutputRendering = $SavedRendering }

    It 'drops the escapes of hook output with PlainText and keeps them with Ansi' {
        $PSStyle.OutputRendering = 'PlainText'
        Get-HookText | Should -Be '[host] red plain', '[host] reset done'

        $PSStyle.OutputRendering = 'Ansi'
        Get-HookText | Should -Be "[host] $Escape[31mred$Escape[0m plain", "[host] $Escape(B$Escape[mreset${Escape}7${Escape}8 done$Escape"
    }

    It 'keeps them with Host only when the host renders VT sequences' {
        $PSStyle.OutputRendering = 'Host'
        $expected = if ($Host.UI.SupportsVirtualTerminal) { "[host] $Escape[31mred$Escape[0m plain" } else { '[host] red plain' }
        (Get-HookText)[0] | Should -Be $expected

        # A runspace without a user interface (a service, a scheduled job's engine) gets plain text.
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                param($Manifest, $Config)
                Import-Module $Manifest
                Invoke-LxdApply -Project colour -ConfigPath $Config
            }).AddArgument($ModuleManifest).AddArgument($Config)
            $null = $shell.Invoke()
            $shell.Streams.Error | Should -BeNullOrEmpty
            @($shell.Streams.Information | Where-Object { $_.Tags -contains 'LxdHookOutput' }).MessageData | Should -Be '[host] red plain', '[host] reset done'
        }
        finally { $shell.Dispose() }
    }

    It 'shows a failed hook''s stderr without escapes with PlainText, and keeps the raw text in the exception' {
        $PSStyle.OutputRendering = 'PlainText'
        $null = Invoke-LxdApply -Project colour-fails -ConfigPath $Config -ErrorVariable problems -ErrorAction SilentlyContinue
        $hook = @($problems | Where-Object { $_.FullyQualifiedErrorId -like 'LxdHookFailed,*' })
        $hook | Should -HaveCount 1
        $hook[0].ErrorDetails.Message | Should -Match 'stderr ends with: boom'
        $hook[0].ErrorDetails.Message | Should -Not -Match $Escape
        $hook[0].Exception.StderrTail | Should -Match ([regex]::Escape("$Escape[1;31mboom"))
        ($hook[0] | Out-String) | Should -Not -Match $Escape

        $PSStyle.OutputRendering = 'Ansi'
        $null = Invoke-LxdApply -Project colour-fails -ConfigPath $Config -ErrorVariable problems -ErrorAction SilentlyContinue
        ($problems | Where-Object { $_.FullyQualifiedErrorId -like 'LxdHookFailed,*' }).ErrorDetails.Message |
            Should -Match ([regex]::Escape("$Escape[1;31mboom"))
    }

    It 'colours an error diagnostic and a failed result in the table views only when rendering allows it' {
        $problems = Test-LxdEnvironment -ConfigPath (Join-Path $Fixtures 'broken/.lxd-compose.yml')
        $problems.Severity | Should -Contain 'Error'
        $failed = [pscustomobject]@{
            PSTypeName = 'LxdCompose.Deploy.NodeResult'; Node = 'n1'; Group = 'g'; Action = 'Failed'; State = 'Absent'
            IPv4 = ''; HooksRun = 0; FilesSynced = 0; Duration = [timespan]::Zero
        }

        $PSStyle.OutputRendering = 'PlainText'
        foreach ($item in $problems, $failed) {
            $text = $item | Format-Table | Out-String -Width 200
            $text | Should -Not -Match $Escape
        }
        ($problems | Format-Table | Out-String -Width 200) | Should -Match '(?m)^Error\s'

        $PSStyle.OutputRendering = 'Ansi'
        ($problems | Format-Table | Out-String -Width 200) | Should -Match ([regex]::Escape("$($PSStyle.Formatting.Error)Error$($PSStyle.Reset)"))
        ($failed | Format-Table | Out-String -Width 200) | Should -Match ([regex]::Escape("$($PSStyle.Formatting.Error)Failed$($PSStyle.Reset)"))
    }
}
