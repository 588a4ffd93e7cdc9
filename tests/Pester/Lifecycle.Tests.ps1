# A project made by New-MzProject goes from an empty Materialize to promoted with MzDeploy's cmdlets alone:
# Initialize-MzDeploy, Invoke-MzApply, Invoke-MzStage, Wait-MzDeployment, Publish-MzDeployment. No SQL by
# hand: before Invoke-MzApply existed the first stage failed on the missing cluster, then on the missing table.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Parent = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-lifecycle-' + [guid]::NewGuid().ToString('n').Substring(0, 10))
    $null = New-Item -ItemType Directory -Path $Parent
}

AfterAll {
    Stop-TestEmulator $Emulator
    Remove-Item $Parent -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'From nothing to promoted' {
    It 'a dry run of the first stage, before Invoke-MzApply, names everything production lacks in one error with the way out' {
        $project = (New-MzProject -Name early -Path $Parent).FullName
        $common = @{ Profile = 'test'; Path = $project }
        $null = Initialize-MzDeploy @common -ClusterSize xsmall
        $before = @(Invoke-TestSql $Emulator "SELECT count(*) FROM mz_clusters WHERE name LIKE 'orders%'")[0]

        $plan = $null
        $caught = $null
        try { $plan = Invoke-MzStage @common -DryRun -ErrorVariable written -ErrorAction SilentlyContinue }
        catch { $caught = $_ }

        $plan | Should -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'PrerequisitesMissing,*'
        $caught.Exception.Message | Should -Be ('production lacks 2 things this deployment needs: cluster orders (clusters/orders.sql); ' +
            'table materialize.sales.orders (models/materialize/sales/orders.sql)')
        $caught.ErrorDetails.RecommendedAction | Should -Match '^Run Invoke-MzApply to create cluster orders, table materialize\.sales\.orders'
        # One error for everything, not one per missing object.
        @($written | ForEach-Object { "$_" } | Select-Object -Unique).Count | Should -BeLessOrEqual 1
        @(Invoke-TestSql $Emulator "SELECT count(*) FROM mz_clusters WHERE name LIKE 'orders%'")[0] | Should -Be $before
    }

    It 'uses Initialize-MzDeploy, Invoke-MzApply, Invoke-MzStage, Wait-MzDeployment and Publish-MzDeployment only' {
        $project = (New-MzProject -Name shop -Path $Parent).FullName
        $common = @{ Profile = 'test'; Path = $project }

        $null = Initialize-MzDeploy @common -ClusterSize xsmall
        $applied = Invoke-MzApply @common
        $deployment = Invoke-MzStage @common
        $ready = Wait-MzDeployment -DeployId $deployment.DeployId @common -Timeout 120
        $promotion = Publish-MzDeployment -DeployId $deployment.DeployId @common -Force

        $applied | Where-Object Action -EQ Created | ForEach-Object { "$($_.Type) $($_.Name)" } | Should -Contain 'Cluster orders'
        $applied | Where-Object Action -EQ Created | ForEach-Object { "$($_.Type) $($_.Name)" } | Should -Contain 'Table materialize.sales.orders'
        $applied.Action | Should -Not -Contain 'Refused'
        $ready | Should -Not -BeNullOrEmpty
        $promotion.DeployId | Should -Be $deployment.DeployId
        @(Invoke-TestSql $Emulator "SELECT count(*) FROM mz_materialized_views v JOIN mz_schemas s ON s.id = v.schema_id WHERE s.name = 'monitoring'")[0] |
            Should -BeGreaterThan 0
        (Get-MzDeploymentHistory @common).DeployId | Should -Contain $deployment.DeployId
        # And a second apply finds everything the first created as it is.
        (Invoke-MzApply @common | Where-Object Action -NE Unmanaged).Action | Sort-Object -Unique | Should -Be 'Unchanged'
    }
}
