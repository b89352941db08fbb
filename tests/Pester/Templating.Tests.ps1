BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:ScribanFixture = Join-Path $Fixtures 'scriban'
    $script:ScribanConfig = Join-Path $ScribanFixture '.lxd-compose.yml'

    # A writable copy of the scriban fixture: compile writes beside the env files.
    function New-CompileCopy {
        $target = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        Copy-Item -Path $ScribanFixture -Destination $target -Recurse
        $target
    }
}

Describe 'Render values in the session' {
    BeforeEach { Clear-LxdRenderValue }
    AfterAll { Clear-LxdRenderValue }

    It 'renders the specs from the values files when nothing is set' {
        $nodes = @(Get-LxdNode -ConfigPath $ScribanConfig -Project web)
        $nodes.Name | Should -Be @('n1', 'n2')
        $nodes.ImageSource | Should -Be @('alpine/3.19', 'alpine/3.19')
        $nodes[0].Labels['role'] | Should -Be 'app'
    }

    It 'keeps values set by name for every later call until cleared' {
        Set-LxdRenderValue -Name image -Value 'ubuntu/24.04'
        Set-LxdRenderValue role db
        (Get-LxdNode -ConfigPath $ScribanConfig -Project web).ImageSource | Should -Be @('ubuntu/24.04', 'ubuntu/24.04')
        (Get-LxdNode -ConfigPath $ScribanConfig -Project web)[0].Labels['role'] | Should -Be 'db'
        Clear-LxdRenderValue -Name image
        (Get-LxdNode -ConfigPath $ScribanConfig -Project web).ImageSource | Should -Be @('alpine/3.19', 'alpine/3.19')
        Clear-LxdRenderValue
        @(Get-LxdRenderValue) | Should -HaveCount 0
    }

    It 'takes KEY=VALUE assignments as --render-env does, and typed hashtables of any depth' {
        Set-LxdRenderValue -Assignment 'project=web2', 'db.host=h1'
        Set-LxdRenderValue -Values @{ db = @{ port = 5432; tags = @('a', 'b') }; 'x.y.z' = $true }
        (Get-LxdProject -ConfigPath $ScribanConfig -Name 'web*').Name | Should -Be 'web2'
        $values = @(Get-LxdRenderValue)
        # Assignments first, in order; a hashtable's keys come in its own order.
        $values.Name[0, 1] | Should -Be @('project', 'db.host')
        $values.Name | Sort-Object | Should -Be @('db.host', 'db.port', 'db.tags', 'project', 'x.y.z')
        $values[0].GetType().FullName | Should -Be 'LxdCompose.Templating.RenderValue'
        ($values | Where-Object Name -EQ 'db.port').Value | Should -BeOfType [long]
        ($values | Where-Object Name -EQ 'db.tags').Value | Should -Be @('a', 'b')
        (Get-LxdRenderValue -Name 'db.*').Name | Sort-Object | Should -Be @('db.host', 'db.port', 'db.tags')
        $table = Get-LxdRenderValue -AsHashtable
        $table.db.host | Should -Be 'h1'
        $table.x.y.z | Should -BeTrue
    }

    It 'reads YAML files with yaml.v3 typing' {
        $file = Join-Path $TestDrive 'session.yaml'
        Set-Content -Path $file -Value "nodes: [a, b, c]`nversion: 017`nquoted: '017'"
        Set-LxdRenderValue -Path $file
        (Get-LxdRenderValue -Name version).Value | Should -Be 15
        (Get-LxdRenderValue -Name quoted).Value | Should -Be '017'
        (Get-LxdNode -ConfigPath $ScribanConfig -Project web).Name | Should -Be @('a', 'b', 'c')
    }

    It 'gives -RenderValue precedence over session values, and session values over the files' {
        Set-LxdRenderValue image 'from/session'
        (Get-LxdNode -ConfigPath $ScribanConfig -Project web -RenderValue @{ image = 'from/call' })[0].ImageSource |
            Should -Be 'from/call'
        (Get-LxdNode -ConfigPath $ScribanConfig -Project web)[0].ImageSource | Should -Be 'from/session'
        (Get-LxdNode -ConfigPath $ScribanConfig -Project web -RenderValue @{ 'nodes' = @('only') }).Name | Should -Be 'only'
    }

    It 'lets a null remove a default' {
        # image is in both files: null removes it from the values and from the defaults.
        $node = (Get-LxdNode -ConfigPath $ScribanConfig -Project web -RenderValue @{ image = $null })[0]
        $node.ImageSource | Should -BeNullOrEmpty
    }

    It 'reports unknown names and bad paths' {
        Get-LxdRenderValue -Name nothing -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'LxdRenderValueNotFound*'
        Clear-LxdRenderValue -Name nothing -ErrorVariable err2 -ErrorAction SilentlyContinue
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'LxdRenderValueNotFound*'
        Set-LxdRenderValue -Assignment 'no-equals' -ErrorVariable err3 -ErrorAction SilentlyContinue
        $err3[0].FullyQualifiedErrorId | Should -BeLike 'LxdInvalidRenderValue*'
        $err3[0].Exception.Message | Should -Match 'KEY=VALUE'
    }

    It 'keeps the values of one session away from another' {
        Set-LxdRenderValue image 'only/here'
        $other = [powershell]::Create()
        try {
            $count = $other.AddScript("Import-Module '$ModuleManifest'; @(Get-LxdRenderValue).Count").Invoke()
            $count | Should -Be 0
        }
        finally { $other.Dispose() }
        (Get-LxdRenderValue).Value | Should -Be 'only/here'
    }
}

