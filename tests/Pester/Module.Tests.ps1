BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # The cmdlet list comes from the assembly, so a new cmdlet is held to the conventions below without being listed.
    $module = Import-Module $ModuleManifest -Force -PassThru
    $script:ConventionCases = @($module.ImplementingAssembly.GetExportedTypes() |
        Where-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
        ForEach-Object {
            $attribute = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            @{ Name = '{0}-{1}' -f $attribute.VerbName, $attribute.NounName; Type = $_; Attribute = $attribute }
        } | Sort-Object { $_.Name })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:BasicConfig = Join-Path $Fixtures 'basic/.lxd-compose.yml'
    $script:ScribanConfig = Join-Path $Fixtures 'scriban/.lxd-compose.yml'
    $script:OtherYamlDotNet = Join-Path (Get-NuGetPackagesFolder) 'yamldotnet/16.3.0/lib/net8.0/YamlDotNet.dll'
    $script:OtherScriban = Join-Path (Get-NuGetPackagesFolder) 'scriban.signed/7.2.1/lib/net8.0/Scriban.Signed.dll'

    # Lists where YamlDotNet and our assemblies live in a child session, after the given steps, as objects.
    function Get-ChildAssemblyMap {
        param([Parameter(Mandatory)] [string[]] $Steps)
        $script = @(
            '$ErrorActionPreference = "Stop"'
            $Steps
            '[System.Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object {'
            '    $context = $_'
            '    $_.Assemblies | Where-Object { $_.GetName().Name -in "YamlDotNet", "Scriban.Signed", "LxdCompose.Core", "LxdCompose.GoTemplates", "LxdCompose.PowerShell" } |'
            '        ForEach-Object { [pscustomobject]@{ Context = $context.Name; Name = $_.GetName().Name;'
            '            Version = [Diagnostics.FileVersionInfo]::GetVersionInfo($_.Location).ProductVersion } }'
            '} | ConvertTo-Json -Compress'
        ) -join [Environment]::NewLine
        $lines = @(Invoke-ChildPwsh -Script $script)
        $lines[-1] | ConvertFrom-Json
    }
}

Describe 'Module manifest' {
    It 'is valid and exports exactly the cmdlets its assembly defines' {
        $manifest = Test-ModuleManifest -Path $ModuleManifest
        $module = Import-Module $ModuleManifest -Force -PassThru
        $defined = $module.ImplementingAssembly.GetExportedTypes() |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { '{0}-{1}' -f $_.VerbName, $_.NounName } | Sort-Object
        $defined | Should -Not -BeNullOrEmpty
        $manifest.ExportedCmdlets.Keys | Sort-Object | Should -Be $defined
        $module.ExportedCmdlets.Keys | Sort-Object | Should -Be $defined
        $module.Version | Should -Be $manifest.Version
    }

    It 'gives every cmdlet an output type and approved verbs' {
        $approved = (Get-Verb).Verb
        # Cmdlets only: the module's alias (lxd-compose) has no verb.
        foreach ($command in Get-Command -Module LxdCompose -CommandType Cmdlet) {
            $command.Verb | Should -BeIn $approved
            $command.OutputType | Should -Not -BeNullOrEmpty -Because "$($command.Name) declares [OutputType]"
        }
        (Get-Command Test-LxdEnvironment).OutputType.Name | Should -Contain 'System.Boolean'
    }

    It 'names no placeholder address (a URI it gives must be a real https one)' {
        # Gallery tools show LicenseUri, ProjectUri, IconUri and HelpInfoURI as links: a placeholder is a dead link.
        # Reserved names (RFC 2606, RFC 6761) and loopback are never a project's home.
        $placeholderHost = '(^|\.)(example(\.(com|net|org))?|invalid|test|localhost|local)$|^127\.|^\[?::1\]?$'
        $manifest = Import-PowerShellDataFile $ModuleManifest
        $uris = [System.Collections.Generic.List[object]]::new()
        $collect = {
            param($table, $prefix)
            foreach ($key in $table.Keys) {
                $value = $table[$key]
                if ($value -is [hashtable]) { & $collect $value "$prefix$key." }
                elseif ($key -match 'Uri$' -or "$value" -match '^\w+://') { $uris.Add([pscustomobject]@{ Key = "$prefix$key"; Value = "$value" }) }
            }
        }
        & $collect $manifest ''
        # The walk reached the gallery data (Tags stay), so an empty list means no URI at all, not a missed table.
        $manifest.PrivateData.PSData.Tags | Should -Contain 'lxd-compose'
        foreach ($entry in $uris) {
            $uri = $null
            [Uri]::TryCreate($entry.Value, [UriKind]::Absolute, [ref] $uri) | Should -BeTrue -Because "$($entry.Key) is an absolute URI"
            $uri.Scheme | Should -Be 'https' -Because $entry.Key
            $uri.Host | Should -Not -Match $placeholderHost -Because "$($entry.Key) = $($entry.Value) is a placeholder"
        }
    }

    It 'keeps LxdCompose.Core out of bin/, beside the cmdlet assembly' {
        Join-Path $RepoRoot 'bin/LxdCompose.Core.dll' | Should -Not -Exist
        Join-Path $RepoRoot 'bin/YamlDotNet.dll' | Should -Not -Exist
        Join-Path $RepoRoot 'bin/Dependencies/LxdCompose.Core.dll' | Should -Exist
        Join-Path $RepoRoot 'bin/LxdCompose.GoTemplates.dll' | Should -Not -Exist
        Join-Path $RepoRoot 'bin/Dependencies/LxdCompose.GoTemplates.dll' | Should -Exist
        Join-Path $RepoRoot 'bin/Dependencies/YamlDotNet.dll' | Should -Exist
        Join-Path $RepoRoot 'bin/Scriban.Signed.dll' | Should -Not -Exist
        Join-Path $RepoRoot 'bin/Dependencies/Scriban.Signed.dll' | Should -Exist
    }
}

