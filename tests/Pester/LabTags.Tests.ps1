# `build.ps1 -Task FastTest` runs Pester with -ExcludeTag Lab and no lab. A block that reads the lab but lacks the
# tag would fail there, so this checks the convention: a Describe that uses the lab is tagged Lab, and when a file's
# top-level code uses it, every Describe of the file is.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestFiles = @(Get-ChildItem -Path $PSScriptRoot -Filter '*.Tests.ps1' |
        Where-Object Name -ne 'LabTags.Tests.ps1' | ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } })
}

BeforeAll {
    # What marks code that needs the lab: the helpers that read lab.env, or the variable naming it.
    $script:LabMarkers = 'Read-LabEnv', 'New-LabSpecRoot', 'LXDCOMPOSE_LAB_ENV'

    function Test-UsesLab {
        param([string] $Text)
        foreach ($marker in $LabMarkers) { if ($Text -match [regex]::Escape($marker)) { return $true } }
        $false
    }

    function Get-DescribeBlock {
        # The top-level Describe commands of a file, with their tags and text.
        param([System.Management.Automation.Language.ScriptBlockAst] $Ast)
        $Ast.EndBlock.Statements | ForEach-Object {
            $command = $_.PipelineElements | Select-Object -First 1
            if ($command -is [System.Management.Automation.Language.CommandAst] -and $command.GetCommandName() -eq 'Describe') {
                $tags = @()
                $elements = $command.CommandElements
                for ($i = 0; $i -lt $elements.Count; $i++) {
                    if ($elements[$i] -is [System.Management.Automation.Language.CommandParameterAst] -and $elements[$i].ParameterName -in 'Tag', 'Tags') {
                        $tags = @($elements[$i + 1].SafeGetValue())
                    }
                }
                [pscustomobject]@{ Name = $elements[1].SafeGetValue(); Tags = $tags; Text = $command.Extent.Text }
            }
        }
    }
}

Describe 'Lab tags on <Name>' -ForEach $TestFiles {
    It 'tags every Describe that uses the lab (every one, when the file''s top level does)' {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $null, [ref] $null)
        $describes = @(Get-DescribeBlock $ast)
        $topLevel = $ast.Extent.Text
        foreach ($describe in $describes) { $topLevel = $topLevel.Replace($describe.Text, '') }
        $fileUsesLab = Test-UsesLab $topLevel

        $untagged = @($describes | Where-Object { ($fileUsesLab -or (Test-UsesLab $_.Text)) -and $_.Tags -notcontains 'Lab' } |
            ForEach-Object Name)
        $untagged | Should -BeNullOrEmpty -Because 'FastTest leaves out only blocks tagged Lab'
    }
}

Describe 'The lab-tag check itself' {
    It 'finds an untagged block in a file whose top level reads the lab, and accepts a tagged one' {
        $file = Join-Path $TestDrive 'Sample.Tests.ps1'
        Set-Content $file "BeforeAll { `$lab = Read-LabEnv }`nDescribe 'a' { It 'x' { 1 } }`nDescribe 'b' -Tag 'Lab' { It 'y' { 1 } }"
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref] $null, [ref] $null)
        $describes = @(Get-DescribeBlock $ast)
        $describes.Name | Should -Be 'a', 'b'
        $describes[0].Tags | Should -BeNullOrEmpty
        $describes[1].Tags | Should -Be 'Lab'
        Test-UsesLab $ast.Extent.Text.Replace($describes[0].Text, '').Replace($describes[1].Text, '') | Should -BeTrue
    }
}