Describe 'Render values with -WhatIf and -Confirm' {
    It 'says what Set- and Clear-LxdRenderValue would change, and changes nothing (in a new pwsh)' {
        # What-if text goes to the host, so it is read from a child pwsh's output.
        $output = Invoke-ChildPwsh -Script @"
Import-Module '$ModuleManifest'
Set-LxdRenderValue -Name db.host -Value 'db1' -WhatIf
Set-LxdRenderValue -Values @{ image = 'x' } -WhatIf
'count ' + @(Get-LxdRenderValue).Count
Set-LxdRenderValue -Name db.host -Value 'db1'
Clear-LxdRenderValue db -WhatIf
Clear-LxdRenderValue -WhatIf
'kept ' + (Get-LxdRenderValue db.host).Value
Clear-LxdRenderValue db -Confirm:`$false
'left ' + @(Get-LxdRenderValue).Count
"@
        $output | Should -Contain 'What if: Performing the operation "Set to ''db1''" on target "render value ''db.host'' of this session".'
        $output | Should -Contain 'What if: Performing the operation "Set from the hashtable" on target "render values image of this session".'
        $output | Should -Contain 'count 0'
        $output | Should -Contain 'What if: Performing the operation "Clear" on target "render value ''db'' of this session (and the values under it)".'
        $output | Should -Contain 'What if: Performing the operation "Clear" on target "every render value of this session".'
        $output | Should -Contain 'kept db1'
        $output | Should -Contain 'left 0'
    }
}

Describe 'Scriban render errors' {
    It 'report the spec file position and leave the environment out' {
        $root = New-CompileCopy
        Set-Content -Path (Join-Path $root 'envs/web.yml') -Value "projects:`n- name: {{ values.missing.deeper }}"
        $projects = @(Get-LxdProject -ConfigPath (Join-Path $root '.lxd-compose.yml') -ErrorVariable err -ErrorAction SilentlyContinue)
        $projects.Name | Should -Not -Contain 'web'
        $render = $err | Where-Object { $_.FullyQualifiedErrorId -like 'TemplateRenderError*' }
        $render | Should -HaveCount 1
        $render.Exception.Message | Should -BeLike "*web.yml:2:*"
    }
}