Describe 'Conventions of <Name>' -ForEach $ConventionCases {
    BeforeAll {
        Import-Module $ModuleManifest -Force
        $script:Command = Get-Command $Name
        # Verbs that change something outside the session's output: they must honour -WhatIf and -Confirm.
        $script:StateChangingVerbs = 'Add', 'Clear', 'Copy', 'Install', 'Invoke', 'Move', 'New', 'Publish', 'Remove', 'Rename',
            'Reset', 'Save', 'Set', 'Start', 'Stop', 'Sync', 'Uninstall', 'Unlock', 'Update'
        $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $script:RemoteProperties = [LxdCompose.PowerShell.LxdRemoteInfo].GetProperties().Name
        # The property names of what users pipe into the cmdlets: the module's own objects (with their type-file
        # aliases and ConfigFile note; a conversion's Text), files from Get-ChildItem, and the VM objects of PowerCLI or an inventory.
        $basic = Join-Path $Fixtures 'basic/.lxd-compose.yml'
        $ours = @(
            Get-LxdProject -ConfigPath $basic; Get-LxdGroup -ConfigPath $basic; Get-LxdNode -ConfigPath $basic
            Get-LxdCommand -ConfigPath $basic; [LxdCompose.PowerShell.LxdRemoteInfo]::new('r'); Get-Item $basic -Force
            ConvertTo-LxdScribanTemplate -Template '{{ .Values.a }}'
        )
        Set-LxdRenderValue -Name 'conventions.probe' -Value 1
        $ours += Get-LxdRenderValue 'conventions.probe'
        Clear-LxdRenderValue 'conventions'
        $script:PipedPropertyNames = @($ours | ForEach-Object { $_.PSObject.Properties.Name }) +
            'VmName', 'IPAddress', 'HostName', 'ComputerName' | Sort-Object -Unique
    }

    It 'has an approved verb' {
        $Command.Verb | Should -BeIn (Get-Verb).Verb
    }

    It 'declares its output type' {
        $Command.OutputType | Should -Not -BeNullOrEmpty
    }

    It 'names every parameter set, and the default one when there are several' {
        $Command.ParameterSets.Name | Should -Not -Contain '__AllParameterSets'
        $Attribute.DefaultParameterSetName | Should -Not -BeNullOrEmpty
        $Command.ParameterSets.Name | Should -Contain $Attribute.DefaultParameterSetName
    }

    It 'supports -WhatIf and -Confirm when its verb changes state, with ConfirmImpact High for Remove' {
        if ($Command.Verb -in $StateChangingVerbs) {
            $Attribute.SupportsShouldProcess | Should -BeTrue -Because "$Name changes state"
            $Command.Parameters.Keys | Should -Contain 'WhatIf'
        }
        if ($Command.Verb -eq 'Remove') {
            $Attribute.ConfirmImpact | Should -Be 'High' -Because 'removing deletes for good'
        }
    }

    It 'takes the objects it acts on through an -InputObject parameter set' {
        $actsOnObjects = $Command.Verb -in 'Remove', 'Stop' -or $Name -in 'Test-LxdRemote', 'Invoke-LxdApply', 'Get-LxdApplyPlan', 'Save-LxdImage'
        if ($actsOnObjects) {
            $Command.ParameterSets.Name | Should -Contain 'InputObject'
        }
        if ($Command.Parameters.ContainsKey('InputObject')) {
            $Command.Parameters['InputObject'].Attributes.ValueFromPipeline | Should -Contain $true
        }
    }

    It 'binds by property name only through names that piped objects carry' {
        foreach ($parameter in $Command.Parameters.Values | Where-Object Name -NotIn $Common) {
            $byName = @($parameter.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName)
            if ($byName.Count -eq 0) { continue }
            @(@($parameter.Name) + @($parameter.Aliases) | Where-Object { $_ -in $PipedPropertyNames }) |
                Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) of $Name binds by property name, so some piped object must carry one of its names"
        }
    }

    It 'never binds a remote object''s properties: remotes are read as remotes, -Project comes from the command line' {
        if (-not ($Command.Parameters.ContainsKey('Remote') -and $Command.Parameters.ContainsKey('Project'))) { return }
        foreach ($parameter in $Command.Parameters.Values) {
            if (-not ($parameter.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName)) { continue }
            @($parameter.Name) + @($parameter.Aliases) | Where-Object { $_ -in $RemoteProperties } |
                Should -BeNullOrEmpty -Because "a remote's $($parameter.Name) would bind to -$($parameter.Name)"
        }
        # A remote's Project is an LXD project: -Project must come from the command line.
        $Command.Parameters['Project'].ParameterSets.Values.ValueFromPipelineByPropertyName | Should -Not -Contain $true
        # Required without piped objects: mandatory, except where the first position is the group (*-LxdGroup), whose
        # cmdlets refuse a missing -Project with advice (LxdProjectMissing) instead of a prompt. The resource lists
        # (Get-LxdProfile, ...) take no piped objects and read every project without it: -Remote is their endpoint.
        if ($Command.ParameterSets.Name -notcontains 'Project') {
            $Name | Should -BeIn @('Get-LxdProfile', 'Get-LxdNetwork', 'Get-LxdStoragePool', 'Get-LxdNetworkAcl', 'Get-LxdCertificate')
            $Command.Parameters.ContainsKey('InputObject') | Should -BeFalse
            return
        }
        $Command.Parameters['Project'].ParameterSets['Project'].IsMandatory | Should -Be ($Command.Noun -ne 'LxdGroup')
    }

    It 'reads piped objects only through -InputObject when it takes any object there' {
        # Another parameter bound from the pipeline lets PowerShell pick a parameter set without -InputObject, and the
        # piped object would then select nothing (Get-LxdNode web1 | Remove-LxdGroup -Project p removed every group).
        if (-not ($Command.Parameters['InputObject'].ParameterType -in [psobject[]], [psobject])) { return }
        if ($Name -eq 'Add-LxdRemote') { return } # reads VM objects and also binds their names; it acts on no spec
        foreach ($parameter in $Command.Parameters.Values | Where-Object Name -NE 'InputObject') {
            $parameter.ParameterSets.Values | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName } |
                Should -BeNullOrEmpty -Because "-$($parameter.Name) of $Name would take piped objects away from -InputObject"
        }
    }

    It 'takes at position 0 the names of what its noun names (-Name), else the projects it acts on (-Project)' {
        # One story for the whole module: Get-LxdGroup web and Stop-LxdGroup web both name the group web; the cmdlets
        # named after what lxd-compose does to projects (apply, fetch, compile) take projects first, as lxd-compose does.
        $expected = if ($Command.Parameters.ContainsKey('Name')) { 'Name' } elseif ($Command.Parameters.ContainsKey('Project')) { 'Project' }
        $atZero = @($Command.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Position -EQ 0 } | ForEach-Object Name | Sort-Object -Unique)
        if ($null -eq $expected) {
            $atZero | Should -Not -Contain 'Project' -Because 'projects come first only where they are what the cmdlet acts on'
            return
        }
        $atZero | Should -Be $expected
        foreach ($set in $Command.ParameterSets | Where-Object { $_.Parameters.Name -contains $expected }) {
            ($set.Parameters | Where-Object Name -EQ $expected).Position | Should -Be 0 -Because "-$expected is first in every set of $Name ($($set.Name))"
        }
    }

    It 'selects groups with -Group (or -Name on *-LxdGroup), never -EnableGroup, which stays as the alias for --enable-group' {
        $Command.Parameters.Keys | Should -Not -Contain 'EnableGroup'
        if ($Command.Parameters.ContainsKey('DisableGroup')) {
            $Command.Parameters['Group'].Aliases | Should -Contain 'EnableGroup' -Because "$Name maps lxd-compose's --enable-group"
        }
        if ($Command.Noun -eq 'LxdGroup') {
            $Command.Parameters['Name'].Aliases | Should -Contain 'Group'
        }
    }
}

