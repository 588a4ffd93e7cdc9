# New-MzDevOverlay and Remove-MzDevOverlay end to end: the built module against an emulator started for this file.
# The order-monitoring example plus a report view is staged and promoted as production, with a few orders in it; then
# developers overlay changes on clusters of their own. Every test reads the catalog, the manifest or the emulator's
# statement log to see what really happened.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:NoCreate = 'pester_dev_nocreate_' + [guid]::NewGuid().ToString('n').Substring(0, 6)
    $env:MZ_PESTER_DEV_PASSWORD = 'Pester-Pw-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
    $script:Emulator = Start-TestEmulator -Profiles @{
        alice    = @{ username = 'materialize' }
        bob      = @{ username = 'materialize' }
        nocreate = @{ username = $NoCreate; password = '${MZ_PESTER_DEV_PASSWORD}' }
    }
    $script:Parent = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-dev-' + [guid]::NewGuid().ToString('n').Substring(0, 10))
    $null = New-Item -ItemType Directory -Path $Parent
    $script:Project = (New-MzProject -Name shop -Path $Parent).FullName
    $script:Report = Join-Path $Project 'models/materialize/reports/big_stalled.sql'
    $script:Stalled = Join-Path $Project 'models/materialize/monitoring/stalled_orders.sql'
    $null = New-Item -ItemType Directory -Path (Split-Path $Report)
    function Set-Report([int] $Threshold) {
        Set-Content -Path $Report -Value ("CREATE VIEW big_stalled AS SELECT s.id, s.customer, s.amount, o.status FROM materialize.monitoring.stalled_orders AS s " +
            "JOIN materialize.sales.orders AS o ON o.id = s.id WHERE s.amount > $Threshold;")
    }
    Set-Report 100
    Save-MzGitCommit -Path $Project -Message 'report'

    $common = @{ Profile = 'test'; Path = $Project }
    $null = Initialize-MzDeploy @common -ClusterSize xsmall
    $null = Invoke-MzApply @common
    $deployment = Invoke-MzStage @common -DeployId prod1
    $null = Wait-MzDeployment -DeployId $deployment.DeployId @common -Timeout 120
    $null = Publish-MzDeployment -DeployId $deployment.DeployId @common -Force
    # Stalled after 30 minutes unless shipped: 1, 2 and 4. Over 100: 2 and 4.
    Invoke-TestSql $Emulator ("INSERT INTO materialize.sales.orders VALUES (1, 'ann', 'placed', 50, now() - INTERVAL '2 hours'), " +
        "(2, 'bob', 'placed', 200, now() - INTERVAL '45 minutes'), (3, 'cid', 'shipped', 300, now() - INTERVAL '3 hours'), " +
        "(4, 'dan', 'packed', 700, now() - INTERVAL '5 hours')")
    Invoke-TestSql $Emulator "CREATE CLUSTER alice_dev (SIZE = '25cc')"
    Invoke-TestSql $Emulator "CREATE CLUSTER bob_dev (SIZE = '25cc')"

    function Get-Rows([string] $Sql) { @(Invoke-TestSql $Emulator $Sql) }
    function Clear-Log { $null = Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_statement_log()' }
    # Statements that change something, from the statement log since it was last cleared.
    function Get-Changes {
        Get-Rows ("SELECT sql FROM mz_emulator.statement_log WHERE sql ~* '^\s*(CREATE|ALTER|DROP|GRANT|REVOKE|COMMENT|INSERT|UPDATE|DELETE)\M' " +
            "AND sql NOT ILIKE '%mz_emulator.%' ORDER BY seq")
    }
    function Get-Databases { Get-Rows "SELECT name FROM mz_databases WHERE name LIKE '%\_\_%' ORDER BY name" }
    function Get-Manifest { Get-Rows "SELECT profile || ' ' || project || ' ' || overlay_db FROM _mz_deploy.tables.dev_overlays ORDER BY 1" }
    function Invoke-Dev([hashtable] $Arguments) {
        $caught = $null
        $output = $null
        try { $output = New-MzDevOverlay -Path $Project @Arguments -ErrorAction Stop } catch { $caught = $_ }
        [pscustomobject]@{ Output = @($output); Error = $caught }
    }
}