Describe 'Invoke-LxdCompile' {
    It 'compiles project and node templates and writes one object per file' {
        $root = New-CompileCopy
        $results = @(Invoke-LxdCompile -ConfigPath (Join-Path $root '.lxd-compose.yml') -Project web)
        $results | Should -HaveCount 3
        $results[0].GetType().FullName | Should -Be 'LxdCompose.Templating.CompiledConfigTemplate'
        $results.Node | Should -Be @('', 'n1', 'n2')
        $results.Group | Should -Be @('', 'front', 'front')
        $results.Engine | Should -Be @('scriban', 'scriban', 'scriban')
        $results[1].Project | Should -Be 'web'
        $results[1].Source | Should -Be (Join-Path $root 'envs/templates/node.tmpl')
        $results[1].Destination | Should -Be (Join-Path $root 'envs/out/n1.txt')
        Get-Content -Raw (Join-Path $root 'envs/out/project.txt') | Should -Be 'web says hello'
        Get-Content -Raw (Join-Path $root 'envs/out/n2.txt') | Should -Be 'n2 runs alpine/3.19 as app'
    }

    It 'uses -Env, -VarsFile and -RenderValue' {
        $root = New-CompileCopy
        $vars = Join-Path $root 'extra.yml'
        Set-Content -Path $vars -Value "envs:`n  greeting: from-file"
        Invoke-LxdCompile -ConfigPath (Join-Path $root '.lxd-compose.yml') -Project web -VarsFile $vars -SourceFile templates/project | Out-Null
        Get-Content -Raw (Join-Path $root 'envs/out/project.txt') | Should -Be 'web says from-file'
        Invoke-LxdCompile -ConfigPath (Join-Path $root '.lxd-compose.yml') -Project web -VarsFile $vars -Env @{ greeting = 'from-env' } |
            Out-Null
        Get-Content -Raw (Join-Path $root 'envs/out/project.txt') | Should -Be 'web says from-env'
        $renamed = @(Invoke-LxdCompile -ConfigPath (Join-Path $root '.lxd-compose.yml') -Project 'w*' -RenderValue @{ project = 'web3'; role = 'cache' })
        $renamed[0].Project | Should -Be 'web3'
        Get-Content -Raw (Join-Path $root 'envs/out/n1.txt') | Should -Be 'n1 runs alpine/3.19 as cache'
    }

    It 'filters by source prefix and groups, and writes nothing with -WhatIf' {
        $root = New-CompileCopy
        $config = Join-Path $root '.lxd-compose.yml'
        (Invoke-LxdCompile -ConfigPath $config -Project web -SourceFile 'templates/node').Node | Should -Be @('n1', 'n2')
        @(Invoke-LxdCompile -ConfigPath $config -Project web -DisableGroup front).Node | Should -Be @('')
        Remove-Item (Join-Path $root 'envs/out') -Recurse
        @(Invoke-LxdCompile -ConfigPath $config -Project web -WhatIf) | Should -HaveCount 0
        Join-Path $root 'envs/out' | Should -Not -Exist
    }

    It 'compiles jinja2 templates with j2' {
        $root = New-CompileCopy
        $result = Invoke-LxdCompile -ConfigPath (Join-Path $root '.lxd-compose.yml') -Project legacy
        $result.Engine | Should -Be 'jinja2'
        Get-Content -Raw (Join-Path $root 'envs/out/db1.conf') | Should -Be "name=db1 port=8081`n"
    }

    It 'compiles mottainai and jinja2 projects in one call' {
        $root = New-CompileCopy
        $results = @(Invoke-LxdCompile -ConfigPath (Join-Path $root '.lxd-compose.yml') -Project classic, legacy)
        $results.Project | Should -Be @('classic', 'legacy')
        $results.Engine | Should -Be @('mottainai', 'jinja2')
        (Get-Content -Raw (Join-Path $root 'envs/out/classic.txt')).TrimEnd() | Should -Be 'classic'
    }

    It 'reports a template error with its position and node on the target' {
        $root = New-CompileCopy
        Set-Content -Path (Join-Path $root 'envs/templates/node.tmpl') -Value "ok`n{{ node.nothing.deeper }}"
        $results = @(Invoke-LxdCompile -ConfigPath (Join-Path $root '.lxd-compose.yml') -Project web -ErrorVariable err -ErrorAction SilentlyContinue)
        # The failing node stage ends the project: n2 is not compiled.
        $results.Node | Should -Be @('')
        $err | Should -HaveCount 1
        $err[0].Exception.Message | Should -BeLike '*node.tmpl:2:*'
        $err[0].TargetObject.Node | Should -Be 'n1'
        $err[0].CategoryInfo.TargetName | Should -BeLike '*node.tmpl:2:*'
    }
}