BeforeDiscovery {
    # Every type a cmdlet declares it writes, plus the hooks that project, group and node objects carry.
    $script:OutputTypeNames = @(
        Import-Module (Join-Path $PSScriptRoot '../../LxdCompose.psd1') -PassThru -Force | ForEach-Object { $_.ExportedCmdlets.Values } |
            ForEach-Object { $_.OutputType.Name } | Where-Object { $_ -notlike 'System.*' }
        'LxdCompose.Specs.LxdHook'
    ) | Sort-Object -Unique
}

Describe 'Format views' {
    BeforeAll { Import-Module $ModuleManifest -Force }

    It 'knows the output types it checks' {
        $OutputTypeNames.Count | Should -BeGreaterOrEqual 14
    }

    It 'lists the details a table leaves out' {
        Push-Location (Join-Path $RepoRoot 'examples/quickstart')
        try {
            $project = Get-LxdProject quickstart | Format-List | Out-String -Width 200
            $hook = (Get-LxdNode web1).Hooks[0] | Format-List | Out-String -Width 200
        }
        finally { Pop-Location }
        $project | Should -Match '(?m)^Groups\s+: web, edge, tools$'
        $project | Should -Match '(?m)^Location\s+: .*quickstart\.yml:\d+:\d+$'
        $hook | Should -Match '(?m)^Commands\s+: echo "web node synced"$'
        $hook | Should -Match '(?m)^Flags\s+: smoke-test$'
    }

    It 'has a table view (the default) for <_> that fits 80 columns, and a list view' -ForEach $OutputTypeNames {
        $format = Get-FormatData -TypeName $_
        $format | Should -Not -BeNullOrEmpty
        $controls = @($format.FormatViewDefinition.Control)
        $controls[0] | Should -BeOfType System.Management.Automation.TableControl
        @($controls | Where-Object { $_ -is [System.Management.Automation.ListControl] }) | Should -HaveCount 1
        $table = $controls[0]
        $headers = $table.Headers
        # Fixed columns plus one space between columns leave the last (unsized) column at least 12 characters.
        $fixed = ($headers | Select-Object -SkipLast 1 | Measure-Object -Property Width -Sum).Sum + $headers.Count - 1
        $fixed | Should -BeLessOrEqual (80 - 1 - 12)
        $headers[-1].Width | Should -Be 0
    }

    It 'renders the quick-start nodes as a table within 80 columns' {
        Push-Location (Join-Path $RepoRoot 'examples/quickstart')
        try { $text = Get-LxdNode | Format-Table | Out-String -Width 200 }
        finally { Pop-Location }
        $lines = $text -split "`r?`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Project\s+Group\s+InstanceName\s+Image\s+Remote'
        $lines | ForEach-Object { ($_ -replace '\e\[[0-9;]*m', '').TrimEnd().Length | Should -BeLessOrEqual 80 }
        $lines | Should -HaveCount 8 # header, rule, the 6 nodes of the three projects
    }
}

