@{
    # The module version lives here only: Directory.Build.props reads it for the assemblies.
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0d6a2e-8f3c-4d1e-9a57-2c41f0e7b8d3'
    Author               = 'LxdCompose developers'
    CompanyName          = 'LxdCompose'
    Copyright            = '(c) LxdCompose developers. MIT License.'
    Description          = 'Deliver services as LXD containers from lxd-compose YAML specifications, with PowerShell objects.'
    RootModule           = 'bin/LxdCompose.PowerShell.dll'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('bin/LxdCompose.format.ps1xml')
    TypesToProcess       = @('bin/LxdCompose.types.ps1xml')
    CmdletsToExport      = @(
        'Get-LxdProject'
        'Get-LxdGroup'
        'Get-LxdNode'
        'Get-LxdCommand'
        'Test-LxdEnvironment'
        'Set-LxdRenderValue'
        'Get-LxdRenderValue'
        'Clear-LxdRenderValue'
        'Invoke-LxdCompile'
        'Expand-LxdTemplate'
        'ConvertTo-LxdScribanTemplate'
        'Get-LxdRemote'
        'Add-LxdRemote'
        'Remove-LxdRemote'
        'Test-LxdRemote'
        'Invoke-LxdApply'
        'Get-LxdApplyPlan'
        'Stop-LxdGroup'
        'Remove-LxdGroup'
        'Invoke-LxdCommand'
        'Save-LxdImage'
        'Unlock-LxdProject'
        'New-LxdEncryptionKey'
        'Protect-LxdVariable'
        'Unprotect-LxdVariable'
        'Invoke-LxdExec'
        'Copy-LxdFile'
        'Get-LxdInstance'
        'Sync-LxdNode'
        'New-LxdNode'
        'Get-LxdProfile'
        'Get-LxdNetwork'
        'Get-LxdStoragePool'
        'Get-LxdNetworkAcl'
        'Get-LxdCertificate'
        'Publish-LxdProfile'
        'Publish-LxdNetwork'
        'Publish-LxdStoragePool'
        'Publish-LxdNetworkAcl'
        'Publish-LxdCertificate'
        'Remove-LxdImage'
        'Backup-LxdGroup'
        'Restore-LxdNode'
        'Export-LxdEnvironment'
        'Import-LxdEnvironment'
        'Get-LxdVariable'
        'Get-LxdComposeConfig'
        'Invoke-LxdCompose'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @('lxd-compose')
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            # No LicenseUri/ProjectUri: the project has no public address yet, and a placeholder would be a dead link.
            Tags = @('LXD', 'Incus', 'lxd-compose', 'containers', 'deployment', 'PSEdition_Core', 'Linux', 'Windows')
        }
    }
}
