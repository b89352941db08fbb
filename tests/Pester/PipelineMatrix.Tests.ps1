# Every kind of object the module writes, and a few foreign ones, piped into every deploy cmdlet with -WhatIf: each
# selects exactly the groups it names, or is refused. Nothing here reaches a server: the client configuration of the
# copied quick start points every remote at a closed loopback port, and the cases stop at -WhatIf or at that port.
#
# What is asserted: the "<cmdlet> selected project 'p': group(s) a, b." verbose line every deploy cmdlet writes
# before it contacts a server, and for Stop-LxdGroup and Remove-LxdGroup (which confirm each group before connecting)
# also the What-if lines, which say the same. What-if text goes to the host, so the cases run in one child pwsh whose
# output is read back.

BeforeDiscovery {
    $script:DeployCmdlets = @(
        @{ Cmdlet = 'Invoke-LxdApply'; Switches = '' }
        @{ Cmdlet = 'Invoke-LxdApply'; Switches = '-Destroy' }
        @{ Cmdlet = 'Invoke-LxdApply'; Switches = '-Upgrade' }
        @{ Cmdlet = 'Get-LxdApplyPlan'; Switches = '' }
        @{ Cmdlet = 'Stop-LxdGroup'; Switches = '' }
        @{ Cmdlet = 'Remove-LxdGroup'; Switches = '' }
        @{ Cmdlet = 'Save-LxdImage'; Switches = '' }
    )

    # Input: PowerShell that writes the piped objects, run in the copied quick start. Expected: the groups selected, as
    # 'project/group' (none: nothing selected, no error), or the error id of the refusal.
    $script:DeployCases = @(
        @{ Case = 'a project'; Input = 'Get-LxdProject quickstart'; Arguments = ''; Expected = 'quickstart/web', 'quickstart/edge', 'quickstart/tools' }
        @{ Case = 'a project of another engine'; Input = 'Get-LxdProject tmpl-mottainai'; Arguments = ''; Expected = 'tmpl-mottainai/mottainai' }
        @{ Case = 'a group'; Input = 'Get-LxdGroup edge'; Arguments = ''; Expected = 'quickstart/edge' }
        @{ Case = 'a node'; Input = 'Get-LxdNode web1'; Arguments = ''; Expected = 'quickstart/web' }
        @{ Case = 'nodes of two groups'; Input = 'Get-LxdNode web1, edge1'; Arguments = ''; Expected = 'quickstart/web', 'quickstart/edge' }
        @{ Case = 'a group, then its project'; Input = 'Get-LxdGroup edge; Get-LxdProject quickstart'; Arguments = ''; Expected = 'quickstart/web', 'quickstart/edge', 'quickstart/tools' }
        @{ Case = 'a command with enable_groups'; Input = 'Get-LxdCommand quickstart-web-only'; Arguments = ''; Expected = 'quickstart/web' }
        @{ Case = 'a command of every group'; Input = 'Get-LxdCommand quickstart-smoke'; Arguments = ''; Expected = 'quickstart/web', 'quickstart/edge', 'quickstart/tools' }
        @{ Case = 'a hook'; Input = '(Get-LxdNode web1).Hooks[0]'; Arguments = ''; Expected = 'LxdInputObjectNotRecognized' }
        @{ Case = 'a hook with -Project'; Input = '(Get-LxdNode web1).Hooks[0]'; Arguments = '-Project quickstart'; Expected = 'quickstart/web', 'quickstart/edge', 'quickstart/tools' }
        @{ Case = 'a remote'; Input = 'Get-LxdRemote vm2 -ConfigDirectory ./lxd-conf'; Arguments = ''; Expected = 'LxdRemoteNeedsProject' }
        @{ Case = 'a remote with -Project'; Input = 'Get-LxdRemote vm2 -ConfigDirectory ./lxd-conf'; Arguments = '-Project quickstart'; Expected = 'quickstart/edge' }
        @{ Case = 'a remote name with -Project'; Input = "'vm2'"; Arguments = '-Project quickstart'; Expected = 'quickstart/edge' }
        @{ Case = 'a deserialized remote with -Project'; Input = 'ConvertTo-Deserialized (Get-LxdRemote vm2 -ConfigDirectory ./lxd-conf)'; Arguments = '-Project quickstart'; Expected = 'quickstart/edge' }
        @{ Case = 'a deserialized group'; Input = 'ConvertTo-Deserialized (Get-LxdGroup tools)'; Arguments = ''; Expected = 'quickstart/tools' }
        @{ Case = 'a deserialized node'; Input = 'ConvertTo-Deserialized (Get-LxdNode edge1)'; Arguments = ''; Expected = 'quickstart/edge' }
        @{ Case = 'a plan item (as Receive-Job returns it)'; Input = "New-Deserialized 'LxdCompose.Deploy.NodePlan' @{ Project = 'quickstart'; Group = 'edge'; Node = 'edge1' }"; Arguments = ''; Expected = 'quickstart/edge' }
        @{ Case = 'a result (as Receive-Job returns it)'; Input = "New-Deserialized 'LxdCompose.Deploy.NodeResult' @{ Project = 'quickstart'; Group = 'tools'; Node = 'ci-probe' }"; Arguments = ''; Expected = 'quickstart/tools' }
        @{ Case = 'an image result (as Receive-Job returns it)'; Input = "New-Deserialized 'LxdCompose.Deploy.ImageFetchResult' @{ Project = 'quickstart'; Group = 'edge'; Image = 'busybox/lab' }"; Arguments = ''; Expected = 'quickstart/edge' }
        @{ Case = 'a compiled template of a node'; Input = "Invoke-LxdCompile -Project quickstart | Where-Object Node -EQ probe"; Arguments = ''; Expected = 'quickstart/tools' }
        @{ Case = 'compiled templates of a project'; Input = 'Invoke-LxdCompile -Project quickstart'; Arguments = ''; Expected = 'quickstart/web', 'quickstart/edge', 'quickstart/tools' }
        @{ Case = 'a render value'; Input = "Set-LxdRenderValue matrix.probe 1; Get-LxdRenderValue matrix.probe"; Arguments = ''; Expected = 'LxdInputObjectNotRecognized' }
        @{ Case = 'a FileInfo (its Group is the Unix group)'; Input = 'Get-Item ./.lxd-compose.yml -Force'; Arguments = ''; Expected = 'LxdInputObjectNotRecognized' }
        @{ Case = 'a FileInfo with -Project'; Input = 'Get-Item ./.lxd-compose.yml -Force'; Arguments = '-Project quickstart'; Expected = 'quickstart/web', 'quickstart/edge', 'quickstart/tools' }
        @{ Case = 'a hashtable'; Input = "@{ Project = 'quickstart'; Group = 'edge' }"; Arguments = ''; Expected = 'quickstart/edge' }
        @{ Case = 'a PSCustomObject with Project and Group'; Input = "[pscustomobject]@{ Project = 'quickstart'; Group = 'edge' }"; Arguments = ''; Expected = 'quickstart/edge' }
        @{ Case = 'a PSCustomObject with ProjectName and GroupName'; Input = "[pscustomobject]@{ ProjectName = 'quickstart'; GroupName = 'tools' }"; Arguments = ''; Expected = 'quickstart/tools' }
        @{ Case = 'a PSCustomObject with a group only, and -Project'; Input = "[pscustomobject]@{ GroupName = 'tools' }"; Arguments = '-Project quickstart'; Expected = 'quickstart/tools' }
        @{ Case = 'a PSCustomObject with a group only'; Input = "[pscustomobject]@{ GroupName = 'tools' }"; Arguments = ''; Expected = 'LxdInputObjectNotRecognized' }
        @{ Case = 'a PSCustomObject without names'; Input = '[pscustomobject]@{ Size = 1 }'; Arguments = ''; Expected = 'LxdInputObjectNotRecognized' }
        @{ Case = 'a PSCustomObject without names, and -Project'; Input = '[pscustomobject]@{ Size = 1 }'; Arguments = '-Project quickstart'; Expected = 'quickstart/web', 'quickstart/edge', 'quickstart/tools' }
        @{ Case = 'a node of another project than -Project'; Input = 'Get-LxdNode conf-mottainai'; Arguments = '-Project quickstart'; Expected = @() }
        @{ Case = 'a project and a group parameter'; Input = 'Get-LxdProject quickstart'; Arguments = '-Group edge, tools'; Expected = 'quickstart/edge', 'quickstart/tools' }
        @{ Case = 'a group outside the group parameter'; Input = 'Get-LxdGroup web'; Arguments = '-Group edge'; Expected = @() }
    )

    # Invoke-LxdCommand runs one command: a command object names it; with -Name, other objects narrow it to their groups.
    $script:CommandCases = @(
        @{ Case = 'a command'; Input = 'Get-LxdCommand quickstart-web-only'; Arguments = ''; Expected = 'quickstart/web' }
        @{ Case = 'a command of every group'; Input = 'Get-LxdCommand quickstart-smoke'; Arguments = ''; Expected = 'quickstart/web', 'quickstart/edge', 'quickstart/tools' }
        @{ Case = 'a PSCustomObject with CommandName'; Input = "[pscustomobject]@{ CommandName = 'quickstart-web-only' }"; Arguments = ''; Expected = 'quickstart/web' }
        @{ Case = 'a hashtable with CommandName'; Input = "@{ CommandName = 'quickstart-web-only' }"; Arguments = ''; Expected = 'quickstart/web' }
        @{ Case = 'a node, with -Name'; Input = 'Get-LxdNode edge1'; Arguments = '-Name quickstart-smoke'; Expected = 'quickstart/edge' }
        @{ Case = 'a group the command does not apply, with -Name'; Input = 'Get-LxdGroup edge'; Arguments = '-Name quickstart-web-only'; Expected = @() }
        @{ Case = 'a project, with -Name'; Input = 'Get-LxdProject quickstart'; Arguments = '-Name quickstart-web-only'; Expected = 'quickstart/web' }
        @{ Case = 'a project of another command, with -Name'; Input = 'Get-LxdProject tmpl-mottainai'; Arguments = '-Name quickstart-smoke'; Expected = @() }
        @{ Case = 'a node, without -Name'; Input = 'Get-LxdNode edge1'; Arguments = ''; Expected = 'LxdInputObjectNotRecognized' }
        @{ Case = 'a hook'; Input = '(Get-LxdNode web1).Hooks[0]'; Arguments = '-Name quickstart-smoke'; Expected = 'LxdInputObjectNotRecognized' }
        @{ Case = 'a FileInfo'; Input = 'Get-Item ./.lxd-compose.yml -Force'; Arguments = ''; Expected = 'LxdInputObjectNotRecognized' }
        @{ Case = 'a remote'; Input = 'Get-LxdRemote vm2 -ConfigDirectory ./lxd-conf'; Arguments = '-Name quickstart-smoke'; Expected = 'LxdInputObjectNotRecognized' }
    )

    $script:Matrix = @(
        foreach ($cmdlet in $DeployCmdlets) {
            foreach ($case in $DeployCases) { $case + $cmdlet + @{ Id = "$($cmdlet.Cmdlet) $($cmdlet.Switches) | $($case.Case)" } }
        }
        foreach ($case in $CommandCases) { $case + @{ Cmdlet = 'Invoke-LxdCommand'; Switches = ''; Id = "Invoke-LxdCommand | $($case.Case)" } }
    )
}

