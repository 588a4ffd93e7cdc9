# The hot rollback window, end to end against an emulator of its own: Publish-MzDeployment -KeepPrevious keeps the
# previous version under the staging names, Undo-MzDeployment swaps it back (sinks included) and drops the rolled-back
# version, refuses after the window or after a later promote, finishes after a crash; expired copies go with the next
# deployer command or with Remove-MzDeployment -Previous. Every promote is checked by the promote invariant, every undo
# by a catalog snapshot: nothing outside its plan changes.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Emulator = Start-TestEmulator
    $null = Initialize-MzDeploy -Profile test -Path ([System.IO.Path]::GetTempPath()) -ClusterSize xsmall
    Enable-PromoteInvariant -Emulator $Emulator
    Invoke-TestSql $Emulator "CREATE CLUSTER sinks (SIZE = '25cc')"
    Invoke-TestSql $Emulator 'CREATE SCHEMA materialize.conns'
    Invoke-TestSql $Emulator "CREATE CONNECTION materialize.conns.kafka TO KAFKA (BROKER 'broker:9092')"
    Invoke-TestSql $Emulator 'CREATE SCHEMA materialize.exports'

    $script:Parent = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-rollback-' + [guid]::NewGuid().ToString('n').Substring(0, 10))
    $null = New-Item -ItemType Directory -Path $Parent
    $script:Project = (New-MzProject -Name shop -Path $Parent).FullName
    Initialize-MzExampleProduction -Path $Project -Profile test
    $script:Stalled = Join-Path $Project 'models/materialize/monitoring/stalled_orders.sql'
    $script:Common = @{ Profile = 'test'; Path = $Project }
    $toml = Join-Path $Project 'project.toml'
    (Get-Content $toml -Raw).Replace('dependencies = []', 'dependencies = ["materialize.conns.kafka"]') | Set-Content -Path $toml -NoNewline

    function Get-Count([string] $Where) { [int]@(Invoke-TestSql $Emulator "SELECT count(*) FROM $Where")[0] }
    function Get-Leftovers([string] $Id) {
        [string[]] $rows = @(Invoke-TestSql $Emulator ("SELECT 'schema ' || d.name || '.' || s.name FROM mz_schemas s JOIN mz_databases d ON d.id = s.database_id " +
                "WHERE s.name LIKE '%\_$Id' OR s.name LIKE 'deploy\_$Id\_%' OR s.name LIKE 'undo\_$Id\_%' " +
                "UNION ALL SELECT 'cluster ' || name FROM mz_clusters WHERE name LIKE '%\_$Id'"))
        [Array]::Sort($rows, [StringComparer]::Ordinal)
        $rows
    }
    function Get-StalledDefinition([string] $Schema = 'monitoring') {
        (Invoke-TestSql $Emulator ("SELECT definition FROM mz_materialized_views v JOIN mz_schemas s ON s.id = v.schema_id " +
                "WHERE s.name = '$Schema' AND v.name = 'stalled_orders'")) -join ' '
    }
    function Get-StalledId {
        (Invoke-TestSql $Emulator ("SELECT v.id FROM mz_materialized_views v JOIN mz_schemas s ON s.id = v.schema_id " +
                "WHERE s.name = 'monitoring' AND v.name = 'stalled_orders'")) -join ''
    }
    function Set-Stall([string] $Interval) {
        $text = Get-Content $Stalled -Raw
        ($text -replace "INTERVAL '[^']+'", "INTERVAL '$Interval'") | Set-Content -Path $Stalled -NoNewline
        Save-MzGitCommit -Path $Project -Message "stall after $Interval"
    }
    # Stages a new stall interval as $Id and promotes it keeping the previous version for $Seconds.
    function Publish-Kept([string] $Id, [string] $Interval, [int] $Seconds = 3600) {
        Set-Stall $Interval
        $null = Invoke-MzStage @Common -DeployId $Id
        Publish-MzDeployment @Common -Force -DeployId $Id -KeepPrevious $Seconds -WarningVariable warnings -WarningAction SilentlyContinue
        $script:KeepWarnings = @($warnings | ForEach-Object { "$_" })
    }
    # Runs Undo-MzDeployment -Force; returns its output, errors and warnings (errors never stop the test).
    function Invoke-Undo([string] $Id) {
        $errors = @(); $output = $null
        try {
            $output = Undo-MzDeployment @Common -Force -DeployId $Id -ErrorVariable +errors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
        }
        catch { $errors = @($_) }
        [pscustomobject]@{ Output = $output; Errors = @($errors); Warnings = @($warnings | ForEach-Object { "$_" }) }
    }
    # A first version in production, recorded by a promote: what the kept copies below hold.
    Set-Stall '6 hours'
    $null = Invoke-MzStage @Common -DeployId base
    $null = Publish-MzDeployment @Common -Force -DeployId base

    # Undoes $Id and fails the test when anything outside the undo's plan changed in the catalog.
    function Undo-Checked([string] $Id) {
        $plan = Undo-MzDeployment @Common -DeployId $Id -DryRun
        $before = Get-CatalogSnapshot -Port $Emulator.Port
        $result = Invoke-Undo $Id
        $after = Get-CatalogSnapshot -Port $Emulator.Port
        $scope = Get-PlannedScope -Plans @([pscustomobject]@{
                    Schemas = $plan.SwappedSchemas; Clusters = $plan.SwappedClusters; DroppedResources = $plan.DroppedResources
                    Sinks = @(); RepointedSinks = $plan.RepointedSinks; ReplacedMaterializedViews = @(); DroppedUnmanagedObjects = @()
                })
        Find-UnplannedChanges -Before $before -After $after -Scope $scope | Should -BeNullOrEmpty
        $result
    }
}