Describe 'Expand-LxdTemplate' {
    It 'renders Scriban with -Data as values and as globals' {
        Expand-LxdTemplate -Engine Scriban -Template '{{ values.name }}/{{ name }}/{{ count + 1 }}' -Data @{ name = 'web'; count = 2 } |
            Should -Be 'web/web/3'
        Expand-LxdTemplate -Engine Scriban -Text '{{ x | sprig.quote }}' -Data ([pscustomobject]@{ x = 'q' }) | Should -Be '"q"'
    }

    It 'gives sprig in Scriban argument order (subject first) and gosprig in Go order' {
        $data = @{ host = 'db.example'; hosts = @('a', 'b'); settings = @{ port = 5432 } }
        Expand-LxdTemplate -Engine Scriban -Data $data -Template (
            "{{ host | sprig.replace '.' '-' }}|{{ sprig.replace host '.' '-' }}|{{ gosprig.replace '.' '-' host }}|" +
            "{{ hosts | sprig.join ',' }}|{{ settings | sprig.hasKey 'port' }}|{{ 10 | sprig.sub 3 }}|{{ 10 | gosprig.sub 3 }}") |
            Should -Be 'db-example|db-example|db-example|a,b|true|7|-7'
    }

    It 'decodes -DataPath with yaml.v3 typing and coalesces onto -DefaultsPath' {
        $data = Join-Path $TestDrive 'data.yaml'
        $defaults = Join-Path $TestDrive 'defaults.yaml'
        Set-Content -Path $data -Value "port: 017`nname: ~`nlist: [1, two]"
        Set-Content -Path $defaults -Value "name: default`nimage: alpine"
        Expand-LxdTemplate -Engine Scriban -Template '{{ port }}|{{ name == null }}|{{ image }}|{{ list | sprig.toJson }}' -DataPath $data -DefaultsPath $defaults |
            Should -Be '15|true|alpine|[1,"two"]'
        Expand-LxdTemplate -Engine Scriban -Template '{{ port }}' -DataPath $data -Data @{ port = 'given' } | Should -Be 'given'
    }

    It 'reads a template file and named templates from -TemplatesDirectory' {
        $dir = Join-Path $TestDrive 'tpl'
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
        Set-Content -Path (Join-Path $dir 'greet.yaml') -Value 'hello {{ who }}' -NoNewline
        $file = Join-Path $TestDrive 'main.sbn'
        Set-Content -Path $file -Value '{{ include "tpl/greet" }}!' -NoNewline
        Expand-LxdTemplate -Engine Scriban -Path $file -Data @{ who = 'you' } -TemplatesDirectory $dir | Should -Be 'hello you!'
    }

    It 'reports Scriban errors with the file position' {
        $file = Join-Path $TestDrive 'bad.sbn'
        Set-Content -Path $file -Value "line`n{{ if }}" -NoNewline
        Expand-LxdTemplate -Engine Scriban -Path $file -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TemplateParseError*'
        $err[0].Exception.Message | Should -BeLike "${file}:2:*"
    }

    It 'rejects -Data that is not a map' {
        { Expand-LxdTemplate -Engine Scriban -Template 'x' -Data 42 -ErrorAction Stop } | Should -Throw '*hashtable*'
    }
}

