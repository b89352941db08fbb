BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    function ConvertTo-ViewText {
        # The default view of the objects at a width, without colour.
        param([Parameter(Mandatory)] [object[]] $InputObject, [Parameter(Mandatory)] [int] $Width)
        ($InputObject | Out-String -Width $Width) -replace '\e\[[0-9;]*m', ''
    }

    function New-ModuleObject {
        # An object of one of the module's own (public) types, which live in the module's load context and so are not
        # [type] literals in the session: the deploy results that otherwise need an LXD server.
        param([Parameter(Mandatory)] [string] $TypeName, [hashtable] $Property = @{}, [object[]] $ArgumentList = @())
        $assembly = (Get-LxdProject -ConfigPath (Join-Path $RepoRoot 'examples/quickstart/.lxd-compose.yml') quickstart).GetType().Assembly
        $object = [Activator]::CreateInstance($assembly.GetType($TypeName, $true), $ArgumentList)
        foreach ($name in $Property.Keys) { $object.$name = $Property[$name] }
        $object
    }

    # Each example copied, so compiling writes nothing into the repository.
    $script:Examples = @{}
    foreach ($name in 'quickstart', 'vmware-1-1') {
        Copy-Item -Recurse (Join-Path $RepoRoot "examples/$name") (Join-Path $TestDrive $name)
        $Examples[$name] = Join-Path $TestDrive $name
    }

    # Every default view, with objects of the example specs and the names each must show whole.
    $script:Cases = [System.Collections.Generic.List[object]]::new()
    function Add-ViewCase([string] $Name, [object[]] $Objects, [string[]] $Columns, [string[]] $Values) {
        # Shown from where the objects were made (an example's folder, as in the README), which paths are relative to.
        $Cases.Add([pscustomobject]@{
                Name = $Name; Objects = @($Objects | Where-Object { $null -ne $_ }); Columns = $Columns; Values = $Values
                Location = (Get-Location).ProviderPath
            })
    }

    foreach ($example in $Examples.Keys) {
        Push-Location $Examples[$example]
        try {
            $projects = @(Get-LxdProject)
            $groups = @($projects | Get-LxdGroup)
            $nodes = @($groups | Get-LxdNode)
            Add-ViewCase "$example projects" $projects @('Name', 'Groups', 'Nodes', 'Description') $projects.Name
            Add-ViewCase "$example groups" $groups @('Project', 'Name', 'Connection', 'Profiles') @(
                $groups.Project; $groups.Name; $groups.Connection; $groups.CommonProfiles)
            Add-ViewCase "$example nodes" $nodes @('Project', 'Group', 'InstanceName', 'Image', 'Remote') @(
                $nodes.Project; $nodes.Group; $nodes.InstanceName; $nodes.ImageSource; $nodes.Connection)
            $hooks = @($projects.Hooks; $groups.Hooks; $nodes.Hooks)
            Add-ViewCase "$example hooks" $hooks @('Event', 'Node', 'Flags', 'Commands') @(
                $hooks.Event; $hooks.Flags; $hooks.Node | Where-Object { $_ })
            $commands = @(Get-LxdCommand)
            if ($commands) {
                Add-ViewCase "$example commands" $commands @('Project', 'Name', 'Apply', 'Description') @($commands.Project; $commands.Name)
            }
            # Not tmpl-jinja2: its engine needs j2, and conf-jinja2 is in the node view already.
            $compiled = @(Invoke-LxdCompile -Project (@($projects.Name) -ne 'tmpl-jinja2'))
            Add-ViewCase "$example compiled templates" $compiled @('Project', 'For', 'Destination') @(
                $compiled.Project; $compiled.Node | Where-Object { $_ }; $compiled.Destination | Split-Path -Leaf)
        }
        finally { Pop-Location }
    }

    Push-Location $Examples['quickstart']
    try {
        $conversion = ConvertTo-LxdScribanTemplate -Path envs/templates/app.conf.mottainai.tmpl 3>$null
        Add-ViewCase 'Scriban conversion' @($conversion) @('Source', 'Lines', 'Warnings', 'HelperFunctions') @(
            'app.conf.mottainai.tmpl'; $conversion.HelperFunctions)
    }
    finally { Pop-Location }

    $remotes = @(Get-LxdRemote -ConfigDirectory (Join-Path $Examples['vmware-1-1'] 'lxd-conf'))
    Add-ViewCase 'remotes' $remotes @('Name', 'Address', 'Protocol', 'Auth', 'Pinned') @($remotes.Name; $remotes | ForEach-Object Address)

    # The example's remote names on a loopback port nothing listens on: Test-LxdRemote reports them unreachable.
    $unreachable = Join-Path $TestDrive 'unreachable-conf'
    New-Item -ItemType Directory $unreachable | Out-Null
    Set-Content (Join-Path $unreachable 'config.yml') @"
