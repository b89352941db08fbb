BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'ConvertTo-LxdScribanTemplate' {
    It 'converts -Template text and returns Source, Text, Warnings and HelperFunctions' {
        $result = ConvertTo-LxdScribanTemplate -Template 'x: {{ .Values.a | default "b" }}'
        $result.pstypenames[0] | Should -Be 'LxdCompose.ScribanConversion'
        $result.Source | Should -Be '<template>'
        $result.Text | Should -BeExactly 'x: {{ gosprig.default "b" values.a }}'
        @($result.Warnings) | Should -HaveCount 0
        $result.HelperFunctions | Should -Be @('gosprig.default')
    }

    It 'uses top-level variables with -Target ConfigTemplate' {
        (ConvertTo-LxdScribanTemplate -Template 'user {{ .nginx_user }};' -Target ConfigTemplate).Text |
            Should -BeExactly 'user {{ nginx_user }};'
    }

    It 'writes a warning with position and construct for each untranslated part' {
        $result = ConvertTo-LxdScribanTemplate -Template "a`n{{ .Chart.Name }}" -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -BeLike '<template>:2:4: root object: *'
        $result.Warnings[0].Line | Should -Be 2
        $result.Text | Should -BeLike '*UNTRANSLATED Go: .Chart.Name*'
    }

    It 'warns with file:line:column about each function the Go engine does not have' {
        $file = Join-Path $TestDrive 'unknown.yml'
        Set-Content -Path $file -Value "a: {{ .Values.a | upper }}`nb: {{ frobnicate .Values.b }} {{ .Values.c | frobnicate }}" -NoNewline
        $result = ConvertTo-LxdScribanTemplate $file -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 2
        $warnings[0].Message | Should -BeLike "${file}:2:7: function: 'frobnicate' is not a function of lxd-compose's render (Helm) engine*"
        $warnings[1].Message | Should -BeLike "${file}:2:46: function: 'frobnicate'*"
        $result.Text | Should -BeLike '*gosprig.frobnicate values.b*'
    }

    It 'translates range $k, $v over a map into its keys and values in Go''s order' {
        $go = '{{ range $k, $v := .ports }}{{ $k }}={{ $v }};{{ end }}'
        $data = [ordered]@{ ports = [ordered]@{ zeta = 3; alpha = 1 } }
        $goOutput = Expand-LxdTemplate -Engine Mottainai -Template $go -Data $data
        $goOutput | Should -Be 'alpha=1;zeta=3;'
        $converted = ConvertTo-LxdScribanTemplate -Template $go -Target ConfigTemplate -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
        $converted | Expand-LxdTemplate -Engine Scriban -Data $data | Should -Be $goOutput
    }

    It 'converts files from -Path and from the pipeline' {
        $file = Join-Path $TestDrive 'env.yml'
        Set-Content -Path $file -Value '{{ if .Values.a }}yes{{ end }}' -NoNewline
        (ConvertTo-LxdScribanTemplate -Path $file).Text | Should -BeExactly '{{ if go.truth values.a }}yes{{ end }}'
        $piped = Get-Item $file | ConvertTo-LxdScribanTemplate
        $piped.Source | Should -Be $file
    }

    It 'writes -OutFile and honours -WhatIf' {
        $out = Join-Path $TestDrive 'out.sbn'
        ConvertTo-LxdScribanTemplate -Template '{{ .Values.a }}' -OutFile $out -WhatIf | Out-Null
        $out | Should -Not -Exist
        ConvertTo-LxdScribanTemplate -Template '{{ .Values.a }}' -OutFile $out | Out-Null
        Get-Content $out -Raw | Should -BeExactly '{{ values.a }}'
    }

    It 'reports invalid Go templates and missing files as errors with stable ids' {
        ConvertTo-LxdScribanTemplate -Template '{{ if }}' -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'LxdGoTemplateInvalid,*'
        $errors[0].Exception.Message | Should -BeLike '*<template>:1*'
        ConvertTo-LxdScribanTemplate -Path (Join-Path $TestDrive 'absent.yml') -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'LxdTemplateFileNotFound,*'
    }

    It 'formats as a table with source, lines, warnings and helpers' {
        $table = ConvertTo-LxdScribanTemplate -Template "{{ printf `"%d`" 1 }}`n" | Format-Table | Out-String
        $table | Should -Match 'Source\s+Lines\s+Warnings\s+HelperFunctions'
        $table | Should -Match '<template>\s+2\s+0\s+go\.printf'
    }
}
