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
        'Invoke-MzApply'
        'Invoke-MzStage'
        'New-MzProject'
        'Publish-MzDeployment'
        'Remove-MzDeployment'
        'Remove-MzObject'
        'Wait-MzDeployment'
        'Undo-MzDeployment'
        # Dev overlays (issue 15)
        'New-MzDevOverlay'
        'Remove-MzDevOverlay'
        # Result differences before promote (issue 17)
        'Compare-MzDeployment'
        # The local loop (issue 14): unit tests and the private sandbox they run in
        'Test-MzProject'
        'Get-MzSandbox'
        'Stop-MzSandbox'
        'Update-MzTypeLock'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Materialize', 'Deployment', 'BlueGreen', 'SQL', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri   = 'https://example.invalid/mzdeploy'
            LicenseUri   = 'https://example.invalid/mzdeploy/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0
- Blue/green deployments of a git repository of Materialize SQL: Build-MzProject, Initialize-MzDeploy,
  Invoke-MzStage, Wait-MzDeployment, Publish-MzDeployment, Remove-MzDeployment, Get-MzDeployment,
  Get-MzDeploymentHistory, New-MzProject.
- A promote changes only what its plan names: objects the project does not own are refused, or dropped
  and recorded with -DropUnmanagedObjects.
- The local Materialize emulator ships inside the module (emulator/).
'@
        }
    }
}
