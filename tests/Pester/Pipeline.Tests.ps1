BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Basic = Join-Path $Fixtures 'basic'
}

Describe 'Pipeline binding by property name' {
    BeforeEach { Push-Location $Basic }
    AfterEach { Pop-Location }

    It 'Get-LxdProject | Get-LxdGroup | Get-LxdNode walks project, group, node' {
        (Get-LxdProject alpha | Get-LxdGroup).Name | Should -Be @('front', 'back')
        (Get-LxdProject alpha | Get-LxdGroup | Get-LxdNode).Name | Should -Be @('web1', 'web2', 'db1')
        (Get-LxdProject | Get-LxdGroup | Get-LxdNode).Name | Should -Be @('web1', 'web2', 'db1', 'tool1')
    }

    It 'reads ProjectName or Project and GroupName or Group from any piped object' {
        ([pscustomobject]@{ ProjectName = 'beta' } | Get-LxdGroup).Name | Should -Be 'misc'
        ([pscustomobject]@{ Project = 'alpha'; GroupName = 'back' } | Get-LxdNode).Name | Should -Be 'db1'
        ([pscustomobject]@{ ProjectName = 'alpha'; Group = 'front' } | Get-LxdNode).Name | Should -Be 'web1', 'web2'
        (@{ Project = 'alpha'; Group = 'back' } | Get-LxdNode).Name | Should -Be 'db1'
    }

    It 'does not bind -Name from the piped object' {
        foreach ($name in 'Get-LxdGroup', 'Get-LxdNode', 'Get-LxdCommand') {
            (Get-Command $name).Parameters['Name'].Attributes.ValueFromPipelineByPropertyName |
                Should -Not -Contain $true -Because "$name -Name would swallow the upstream object's Name"
        }
        # The group named like the piped project does not filter anything.
        (Get-LxdProject beta | Get-LxdGroup).Name | Should -Be 'misc'
    }

    It 'applies -Name downstream across all piped projects' {
        (Get-LxdProject | Get-LxdNode -Name 'tool*').Name | Should -Be 'tool1'
        $null = Get-LxdProject | Get-LxdGroup -Name 'ghost' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].Exception.Message | Should -BeLike "*in project 'alpha', 'beta'*"
    }

    It 'reloads the config the piped objects came from' {
        $gamma = Get-LxdProject -ConfigPath (Join-Path $Fixtures 'other/.lxd-compose.yml')
        $gamma.ConfigFile | Should -Be (Join-Path $Fixtures 'other/.lxd-compose.yml')
        # Current location is the basic fixture, which has no project gamma.
        ($gamma | Get-LxdGroup | Get-LxdNode).Name | Should -Be 'n1'
        ($gamma | Get-LxdGroup).Project | Should -Be 'gamma'
    }
}

