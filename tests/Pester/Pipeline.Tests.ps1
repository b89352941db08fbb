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