Describe 'Paths and text of the template cmdlets' {
    # Expand-LxdTemplate and ConvertTo-LxdScribanTemplate read their arguments the same way: position 0, piped strings
    # and files are paths (wildcards expanded); template text goes to -Template (alias -Text) or a piped Text property.
    BeforeAll {
        $script:TemplateDir = Join-Path $TestDrive 'paths'
        New-Item -ItemType Directory -Path $TemplateDir -Force | Out-Null
        Set-Content -Path (Join-Path $TemplateDir 'a.tmpl') -Value '{{ .name }}-a' -NoNewline
        Set-Content -Path (Join-Path $TemplateDir 'b.tmpl') -Value '{{ .name }}-b' -NoNewline
        $script:FileA = Join-Path $TemplateDir 'a.tmpl'
    }

    It 'takes a path at position 0 in both cmdlets' {
        Expand-LxdTemplate $FileA -Engine Mottainai -Data @{ name = 'x' } | Should -Be 'x-a'
        (ConvertTo-LxdScribanTemplate $FileA -Target ConfigTemplate).Source | Should -Be $FileA
        (Get-Command Expand-LxdTemplate).Parameters['Path'].ParameterSets['Path'].Position | Should -Be 0
        (Get-Command ConvertTo-LxdScribanTemplate).Parameters['Path'].ParameterSets['Path'].Position | Should -Be 0
    }

    It 'takes piped path strings, FileInfo and wildcards in both cmdlets' {
        $FileA | Expand-LxdTemplate -Engine Mottainai -Data @{ name = 'x' } | Should -Be 'x-a'
        Get-ChildItem $TemplateDir -Filter *.tmpl | Sort-Object Name | Expand-LxdTemplate -Engine Mottainai -Data @{ name = 'x' } |
            Should -Be @('x-a', 'x-b')
        Expand-LxdTemplate (Join-Path $TemplateDir '*.tmpl') -Engine Mottainai -Data @{ name = 'x' } | Should -Be @('x-a', 'x-b')
        (Get-ChildItem $TemplateDir -Filter *.tmpl | ConvertTo-LxdScribanTemplate -Target ConfigTemplate).Text |
            Should -Be @('{{ name }}-a', '{{ name }}-b')
        ($FileA | ConvertTo-LxdScribanTemplate -Target ConfigTemplate).Text | Should -Be '{{ name }}-a'
    }

    It 'takes text with -Template or -Text, and from a piped Text property' {
        Expand-LxdTemplate -Template '{{ .Values.n }}' -Data @{ n = 1 } | Should -Be '1'
        Expand-LxdTemplate -Text '{{ .Values.n }}' -Data @{ n = 2 } | Should -Be '2'
        (ConvertTo-LxdScribanTemplate -Text '{{ .a }}' -Target ConfigTemplate).Text | Should -Be '{{ a }}'
        # A conversion's Text renders with the Scriban engine: the Go template, converted and expanded, in one pipeline.
        ConvertTo-LxdScribanTemplate $FileA -Target ConfigTemplate | Expand-LxdTemplate -Engine Scriban -Data @{ name = 'y' } |
            Should -Be 'y-a'
        [pscustomobject]@{ Text = '{{ .b }}' } | ConvertTo-LxdScribanTemplate -Target ConfigTemplate |
            ForEach-Object Text | Should -Be '{{ b }}'
    }

    It 'reports a path that names no file, and points template text given as a path to -Template' {
        foreach ($command in 'Expand-LxdTemplate', 'ConvertTo-LxdScribanTemplate') {
            & $command (Join-Path $TemplateDir 'absent.tmpl') -ErrorVariable missing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $missing[0].FullyQualifiedErrorId | Should -BeLike "LxdTemplateFileNotFound,*" -Because $command
            $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $missing[0].Exception.Message | Should -Not -BeLike '*-Template*'
            & $command '{{ .Values.name }}' -ErrorVariable text -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $text[0].FullyQualifiedErrorId | Should -BeLike "LxdTemplateFileNotFound,*" -Because $command
            $text[0].Exception.Message | Should -BeLike "*looks like template text*-Template (alias -Text)*" -Because $command
        }
    }
}
