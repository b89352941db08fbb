# Help built from docs/en-US by build/Build-Help.ps1: every exported cmdlet is documented, about topics resolve, the
# package carries the help, and the generator takes its facts from the cmdlets.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # The cmdlet list comes from the module, so a new cmdlet without documentation fails here.
    $module = Import-Module $ModuleManifest -Force -PassThru
    $script:CmdletNames = @($module.ExportedCmdlets.Keys | Sort-Object)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:DocsPath = Join-Path $RepoRoot 'docs/en-US'
    $script:CommonParameterNames = [System.Management.Automation.Cmdlet]::CommonParameters
}

Describe 'Help of <_>' -ForEach $CmdletNames {
    BeforeAll {
        $script:Name = $_
        $script:Command = Get-Command $Name
        $script:Help = Get-Help $Name -Full
        $script:Documented = @($Command.Parameters.get_Values() | Where-Object Name -NotIn $CommonParameterNames)
    }

    It 'has a markdown file in docs/en-US' {
        Join-Path $DocsPath "$Name.md" | Should -Exist
    }

    It 'has a synopsis and a description from the help file' {
        # Without a help file, Get-Help makes the synopsis from the syntax, which starts with the cmdlet name.
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match "^$([regex]::Escape($Name))\b"
        ($Help.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples with code' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code.Trim() | Should -Not -BeNullOrEmpty -Because $example.title
            $example.code | Should -Match "\b$([regex]::Escape($Name))\b" -Because "$($example.title) shows the cmdlet"
        }
    }

    It 'describes every parameter that is not a common parameter' {
        $Documented | Should -Not -BeNullOrEmpty
        foreach ($parameter in $Documented) {
            $entry = $Help.parameters.parameter | Where-Object name -EQ $parameter.Name
            $entry | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) is in the help"
            ($entry.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) has a description"
        }
    }

    It 'takes type, wildcards, pipeline input and accepted values of each parameter from the cmdlet' {
        foreach ($parameter in $Documented) {
            $entry = $Help.parameters.parameter | Where-Object name -EQ $parameter.Name
            $entry.type.name | Should -Be $parameter.ParameterType.FullName -Because "-$($parameter.Name)"
            $wildcards = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            $entry.globbing | Should -Be $wildcards.ToString().ToLowerInvariant() -Because "-$($parameter.Name)"
            $byName = [bool]($parameter.ParameterSets.get_Values() | Where-Object ValueFromPipelineByPropertyName)
            ($entry.pipelineInput -match 'ByPropertyName') | Should -Be $byName -Because "-$($parameter.Name)"
            $validValues = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } |
                ForEach-Object ValidValues)
            if ($validValues.Count -gt 0) {
                ($entry.description.Text -join ' ') | Should -BeLike "*Accepted values: $($validValues -join ', ').*"
            }
        }
    }
}

Describe 'About topics' {
    It 'resolves <_> with Get-Help' -ForEach 'about_LxdCompose', 'about_LxdCompose_Specs' {
        $text = Get-Help $_ | Out-String
        $text | Should -Match "TOPIC\s+$_\b"
        $text | Should -Match 'SHORT DESCRIPTION'
        $text | Should -Match 'LONG DESCRIPTION'
    }

    It 'keeps about_LxdCompose within 80 columns' {
        $lines = (Get-Help about_LxdCompose | Out-String) -split "`r?`n"
        # Code samples keep their lines; prose is wrapped.
        $lines | Where-Object { $_ -notmatch '^ {8}' } | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because $_ }
    }
}