default-remote: vm1
remotes:
  vm1: {addr: 'https://127.0.0.1:1', protocol: lxd, auth_type: tls}
  myserver: {addr: 'https://127.0.0.1:1', protocol: simplestreams, public: true}
"@
    $tests = @(Test-LxdRemote -Name vm1, myserver -ConfigDirectory $unreachable)
    Add-ViewCase 'remote tests' $tests @('Name', 'Reachable', 'Trusted', 'Server', 'Problem') @($tests.Name)

    # Deploy results of the quick start: two applied nodes and one that failed, with its reason.
    $failure = "Cannot reach remote 'vm2' (https://198.18.0.12:8443): connection refused"
    $results = @(
        New-ModuleObject LxdCompose.Deploy.NodeResult @{ Project = 'quickstart'; Group = 'web'; Node = 'web1'; Remote = 'local'; Action = 'Created'; State = 'Running'; IPv4 = '198.18.10.21' }
        New-ModuleObject LxdCompose.Deploy.NodeResult @{ Project = 'quickstart'; Group = 'edge'; Node = 'edge1'; Remote = 'vm2'; Action = 'Failed'; State = 'Absent'; Error = $failure }
        New-ModuleObject LxdCompose.Deploy.NodeResult @{ Project = 'tmpl-mottainai'; Group = 'mottainai'; Node = 'conf-mottainai'; Remote = 'local'; Action = 'Unchanged'; State = 'Running' }
    )
    Add-ViewCase 'apply results' $results @('Project', 'Node', 'Group', 'Remote', 'Action', 'Error') @(
        $results.Project; $results.Node; $results.Group; $results.Remote; 'Failed'; "Cannot reach remote 'vm2'")

    $image = New-ModuleObject LxdCompose.Deploy.ImagePlan -ArgumentList 'busybox/lab', 'imgsrv', 'https://198.18.0.1:8444', 'simplestreams', ('ab' * 32), $true
    $plans = @(
        New-ModuleObject LxdCompose.Deploy.NodePlan @{ Project = 'quickstart'; Group = 'edge'; Node = 'edge1'; Remote = 'vm2'; Action = 'Create'; CurrentState = 'Absent'; Image = $image }
        New-ModuleObject LxdCompose.Deploy.NodePlan @{ Project = 'tmpl-mottainai'; Group = 'mottainai'; Node = 'conf-mottainai'; Remote = 'local'; Action = 'Unchanged'; CurrentState = 'Running' }
    )
    # Drift: an update in place and a replace show each changed field, old -> new.
    $assembly = $image.GetType().Assembly
    function New-Changes([object[][]] $Changes) {
        $list = [Array]::CreateInstance($assembly.GetType('LxdCompose.Deploy.FieldChange', $true), $Changes.Count)
        for ($i = 0; $i -lt $Changes.Count; $i++) { $list[$i] = New-ModuleObject LxdCompose.Deploy.FieldChange -ArgumentList $Changes[$i] }
        , $list
    }
    $updateChanges = New-Changes @(@('config.limits.memory', '128MB', '64MB', $true), @('devices.data', 'path=/mnt,source=/tmp,type=disk', $null, $true))
    $replaceChanges = New-Changes @(, @('config.security.privileged', $null, 'true', $false))
    $plans += @(
        New-ModuleObject LxdCompose.Deploy.NodePlan @{ Project = 'quickstart'; Group = 'web'; Node = 'web1'; Remote = 'local'; Action = 'Update'; CurrentState = 'Running'; Changes = $updateChanges }
        New-ModuleObject LxdCompose.Deploy.NodePlan @{ Project = 'quickstart'; Group = 'web'; Node = 'web2'; Remote = 'local'; Action = 'Replace'; CurrentState = 'Running'; Image = $image; Changes = $replaceChanges }
    )
    Add-ViewCase 'apply plans' $plans @('Project', 'Node', 'Group', 'Remote', 'Action', 'Now', 'Image') @(
        $plans.Project; $plans.Node; $plans.Group; $plans.Remote; 'busybox/lab'; 'imgsrv'; 'Update'; 'Replace'; 'config.limits.memory'; 'devices.data')

    $profileKind = [Enum]::Parse($assembly.GetType('LxdCompose.Deploy.ResourceKind', $true), 'Profile')
    $drifts = @(
        New-ModuleObject LxdCompose.Deploy.ResourceDrift -ArgumentList $profileKind, 'web-profile', (New-Changes @(, @('config.user.drift', 'two', 'one', $true))), $false -Property @{ Remote = 'local'; Group = 'web' }
    )
    Add-ViewCase 'drifted resources' $drifts @('Kind', 'Name', 'Remote', 'Action', 'Changes') @(
        'Profile'; 'web-profile'; 'local'; 'LeftAlone'; 'config.user.drift: two -> one')

    # Resources beside their declarations (Get-LxdProfile, ...) and what a publish did (Publish-LxdProfile, ...).
    $states = $assembly.GetType('LxdCompose.Deploy.ResourceState', $true)
    $statuses = @(
        New-ModuleObject LxdCompose.Deploy.ResourceStatus @{ Kind = $profileKind; Name = 'quickstart-small'; Remote = 'local'; State = [Enum]::Parse($states, 'Differs'); Present = $true; Changes = (New-Changes @(, @('config.limits.processes', '100', '200', $true))) }
        New-ModuleObject LxdCompose.Deploy.ResourceStatus @{ Kind = $profileKind; Name = 'default'; Remote = 'vm2'; State = [Enum]::Parse($states, 'Undeclared'); Present = $true; Description = 'Default LXD profile' }
    )
    Add-ViewCase 'resource states' $statuses @('Remote', 'Name', 'State', 'Type', 'Changes') @(
        'quickstart-small'; 'Differs'; 'Undeclared'; 'config.limits.processes: 100 -> 200'; 'Default LXD profile')
    $actions = $assembly.GetType('LxdCompose.Deploy.ResourcePublishAction', $true)
    $published = @(
        New-ModuleObject LxdCompose.Deploy.ResourcePublishResult @{ Kind = $profileKind; Name = 'quickstart-small'; Remote = 'vm2'; Action = [Enum]::Parse($actions, 'Create'); Changes = (New-Changes @(, @('config.user.rc', $null, 'one', $true))) }
    )
    Add-ViewCase 'published resources' $published @('Remote', 'Name', 'Action', 'Done', 'Changes') @(
        'quickstart-small'; 'vm2'; 'Create'; 'config.user.rc: (absent) -> one')

    # A destroy plan reads no server: its items come from the specs alone (the copy's remotes are a closed port).
    Push-Location (New-ClosedQuickstart -Path (Join-Path $TestDrive 'closed-quickstart'))
    try { $items = @(Get-LxdApplyPlan -Project quickstart -Operation Destroy -Group web) } finally { Pop-Location }
    Add-ViewCase 'plan items' $items @('Kind', 'Target', 'Description') @('ShutdownNode'; 'GroupHooks'; 'web1'; 'web2'; 'Stop and delete the instance')

    # Locks as Unlock-LxdProject writes them: one held by another run, one free.
    $identity = New-ModuleObject LxdCompose.Deploy.DeployLockIdentity @{ ProcessId = 4242; Host = 'admin-laptop'; User = 'ops'; Command = 'Invoke-LxdApply -Project quickstart' }
    $since = [DateTimeOffset]::new(2026, 12, 7, 10, 0, 0, [TimeSpan]::Zero)
    $holder = New-ModuleObject LxdCompose.Deploy.DeployLockHolder -ArgumentList $identity, $since, $since.AddSeconds(15), 'token'
    $locks = @(
        New-ModuleObject LxdCompose.Deploy.DeployLockState -ArgumentList 'quickstart', 'vm2', $null, 'lxdcompose-lock.quickstart', $holder, 'etag'
        New-ModuleObject LxdCompose.Deploy.DeployLockState -ArgumentList 'quickstart', 'local', $null, 'lxdcompose-lock.quickstart', $null, $null
    )
    Add-ViewCase 'project locks' $locks @('Project', 'Server', 'Pid', 'Host', 'Command') @(
        'quickstart'; 'vm2'; 'local'; '4242'; 'admin-laptop'; 'Invoke-LxdApply')

    $fetched = @(
        New-ModuleObject LxdCompose.Deploy.ImageFetchResult @{ Project = 'nginx-services'; Group = 'nginx1-group'; Remote = 'vm1'; Image = 'nginx/22.10'; Source = 'myserver'; Fingerprint = 'cd' * 32; Action = 'Copied' }
    )
    Add-ViewCase 'image fetches' $fetched @('Project', 'Image', 'Remote', 'Source', 'Action', 'Fingerprint') @(
        $fetched.Project; $fetched.Image; $fetched.Remote; $fetched.Source)

    # Part 16C: images purge and backups as the servers give them; pack and unpack for real, from the quick start.
    $purged = @(
        New-ModuleObject LxdCompose.Maintenance.ImagePurgeResult @{ Remote = 'vm1'; Fingerprint = 'ab' * 32; Aliases = [string[]]@('busybox/lab'); Action = 'Remove'; Removed = $true }
        New-ModuleObject LxdCompose.Maintenance.ImagePurgeResult @{ Remote = 'vm2'; Fingerprint = 'cd' * 32; UsedBy = [string[]]@('web1'); Action = 'KeepInUse' }
    )
    Add-ViewCase 'purged images' $purged @('Remote', 'Fingerprint', 'Action', 'Removed', 'Aliases') @('vm1'; 'abababababab'; 'KeepInUse'; 'busybox/lab'; 'used by web1')
    $backups = @(
        New-ModuleObject LxdCompose.Maintenance.NodeBackupResult @{ Project = 'quickstart'; Instance = 'web1'; Remote = 'local'; Backup = 'web1-20261207'; Action = 'Created' }
        New-ModuleObject LxdCompose.Maintenance.NodeBackupResult @{ Project = 'quickstart'; Instance = 'web1'; Remote = 'local'; Backup = 'web1-20261201'; Action = 'Deleted' }
    )
    Add-ViewCase 'node backups' $backups @('Project', 'Instance', 'Remote', 'Action', 'Backup') @('quickstart'; 'web1-20261207'; 'Deleted')
    Push-Location $Examples['quickstart']
    try {
        $packed = @(Export-LxdEnvironment quickstart -Path ./views-pack.tgz)
        $unpacked = @(Import-LxdEnvironment ./views-pack.tgz -Destination ./views-unpacked)
    }
    finally { Pop-Location }
    Add-ViewCase 'packs' $packed @('Entries', 'Size', 'Projects', 'Path') @('quickstart'; 'views-pack.tgz')
    Add-ViewCase 'unpacks' $unpacked @('Entries', 'RenderFile', 'Path') @('views-unpacked')

    Set-LxdRenderValue -Name nginx_nodes -Value @(@{ connection = 'vm1'; name = 'nginx1' })
    try { $renderValues = @(Get-LxdRenderValue) } finally { Clear-LxdRenderValue }
    Add-ViewCase 'render values' $renderValues @('Name', 'Value') @('nginx_nodes')

    # Part 16D: variables, the lxd-compose mapping and translations, the effective configuration.
    Push-Location $Examples['quickstart']
    try {
        $variables = @(Get-LxdVariable quickstart -Env @{ from_env = 'x' })
        $mapping = @(Invoke-LxdCompose --help)
        $translations = @(Invoke-LxdCompose -Translate -CommandLine 'apply quickstart --enable-group web --env k=v')
        $composeConfig = @(Get-LxdComposeConfig)
        Add-ViewCase 'project variables' $variables @('Project', 'Name', 'Value', 'Source') @($variables.Name; 'envs/quickstart.yml:25'; '-Env')
        Add-ViewCase 'lxd-compose mapping' $mapping @('Command', 'Flag', 'Cmdlet', 'Parameter') @('diagnose vars'; 'Get-LxdVariable'; '--lxd-config-dir')
        Add-ViewCase 'lxd-compose translations' $translations @('Cmdlet', 'PowerShell') @('Invoke-LxdApply')
        Add-ViewCase 'effective configuration' $composeConfig @('ConfigFile', 'LxdConfDir', 'RenderEngine', 'KeySet') @('./lxd-conf'; 'helm')
    }
    finally { Pop-Location }

    Push-Location (Join-Path $Fixtures 'broken')
    try { $diagnostics = @(Test-LxdEnvironment) } finally { Pop-Location }
    Add-ViewCase 'diagnostics' $diagnostics @('Severity', 'Code', 'Location', 'Message') @(
        $diagnostics.Code; 'zbroken.yml:4:23')

    # The node commands: instances on a server (one the specs know, one they do not), an exec and a copy.
    $instances = @(
        New-ModuleObject LxdCompose.Deploy.ServerInstance @{ Name = 'quickstart-web1'; Remote = 'local'; Status = 'Running'; Type = 'container'; InSpecs = $true; Project = 'quickstart'; Group = 'web'; NodeName = 'web1'; IPv4 = [string[]]@('198.18.10.21') }
        New-ModuleObject LxdCompose.Deploy.ServerInstance @{ Name = 'handmade'; Remote = 'incus1'; Status = 'Stopped'; Type = 'container' }
    )
    Add-ViewCase 'server instances' $instances @('Name', 'Status', 'Remote', 'Project', 'Group', 'IPv4') @(
        'quickstart-web1'; 'handmade'; 'incus1'; '(not in specs)'; '198.18.10.21')
    $execs = @(New-ModuleObject LxdCompose.Deploy.NodeExecResult @{ Project = 'quickstart'; Group = 'web'; Node = 'web1'; Remote = 'local'; Command = 'cat /etc/hostname'; ExitCode = 3 })
    Add-ViewCase 'exec results' $execs @('Node', 'Remote', 'ExitCode', 'Command') @('web1'; 'cat /etc/hostname')
    $copies = @(New-ModuleObject LxdCompose.Deploy.NodeFileCopyResult @{ Project = 'quickstart'; Group = 'web'; Node = 'web1'; Remote = 'local'; Source = '/tmp/conf/'; Destination = '/etc/app/'; Files = 12; Directories = 2 })
    Add-ViewCase 'file copies' $copies @('Node', 'Remote', 'Files', 'Dirs', 'Destination') @('web1'; '/etc/app/'; '12')
}

