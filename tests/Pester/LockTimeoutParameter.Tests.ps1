# -LockTimeout's values, refused before anything runs: no lab (the lock itself is tested in DeployLock.Tests.ps1).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

Describe '-LockTimeout' {
    It 'refuses <_>' -ForEach '-1', 'soon' {
        { Invoke-LxdApply -Project any -LockTimeout $_ } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,*'
    }
}
