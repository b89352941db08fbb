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

    It 'binds -Project from ProjectName and -Group from GroupName' {
        $command = Get-Command Get-LxdGroup
        $command.Parameters['Project'].Aliases | Should -Contain 'ProjectName'
        $command.Parameters['Project'].Attributes.ValueFromPipelineByPropertyName | Should -Contain $true
        (Get-Command Get-LxdNode).Parameters['Group'].Aliases | Should -Contain 'GroupName'
        ([pscustomobject]@{ ProjectName = 'beta' } | Get-LxdGroup).Name | Should -Be 'misc'
        ([pscustomobject]@{ Project = 'alpha'; GroupName = 'back' } | Get-LxdNode).Name | Should -Be 'db1'
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