Describe 'Default views at 80 and 120 columns' {
    It 'covers every type with a table view' {
        $covered = $Cases.Objects | ForEach-Object { $_.PSObject.TypeNames[0] } | Sort-Object -Unique
        $tables = Get-FormatData -TypeName LxdCompose.* | Where-Object { $_.FormatViewDefinition[0].Control -is [System.Management.Automation.TableControl] }
        $tables.TypeNames | Where-Object { $_ -notin $covered } | Should -BeNullOrEmpty
    }

    It 'shows every view at <Width> columns with its key columns and every name whole' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        foreach ($case in $Cases) {
            $case.Objects.Count | Should -BeGreaterThan 0 -Because "$($case.Name) has objects to show"
            Push-Location $case.Location
            try { $text = ConvertTo-ViewText -InputObject $case.Objects -Width $Width }
            finally { Pop-Location }
            $text | Should -Not -Match '…' -Because "$($case.Name) cuts no value"
            $text -split "`r?`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual $Width -Because "$($case.Name) fits" }
            foreach ($column in $case.Columns) {
                $text | Should -Match "(?m)(^|\s)$([regex]::Escape($column))(\s|:|$)" -Because "$($case.Name) shows the $column column"
            }
            foreach ($value in $case.Values | Where-Object { $_ } | Sort-Object -Unique) {
                $text | Should -Match ([regex]::Escape($value)) -Because "$($case.Name) shows '$value' whole"
            }
        }
    }

    It 'shows where a quick-start node runs, not its image server: edge1 on vm2' {
        Push-Location $Examples['quickstart']
        try {
            $text = ConvertTo-ViewText -InputObject (Get-LxdNode edge1) -Width 80
            $list = Get-LxdNode edge1 | Format-List | Out-String -Width 120
        }
        finally { Pop-Location }
        $text | Should -Match '(?m)^quickstart\s+edge\s+edge1\s+busybox/lab\s+vm2\s*$'
        $list | Should -Match '(?m)^Connection\s+: vm2$'
        $list | Should -Match '(?m)^ImageRemoteServer\s+: imgsrv$'
    }

    It 'shows each change of an update or a replace as field: old -> new, in the table at 120 columns and in the list' {
        $plans = $Cases.Where({ $_.Name -eq 'apply plans' }).Objects
        $table = ConvertTo-ViewText -InputObject $plans -Width 120
        $list = $plans | Format-List | Out-String -Width 120
        foreach ($text in $table, $list) {
            $text | Should -Match ([regex]::Escape('config.limits.memory: 128MB -> 64MB'))
            $text | Should -Match ([regex]::Escape('devices.data: path=/mnt,source=/tmp,type=disk -> (removed)'))
            $text | Should -Match ([regex]::Escape('config.security.privileged: (absent) -> true (replace)'))
        }
        $table | Should -Match '(?m)^web1\s+web\s+local\s+Update\s+Running\s+config\.limits\.memory: 128MB -> 64MB$'
    }

    It 'gives a failed apply row its reason' {
        $row = (ConvertTo-ViewText -InputObject $Cases.Where({ $_.Name -eq 'apply results' }).Objects -Width 120) -split "`r?`n" |
            Where-Object { $_ -match '^edge1\s' }
        $row | Should -Match '^edge1\s+edge\s+vm2\s+Failed\s+Cannot reach remote'
    }
}