Describe 'Piped objects select exactly what they name' -ForEach @(@{ Matrix = $Matrix }) {
    # The cases reach the run phase as this block's data.
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module $ModuleManifest -Force

        # Nothing listens on its servers, so a case that gets past its selection fails at once, changing nothing.
        $script:Quickstart = New-ClosedQuickstart -Path (Join-Path $TestDrive 'quickstart')

        # One child pwsh runs every case: "CASE <id>", then the What-if lines (host), "VERBOSE: " and "ERROR: <id>" lines.
        $lines = foreach ($case in $Matrix) {
            $whatIf = if ((Get-Command $case.Cmdlet).Parameters.ContainsKey('WhatIf')) { '-WhatIf' } else { '' }
            "'CASE $($case.Id -replace "'", "''")'"
            "`$problems = `$null"
            "& { $($case.Input) } | $($case.Cmdlet) $($case.Switches) $($case.Arguments) $whatIf -Verbose -ErrorVariable problems -ErrorAction SilentlyContinue 4>&1 |"
            "    ForEach-Object { if (`$_ -is [System.Management.Automation.VerboseRecord]) { 'VERBOSE: ' + `$_.Message } else { 'OUTPUT: ' + `$_ } }"
            "`$problems | ForEach-Object { 'ERROR: ' + (`$_.FullyQualifiedErrorId -split ',')[0] }"
        }
        $script = @(
            "Import-Module '$ModuleManifest'"
            "Set-Location '$Quickstart'"
            # What Receive-Job or Invoke-Command hands back: a property bag with the type name prefixed 'Deserialized.'.
            'function New-Deserialized([string] $TypeName, [hashtable] $Properties) {'
            '    $object = [pscustomobject]$Properties; $object.PSTypeNames.Insert(0, "Deserialized.$TypeName"); $object'
            '}'
            'function ConvertTo-Deserialized($InputObject) {'
            '    [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($InputObject))'
            '}'
            $lines
        ) -join [Environment]::NewLine
        # Too long for a command line: the child runs it from a file.
        $scriptFile = Join-Path $TestDrive 'matrix.ps1'
        Set-Content $scriptFile $script
        $output = Invoke-ChildPwsh -Script ". '$scriptFile'"

        # Per case: the groups selected (verbose), the groups a What-if line names, the errors.
        $script:Observed = @{}
        $current = $null
        foreach ($line in $output) {
            if ($line -match '^CASE (.*)$') {
                $current = @{ Selected = [System.Collections.Generic.List[string]]::new(); WhatIf = [System.Collections.Generic.List[string]]::new()
                    Errors = [System.Collections.Generic.List[string]]::new(); Output = [System.Collections.Generic.List[string]]::new() }
                $Observed[$Matches[1]] = $current
            }
            elseif ($line -match "^VERBOSE: \S+ selected project '([^']+)': (?:no group|group\(s\) (.*))\.$") {
                $project = $Matches[1]
                foreach ($group in $Matches[2] -split ', ' | Where-Object { $_ }) { $current.Selected.Add("$project/$group") }
            }
            elseif ($line -match '^What if: .* on target "group (\S+) of project (\S+) \(') {
                $current.WhatIf.Add("$($Matches[2])/$($Matches[1])")
            }
            elseif ($line -match '^ERROR: (.*)$') { $current.Errors.Add($Matches[1]) }
            elseif ($line -match '^OUTPUT: (.*)$') { $current.Output.Add($Matches[1]) }
        }
    }

    It '<Id>' -ForEach $Matrix {
        $seen = $Observed[$Id]
        $seen | Should -Not -BeNullOrEmpty -Because 'the child pwsh ran the case'
        $seen.Output | Should -BeNullOrEmpty -Because 'no case gets past -WhatIf or the closed port'
        $refusal = @($Expected | Where-Object { $_ -like 'Lxd*' })
        if ($refusal) {
            $seen.Errors | Should -Be $refusal
            $seen.Selected | Should -BeNullOrEmpty
            $seen.WhatIf | Should -BeNullOrEmpty
            return
        }
        @($seen.Selected | Sort-Object) | Should -Be @($Expected | Sort-Object)
        if ($Cmdlet -in 'Stop-LxdGroup', 'Remove-LxdGroup') {
            @($seen.WhatIf | Sort-Object) | Should -Be @($Expected | Sort-Object) -Because 'the What-if lines name the same groups'
        }
        if (@($Expected).Count -eq 0) {
            $seen.Errors | Should -BeNullOrEmpty -Because 'an object outside -Project or the group parameter is skipped, not an error'
        }
        else {
            # Past -WhatIf, only the closed port may fail: no error about what was piped.
            $seen.Errors | Where-Object { $_ -match 'NotFound|NotRecognized|NeedsProject' } | Should -BeNullOrEmpty
        }
    }
}