Describe 'Upward and sideways pipes select what the piped object names' {
    BeforeEach { Push-Location $Basic }
    AfterEach { Pop-Location }

    It 'a node piped to Get-LxdGroup gives its group, not every group of its project' {
        (Get-LxdNode web1 | Get-LxdGroup).Name | Should -Be 'front'
        (Get-LxdNode web1, db1, tool1 | Get-LxdGroup).Name | Should -Be 'front', 'back', 'misc'
    }

    It 'a group piped to Get-LxdProject gives its project; a node or command too' {
        (Get-LxdGroup back | Get-LxdProject).Name | Should -Be 'alpha'
        (Get-LxdNode tool1 | Get-LxdProject).Name | Should -Be 'beta'
        (Get-LxdCommand beta-up | Get-LxdProject).Name | Should -Be 'beta'
    }

    It 'a node piped to Get-LxdNode gives that node; a command gives the nodes it applies' {
        (Get-LxdNode db1 | Get-LxdNode).Name | Should -Be 'db1'
        (Get-LxdCommand beta-up | Get-LxdNode).Name | Should -Be 'tool1'
    }

    It 'a group or node piped to Get-LxdCommand gives the commands of its project that apply it' {
        (Get-LxdNode tool1 | Get-LxdCommand).Name | Should -Be 'beta-up'
        (Get-LxdGroup front | Get-LxdCommand).Name | Should -Be 'alpha-up'
    }

    It 'a config file piped to Get-LxdNode loads that config and binds nothing else (FileInfo.Group is the Unix group)' {
        $file = Get-Item (Join-Path $Basic '.lxd-compose.yml') -Force
        Push-Location $TestDrive
        try { $nodes = $file | Get-LxdNode -ErrorVariable problems -ErrorAction SilentlyContinue }
        finally { Pop-Location }
        $problems | Should -BeNullOrEmpty
        $nodes.Name | Should -Be 'web1', 'web2', 'db1', 'tool1'
    }

    It 'names piped by value select by name in every Get-Lxd* cmdlet: <Cmdlet>' -ForEach @(
        @{ Cmdlet = 'Get-LxdProject'; Names = 'beta', 'alpha'; Expected = 'beta', 'alpha' }
        @{ Cmdlet = 'Get-LxdGroup'; Names = 'back'; Expected = 'back' }
        @{ Cmdlet = 'Get-LxdNode'; Names = 'db1', 'web*'; Expected = 'db1', 'web1', 'web2' }
        @{ Cmdlet = 'Get-LxdCommand'; Names = 'beta-up'; Expected = 'beta-up' }
        @{ Cmdlet = 'Get-LxdRemote'; Names = 'images'; Expected = 'images' }
        @{ Cmdlet = 'Get-LxdRenderValue'; Names = 'piped.name'; Expected = 'piped.name' }
    ) {
        Set-LxdRenderValue -Name piped.name -Value 1
        try { ($Names | & $Cmdlet).Name | Should -Be $Expected }
        finally { Clear-LxdRenderValue piped -Confirm:$false }
        $null = 'ghost' | & $Cmdlet -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It '<_> takes the group first, as Get-LxdGroup does, and advises -Project for a project name there' -ForEach 'Stop-LxdGroup', 'Remove-LxdGroup' {
        # lxd-compose's "stop <project>" habit: the name is a project, so nothing runs and the error says how to name it.
        $cmdlet = $_
        $problem = $null
        try { & $cmdlet alpha -WhatIf } catch { $problem = $_ }
        $problem.FullyQualifiedErrorId | Should -BeLike 'LxdProjectMissing,*'
        $problem.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem.Exception.Message | Should -BeLike "'alpha' is a project*$cmdlet -Project alpha*"
        $problem.ErrorDetails.RecommendedAction | Should -Be "$cmdlet -Project alpha"
        $problem = $null
        try { & $cmdlet front -WhatIf } catch { $problem = $_ }
        $problem.FullyQualifiedErrorId | Should -BeLike 'LxdProjectMissing,*'
        $problem.Exception.Message | Should -BeLike "*$cmdlet <group> -Project <project>*"
        (Get-Command $cmdlet).Parameters['Name'].ParameterSets.Values.Position | Should -Contain 0
    }

    It 'refuses an object that names nothing it lists, with the object as target' {
        $null = [pscustomobject]@{ Size = 1 } | Get-LxdNode -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdInputObjectNotRecognized,*'
        $problems[0].TargetObject.Size | Should -Be 1
    }

    It 'reports a piped object whose project or group the specs lack' {
        $null = [pscustomobject]@{ Project = 'alpha'; Group = 'ghost' } | Get-LxdNode -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdGroupNotFound,*'
        $null = [pscustomobject]@{ Project = 'ghost' } | Get-LxdGroup -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'LxdProjectNotFound,*'
    }
}

BeforeDiscovery {
    $script:DeployCmdlets = 'Invoke-LxdApply', 'Get-LxdApplyPlan', 'Stop-LxdGroup', 'Remove-LxdGroup', 'Save-LxdImage'
}

Describe 'Deploy cmdlets: what binds from the pipeline' {
    # Every case here stops before any server is contacted: no LXD is needed.
    BeforeAll {
        $script:BasicConfig = Join-Path $Basic '.lxd-compose.yml'
        # A remote whose LXD project has the name of a spec project: it must not be taken for one.
        $script:RemoteNamedLikeProject = [LxdCompose.PowerShell.LxdRemoteInfo]@{ Name = 'remote1'; Project = 'alpha' }
    }
    BeforeEach { Push-Location $TestDrive }
    AfterEach { Pop-Location }

    It '<_> refuses a remote piped without -Project, whatever its LXD project is called' -ForEach $DeployCmdlets {
        $noPrompt = if ((Get-Command $_).Parameters.ContainsKey('Confirm')) { @{ Confirm = $false } } else { @{} }
        $out = $RemoteNamedLikeProject | & $_ -ConfigPath $BasicConfig @noPrompt -ErrorVariable problems -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike "LxdRemoteNeedsProject,*"
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problems[0].TargetObject.Name | Should -Be 'remote1'
        $problems[0].Exception.Message | Should -BeLike "*| $_ -Project <project>*"
    }

    It '<_> reads project and group names and the config from any object given to -InputObject' -ForEach $DeployCmdlets {
        # From another location: the ConfigFile property says where the specs are.
        $item = [pscustomobject]@{ ProjectName = 'alpha'; GroupName = 'ghost'; ConfigFile = $BasicConfig }
        $noPrompt = if ((Get-Command $_).Parameters.ContainsKey('Confirm')) { @{ Confirm = $false } } else { @{} }
        $null = & $_ -InputObject $item @noPrompt -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdGroupNotFound,*'
        $problems[0].Exception.Message | Should -BeLike "*'ghost' in project 'alpha'*"
        $null = & $_ -InputObject ([pscustomobject]@{ Size = 1 }) @noPrompt -ErrorVariable unknown -ErrorAction SilentlyContinue
        $unknown[0].FullyQualifiedErrorId | Should -BeLike 'LxdInputObjectNotRecognized,*'
        $unknown[0].TargetObject.Size | Should -Be 1
        $unknown[0].ErrorDetails.RecommendedAction | Should -Be "Name the spec project with -Project: ... | $_ -Project <project>."
    }

    It 'narrows to the groups on the given remotes, and names a remote no group uses' {
        # Group back of project alpha runs on remote1; nowhere runs nothing, so nothing is contacted.
        $null = Get-LxdApplyPlan -Project alpha -Remote nowhere -ConfigPath $BasicConfig -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdRemoteHasNoGroup,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].Exception.Message | Should -BeLike "*'alpha' runs on remote 'nowhere'*local, remote1*"
        $verbose = Get-LxdApplyPlan -Project alpha -Remote remote1 -EnableGroup front -ConfigPath $BasicConfig -Verbose -ErrorAction SilentlyContinue 4>&1
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Contain "No group of project 'alpha' runs on remote1: nothing to do there."
    }

    It 'reports a remote only when no project of the run uses it' {
        # back (alpha) runs on remote1, beta has nothing there: no error. -WhatIf stops before any server is contacted.
        $null = Stop-LxdGroup -Project alpha, beta -Remote remote1 -ConfigPath $BasicConfig -WhatIf -Verbose -ErrorVariable problems 4>&1 |
            Tee-Object -Variable verbose
        $problems | Should -BeNullOrEmpty
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Contain "Groups of project 'alpha' on remote1: back."
    }

    It 'Invoke-LxdCommand takes command objects, and refuses other objects given to -InputObject' {
        $null = Invoke-LxdCommand -InputObject ([pscustomobject]@{ Size = 1 }) -ErrorVariable unknown -ErrorAction SilentlyContinue
        $unknown[0].FullyQualifiedErrorId | Should -BeLike 'LxdInputObjectNotRecognized,*'
        $null = Invoke-LxdCommand -InputObject ([pscustomobject]@{ CommandName = 'ghost'; ConfigFile = $BasicConfig }) -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'LxdCommandNotFound,*'
        $missing[0].Exception.Message | Should -BeLike "*'ghost' in the specs of '$BasicConfig'*"
    }
}