Describe 'Deploy views at 80 and 120 columns, from the lab' -Tag Lab {
    BeforeAll {
        # Read-only: the plan and the images the quick start needs (-WhatIf copies nothing).
        $script:LabQuickstart = Join-Path $TestDrive 'lab-quickstart'
        Copy-Item -Recurse (Join-Path $RepoRoot 'examples/quickstart') $LabQuickstart
        & (Join-Path $LabQuickstart 'New-QuickstartConf.ps1') -LabEnv (Read-LabEnv).Path -Destination (Join-Path $LabQuickstart 'lxd-conf') 6>$null
        Push-Location $LabQuickstart
        try {
            $script:Plans = @(Get-LxdApplyPlan -Project quickstart, tmpl-mottainai)
            $script:Fetches = @(Save-LxdImage -Project quickstart -WhatIf)
        }
        finally { Pop-Location }
    }

    It 'shows the plan and the images at <Width> columns with every node, group and remote whole' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        foreach ($case in @{ Objects = $Plans; Shown = 'Project', 'Node', 'Group', 'Remote' },
            @{ Objects = $Fetches; Shown = 'Project', 'Image', 'Remote', 'Source' }) {
            $case.Objects.Count | Should -BeGreaterThan 0
            $text = ConvertTo-ViewText -InputObject $case.Objects -Width $Width
            $text | Should -Not -Match '…'
            $text -split "`r?`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual $Width }
            foreach ($value in $case.Shown | ForEach-Object { $property = $_; $case.Objects | ForEach-Object { $_.$property } } | Sort-Object -Unique) {
                $text | Should -Match ([regex]::Escape($value))
            }
        }
        (ConvertTo-ViewText -InputObject $Plans -Width $Width) | Should -Match '(?m)^edge1\s+edge\s+vm2\s'
    }
}
