@{
    RootModule           = 'MzDeploy.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6d3c2f1e-8a4b-4e6f-9c1d-2b7a5e0f4c93'
    Author               = 'MzDeploy'
    CompanyName          = 'MzDeploy'
    Copyright            = '(c) MzDeploy. All rights reserved.'
    Description          = 'Zero-downtime blue/green deployments of a git repository of Materialize SQL files.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('MzDeploy.Format.ps1xml')
    TypesToProcess       = @('MzDeploy.Types.ps1xml')
    CmdletsToExport      = @(
        'Build-MzProject'
        'Get-MzDeployment'
        'Get-MzDeploymentHistory'
        'Initialize-MzDeploy'
        'Invoke-MzStage'
        'New-MzProject'
        'Publish-MzDeployment'
        'Remove-MzDeployment'
        'Wait-MzDeployment'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Materialize', 'Deployment', 'BlueGreen', 'SQL', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri = 'https://example.invalid/mzdeploy'
        }
    }
}