Describe 'Piped objects against the lab: the What-if lines of a real plan name only their nodes' -Tag 'Lab' {
    # Read-only: every run is -WhatIf or a plan, under the prefix t-pipe that no test deploys, so every node is "Create".
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module $ModuleManifest -Force
        $labEnv = (Read-LabEnv).Path
        $script:LabQuickstart = Join-Path $TestDrive 'lab-quickstart'
        Copy-Item -Recurse (Join-Path $RepoRoot 'examples/quickstart') $LabQuickstart
        Remove-Item (Join-Path $LabQuickstart 'lxd-conf') -Recurse -Force -ErrorAction SilentlyContinue
        & (Join-Path $LabQuickstart 'New-QuickstartConf.ps1') -LabEnv $labEnv -Destination (Join-Path $LabQuickstart 'lxd-conf') 6>$null

        # The nodes named by the What-if lines of each piped run (on target "t-pipe-web1").
        function Get-WhatIfNodes([string] $Pipeline) {
            $output = Invoke-ChildPwsh -Script @"
Import-Module '$ModuleManifest'
Set-Location '$LabQuickstart'
$Pipeline -NodesPrefix t-pipe -WhatIf -ErrorAction Stop
"@
            @($output | Where-Object { $_ -match '^What if: Performing the operation "[^"]+" on target "(t-pipe-[^"]+)"' } |
                ForEach-Object { [regex]::Match($_, 'target "([^"]+)"').Groups[1].Value } | Sort-Object -Unique)
        }
    }

    It '<Pipeline> creates only <Expected>' -ForEach @(
        @{ Pipeline = 'Get-LxdNode web1 | Invoke-LxdApply'; Expected = 't-pipe-web1', 't-pipe-web2' }
        @{ Pipeline = 'Get-LxdGroup edge | Invoke-LxdApply -Upgrade'; Expected = , 't-pipe-edge1' }
        @{ Pipeline = 'Get-LxdCommand quickstart-web-only | Invoke-LxdApply -Destroy'; Expected = 't-pipe-web1', 't-pipe-web2' }
        @{ Pipeline = "[pscustomobject]@{ Project = 'quickstart'; Group = 'tools' } | Invoke-LxdApply"; Expected = , 't-pipe-probe' }
        @{ Pipeline = "@{ ProjectName = 'quickstart'; GroupName = 'edge' } | Invoke-LxdApply"; Expected = , 't-pipe-edge1' }
        @{ Pipeline = "Get-LxdRemote vm2 -ConfigDirectory ./lxd-conf | Invoke-LxdApply -Project quickstart"; Expected = , 't-pipe-edge1' }
        @{ Pipeline = 'Get-LxdProject quickstart | Invoke-LxdApply'; Expected = 't-pipe-edge1', 't-pipe-probe', 't-pipe-web1', 't-pipe-web2' }
        @{ Pipeline = 'Get-LxdNode edge1 | Invoke-LxdCommand quickstart-smoke'; Expected = , 't-pipe-edge1' }
    ) {
        Get-WhatIfNodes $Pipeline | Should -Be $Expected
    }

    It 'plan items and results piped back select their own group' {
        Push-Location $LabQuickstart
        try {
            $plan = Get-LxdApplyPlan -Project quickstart -NodesPrefix t-pipe
            $plan.Node | Should -Be 't-pipe-web1', 't-pipe-web2', 't-pipe-edge1', 't-pipe-probe'
            ($plan | Where-Object Node -EQ 't-pipe-probe' | Get-LxdApplyPlan -NodesPrefix t-pipe).Node | Should -Be 't-pipe-probe'
            ($plan | Where-Object Node -EQ 't-pipe-web2' | Get-LxdNode -NodesPrefix t-pipe).Name | Should -Be 'web2'
            ($plan[0] | Get-LxdGroup -NodesPrefix t-pipe).Name | Should -Be 'web'
        }
        finally { Pop-Location }
    }
}