Describe 'Runs that delete containers ask first, as ConfirmImpact High' {
    BeforeAll {
        # The quick start with every remote at a closed loopback port: a run that does not stop to ask fails there.
        $script:Quickstart = New-ClosedQuickstart -Path (Join-Path $TestDrive 'quickstart')

        # Runs each command in a new non-interactive pwsh, where a prompt cannot be answered; returns the error ids.
        function Get-RunErrors([string] $Command) {
            $output = Invoke-ChildPwsh -Script @"
Import-Module '$ModuleManifest'
Set-Location '$Quickstart'
try { $Command -ErrorVariable problems -ErrorAction SilentlyContinue | Out-Null } catch { 'ERROR: ' + `$_.FullyQualifiedErrorId }
`$problems | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { 'ERROR: ' + `$_.FullyQualifiedErrorId }
"@
            @($output | Where-Object { $_ -like 'ERROR: *' } | ForEach-Object { (($_ -replace '^ERROR: ') -split ',')[0] } | Sort-Object -Unique)
        }
    }

    It '<Command> is refused in a session that cannot ask, before any server is contacted' -ForEach @(
        @{ Command = 'Invoke-LxdApply -Project quickstart -Upgrade' }
        @{ Command = 'Invoke-LxdApply -Project quickstart -Destroy' }
        @{ Command = 'Get-LxdGroup edge | Invoke-LxdApply -Upgrade' }
        @{ Command = 'Invoke-LxdCommand quickstart-web-only -Destroy' }
    ) {
        Get-RunErrors $Command | Should -Be 'LxdDeletionNotConfirmed'
    }

    It 'Remove-LxdGroup is refused in a session that cannot ask' {
        # ShouldProcess itself asks (ConfirmImpact High), and a non-interactive host cannot prompt.
        Get-RunErrors 'Remove-LxdGroup -Project quickstart' | Should -Be 'InvalidOperation'
        Get-RunErrors 'Get-LxdNode web1 | Remove-LxdGroup' | Should -Be 'InvalidOperation'
    }

    It '<Command> goes on without asking' -ForEach @(
        @{ Command = 'Invoke-LxdApply -Project quickstart -Upgrade -Confirm:$false' }
        @{ Command = '$ConfirmPreference = ''None''; Invoke-LxdApply -Project quickstart -Destroy' }
        @{ Command = 'Invoke-LxdApply -Project quickstart' }
    ) {
        # It reached the server (the closed port), so it did not stop to ask.
        Get-RunErrors $Command | Should -Be 'LxdApplyPlanFailed'
    }

    It 'Invoke-LxdApply -Upgrade -WhatIf asks nothing and changes nothing' {
        Get-RunErrors 'Invoke-LxdApply -Project quickstart -Upgrade -WhatIf' | Should -Be 'LxdApplyPlanFailed'
    }
}

Describe 'Invoke-LxdCompile compiles what the piped object names' {
    BeforeAll {
        $script:CompileRoot = Join-Path $TestDrive 'compile'
        Copy-Item -Recurse (Join-Path $RepoRoot 'examples/quickstart') $CompileRoot
        Push-Location $CompileRoot
        # The groups of the templates compiled ('' for the project's own), once each.
        function Get-CompiledGroups([scriptblock] $Pipeline) {
            @(& $Pipeline | ForEach-Object { $_.Group } | Sort-Object -Unique)
        }
    }
    AfterAll { Pop-Location }

    It '<Name>' -ForEach @(
        @{ Name = 'a group: its templates and the project''s'; Pipeline = { Get-LxdGroup web | Invoke-LxdCompile }; Expected = '', 'web' }
        @{ Name = 'a node: its group''s'; Pipeline = { Get-LxdNode probe | Invoke-LxdCompile }; Expected = '', 'tools' }
        @{ Name = 'a command: the groups it applies'; Pipeline = { Get-LxdCommand quickstart-web-only | Invoke-LxdCompile }; Expected = '', 'web' }
        @{ Name = 'a project: all of it'; Pipeline = { Get-LxdProject quickstart | Invoke-LxdCompile }; Expected = '', 'tools', 'web' }
        @{ Name = 'a project name'; Pipeline = { 'quickstart' | Invoke-LxdCompile }; Expected = '', 'tools', 'web' }
        @{ Name = 'a config file, with -Project'; Pipeline = { Get-Item ./.lxd-compose.yml -Force | Invoke-LxdCompile -Project quickstart }; Expected = '', 'tools', 'web' }
        @{ Name = 'a group outside -Group'; Pipeline = { Get-LxdGroup web | Invoke-LxdCompile -Group tools }; Expected = @() }
    ) {
        Get-CompiledGroups $Pipeline | Should -Be $Expected
    }

    It 'refuses an object that names no project' {
        $null = [pscustomobject]@{ Size = 1 } | Invoke-LxdCompile -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'LxdInputObjectNotRecognized,*'
    }
}