Describe 'Packaged help' {
    It 'is in the package and found when the module is imported by name' {
        $version = (Import-PowerShellDataFile $ModuleManifest).ModuleVersion
        $packageRoot = Join-Path $RepoRoot 'out'
        Join-Path $packageRoot "LxdCompose/$version/en-US/LxdCompose.PowerShell.dll-Help.xml" | Should -Exist
        Join-Path $packageRoot "LxdCompose/$version/en-US/about_LxdCompose.help.txt" | Should -Exist
        $script = @(
            '$ErrorActionPreference = "Stop"'
            "`$env:PSModulePath = '$packageRoot' + '$([IO.Path]::PathSeparator)' + `$env:PSModulePath"
            'Import-Module LxdCompose'
            '(Get-Help Get-LxdProject).Synopsis'
            '(Get-Help about_LxdCompose | Out-String) -match "SHORT DESCRIPTION"'
        ) -join [Environment]::NewLine
        $lines = @(Invoke-ChildPwsh -Script $script)
        $lines[-2] | Should -Match 'Lists the projects'
        $lines[-1] | Should -Be 'True'
    }
}

Describe 'Help generator' {
    BeforeAll {
        $script:Generator = Join-Path $RepoRoot 'build/Build-Help.ps1'

        # Runs the generator in a child pwsh over a docs folder; returns its output lines (throws when it fails).
        function Invoke-Generator {
            param([string] $Docs, [string] $Output)
            # The failure's message on one line, not wrapped by the error view.
            $script = "try { & '$Generator' -ManifestPath '$ModuleManifest' -DocsPath '$Docs' -OutputPath '$Output' *>&1 | " +
                "ForEach-Object { `"`$_`" } } catch { `"FAILED: `$(`$_.Exception.Message)`"; exit 1 }"
            Invoke-ChildPwsh -Script $script
        }
    }

    It 'skips a markdown file whose cmdlet does not exist, and builds the others' {
        $docs = Join-Path $TestDrive 'docs-skip'
        New-Item -ItemType Directory -Path $docs | Out-Null
        Copy-Item (Join-Path $DocsPath 'Get-LxdProject.md') $docs
        (Get-Content -Raw (Join-Path $DocsPath 'Get-LxdProject.md')) -replace '# Get-LxdProject', '# Get-LxdFuture' |
            Set-Content (Join-Path $docs 'Get-LxdFuture.md')
        $output = Join-Path $TestDrive 'help-skip'
        $lines = Invoke-Generator -Docs $docs -Output $output
        $lines | Should -Contain 'Help: skipped Get-LxdFuture.md: the module has no cmdlet Get-LxdFuture (yet).'
        [xml] $maml = Get-Content -Raw (Join-Path $output 'LxdCompose.PowerShell.dll-Help.xml')
        $names = $maml.helpItems.command.details.name
        $names | Should -Be @('Get-LxdProject')
    }

    It 'warns about a parameter the markdown leaves out and one the cmdlet does not have' {
        $docs = Join-Path $TestDrive 'docs-drift'
        New-Item -ItemType Directory -Path $docs | Out-Null
        (Get-Content -Raw (Join-Path $DocsPath 'Get-LxdProject.md')) -replace '### -NodesPrefix', '### -NodePrefix' |
            Set-Content (Join-Path $docs 'Get-LxdProject.md')
        $lines = Invoke-Generator -Docs $docs -Output (Join-Path $TestDrive 'help-drift')
        $lines | Should -Contain 'Get-LxdProject: parameter -NodesPrefix has no description in Get-LxdProject.md.'
        $lines | Should -Contain 'Get-LxdProject: Get-LxdProject.md documents -NodePrefix, which the cmdlet does not have.'
    }

    It 'fails on a cmdlet markdown without a synopsis, naming the file' {
        $docs = Join-Path $TestDrive 'docs-broken'
        New-Item -ItemType Directory -Path $docs | Out-Null
        (Get-Content -Raw (Join-Path $DocsPath 'Get-LxdProject.md')) -replace '## SYNOPSIS', '## SUMMARY' |
            Set-Content (Join-Path $docs 'Get-LxdProject.md')
        { Invoke-Generator -Docs $docs -Output (Join-Path $TestDrive 'help-broken') } |
            Should -Throw "*FAILED: *docs-broken?Get-LxdProject.md: the section '## SYNOPSIS' is missing*"
    }
}