Describe 'Dependency isolation' {
    It 'uses its own YamlDotNet when another version was loaded first' {
        $map = Get-ChildAssemblyMap -Steps @(
            "Add-Type -Path '$OtherYamlDotNet'"
            "Import-Module '$ModuleManifest'"
            "`$null = Get-LxdProject -ConfigPath '$BasicConfig'"
            "if (@(Get-LxdNode -ConfigPath '$BasicConfig').Count -ne 4) { throw 'spec not loaded' }"
        )
        ($map | Where-Object { $_.Name -eq 'LxdCompose.Core' }).Context | Should -Be 'LxdCompose'
        ($map | Where-Object { $_.Name -eq 'LxdCompose.PowerShell' }).Context | Should -Be 'Default'
        $yaml = @($map | Where-Object Name -EQ 'YamlDotNet')
        $yaml | Should -HaveCount 2
        ($yaml | Where-Object Context -EQ 'LxdCompose').Version | Should -Be '18.1.0'
        ($yaml | Where-Object Context -EQ 'Default').Version | Should -Be '16.3.0'
    }

    It 'leaves the default context free for another YamlDotNet loaded afterwards' {
        $map = Get-ChildAssemblyMap -Steps @(
            "Import-Module '$ModuleManifest'"
            "`$null = Get-LxdProject -ConfigPath '$BasicConfig'"
            "Add-Type -Path '$OtherYamlDotNet'"
            # The other version works in the default context: parse something with it.
            "`$stream = [YamlDotNet.RepresentationModel.YamlStream]::new(); `$stream.Load([IO.StringReader]::new('a: 1'))"
            "if (@(Get-LxdNode -ConfigPath '$BasicConfig').Count -ne 4) { throw 'spec not loaded' }"
        )
        ($map | Where-Object { $_.Name -eq 'LxdCompose.Core' }).Context | Should -Be 'LxdCompose'
        $yaml = @($map | Where-Object Name -EQ 'YamlDotNet')
        $yaml | Should -HaveCount 2
        ($yaml | Where-Object Context -EQ 'LxdCompose').Version | Should -Be '18.1.0'
        ($yaml | Where-Object Context -EQ 'Default').Version | Should -Be '16.3.0'
    }
}

