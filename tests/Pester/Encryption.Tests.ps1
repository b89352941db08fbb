BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    # Cheap Argon2id options for specs written here; the cmdlets without a config use lxd-compose's defaults.
    $script:QuickDka = "  dka_opts: {time_iterations: 1, memory_usage: 1024, parallelism: 2, key_length: 16}`n"
    $script:Vectors = Join-Path $RepoRoot '../shared/vectors/encryption'

    function New-KeyedSpec([string] $Root, [string] $Key, [string] $EncContent) {
        New-Item -ItemType Directory -Force (Join-Path $Root 'envs') | Out-Null
        $security = if ($Key) { "security:`n  key: $Key`n$QuickDka" } else { "security:`n$QuickDka" }
        Set-Content (Join-Path $Root '.lxd-compose.yml') "env_dirs: [envs]`n$security"
        Set-Content (Join-Path $Root 'envs/env.yml') @"
projects:
  - name: p
    vars:
      - encrypted: true
        enc_content: $EncContent
"@
    }
}

Describe 'New-LxdEncryptionKey' {
    It 'makes random base64 keys of 64 bytes by default, or -Size bytes (at least 32)' {
        $key = New-LxdEncryptionKey
        [Convert]::FromBase64String($key).Length | Should -Be 64
        New-LxdEncryptionKey | Should -Not -Be $key
        [Convert]::FromBase64String((New-LxdEncryptionKey -Size 32)).Length | Should -Be 32
        { New-LxdEncryptionKey -Size 31 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        (New-LxdEncryptionKey -AsSecureString) | Should -BeOfType [securestring]
    }

    It 'writes the key to -Path readable by its owner only, and never over an existing file without -Force' {
        $path = Join-Path $TestDrive 'new.key'
        New-LxdEncryptionKey -Path $path -WhatIf
        Test-Path $path | Should -BeFalse
        New-LxdEncryptionKey -Path $path | Should -BeNullOrEmpty
        [Convert]::FromBase64String((Get-Content $path -Raw).Trim()).Length | Should -Be 64
        if (-not $IsWindows) { (Get-Item $path).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite') }
        $first = Get-Content $path -Raw
        { New-LxdEncryptionKey -Path $path } | Should -Throw -ErrorId 'LxdEncryptionKeyFileExists*'
        Get-Content $path -Raw | Should -Be $first
        New-LxdEncryptionKey -Path $path -Force
        Get-Content $path -Raw | Should -Not -Be $first
    }
}

Describe 'Protect-LxdVariable and Unprotect-LxdVariable' {
    BeforeAll {
        $script:Key = New-LxdEncryptionKey
        $script:SecureKey = ConvertTo-SecureString $Key -AsPlainText -Force
        $script:Plain = Join-Path $TestDrive 'vars.yml'
        Set-Content $Plain "envs:`n  db_password: s3cr3t`n" -NoNewline
        $script:Secrets = Join-Path $TestDrive 'secrets.yml'
        Set-Content $Secrets "database:`n  pwd: pass`n" -NoNewline
    }

    BeforeEach { Push-Location $TestDrive }
    AfterEach { Pop-Location }

    It 'encrypts a vars file into lxd-compose''s block (enc_content, then encrypted: true) and back' {
        $encrypted = Protect-LxdVariable -VarsFile $Plain -Key $SecureKey
        $encrypted | Should -Match '\Aenc_content: [A-Za-z0-9+/=]+\nencrypted: true\n\z'
        Set-Content (Join-Path $TestDrive 'vars-enc.yml') $encrypted -NoNewline
        Unprotect-LxdVariable 'vars-enc.yml' -Key $SecureKey | Should -BeExactly "envs:`n  db_password: s3cr3t`n"
    }

    It 'encrypts a secrets file into bare base64 and back' {
        $encrypted = Protect-LxdVariable -SecretsFile $Secrets -Key $SecureKey
        $encrypted | Should -Match '\A[A-Za-z0-9+/]+=*\z'
        Set-Content (Join-Path $TestDrive 'secrets.enc') $encrypted
        Unprotect-LxdVariable -SecretsFile 'secrets.enc' -Key $SecureKey | Should -BeExactly "database:`n  pwd: pass`n"
    }

    It 'writes -Destination (the plain text readable by its owner only), and nothing with -WhatIf' {
        $out = Join-Path $TestDrive 'dest-enc.yml'
        Protect-LxdVariable -VarsFile $Plain -Key $SecureKey -Destination $out -WhatIf
        Test-Path $out | Should -BeFalse
        Protect-LxdVariable -VarsFile $Plain -Key $SecureKey -Destination $out | Should -BeNullOrEmpty
        $back = Join-Path $TestDrive 'dest-plain.yml'
        Unprotect-LxdVariable -VarsFile $out -Key $SecureKey -Destination $back
        Get-Content $back -Raw | Should -BeExactly "envs:`n  db_password: s3cr3t`n"
        if (-not $IsWindows) { (Get-Item $back).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite') }
    }

    It 'takes the key and dka_opts from the config, or -KeyFile' {
        $root = Join-Path $TestDrive 'configured'
        New-KeyedSpec $root $Key 'unused'
        $keyFile = Join-Path $TestDrive 'k.txt'
        Set-Content $keyFile $Key
        Push-Location $root
        try {
            $encrypted = Protect-LxdVariable -SecretsFile $Secrets
            Set-Content 'secrets.enc' $encrypted
            Unprotect-LxdVariable -SecretsFile 'secrets.enc' | Should -BeExactly "database:`n  pwd: pass`n"
            # The config's quick dka_opts were used: lxd-compose's defaults do not decrypt it.
            Pop-Location
            { Unprotect-LxdVariable -SecretsFile (Join-Path $root 'secrets.enc') -KeyFile $keyFile } |
                Should -Throw -ErrorId 'DecryptionFailed*'
            Push-Location $root
            Unprotect-LxdVariable -SecretsFile 'secrets.enc' -KeyFile $keyFile | Should -BeExactly "database:`n  pwd: pass`n"
        }
        finally { Pop-Location }
    }

    It 'reports a wrong key, a missing key and a plain file as errors with ids and the security category' {
        $encrypted = Join-Path $TestDrive 'wrong.enc'
        Set-Content $encrypted (Protect-LxdVariable -SecretsFile $Secrets -Key $SecureKey)
        $other = ConvertTo-SecureString (New-LxdEncryptionKey) -AsPlainText -Force
        $e = { Unprotect-LxdVariable -SecretsFile $encrypted -Key $other } | Should -Throw -ErrorId 'DecryptionFailed*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'SecurityError'
        $e.Exception.Message | Should -Match 'cipher: message authentication failed'
        { Unprotect-LxdVariable -VarsFile $Plain -Key $SecureKey } | Should -Throw -ErrorId 'DecryptionFailed*'
        $empty = Join-Path $TestDrive 'nokey'
        New-KeyedSpec $empty '' 'unused'
        Push-Location $empty
        try {
            $missing = { Protect-LxdVariable -VarsFile $Plain } | Should -Throw -ErrorId 'EncryptionKeyMissing*' -PassThru
            $missing.Exception.Message | Should -Match '-KeyFile'
        }
        finally { Pop-Location }
    }

    It 'decrypts the files lxd-compose encrypted' {
        if (-not (Test-Path $Vectors)) {
            Set-ItResult -Skipped -Because '../shared/vectors/encryption is absent next to the repository'
            return
        }
        $keyFile = Join-Path $Vectors 'key.txt'
        Unprotect-LxdVariable -VarsFile (Join-Path $Vectors 'vars-enc.yml') -KeyFile $keyFile |
            Should -BeExactly (Get-Content (Join-Path $Vectors 'vars-plain.yml') -Raw)
        Unprotect-LxdVariable -SecretsFile (Join-Path $Vectors 'secrets-enc.txt') -KeyFile $keyFile |
            Should -BeExactly (Get-Content (Join-Path $Vectors 'secrets-plain.yml') -Raw)
    }
}

Describe 'Spec cmdlets with encrypted vars' {
    BeforeAll {
        $script:Root = Join-Path $TestDrive 'spec'
        $script:Key = New-LxdEncryptionKey
        $plain = Join-Path $TestDrive 'plain.yml'
        Set-Content $plain "envs:`n  db_password: s3cr3t`n"
        New-KeyedSpec $Root $Key 'placeholder'
        Push-Location $Root
        try { $block = Protect-LxdVariable -VarsFile $plain } finally { Pop-Location }
        $script:EncContent = ($block -split "`n")[0].Substring('enc_content: '.Length)
        # The config keeps dka_opts but no key: the key comes from -Key or -KeyFile.
        New-KeyedSpec $Root '' $EncContent
        $script:KeyFile = Join-Path $TestDrive 'spec.key'
        Set-Content $KeyFile $Key
    }

    BeforeEach { Push-Location $Root }
    AfterEach { Pop-Location }

    It 'decrypt with -Key or -KeyFile' {
        $secure = ConvertTo-SecureString $Key -AsPlainText -Force
        (Get-LxdProject -Key $secure -ShowSecret).Vars[0].Envs['db_password'] | Should -Be 's3cr3t'
        (Get-LxdProject -KeyFile $KeyFile -ShowSecret).Vars[0].Envs['db_password'] | Should -Be 's3cr3t'
    }

    It 'report a missing key as an error naming the block, never a project without its variables' {
        $ErrorActionPreference = 'Continue'
        $projects = @(Get-LxdProject -ErrorVariable errors -ErrorAction SilentlyContinue)
        $projects | Should -BeNullOrEmpty
        $missing = @($errors | Where-Object { $_.FullyQualifiedErrorId -like 'EncryptionKeyMissing*' })
        $missing.Count | Should -Be 1
        $missing[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $missing[0].Exception.Message | Should -Match ([regex]::Escape((Join-Path $Root 'envs/env.yml')) + ':4:9')
    }
}

Describe 'Encrypted -VarsFile files' {
    It 'give their variables to Invoke-LxdCompile with -Key, and are an error without a key' {
        $root = Join-Path $TestDrive 'compile'
        Copy-Item -Path (Join-Path $Fixtures 'scriban') -Destination $root -Recurse
        $config = Join-Path $root '.lxd-compose.yml'
        $plain = Join-Path $TestDrive 'extra.yml'
        Set-Content $plain "envs:`n  greeting: from-encrypted-file"
        $key = New-LxdEncryptionKey -AsSecureString
        $encrypted = Join-Path $root 'extra.enc.yml'
        Protect-LxdVariable -VarsFile $plain -Key $key -ConfigPath $config -Destination $encrypted

        Invoke-LxdCompile -ConfigPath $config -Project web -VarsFile $encrypted -Key $key -SourceFile templates/project | Out-Null

        Get-Content -Raw (Join-Path $root 'envs/out/project.txt') | Should -Be 'web says from-encrypted-file'
        { Invoke-LxdCompile -ConfigPath $config -Project web -VarsFile $encrypted -SourceFile templates/project } |
            Should -Throw -ErrorId 'EncryptionKeyMissing*'
    }
}