AfterAll {
    Stop-TestEmulator $Emulator
    Remove-Item Env:MZ_PESTER_DEV_PASSWORD -ErrorAction SilentlyContinue
    Remove-Item $Parent -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'New-MzDevOverlay' {
    It '-DryRun shows the exact SQL and changes nothing' {
        Set-Report 500
        Clear-Log

        $plan = New-MzDevOverlay -Profile alice -Path $Project -Cluster alice_dev -DryRun

        $plan | Should -BeOfType MzDeploy.MzDevOverlay
        $plan.DryRun | Should -BeTrue
        $plan.Statements[0] | Should -Be 'CREATE DATABASE materialize__alice'
        $plan.Statements | Should -Contain 'CREATE SCHEMA IF NOT EXISTS materialize__alice.reports'
        Get-Changes | Should -BeNullOrEmpty
        Get-Databases | Should -BeNullOrEmpty
    }

    It 'overlays a changed view that reads production''s tables and its clean upstream view' {
        Clear-Log

        $overlay = New-MzDevOverlay -Profile alice -Path $Project -Cluster alice_dev

        $overlay.Profile | Should -Be 'alice'
        $overlay.Project | Should -Be 'shop'
        $overlay.Databases | Should -Be @('materialize__alice')
        $overlay.Objects.Count | Should -Be 1
        $overlay.Objects[0].Overlay | Should -Be 'materialize__alice.reports.big_stalled'
        $overlay.Objects[0].Production | Should -Be 'materialize.reports.big_stalled'
        $changes = Get-Changes
        $changes | Where-Object { $_ -like 'CREATE VIEW materialize__alice.reports.big_stalled*' } |
            Should -Match 'FROM materialize\.monitoring\.stalled_orders AS s JOIN materialize\.sales\.orders AS o'
        # Production's rows through the changed filter: only order 4 is over 500.
        Get-Rows 'SELECT id FROM materialize__alice.reports.big_stalled' | Should -Be @('4')
        Get-Rows 'SELECT id FROM materialize.reports.big_stalled ORDER BY id' | Should -Be @('2', '4')
        Get-Manifest | Should -Be @('alice shop materialize__alice')
    }

    It 'rebuilds from scratch after a second change, the changed materialized view and its index on the dev cluster' {
        (Get-Content $Stalled -Raw) -replace "INTERVAL '30 minutes'", "INTERVAL '1 hour'" | Set-Content -Path $Stalled -NoNewline
        Clear-Log

        $overlay = New-MzDevOverlay -Profile alice -Path $Project -Cluster alice_dev

        $overlay.Dropped | Should -Be @('materialize__alice')
        @($overlay.Objects.Name) | Should -Be @('materialize.monitoring.stalled_orders', 'materialize.monitoring.stalled_orders_by_customer', 'materialize.reports.big_stalled')
        $changes = Get-Changes
        $changes[0] | Should -Be 'DROP DATABASE IF EXISTS materialize__alice CASCADE'
        $changes | Should -Contain 'CREATE DATABASE materialize__alice'
        Get-Rows ("SELECT c.name FROM mz_materialized_views v JOIN mz_schemas s ON s.id = v.schema_id JOIN mz_databases d ON d.id = s.database_id " +
            "JOIN mz_clusters c ON c.id = v.cluster_id WHERE d.name = 'materialize__alice'") | Should -Be @('alice_dev')
        Get-Rows ("SELECT c.name FROM mz_indexes i JOIN mz_clusters c ON c.id = i.cluster_id WHERE i.name = 'stalled_orders_by_customer_idx' " +
            "ORDER BY 1") | Should -Be @('alice_dev', 'orders')
        $changes | Where-Object { $_ -like 'CREATE VIEW materialize__alice.reports.big_stalled*' } |
            Should -Match 'FROM materialize__alice\.monitoring\.stalled_orders AS s'
        # Order 2 waited 45 minutes: stalled in production, not yet in the overlay.
        Get-Rows 'SELECT id FROM materialize__alice.monitoring.stalled_orders ORDER BY id' | Should -Be @('1', '4')
        Get-Rows 'SELECT id FROM materialize.monitoring.stalled_orders ORDER BY id' | Should -Be @('1', '2', '4')
        Get-Manifest | Should -Be @('alice shop materialize__alice')
    }

    It '-Compare reports the row-count difference and a sample of the differing rows' {
        $result = @(New-MzDevOverlay -Profile alice -Path $Project -Cluster alice_dev -Compare -SampleSize 5)

        $comparisons = @($result | Where-Object { $_ -is [MzDeploy.MzDevOverlayComparison] })
        @($comparisons.Name) | Should -Be @('materialize.monitoring.stalled_orders', 'materialize.monitoring.stalled_orders_by_customer', 'materialize.reports.big_stalled')
        $stalled = $comparisons[0]
        $stalled.OverlayCount | Should -Be 2
        $stalled.ProductionCount | Should -Be 3
        $stalled.CountDifference | Should -Be -1
        $stalled.OnlyInOverlayCount | Should -Be 0
        $stalled.OnlyInProductionCount | Should -Be 1
        $stalled.OnlyInProduction[0].id | Should -Be 2
        $stalled.OnlyInProduction[0].customer | Should -Be 'bob'
        $stalled.Identical | Should -BeFalse
        $stalled.Columns | Should -Be @('id', 'customer', 'status', 'amount', 'created_at')
        $comparisons[2].OnlyInProductionCount | Should -Be 1   # big_stalled loses order 2 with its upstream
        $comparisons[2].OnlyInProduction[0].id | Should -Be 2
    }

    It '-SampleSize bounds the sample, not the count' {
        $result = @(New-MzDevOverlay -Profile alice -Path $Project -Cluster alice_dev -Compare -SampleSize 0)

        $stalled = $result | Where-Object { $_ -is [MzDeploy.MzDevOverlayComparison] } | Select-Object -First 1
        $stalled.OnlyInProductionCount | Should -Be 1
        $stalled.OnlyInProduction | Should -BeNullOrEmpty
    }

    It 'refuses a cluster production runs on, naming what runs there, before any statement' {
        Clear-Log

        $run = Invoke-Dev @{ Profile = 'alice'; Cluster = 'orders' }

        $run.Error.FullyQualifiedErrorId | Should -BeLike 'DevOverlayOnProductionCluster,*'
        $run.Error.Exception.Message | Should -Match "production cluster 'orders'"
        $run.Error.Exception.Message | Should -Match 'materialize\.monitoring \(stalled_orders, stalled_orders_by_customer_idx\), promoted \d{4}-\d\d-\d\d'
        $run.Error.ErrorDetails.RecommendedAction | Should -Match 'New-MzDevOverlay -Cluster orders_dev'
        Get-Changes | Should -BeNullOrEmpty
        Get-Databases | Should -Be @('materialize__alice')
    }

    It 'refuses a cluster that does not exist' {
        $run = Invoke-Dev @{ Profile = 'alice'; Cluster = 'no_such_cluster' }

        $run.Error.FullyQualifiedErrorId | Should -BeLike 'DevClusterNotFound,*'
    }

    It 'keeps two developers'' overlays side by side' {
        $bob = New-MzDevOverlay -Profile bob -Path $Project -Cluster bob_dev

        $bob.Databases | Should -Be @('materialize__bob')
        $bob.Dropped | Should -BeNullOrEmpty
        Get-Databases | Should -Be @('materialize__alice', 'materialize__bob')
        Get-Manifest | Should -Be @('alice shop materialize__alice', 'bob shop materialize__bob')
        Get-Rows ("SELECT c.name FROM mz_materialized_views v JOIN mz_schemas s ON s.id = v.schema_id JOIN mz_databases d ON d.id = s.database_id " +
            "JOIN mz_clusters c ON c.id = v.cluster_id WHERE d.name LIKE 'materialize\_\_%' ORDER BY 1") | Should -Be @('alice_dev', 'bob_dev')

        $removed = Remove-MzDevOverlay -Profile bob -Path $Project

        $removed.Dropped | Should -Be @('materialize__bob')
        Get-Databases | Should -Be @('materialize__alice')
        Get-Manifest | Should -Be @('alice shop materialize__alice')
    }

    It 'cleans an interrupted run (a fault after the first database) on the next run' {
        $totals = Join-Path $Project 'models/analytics/daily/totals.sql'
        $null = New-Item -ItemType Directory -Path (Split-Path $totals) -Force
        Set-Content -Path $totals -Value 'CREATE VIEW totals AS SELECT count(*) AS n FROM materialize.reports.big_stalled;'
        $null = Invoke-TestSql $Emulator "SELECT mz_emulator.inject_fault('CREATE DATABASE materialize__alice', 1, 'error', 'injected')"
        try {
            $run = Invoke-Dev @{ Profile = 'alice'; Cluster = 'alice_dev' }
        }
        finally { $null = Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_faults()' }

        $run.Error | Should -Not -BeNullOrEmpty
        $run.Error.Exception.Message | Should -Match 'injected'
        Get-Databases | Should -Be @('analytics__alice')
        Get-Manifest | Should -Be @('alice shop analytics__alice')

        $overlay = New-MzDevOverlay -Profile alice -Path $Project -Cluster alice_dev

        $overlay.Dropped | Should -Be @('analytics__alice')
        $overlay.Databases | Should -Be @('analytics__alice', 'materialize__alice')
        Get-Manifest | Should -Be @('alice shop analytics__alice', 'alice shop materialize__alice')
        Get-Rows 'SELECT n FROM analytics__alice.daily.totals' | Should -Be @('1')
        Remove-Item (Split-Path $totals) -Recurse -Force
    }

    It 'names the GRANT when the CREATEDB privilege is missing' {
        Invoke-TestSql $Emulator "CREATE ROLE $NoCreate LOGIN PASSWORD '$env:MZ_PESTER_DEV_PASSWORD'"
        Invoke-TestSql $Emulator "GRANT materialize_developer TO $NoCreate"
        Invoke-TestSql $Emulator 'REVOKE CREATEDB ON SYSTEM FROM materialize_developer'
        Clear-Log
        try {
            $run = Invoke-Dev @{ Profile = 'nocreate'; Cluster = 'alice_dev' }
        }
        finally { Invoke-TestSql $Emulator 'GRANT CREATEDB ON SYSTEM TO materialize_developer' }

        $run.Error.FullyQualifiedErrorId | Should -BeLike 'DevOverlayPrivilegeRequired,*'
        $run.Error.Exception.Message | Should -Match "user '$NoCreate' lacks the CREATEDB privilege, required to create overlay database 'materialize__nocreate'"
        $run.Error.ErrorDetails.RecommendedAction | Should -Match "GRANT CREATEDB ON SYSTEM TO $NoCreate"
        Get-Changes | Where-Object { $_ -notmatch 'CREATEDB' } | Should -BeNullOrEmpty
    }
}

Describe 'Remove-MzDevOverlay' {
    It '-WhatIf shows the drops and changes nothing' {
        Clear-Log

        $transcript = Join-Path ([System.IO.Path]::GetTempPath()) ("mzdeploy-dev-whatif-" + [guid]::NewGuid().ToString('n') + '.txt')
        $null = Start-Transcript -Path $transcript
        try { $output = Remove-MzDevOverlay -Profile alice -Path $Project -WhatIf }
        finally { $null = Stop-Transcript }
        $text = Get-Content $transcript -Raw
        Remove-Item $transcript

        $output | Should -BeNullOrEmpty
        $text | Should -Match "What if: Drop the dev overlay of profile 'alice'"
        $text | Should -Match 'DROP DATABASE IF EXISTS materialize__alice CASCADE'
        Get-Changes | Should -BeNullOrEmpty
        Get-Databases | Should -Be @('analytics__alice', 'materialize__alice')
    }

    It 'drops every recorded overlay database of the profile, and is safe to run again' {
        $removed = Remove-MzDevOverlay -Profile alice -Path $Project

        $removed.Dropped | Should -Be @('analytics__alice', 'materialize__alice')
        Get-Databases | Should -BeNullOrEmpty
        Get-Manifest | Should -BeNullOrEmpty
        Get-Rows "SELECT count(*) FROM mz_materialized_views WHERE name = 'stalled_orders'" | Should -Be @('1') -Because 'production stays'

        Clear-Log
        $again = Remove-MzDevOverlay -Profile alice -Path $Project

        $again.Dropped | Should -BeNullOrEmpty
        Get-Changes | Should -BeNullOrEmpty
    }
}
