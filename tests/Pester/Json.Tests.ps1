# Every cmdlet's output as JSON, the way the CI examples in docs/ci save it (ConvertTo-Json -EnumsAsStrings -Depth 5):
# no depth warning (nothing nested deeper than that), and statuses, kinds and actions as words, never numbers.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Parent = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-json-' + [guid]::NewGuid().ToString('n').Substring(0, 10))
    $null = New-Item -ItemType Directory -Path $Parent
    $project = (New-MzProject -Name shop -Path $Parent).FullName
    $common = @{ Profile = 'test'; Path = $project }

    # Each cmdlet's output, in the order a project lives through them.
    $script:Outputs = [ordered]@{}
    $Outputs['Build-MzProject'] = Build-MzProject -Path $project
    $Outputs['Initialize-MzDeploy'] = Initialize-MzDeploy @common -ClusterSize xsmall
    $Outputs['Invoke-MzApply'] = Invoke-MzApply @common
    $Outputs['Invoke-MzStage -DryRun'] = Invoke-MzStage @common -DeployId j1 -DryRun
    $Outputs['Invoke-MzStage'] = Invoke-MzStage @common -DeployId j1
    $Outputs['Wait-MzDeployment'] = Wait-MzDeployment @common -DeployId j1 -Timeout 120
    $Outputs['Get-MzDeployment'] = Get-MzDeployment @common -DeployId j1
    $Outputs['Publish-MzDeployment -DryRun'] = Publish-MzDeployment @common -DeployId j1 -DryRun
    $Outputs['Publish-MzDeployment'] = Publish-MzDeployment @common -DeployId j1 -Force
    $Outputs['Get-MzDeploymentHistory'] = Get-MzDeploymentHistory @common
    $null = Invoke-MzStage @common -DeployId j2 -RedeployAll
    $Outputs['Compare-MzDeployment -DryRun'] = Compare-MzDeployment @common -DeployId j2 -DryRun
    $Outputs['Compare-MzDeployment'] = Compare-MzDeployment @common -DeployId j2
    $Outputs['Remove-MzDeployment'] = Remove-MzDeployment @common -DeployId j2 -Confirm:$false -PassThru
    # The rollback window: a promote that keeps the previous version, the undo (plan and run), the explicit drop.
    $null = Invoke-MzStage @common -DeployId j3 -RedeployAll
    $Outputs['Publish-MzDeployment -KeepPrevious'] = Publish-MzDeployment @common -DeployId j3 -Force -KeepPrevious 600 -WarningAction SilentlyContinue
    $Outputs['Undo-MzDeployment -DryRun'] = Undo-MzDeployment @common -DeployId j3 -DryRun
    $Outputs['Undo-MzDeployment'] = Undo-MzDeployment @common -DeployId j3 -Force
    $null = Invoke-MzStage @common -DeployId j4 -RedeployAll
    $null = Publish-MzDeployment @common -DeployId j4 -Force -KeepPrevious 600 -WarningAction SilentlyContinue
    $Outputs['Remove-MzDeployment -Previous'] = Remove-MzDeployment @common -Previous -DeployId j4 -Confirm:$false -PassThru

    # Property names whose values are enums in .NET: with -EnumsAsStrings they must read as words.
    $script:EnumNames = 'Status', 'Kind', 'Action', 'Type', 'Severity'
    # Every (path, value) of a parsed JSON document whose property name is one of $EnumNames.
    function Get-EnumValues($Node, [string] $Path = '$') {
        if ($Node -is [System.Collections.IDictionary]) {
            foreach ($key in $Node.Keys) {
                if ($key -in $EnumNames) { [pscustomobject]@{ Path = "$Path.$key"; Value = $Node[$key] } }
                Get-EnumValues $Node[$key] "$Path.$key"
            }
        }
        elseif ($Node -is [System.Collections.IList]) {
            for ($i = 0; $i -lt $Node.Count; $i++) { Get-EnumValues $Node[$i] "$Path[$i]" }
        }
    }
}

AfterAll {
    Stop-TestEmulator $Emulator
    Remove-Item $Parent -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'ConvertTo-Json -EnumsAsStrings -Depth 5' {
    It '<_> converts without a warning, statuses and kinds as words' -ForEach @(
        'Build-MzProject', 'Initialize-MzDeploy', 'Invoke-MzApply', 'Invoke-MzStage -DryRun', 'Invoke-MzStage', 'Wait-MzDeployment',
        'Get-MzDeployment', 'Publish-MzDeployment -DryRun', 'Publish-MzDeployment', 'Get-MzDeploymentHistory', 'Remove-MzDeployment',
        'Compare-MzDeployment -DryRun', 'Compare-MzDeployment',
        'Publish-MzDeployment -KeepPrevious', 'Undo-MzDeployment -DryRun', 'Undo-MzDeployment', 'Remove-MzDeployment -Previous'
    ) {
        $output = $Outputs[$_]
        $output | Should -Not -BeNullOrEmpty

        $warnings = $null
        $json = $output | ConvertTo-Json -EnumsAsStrings -Depth 5 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty -Because 'nothing is nested deeper than the examples'' -Depth 5'

        $values = @(Get-EnumValues ($json | ConvertFrom-Json -AsHashtable))
        foreach ($value in $values) {
            foreach ($item in @($value.Value)) {
                if ($null -ne $item) { $item | Should -BeOfType [string] -Because "$($value.Path) is a word" }
            }
        }
    }

    It 'the rollback window''s outputs are the documented types, with what they kept, swapped back and dropped' {
        $Outputs['Publish-MzDeployment -KeepPrevious'].KeptPreviousVersion | Should -Not -BeNullOrEmpty
        $Outputs['Undo-MzDeployment -DryRun'].psobject.TypeNames[0] | Should -Be 'MzDeploy.MzRollback'
        $Outputs['Undo-MzDeployment'].RecordedAs | Should -Be 'j3-undo'
        $removal = $Outputs['Remove-MzDeployment -Previous']
        $removal.psobject.TypeNames[0] | Should -Be 'MzDeploy.MzPreviousVersionRemoval'
        $removal.DroppedResources | Should -Not -BeNullOrEmpty
        ($removal | ConvertTo-Json -EnumsAsStrings -Depth 5 | ConvertFrom-Json).DeployId | Should -Be 'j4'
    }

    It 'the enum properties are there to check (the walk finds them)' {
        $json = $Outputs['Wait-MzDeployment'] | ConvertTo-Json -EnumsAsStrings -Depth 5
        (Get-EnumValues ($json | ConvertFrom-Json -AsHashtable)).Value | Should -Contain 'Ready'
        $json = $Outputs['Build-MzProject'] | ConvertTo-Json -EnumsAsStrings -Depth 5
        (Get-EnumValues ($json | ConvertFrom-Json -AsHashtable)).Value | Should -Contain 'MaterializedView'
    }
}
