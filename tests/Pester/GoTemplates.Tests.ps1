BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:HelmFixture = Join-Path $Fixtures 'helm'
    $script:HelmConfig = Join-Path $HelmFixture '.lxd-compose.yml'
    # The public corpus next to the repository (../shared); its tests are skipped with the reason when it is absent.
    $script:Galaxy = Join-Path $RepoRoot '../shared/corpus/lxd-compose-galaxy'

    # A writable copy of the helm fixture: compile writes beside the env files.
    function New-HelmCopy {
        $target = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        Copy-Item -Path $HelmFixture -Destination $target -Recurse
        $target
    }
}

Describe 'The Go render engine (helm, the default)' {
    BeforeEach { Clear-LxdRenderValue }
    AfterAll { Clear-LxdRenderValue }

    It 'renders spec files with range, $, include of a named template and default' {
        $nodes = @(Get-LxdNode -ConfigPath $HelmConfig -Project web)
        $nodes.Name | Should -Be @('n1', 'n2')
        $nodes.ImageSource | Should -Be @('alpine/3.19', 'alpine/3.19')
        $nodes[1].Labels['role'] | Should -Be 'app'
    }

    It 'renders a different spec with -RenderValue and with session values' {
        $nodes = @(Get-LxdNode -ConfigPath $HelmConfig -RenderValue @{ project = 'shop'; nodes = @('a', 'b', 'c'); role = 'db' })
        $nodes.Name | Should -Be @('a', 'b', 'c')
        $nodes.Project | Should -Be @('shop', 'shop', 'shop')
        $nodes[2].Labels['role'] | Should -Be 'db'
        Set-LxdRenderValue image 'debian/12'
        (Get-LxdNode -ConfigPath $HelmConfig -Project web).ImageSource | Should -Be @('debian/12', 'debian/12')
    }

    It 'reports a template error at the spec file position and leaves the environment out' {
        $root = New-HelmCopy
        Set-Content -Path (Join-Path $root 'envs/web.yml') -Value "projects:`n- name: {{ .Values.missing.deeper }}"
        $projects = @(Get-LxdProject -ConfigPath (Join-Path $root '.lxd-compose.yml') -ErrorVariable err -ErrorAction SilentlyContinue)
        $projects | Should -HaveCount 0
        $render = $err | Where-Object { $_.FullyQualifiedErrorId -like 'TemplateRenderError*' }
        $render | Should -HaveCount 1
        $render.Exception.Message | Should -BeLike '*web.yml:2:*nil pointer evaluating interface {}.deeper*'
    }
}

Describe 'Invoke-LxdCompile with the mottainai engine' {
    It 'compiles project and node templates with project variables, Go field names and labels' {
        $root = New-HelmCopy
        $results = @(Invoke-LxdCompile -ConfigPath (Join-Path $root '.lxd-compose.yml') -Project web)
        $results.Engine | Should -Be @('mottainai', 'mottainai', 'mottainai')
        $results.Node | Should -Be @('', 'n1', 'n2')
        Get-Content -Raw (Join-Path $root 'envs/out/project.txt') | Should -Be 'web says hello'
        Get-Content -Raw (Join-Path $root 'envs/out/n2.txt') | Should -Be 'n2 runs alpine/3.19 as app'
    }

    It 'takes -Env over the project variables and -RenderValue for the spec' {
        $root = New-HelmCopy
        Invoke-LxdCompile -ConfigPath (Join-Path $root '.lxd-compose.yml') -Env @{ greeting = 'hi' } -RenderValue @{ role = 'cache' } |
            Out-Null
        Get-Content -Raw (Join-Path $root 'envs/out/project.txt') | Should -Be 'web says hi'
        Get-Content -Raw (Join-Path $root 'envs/out/n1.txt') | Should -Be 'n1 runs alpine/3.19 as cache'
    }

    It 'writes Go''s no-value text for a missing variable, as lxd-compose' {
        $root = New-HelmCopy
        Set-Content -Path (Join-Path $root 'envs/templates/project.tmpl') -Value '{{ .nothing }}' -NoNewline
        Invoke-LxdCompile -ConfigPath (Join-Path $root '.lxd-compose.yml') -SourceFile templates/project | Out-Null
        Get-Content -Raw (Join-Path $root 'envs/out/project.txt') | Should -Be '<no value>'
    }
}

Describe 'Expand-LxdTemplate with the Go engines' {
    It 'renders -Engine Helm with the data as .Values, defaults and named templates' {
        $defaults = Join-Path $TestDrive 'defaults.yaml'
        Set-Content -Path $defaults -Value "port: 80`nname: default"
        Expand-LxdTemplate -Engine Helm -Template '{{ include "labels" .Values }} {{ .Values.name }}:{{ .Values.port }}{{ .Values.missing }}' `
            -Data @{ role = 'web'; name = 'given' } -DefaultsPath $defaults -TemplatesDirectory (Join-Path $HelmFixture 'tpl') |
            Should -Be 'role: web given:80'
    }

    It 'renders -Engine Mottainai with the data at the root and prints the no-value text' {
        Expand-LxdTemplate -Engine Mottainai -Template '{{ .name | upper }} {{ .nothing }}' -Data @{ name = 'web' } |
            Should -Be 'WEB <no value>'
    }

    It 'reports Go template errors with the file position' {
        $file = Join-Path $TestDrive 'bad.tmpl'
        Set-Content -Path $file -Value "line`n{{ if }}" -NoNewline
        Expand-LxdTemplate -Engine Helm -Path $file -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TemplateParseError*'
        $err[0].Exception.Message | Should -BeLike "${file}:2:*missing value for if*"
    }
}

Describe 'The lxd-compose galaxy' {
    It 'loads with its own config and default values: 24 projects, 41 groups, 42 nodes' {
        if (-not (Test-Path (Join-Path $Galaxy '.lxd-compose'))) {
            Set-ItResult -Skipped -Because '../shared/corpus/lxd-compose-galaxy is absent next to the repository'
            return
        }
        $config = Join-Path $Galaxy '.lxd-compose'
        $projects = @(Get-LxdProject -ConfigPath $config -ErrorAction Stop -WarningAction SilentlyContinue)
        $projects | Should -HaveCount 24
        @($projects | Get-LxdGroup -WarningAction SilentlyContinue) | Should -HaveCount 41
        @(Get-LxdNode -ConfigPath $config -WarningAction SilentlyContinue) | Should -HaveCount 42
        @(Get-LxdCommand -ConfigPath $config -WarningAction SilentlyContinue) | Should -HaveCount 23
    }
}