AfterAll {
    $violations = Get-PromoteInvariantViolations
    Disable-PromoteInvariant
    Stop-TestEmulator $Emulator
    Remove-Item $Parent -Recurse -Force -ErrorAction SilentlyContinue
    $violations | Should -BeNullOrEmpty
}

Describe 'Keeping the previous version and undoing' {
    It '-KeepPrevious keeps the previous version under the staging names, records it, and says so and what it costs' {
        $oldId = Get-StalledId
        $oldId | Should -Not -BeNullOrEmpty
        $promotion = Publish-Kept k1 '7 hours'

        $promotion.KeptPreviousVersion | Sort-Object | Should -Be @('cluster orders_k1', 'schema materialize.monitoring_k1')
        $promotion.DroppedResources | Should -BeNullOrEmpty
        $promotion.KeptUntil | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(50))
        ($KeepWarnings -join "`n") | Should -Match "Kept the previous version of deployment 'k1'.*costing cluster time"
        Get-StalledDefinition | Should -Match '07:00:00|7 hours'
        Get-StalledDefinition 'monitoring_k1' | Should -Not -Match '07:00:00|7 hours'
        (Invoke-TestSql $Emulator ("SELECT v.id FROM mz_materialized_views v JOIN mz_schemas s ON s.id = v.schema_id " +
                "WHERE s.name = 'monitoring_k1' AND v.name = 'stalled_orders'")) -join '' | Should -Be $oldId
        Get-Count "_mz_deploy.tables.kept_versions WHERE deploy_id = 'k1'" | Should -Be 2
    }

    It 'Undo-MzDeployment swaps the previous version back, drops the rolled-back one and records the rollback; nothing else changes' {
        $plan = Undo-MzDeployment @Common -DeployId k1 -DryRun
        $plan.DryRun | Should -BeTrue
        ($plan.Statements -join "`n") | Should -Match 'ALTER SCHEMA _mz_deploy.undo_k1_pending RENAME TO undo_k1_swapped'
        Get-StalledDefinition | Should -Match '07:00:00|7 hours'

        $undo = Undo-Checked k1

        $undo.Errors | Should -BeNullOrEmpty
        $undo.Output.RecordedAs | Should -Be 'k1-undo'
        $undo.Output.DroppedResources | Sort-Object | Should -Be @('cluster orders_k1', 'schema materialize.monitoring_k1')
        Get-StalledDefinition | Should -Match '06:00:00|6 hours'
        Get-Leftovers 'k1' | Should -BeNullOrEmpty
        Get-Count "_mz_deploy.tables.kept_versions" | Should -Be 0
        (Get-MzDeploymentHistory @Common -First 1).DeployId | Should -Be 'k1-undo'
        { Undo-MzDeployment @Common -Force -DeployId k1 -ErrorAction Stop } | Should -Throw -ErrorId 'NoPreviousVersion,*'
    }

    It 'moves a sink outside the deployment back onto the old objects' {
        Invoke-TestSql $Emulator ("CREATE SINK materialize.exports.stalled_out IN CLUSTER sinks FROM materialize.monitoring.stalled_orders " +
            "INTO KAFKA CONNECTION materialize.conns.kafka (TOPIC 'stalled') FORMAT JSON ENVELOPE DEBEZIUM")
        $oldId = Get-StalledId
        $promotion = Publish-Kept k2 '8 hours'
        $promotion.RepointedSinks | Should -Be @('materialize.exports.stalled_out -> materialize.monitoring.stalled_orders')

        $undo = Undo-Checked k2

        $undo.Errors | Should -BeNullOrEmpty
        $undo.Output.RepointedSinks | Should -Be @('materialize.exports.stalled_out -> materialize.monitoring.stalled_orders')
        Get-StalledId | Should -Be $oldId
        $reads = @(Invoke-TestSql $Emulator ("SELECT o.id FROM mz_sinks k JOIN mz_internal.mz_object_dependencies d ON d.object_id = k.id " +
                "JOIN mz_objects o ON o.id = d.referenced_object_id WHERE k.name = 'stalled_out' AND o.type <> 'connection'"))
        $reads | Should -Be @($oldId)
        Invoke-TestSql $Emulator 'DROP SINK materialize.exports.stalled_out'
    }
}

