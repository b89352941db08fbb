# Every example of every cmdlet's built help runs as written. Each example is classified here: NoServer examples run in
# a prepared copy of examples/ (a client configuration of its own, a home folder of its own) and must not fail; Lab
# examples run against the LXD lab in the 'Lab' block, in the order of the table (deploy before stop and remove),
# inside an LXD project of their own on every lab VM, deleted with all it holds at the end. An example that is not
# classified, or a classification whose example is gone, fails the 'classification' tests.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    # Key "<cmdlet> <example number>": NoServer, or Lab (then in the order they run).
    $script:Classes = [ordered]@{
        'Add-LxdRemote 3'                = 'NoServer'
        'Clear-LxdRenderValue 1'         = 'NoServer'
        'Clear-LxdRenderValue 2'         = 'NoServer'
        'Clear-LxdRenderValue 3'         = 'NoServer'
        'ConvertTo-LxdScribanTemplate 1' = 'NoServer'
        'ConvertTo-LxdScribanTemplate 2' = 'NoServer'
        'ConvertTo-LxdScribanTemplate 3' = 'NoServer'
        'ConvertTo-LxdScribanTemplate 4' = 'NoServer'
        'Expand-LxdTemplate 1'           = 'NoServer'
        'Expand-LxdTemplate 2'           = 'NoServer'
        'Expand-LxdTemplate 3'           = 'NoServer'
        'Expand-LxdTemplate 4'           = 'NoServer'
        'Expand-LxdTemplate 5'           = 'NoServer'
        'Get-LxdCommand 1'               = 'NoServer'
        'Get-LxdCommand 2'               = 'NoServer'
        'Get-LxdGroup 1'                 = 'NoServer'
        'Get-LxdGroup 2'                 = 'NoServer'
        'Get-LxdGroup 3'                 = 'NoServer'
        'Get-LxdNode 1'                  = 'NoServer'
        'Get-LxdNode 2'                  = 'NoServer'
        'Get-LxdNode 3'                  = 'NoServer'
        'Get-LxdNode 4'                  = 'NoServer'
        'Get-LxdProject 1'               = 'NoServer'
        'Get-LxdProject 2'               = 'NoServer'
        'Get-LxdProject 3'               = 'NoServer'
        'Get-LxdProject 4'               = 'NoServer'
        'Get-LxdRemote 1'                = 'NoServer'
        'Get-LxdRemote 3'                = 'NoServer'
        'Get-LxdRenderValue 1'           = 'NoServer'
        'Get-LxdRenderValue 2'           = 'NoServer'
        'Get-LxdRenderValue 3'           = 'NoServer'
        'Invoke-LxdCompile 1'            = 'NoServer'
        'Invoke-LxdCompile 2'            = 'NoServer'
        'Invoke-LxdCompile 3'            = 'NoServer'
        'Remove-LxdRemote 1'             = 'NoServer'
        'Remove-LxdRemote 2'             = 'NoServer'
        'Remove-LxdRemote 3'             = 'NoServer'
        'Remove-LxdRemote 4'             = 'NoServer'
        'Set-LxdRenderValue 1'           = 'NoServer'
        'Set-LxdRenderValue 2'           = 'NoServer'
        'Set-LxdRenderValue 3'           = 'NoServer'
        'Set-LxdRenderValue 4'           = 'NoServer'
        'Test-LxdEnvironment 1'          = 'NoServer'
        'Test-LxdEnvironment 2'          = 'NoServer'
        'Test-LxdEnvironment 3'          = 'NoServer'

        # Lab, in this order: read-only first, then deploy, then stop and remove.
        'Get-LxdRemote 2'                = 'Lab'
        'Test-LxdRemote 1'               = 'Lab'
        'Test-LxdRemote 2'               = 'Lab'
        'Test-LxdRemote 3'               = 'Lab'
        'Test-LxdRemote 4'               = 'Lab'
        'Add-LxdRemote 1'                = 'Lab'
        'Add-LxdRemote 2'                = 'Lab'
        'Save-LxdImage 2'                = 'Lab'
        'Save-LxdImage 1'                = 'Lab'
        'Save-LxdImage 3'                = 'Lab'
        'Save-LxdImage 4'                = 'Lab'
        'Save-LxdImage 5'                = 'Lab'
        'Get-LxdApplyPlan 1'             = 'Lab'
        'Get-LxdApplyPlan 2'             = 'Lab'
        'Get-LxdApplyPlan 4'             = 'Lab'
        'Get-LxdApplyPlan 5'             = 'Lab'
        'Get-LxdApplyPlan 6'             = 'Lab'
        'Invoke-LxdApply 1'              = 'Lab'
        'Get-LxdApplyPlan 3'             = 'Lab'
        'Invoke-LxdApply 2'              = 'Lab'
        'Invoke-LxdApply 3'              = 'Lab'
        'Invoke-LxdApply 4'              = 'Lab'
        'Invoke-LxdApply 5'              = 'Lab'
        'Invoke-LxdApply 6'              = 'Lab'
        'Invoke-LxdCommand 1'            = 'Lab'
        'Invoke-LxdCommand 2'            = 'Lab'
        'Invoke-LxdCommand 3'            = 'Lab'
        'Invoke-LxdCommand 4'            = 'Lab'
        'Stop-LxdGroup 3'                = 'Lab'
        'Stop-LxdGroup 1'                = 'Lab'
        'Stop-LxdGroup 2'                = 'Lab'
        'Stop-LxdGroup 4'                = 'Lab'
        'Stop-LxdGroup 5'                = 'Lab'
        'Remove-LxdGroup 2'              = 'Lab'
        'Remove-LxdGroup 3'              = 'Lab'
        'Remove-LxdGroup 4'              = 'Lab'
        'Remove-LxdGroup 5'              = 'Lab'
        'Remove-LxdGroup 1'              = 'Lab'
    }

    # What an example assumes without saying it (a token an administrator gave you, PowerCLI's Get-VM), run in its
    # scope before it. The functions named here are defined by the Lab preparation below.
    $script:Setups = @{
        'Add-LxdRemote 1'   = '$token = New-LabTrustToken vm1; $env:LXD_CONF = New-EmptyClientConfig'
        'Add-LxdRemote 2'   = '$token = New-LabTrustToken vm2; $fingerprint = Get-LabFingerprint vm2; $env:LXD_CONF = New-EmptyClientConfig'
        'Invoke-LxdApply 6' = '$tokens = @{ vm2 = New-LabTrustToken vm2 }; Remove-LxdRemote vm2 -ConfigDirectory ./examples/quickstart/lxd-conf -Confirm:$false'
    }

    # Every example of the built help (Get-Help), as the user sees it.
    $script:AllExamples = foreach ($name in (Get-Module LxdCompose).ExportedCmdlets.Keys | Sort-Object) {
        foreach ($example in @((Get-Help $name -Full).examples.example)) {
            if ($example.title -notmatch 'Example (\d+)') { throw "${name}: example title '$($example.title)' has no number" }
            $key = "$name $($Matches[1])"
            @{ Key = $key; Code = $example.code; Kind = $Classes[$key]; Setup = $Setups[$key] }
        }
    }
    $script:NoServerExamples = @($Classes.Keys | Where-Object { $Classes[$_] -eq 'NoServer' } |
        ForEach-Object { $key = $_; $AllExamples | Where-Object Key -EQ $key })
    $script:LabExamples = @($Classes.Keys | Where-Object { $Classes[$_] -eq 'Lab' } |
        ForEach-Object { $key = $_; $AllExamples | Where-Object Key -EQ $key })
    $script:Stale = @($Classes.Keys | Where-Object { $_ -notin $AllExamples.Key })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    function New-ExampleRoot {
        # A copy of examples/ as the examples expect it below the current location (./examples/quickstart, ...), without
        # what a local run may have left in it (lxd-conf, compiled files).
        param([string] $Path)
        New-Item -ItemType Directory -Path $Path -Force | Out-Null
        Copy-Item -Recurse (Join-Path $RepoRoot 'examples') $Path
        Remove-Item (Join-Path $Path 'examples/quickstart/lxd-conf') -Recurse -Force -ErrorAction SilentlyContinue
        $Path
    }

    function Invoke-HelpExample {
        # Runs the examples in one child pwsh (a session of their own) whose prompts all get "Yes to All"; returns the
        # results by key.
        param([object[]] $Examples, [string] $Root, [string] $Preparation)
        $examplesPath = Join-Path $Root '.examples.json'
        $resultPath = Join-Path $Root '.results.json'
        $preparationPath = Join-Path $Root '.preparation.ps1'
        ConvertTo-Json -InputObject @($Examples | ForEach-Object { [pscustomobject]@{ Key = $_.Key; Code = $_.Code; Setup = $_.Setup } }) -Depth 3 |
            Set-Content -Path $examplesPath
        Set-Content -Path $preparationPath -Value $Preparation
        $pwsh = @(Get-PwshCommandLine)
        $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-File', (Join-Path $PSScriptRoot 'HelpExampleRunner.ps1'),
            '-ModuleManifest', $ModuleManifest, '-ExamplesPath', $examplesPath, '-Root', $Root, '-ResultPath', $resultPath,
            '-PreparationPath', $preparationPath)
        $log = @(1..500 | ForEach-Object { 'A' }) | & $pwsh[0] @arguments 2>&1 | ForEach-Object { "$_" }
        $results = @{}
        if (Test-Path $resultPath) {
            foreach ($result in @(Get-Content -Raw $resultPath | ConvertFrom-Json)) { $results[$result.Key] = $result }
        }
        # The runner's own failure (before or between examples) is the answer for every example that did not run.
        foreach ($example in $Examples | Where-Object { -not $results.ContainsKey($_.Key) }) {
            $results[$example.Key] = [pscustomobject]@{ Key = $example.Key; Ran = $false; Error = "the runner stopped: $($log -join "`n")"; Output = '' }
        }
        $results
    }
}

Describe 'Help example classification' {
    It 'classifies <Key> as NoServer or Lab' -ForEach $AllExamples {
        $Kind | Should -BeIn @('NoServer', 'Lab') -Because "every help example must run somewhere; add '$Key' to the table in HelpExamples.Tests.ps1"
    }

    It 'classifies only examples that exist' {
        $Stale | Should -BeNullOrEmpty -Because 'an example was renumbered or removed: update the table'
        $NoServerExamples.Count + $LabExamples.Count | Should -Be $AllExamples.Count
    }
}

Describe 'Help examples that need no server' -ForEach @(@{ Examples = $NoServerExamples }) {
    BeforeAll {
        $root = New-ExampleRoot (Join-Path $TestDrive 'no-server')
        # The user's own lxc configuration and home folder, with the remotes the examples name, as each example starts.
        $lxc = Join-Path $root 'lxc'
        $homeFolder = Join-Path $root 'home'
        $preparation = @"
`$env:LXD_CONF = '$lxc'
(Get-PSProvider FileSystem).Home = '$homeFolder'
Remove-Item Env:LXD_COMPOSE_CONFIG -ErrorAction SilentlyContinue
function Reset-ExampleState {
    function Write-Remotes([string] `$Directory, [string[]] `$Names, [string] `$Default) {
        New-Item -ItemType Directory -Path `$Directory -Force | Out-Null
        `$lines = @(if (`$Default) { "default-remote: `$Default" }) + 'remotes:'
        `$i = 10
        foreach (`$name in `$Names) {
            `$lines += "  `${name}:", "    addr: https://198.18.0.`$((++`$i)):8443", '    protocol: lxd', '    auth_type: tls'
        }
        Set-Content -Path (Join-Path `$Directory 'config.yml') -Value `$lines
    }
    Write-Remotes '$lxc' @('lab1', 'lab2', 'test-old') 'lab1'
    Write-Remotes '$(Join-Path $homeFolder 'lxdcompose/vsphere-conf')' @('esx-web1', 'esx-web2') ''
}
"@
        $script:Results = Invoke-HelpExample -Examples $Examples -Root $root -Preparation $preparation
    }

    It 'runs <Key> without error' -ForEach $NoServerExamples {
        $result = $Results[$Key]
        $result.Error | Should -BeNullOrEmpty -Because "$Key`n$Code"
        $result.Ran | Should -BeTrue
    }
}