Describe 'Go-template library isolation' {
    It 'loads LxdCompose.GoTemplates into the module context when a cmdlet catches its parse error' {
        # ConvertTo-LxdScribanTemplate catches GoTemplateParseException itself: the default context asks for the library.
        $map = Get-ChildAssemblyMap -Steps @(
            "Import-Module '$ModuleManifest'"
            "`$converted = ConvertTo-LxdScribanTemplate -Template '{{ if }}' -ErrorVariable failures -ErrorAction SilentlyContinue"
            "if (`$failures[0].FullyQualifiedErrorId -notlike 'LxdGoTemplateInvalid,*') { throw `"no parse error: `$(`$failures[0])`" }"
        )
        $library = @($map | Where-Object Name -EQ 'LxdCompose.GoTemplates')
        $library | Should -HaveCount 1
        $library[0].Context | Should -Be 'LxdCompose'
    }
}

Describe 'Completion isolation' {
    It 'completes spec names through the module context when another YamlDotNet was loaded first' {
        # Tab before any cmdlet ran: the completer is the first code that needs LxdCompose.Core.
        $map = Get-ChildAssemblyMap -Steps @(
            "Add-Type -Path '$OtherYamlDotNet'"
            "Import-Module '$ModuleManifest'"
            "`$line = 'Get-LxdNode -ConfigPath ''$BasicConfig'' -Name web'"
            "`$names = (TabExpansion2 -inputScript `$line -cursorColumn `$line.Length).CompletionMatches.CompletionText -join ','"
            "if (`$names -ne 'web1,web2') { throw `"completion gave '`$names'`" }"
        )
        ($map | Where-Object { $_.Name -eq 'LxdCompose.Core' }).Context | Should -Be 'LxdCompose'
        ($map | Where-Object { $_.Name -eq 'YamlDotNet' -and $_.Context -eq 'LxdCompose' }).Version | Should -Be '18.1.0'
        ($map | Where-Object { $_.Name -eq 'YamlDotNet' -and $_.Context -eq 'Default' }).Version | Should -Be '16.3.0'
    }
}

Describe 'Scriban isolation' {
    It 'loads Scriban only into the module context when specs are rendered with it' {
        $map = Get-ChildAssemblyMap -Steps @(
            "Import-Module '$ModuleManifest'"
            "if (@(Get-LxdNode -ConfigPath '$ScribanConfig' -Project web).Count -ne 2) { throw 'scriban specs not rendered' }"
            "if ((Expand-LxdTemplate -Engine Scriban -Template '{{ 1 + 1 }}') -ne '2') { throw 'expand failed' }"
        )
        $scriban = @($map | Where-Object Name -EQ 'Scriban.Signed')
        $scriban | Should -HaveCount 1
        $scriban[0].Context | Should -Be 'LxdCompose'
        $scriban[0].Version | Should -BeLike '7.5.3*'
        ($map | Where-Object { $_.Name -eq 'LxdCompose.Core' }).Context | Should -Be 'LxdCompose'
    }

    It 'uses its own Scriban when another version was loaded first' {
        $OtherScriban | Should -Exist
        $map = Get-ChildAssemblyMap -Steps @(
            "Add-Type -Path '$OtherScriban'"
            "Import-Module '$ModuleManifest'"
            # The module must render with its own Scriban although a 7.2.1 is already in the default context.
            "if ((Expand-LxdTemplate -Engine Scriban -Template '{{ x | string.upcase }}' -Data @{ x = 'ok' }) -ne 'OK') { throw 'expand failed' }"
            "if (@(Get-LxdNode -ConfigPath '$ScribanConfig' -Project web).Count -ne 2) { throw 'scriban specs not rendered' }"
        )
        $scriban = @($map | Where-Object Name -EQ 'Scriban.Signed')
        $scriban | Should -HaveCount 2
        ($scriban | Where-Object Context -EQ 'LxdCompose').Version | Should -BeLike '7.5.3*'
        ($scriban | Where-Object Context -EQ 'Default').Version | Should -BeLike '7.2.1*'
        ($map | Where-Object { $_.Name -eq 'LxdCompose.Core' }).Context | Should -Be 'LxdCompose'
    }

    It 'leaves the default context free for another Scriban loaded afterwards' {
        $map = Get-ChildAssemblyMap -Steps @(
            "Import-Module '$ModuleManifest'"
            "if ((Expand-LxdTemplate -Engine Scriban -Template '{{ x | string.upcase }}' -Data @{ x = 'ok' }) -ne 'OK') { throw 'expand failed' }"
            "Add-Type -Path '$OtherScriban'"
            # The other version works in the default context: render something with it.
            "if ([Scriban.Template]::Parse('{{ 1 + 2 }}').Render() -ne '3') { throw 'the other Scriban did not render' }"
            "if ((Expand-LxdTemplate -Engine Scriban -Template '{{ 2 * 3 }}') -ne '6') { throw 'second expand failed' }"
        )
        $scriban = @($map | Where-Object Name -EQ 'Scriban.Signed')
        $scriban | Should -HaveCount 2
        ($scriban | Where-Object Context -EQ 'LxdCompose').Version | Should -BeLike '7.5.3*'
        ($scriban | Where-Object Context -EQ 'Default').Version | Should -BeLike '7.2.1*'
    }
}

Describe 'Packaged module' {
    It 'imports by name from PSModulePath' {
        $version = (Import-PowerShellDataFile $ModuleManifest).ModuleVersion
        $packageRoot = Join-Path $RepoRoot 'out'
        Join-Path $packageRoot "LxdCompose/$version/LxdCompose.psd1" | Should -Exist
        $separator = [IO.Path]::PathSeparator
        $script = @(
            '$ErrorActionPreference = "Stop"'
            "`$env:PSModulePath = '$packageRoot' + '$separator' + `$env:PSModulePath"
            'Import-Module LxdCompose'
            '$module = Get-Module LxdCompose'
            "`$projects = @(Get-LxdProject -ConfigPath '$BasicConfig')"
            '"{0}|{1}|{2}" -f $module.Version, $module.ModuleBase, $projects.Count'
        ) -join [Environment]::NewLine
        $lines = @(Invoke-ChildPwsh -Script $script)
        $loadedVersion, $base, $count = $lines[-1] -split '\|'
        $loadedVersion | Should -Be $version
        $base | Should -Be (Join-Path $packageRoot "LxdCompose/$version")
        $count | Should -Be 2
    }
}