Describe 'Refusals' {
    It 'refuses an undo once the window ended; the next deployer command drops the kept copies' {
        $null = Publish-Kept k3 '9 hours' -Seconds 1
        Start-Sleep -Seconds 2

        $undo = Invoke-Undo k3

        $undo.Errors[0].FullyQualifiedErrorId | Should -BeLike 'RollbackWindowExpired,*'
        $undo.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'Remove-MzDeployment -Previous -DeployId k3'
        Get-StalledDefinition | Should -Match '09:00:00|9 hours'
        Get-Leftovers 'k3' | Should -Be @('cluster orders_k3', 'schema materialize.monitoring_k3')

        Set-Stall '13 hours'
        $plan = Invoke-MzStage @Common -DeployId k3next -DryRun -WarningVariable stageWarnings -WarningAction SilentlyContinue
        $plan | Should -Not -BeNullOrEmpty
        ($stageWarnings -join "`n") | Should -Match "rollback window of deployment 'k3' ended"
        Get-Leftovers 'k3' | Should -BeNullOrEmpty
        Get-Count "_mz_deploy.tables.kept_versions WHERE deploy_id = 'k3'" | Should -Be 0
    }

    It 'refuses an undo after a later promote of the same schemas; Remove-MzDeployment -Previous drops the kept copies at once' {
        $null = Publish-Kept k4 '10 hours'
        Set-Stall '11 hours'
        $null = Invoke-MzStage @Common -DeployId k5
        $null = Publish-MzDeployment @Common -Force -DeployId k5

        $undo = Invoke-Undo k4

        $undo.Errors[0].FullyQualifiedErrorId | Should -BeLike 'RollbackSuperseded,*'
        $undo.Errors[0].Exception.Message | Should -Match 'a later promote changed'
        Get-StalledDefinition | Should -Match '11:00:00|11 hours'
        Get-Leftovers 'k4' | Should -Be @('cluster orders_k4', 'schema materialize.monitoring_k4')

        $before = Get-CatalogSnapshot -Port $Emulator.Port
        $removed = Remove-MzDeployment @Common -Previous -DeployId k4 -Confirm:$false -PassThru
        $after = Get-CatalogSnapshot -Port $Emulator.Port

        $removed.DeployId | Should -Be 'k4'
        $removed.DroppedResources | Sort-Object | Should -Be @('cluster orders_k4', 'schema materialize.monitoring_k4')
        $removed.KeptUntil | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(50))

        Get-Leftovers 'k4' | Should -BeNullOrEmpty
        Get-Count "_mz_deploy.tables.kept_versions WHERE deploy_id = 'k4'" | Should -Be 0
        $scope = Get-PlannedScope -Plans @([pscustomobject]@{ Schemas = @(); Clusters = @(); DroppedResources = @('schema materialize.monitoring_k4', 'cluster orders_k4') })
        Find-UnplannedChanges -Before $before -After $after -Scope $scope | Should -BeNullOrEmpty
        { Remove-MzDeployment @Common -Previous -DeployId k4 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NoPreviousVersion,*'
    }
}

Describe 'Crashes' {
    AfterEach { Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_faults()' }

    It 'a crash after the swap back leaves the previous version live; running again finishes the undo' {
        $oldId = Get-StalledId
        $null = Publish-Kept k6 '12 hours'
        Invoke-TestSql $Emulator "SELECT mz_emulator.inject_fault('DROP CLUSTER IF EXISTS orders_k6 CASCADE', 1, 'close')"

        $first = Invoke-Undo k6

        $first.Errors[0].FullyQualifiedErrorId | Should -BeLike 'UndoIncomplete,*'
        $first.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'Undo-MzDeployment -DeployId k6 again'
        Get-StalledId | Should -Be $oldId
        Get-Leftovers 'k6' | Should -Contain 'schema _mz_deploy.undo_k6_swapped'
        (Undo-MzDeployment @Common -DeployId k6 -DryRun).Resumed | Should -BeTrue

        $again = Invoke-Undo k6

        $again.Errors | Should -BeNullOrEmpty
        $again.Output.Resumed | Should -BeTrue
        $again.Warnings -join "`n" | Should -Match 'did not finish: finishing it'
        Get-Leftovers 'k6' | Should -BeNullOrEmpty
        Get-StalledId | Should -Be $oldId
        (Get-MzDeploymentHistory @Common -First 1).DeployId | Should -Be 'k6-undo'
        @(Invoke-TestSql $Emulator "SELECT deploy_id FROM _mz_deploy.public.production WHERE schema = 'monitoring'") | Should -Be @('k6-undo')
    }
}

Describe 'The window''s length' {
    It '-KeepPrevious 0 keeps nothing (the previous version is dropped as without it); a negative window is refused before anything runs' {
        { Publish-MzDeployment @Common -Force -DeployId nothing -KeepPrevious -1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,*'

        $promotion = Publish-Kept k7 '14 hours' -Seconds 0

        $promotion.KeptPreviousVersion | Should -BeNullOrEmpty
        $promotion.KeptUntil | Should -BeNullOrEmpty
        $promotion.DroppedResources | Should -Not -BeNullOrEmpty
        $KeepWarnings | Should -BeNullOrEmpty
        Get-Count "_mz_deploy.tables.kept_versions WHERE deploy_id = 'k7'" | Should -Be 0
        Get-Leftovers 'k7' | Should -BeNullOrEmpty
    }
}
