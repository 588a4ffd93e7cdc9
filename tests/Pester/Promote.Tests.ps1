# Promoting staged deployments, end to end: the built module against an emulator started for this
# file. Covers the lifecycle, readiness, conflicts, sinks, concurrent promotes from two pwsh processes
# and crashes injected before, during and after the swap (each finished by running the promote again).

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Secret = 'Pester-S3cret-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
    $script:Monitor = 'pester_promote_monitor_' + [guid]::NewGuid().ToString('n').Substring(0, 6)
    $script:Deployer = 'pester_promote_deployer_' + [guid]::NewGuid().ToString('n').Substring(0, 6)
    $env:MZ_PESTER_PROMOTE_PASSWORD = $Secret
    $script:Emulator = Start-TestEmulator -Profiles @{
        monitor  = @{ username = $Monitor; password = '${MZ_PESTER_PROMOTE_PASSWORD}' }
        deployer = @{ username = $Deployer; password = '${MZ_PESTER_PROMOTE_PASSWORD}' }
    }
    $null = Initialize-MzDeploy -Profile test -Path ([System.IO.Path]::GetTempPath()) -ClusterSize xsmall
    # Every Publish-MzDeployment below is checked: it may change only what its plan names.
    Enable-PromoteInvariant -Emulator $Emulator
    Invoke-TestSql $Emulator "CREATE CLUSTER sinks (SIZE = '25cc')"
    Invoke-TestSql $Emulator 'CREATE SCHEMA materialize.conns'
    Invoke-TestSql $Emulator "CREATE CONNECTION materialize.conns.kafka TO KAFKA (BROKER 'broker:9092')"
    Invoke-TestSql $Emulator 'CREATE SCHEMA materialize.exports'

    $script:Parent = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-promote-' + [guid]::NewGuid().ToString('n').Substring(0, 10))
    $null = New-Item -ItemType Directory -Path $Parent
    $script:Project = (New-MzProject -Name shop -Path $Parent).FullName
    Initialize-MzExampleProduction -Path $Project -Profile test
    $script:Stalled = Join-Path $Project 'models/materialize/monitoring/stalled_orders.sql'
    $script:Common = @{ Profile = 'test'; Path = $Project }
    # A views-only schema: deployments of it alone have no cluster.
    $script:Report = Join-Path $Project 'models/materialize/reports/big_customers.sql'
    $null = New-Item -ItemType Directory -Path (Split-Path $Report)
    function Set-Report([int] $Threshold) {
        Set-Content -Path $Report -Value "CREATE VIEW big_customers AS SELECT customer, sum(amount) AS total FROM materialize.sales.orders GROUP BY customer HAVING sum(amount) > $Threshold;"
        Save-Commit "report over $Threshold"
    }
    function Get-ReportDefinition {
        (Invoke-TestSql $Emulator ("SELECT definition FROM mz_views v JOIN mz_schemas s ON s.id = v.schema_id " +
                "WHERE s.name = 'reports' AND v.name = 'big_customers'")) -join ' '
    }
    $toml = Join-Path $Project 'project.toml'
    (Get-Content $toml -Raw).Replace('dependencies = []', 'dependencies = ["materialize.conns.kafka"]') | Set-Content -Path $toml -NoNewline

    function Get-Count([string] $Where) { [int]@(Invoke-TestSql $Emulator "SELECT count(*) FROM $Where")[0] }
    # Schemas and clusters carrying the deployment's suffix, and its promote markers.
    function Get-Leftovers([string] $Id) {
        [string[]] $rows = @(Invoke-TestSql $Emulator ("SELECT 'schema ' || d.name || '.' || s.name FROM mz_schemas s JOIN mz_databases d ON d.id = s.database_id " +
                "WHERE s.name LIKE '%\_$Id' OR s.name LIKE 'deploy\_$Id\_%' UNION ALL SELECT 'cluster ' || name FROM mz_clusters WHERE name LIKE '%\_$Id'"))
        [Array]::Sort($rows, [StringComparer]::Ordinal)
        $rows
    }
    # The definition of production's stalled_orders.
    function Get-StalledDefinition {
        (Invoke-TestSql $Emulator ("SELECT definition FROM mz_materialized_views v JOIN mz_schemas s ON s.id = v.schema_id " +
                "WHERE s.name = 'monitoring' AND v.name = 'stalled_orders'")) -join ' '
    }
    function Set-Stall([string] $Interval) {
        $text = Get-Content $Stalled -Raw
        ($text -replace "INTERVAL '[^']+'", "INTERVAL '$Interval'") | Set-Content -Path $Stalled -NoNewline
        Save-Commit "stall after $Interval"
    }
    function Save-Commit([string] $Message) { Save-MzGitCommit -Path $Project -Message $Message }
    function Invoke-Promote([hashtable] $Arguments) {
        # Runs Publish-MzDeployment and returns its output, its errors and its warnings.
        $errors = @()
        $output = $null
        try {
            $output = Publish-MzDeployment @Common -Force @Arguments -ErrorVariable +errors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
        }
        catch { $errors = @($_) }
        [pscustomobject]@{ Output = $output; Errors = @($errors); Warnings = @($warnings | ForEach-Object { "$_" }) }
    }
    Set-Report 1000
}

AfterAll {
    $violations = Get-PromoteInvariantViolations
    Disable-PromoteInvariant
    Stop-TestEmulator $Emulator
    Remove-Item Env:MZ_PESTER_PROMOTE_PASSWORD -ErrorAction SilentlyContinue
    Remove-Item $Parent -Recurse -Force -ErrorAction SilentlyContinue
    $violations | Should -BeNullOrEmpty
}

Describe 'Promoting a deployment' {
    It '-DryRun shows the exact SQL, the transaction included, and changes nothing' {
        $null = Invoke-MzStage @Common -DeployId base
        Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_statement_log()'

        $plan = Publish-MzDeployment @Common -DeployId base -DryRun

        $plan | Should -BeOfType MzDeploy.MzPromotePlan
        @($plan.Schemas | ForEach-Object { "$_" }) | Should -Be @('materialize.monitoring -> materialize.monitoring_base', 'materialize.reports -> materialize.reports_base')
        "$($plan.Clusters)" | Should -Be 'orders -> orders_base'
        $plan.DroppedResources | Should -Be @('schema materialize.monitoring_base', 'schema materialize.reports_base', 'cluster orders_base')
        $begin = [array]::IndexOf($plan.Statements, 'BEGIN;')
        $commit = [array]::IndexOf($plan.Statements, 'COMMIT;')
        $begin | Should -BeGreaterThan 0
        $plan.Statements[($begin + 1)..($commit - 1)] | Where-Object { $_ -notmatch '^ALTER (SCHEMA|CLUSTER) .* (SWAP WITH|RENAME TO) ' } | Should -BeNullOrEmpty
        $plan.Statements | Should -Contain 'ALTER SCHEMA materialize.monitoring SWAP WITH monitoring_base;'
        $plan.Statements | Should -Contain 'ALTER CLUSTER orders SWAP WITH orders_base;'
        $plan.Statements[-1] | Should -Be 'DROP SCHEMA IF EXISTS _mz_deploy.deploy_base_swapped;'
        $plan.Statements | Should -Contain ('UPDATE "_mz_deploy"."tables"."deployments" SET promoted_at = now() ' +
            "WHERE deploy_id = `$1 AND promoted_at IS NULL /* `$1 = 'base' */;")
        Get-Count "mz_emulator.statement_log WHERE sql NOT ILIKE 'SELECT%' AND sql NOT ILIKE '%mz_emulator.%'" | Should -Be 0
        Get-Leftovers 'base' | Should -Be @('cluster orders_base', 'schema _mz_deploy.deploy_base_pending', 'schema materialize.monitoring_base', 'schema materialize.reports_base')
    }

    It '-WhatIf prints the same statements and changes nothing' {
        $transcript = Join-Path ([System.IO.Path]::GetTempPath()) ("mzdeploy-promote-whatif-" + [guid]::NewGuid().ToString('n') + '.txt')
        $null = Start-Transcript -Path $transcript
        try { $output = Publish-MzDeployment @Common -DeployId base -WhatIf }
        finally { $null = Stop-Transcript }
        $text = Get-Content $transcript -Raw
        Remove-Item $transcript

        $output | Should -BeNullOrEmpty
        $text | Should -Match "What if: Promote deployment 'base'"
        $text | Should -Match ([regex]::Escape('ALTER CLUSTER orders SWAP WITH orders_base;'))
        Get-Count "_mz_deploy.tables.deployments WHERE deploy_id = 'base' AND promoted_at IS NOT NULL" | Should -Be 0
    }

    It 'a monitor cannot promote, and is told which role to get' {
        Invoke-TestSql $Emulator "CREATE ROLE $Monitor LOGIN PASSWORD '$Secret'"
        Invoke-TestSql $Emulator "GRANT materialize_monitor TO $Monitor"
        $caught = $null
        try { Publish-MzDeployment -Profile monitor -Path $Project -DeployId base -Force } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'MzDeployRoleRequired,*'
        $caught.Exception.Message | Should -Match 'materialize_deployer'
        Get-Leftovers 'base' | Should -Be @('cluster orders_base', 'schema _mz_deploy.deploy_base_pending', 'schema materialize.monitoring_base', 'schema materialize.reports_base')
    }

    It 'refuses a deployment that is still hydrating, and -NoReadyCheck overrides it' {
        Invoke-TestSql $Emulator "SELECT mz_emulator.set_hydration_delay('orders_base', INTERVAL '1 hour')"
        $result = Invoke-Promote @{ DeployId = 'base' }
        $result.Output | Should -BeNullOrEmpty
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ClustersNotReady,*'
        $result.Errors[0].Exception.Message | Should -Match 'orders_base: hydrating 0/\d+ objects'
        Get-Leftovers 'base' | Should -Be @('cluster orders_base', 'schema _mz_deploy.deploy_base_pending', 'schema materialize.monitoring_base', 'schema materialize.reports_base')

        $promotion = Publish-MzDeployment @Common -Force -DeployId base -NoReadyCheck
        Invoke-TestSql $Emulator "SELECT mz_emulator.set_hydration_delay('orders', INTERVAL '0 seconds')"

        $promotion | Should -BeOfType MzDeploy.MzPromotion
        $promotion.Resumed | Should -BeFalse
        $promotion.Attempts | Should -Be 1
        @($promotion.SwappedSchemas | ForEach-Object { "$_" }) | Should -Be @('materialize.monitoring -> materialize.monitoring_base', 'materialize.reports -> materialize.reports_base')
        $promotion.DroppedResources | Should -Be @('schema materialize.monitoring_base', 'schema materialize.reports_base', 'cluster orders_base')
        Get-ReportDefinition | Should -Match '1000'
        $promotion.PromotedAt | Should -Not -BeNullOrEmpty
        Get-Leftovers 'base' | Should -BeNullOrEmpty
        Get-StalledDefinition | Should -Match '00:30:00|30 minutes'
        Get-Count "_mz_deploy.tables.clusters WHERE deploy_id = 'base'" | Should -Be 0
        (Get-MzDeploymentHistory @Common -First 1).DeployId | Should -Be 'base'
        (Get-MzDeployment @Common -DeployId base).Status | Should -Be 'Promoted'
    }

    It 'a promoted deployment cannot be promoted again; the pipeline goes on with the next one' {
        $result = 'nope', 'base' | ForEach-Object { [pscustomobject]@{ DeployId = $_ } } |
            Publish-MzDeployment @Common -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $problems.FullyQualifiedErrorId | Should -Be @('DeploymentNotFound,MzDeploy.PowerShell.Cmdlets.PublishMzDeploymentCommand',
            'DeploymentAlreadyPromoted,MzDeploy.PowerShell.Cmdlets.PublishMzDeploymentCommand')
    }

    It 'a change to stalled_orders goes live through the pipeline, and the new version replaces the old' {
        Set-Stall '1 hour'
        $statuses = Get-Count "mz_clusters WHERE name = 'orders'"

        $promotion = Invoke-MzStage @Common -DeployId hour | Publish-MzDeployment @Common -Force

        $promotion.DeployId | Should -Be 'hour'
        Get-StalledDefinition | Should -Match '01:00:00|1 hour'
        Get-Count "mz_clusters WHERE name = 'orders'" | Should -Be $statuses
        Get-Leftovers 'hour' | Should -BeNullOrEmpty
        (Get-MzDeploymentHistory @Common).DeployId | Should -Be @('hour', 'base')
    }
}

Describe 'Pipelines' {
    It 'Get-MzDeployment | Where Status -eq Ready | Publish-MzDeployment promotes only the ready deployments' {
        Set-Report 1500
        $null = Invoke-MzStage @Common -DeployId ready1
        Invoke-TestSql $Emulator "SELECT mz_emulator.set_lag('orders', INTERVAL '1 second')"
        Set-Report 1600
        $null = Invoke-MzStage @Common -DeployId stuck -RedeployAll
        Invoke-TestSql $Emulator "SELECT mz_emulator.set_hydration_delay('orders_stuck', INTERVAL '1 hour')"

        $promoted = Get-MzDeployment @Common | Where-Object Status -eq Ready | Publish-MzDeployment @Common -Force

        $promoted.DeployId | Should -Be @('ready1')
        (Get-MzDeployment @Common -DeployId stuck).Status | Should -Be 'Hydrating'
        Get-ReportDefinition | Should -Match '1500'
        Remove-MzDeployment @Common -DeployId stuck -Confirm:$false
        Set-Report 1500
    }
}

Describe 'Confirmation' {
    BeforeAll {
        # A child command: promote (extra arguments appended), then print the promoted deploy ids or the error.
        function Get-PromoteCommand([string] $Arguments, [string] $Before = '') {
            "Import-Module '$env:MZDEPLOY_MODULE'; `$ErrorActionPreference = 'Stop'; try { $Before " +
            "Publish-MzDeployment -Profile test -Path '$Project' $Arguments | ForEach-Object { 'PROMOTED ' + `$_.DeployId } } " +
            "catch { 'ERROR ' + `$_.FullyQualifiedErrorId; 'MESSAGE ' + `$_.Exception.Message }"
        }
        function Get-Promoted([string] $Id) { Get-Count "_mz_deploy.tables.deployments WHERE deploy_id = '$Id' AND promoted_at IS NOT NULL" }
    }

    It 'in a session that cannot answer a prompt, promoting without -Force fails at once, names -Force and -Confirm:$false, and changes nothing' {
        Set-Report 1700
        $null = Invoke-MzStage @Common -DeployId ask

        foreach ($nonInteractive in $true, $false) {
            $child = Invoke-ChildPwsh (Get-PromoteCommand '-DeployId ask') -NonInteractive:$nonInteractive

            $child.Exited | Should -BeTrue -Because "a prompt must never wait for input (NonInteractive: $nonInteractive)"
            $child.Output | Should -Match 'ERROR ConfirmationRequired,MzDeploy\.PowerShell\.Cmdlets\.PublishMzDeploymentCommand'
            $child.Output | Should -Match '-Force or -Confirm:\$false'
            $child.Output | Should -Not -Match 'PROMOTED'
        }
        Get-Promoted 'ask' | Should -Be 0
        Get-ReportDefinition | Should -Match '1500'
        Get-Leftovers 'ask' | Should -Be @('schema _mz_deploy.deploy_ask_pending', 'schema materialize.reports_ask')
    }

    It 'with -Force it promotes without asking, also each deployment of a pipeline' {
        $child = Invoke-ChildPwsh -NonInteractive (Get-PromoteCommand '-Force' "Get-MzDeployment -Profile test -Path '$Project' | Where-Object Status -eq Ready |")

        $child.Output | Should -Match 'PROMOTED ask'
        Get-Promoted 'ask' | Should -Be 1
        Get-ReportDefinition | Should -Match '1700'
        Get-Leftovers 'ask' | Should -BeNullOrEmpty
    }

    It 'with -Confirm:$false it promotes without asking' {
        Set-Report 1800
        $null = Invoke-MzStage @Common -DeployId ask2

        # In this session: under build.ps1 it is as non-interactive as CI, so asking would fail the test, not hang it.
        $promotion = Publish-MzDeployment @Common -DeployId ask2 -Confirm:$false

        $promotion.DeployId | Should -Be 'ask2'
        Get-Promoted 'ask2' | Should -Be 1
        Get-ReportDefinition | Should -Match '1800'
    }
}

Describe 'Conflicts' {
    It 'refuses to overwrite a schema promoted after the deployment was staged, even with -Force; -OverwriteConflicts overwrites it with a warning' {
        Set-Report 2000
        $null = Invoke-MzStage @Common -DeployId two
        Set-Report 3000
        $null = Invoke-MzStage @Common -DeployId three
        $three = Publish-MzDeployment @Common -Force -DeployId three
        $three.SwappedClusters | Should -BeNullOrEmpty

        # Invoke-Promote passes -Force: it only skips the confirmation, it does not override conflicts.
        $result = Invoke-Promote @{ DeployId = 'two' }
        $result.Output | Should -BeNullOrEmpty
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DeploymentConflict,*'
        $result.Errors[0].Exception.Message | Should -Match "materialize\.reports \(last promoted by 'three'"
        $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match '-OverwriteConflicts'
        Get-ReportDefinition | Should -Match '3000'

        $forced = Invoke-Promote @{ DeployId = 'two'; OverwriteConflicts = $true }
        $forced.Errors | Should -BeNullOrEmpty
        $forced.Warnings -join "`n" | Should -Match "-OverwriteConflicts: overwriting .*materialize\.reports"
        $forced.Output.Conflicts | Should -Match "materialize\.reports \(last promoted by 'three'"
        Get-ReportDefinition | Should -Match '2000'
        Get-Leftovers 'two' | Should -BeNullOrEmpty
        Get-Leftovers 'three' | Should -BeNullOrEmpty
    }

    It 'a promote that loses the swap race to a concurrent transaction rolls back, checks again and retries' {
        Set-Stall '4 hours'
        $null = Invoke-MzStage @Common -DeployId race
        # Another deployer's swap transaction holds every epoch marker, uncommitted.
        $markers = @(Invoke-TestSql $Emulator ("SELECT s.name FROM mz_schemas s JOIN mz_databases d ON d.id = s.database_id " +
                "WHERE d.name = '_mz_deploy' AND s.name LIKE 'promote\_%\_e%'"))
        $markers.Count | Should -BeGreaterOrEqual 2
        $psql = Join-Path ($(if ($env:MZ_EMULATOR_PG_BIN) { $env:MZ_EMULATOR_PG_BIN } else { '/usr/lib/postgresql/15/bin' })) 'psql'
        $start = [System.Diagnostics.ProcessStartInfo]::new($psql)
        foreach ($argument in '-h', '127.0.0.1', '-p', "$($Emulator.Port)", '-U', 'materialize', '-d', 'materialize', '-X', '-q') { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_statement_log()'
        $holder = [System.Diagnostics.Process]::Start($start)
        $holder.StandardInput.WriteLine('BEGIN;')
        foreach ($marker in $markers) {
            $epoch = [int]($marker -replace '^.*_e(\d+)$', '$1')
            $holder.StandardInput.WriteLine("ALTER SCHEMA _mz_deploy.$marker RENAME TO $($marker -replace '_e\d+$', '')_e$($epoch + 1);")
        }
        $holder.StandardInput.Flush()
        Start-Sleep -Seconds 2

        $job = Start-Job -ScriptBlock {
            param($Module, $Path)
            Import-Module $Module
            Publish-MzDeployment -Profile test -Path $Path -DeployId race -Force -WarningVariable w -WarningAction SilentlyContinue |
                Select-Object DeployId, Attempts, @{ n = 'Warnings'; e = { $w -join "`n" } }
        } -ArgumentList $env:MZDEPLOY_MODULE, $Project
        # Let the promote reach its transaction and block behind the holder, then commit the holder.
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ([DateTime]::UtcNow -lt $deadline -and
            (Get-Count "mz_emulator.statement_log WHERE sql LIKE 'ALTER SCHEMA _mz_deploy.promote%' AND sql LIKE '%RENAME TO%' AND connection_id <> pg_backend_pid()") -le $markers.Count) {
            Start-Sleep -Milliseconds 200
        }
        Start-Sleep -Seconds 1
        $holder.StandardInput.WriteLine('COMMIT;')
        $holder.StandardInput.Close()
        $holder.WaitForExit(30000) | Should -BeTrue
        $result = $job | Wait-Job -Timeout 120 | Receive-Job
        $job | Remove-Job -Force

        $result.DeployId | Should -Be 'race'
        $result.Attempts | Should -Be 2
        $result.Warnings | Should -Match 'A concurrent promote changed the catalog \(attempt 1 of 5\)'
        Get-StalledDefinition | Should -Match '04:00:00|4 hours'
        Get-Leftovers 'race' | Should -BeNullOrEmpty
        # One marker per key: the loser's retry renamed the holder's epochs, nothing stale is left.
        $after = @(Invoke-TestSql $Emulator ("SELECT s.name FROM mz_schemas s JOIN mz_databases d ON d.id = s.database_id " +
                "WHERE d.name = '_mz_deploy' AND s.name LIKE 'promote\_%\_e%'"))
        @($after | ForEach-Object { $_ -replace '_e\d+$', '' } | Select-Object -Unique).Count | Should -Be $after.Count
    }

    It 'of two overlapping promotes started at the same moment from two processes, exactly one wins' {
        Set-Stall '5 hours'
        $null = Invoke-MzStage @Common -DeployId left
        Set-Stall '6 hours'
        $null = Invoke-MzStage @Common -DeployId right
        $at = [DateTime]::UtcNow.AddSeconds(15)
        $jobs = foreach ($id in 'left', 'right') {
            Start-Job -ScriptBlock {
                param($Module, $Path, $Id, $At)
                Import-Module $Module
                while ([DateTime]::UtcNow -lt $At) { Start-Sleep -Milliseconds 2 }
                $errors = @()
                $promotion = Publish-MzDeployment -Profile test -Path $Path -DeployId $Id -Force -ErrorVariable +errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
                [pscustomobject]@{ Id = $Id; Promoted = $null -ne $promotion; ErrorId = "$($errors[0].FullyQualifiedErrorId)"; Message = "$($errors[0])" }
            } -ArgumentList $env:MZDEPLOY_MODULE, $Project, $id, $at
        }
        $results = $jobs | Wait-Job -Timeout 180 | Receive-Job
        $jobs | Remove-Job -Force

        $results.Count | Should -Be 2
        $winner = @($results | Where-Object Promoted)
        $loser = @($results | Where-Object { -not $_.Promoted })
        $winner.Count | Should -Be 1
        $loser.Count | Should -Be 1
        $loser[0].ErrorId | Should -BeLike 'DeploymentConflict,*'
        $loser[0].Message | Should -Match "last promoted by '$($winner[0].Id)'"
        Get-StalledDefinition | Should -Match $(if ($winner[0].Id -eq 'left') { '05:00:00|5 hours' } else { '06:00:00|6 hours' })
        Get-Leftovers $winner[0].Id | Should -BeNullOrEmpty
        Get-Leftovers $loser[0].Id | Should -Contain "cluster orders_$($loser[0].Id)"
        Get-Leftovers $loser[0].Id | Should -Contain "schema materialize.monitoring_$($loser[0].Id)"
        (Get-MzDeployment @Common -DeployId $loser[0].Id).Status | Should -Not -Be 'Promoted'
        Remove-MzDeployment @Common -DeployId $loser[0].Id -Confirm:$false
    }
}

Describe 'Crashes' {
    BeforeEach { Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_faults()' }

    It 'a crash before the swap leaves production as it was; running again promotes' {
        Set-Stall '7 hours'
        $null = Invoke-MzStage @Common -DeployId before
        # The first statement of the swap transaction: it rolls back, nothing is swapped.
        Invoke-TestSql $Emulator "SELECT mz_emulator.inject_fault('ALTER SCHEMA _mz_deploy.promote_%')"

        $first = Invoke-Promote @{ DeployId = 'before' }
        { Publish-MzDeployment @Common -Force -DeployId nothing-here -ErrorAction Stop } | Should -Throw -ErrorId 'DeploymentNotFound,*'

        $first.Output | Should -BeNullOrEmpty
        $first.Errors[0].Exception.Message | Should -Match 'fault injected'
        Get-StalledDefinition | Should -Match '06:00:00|6 hours|05:00:00|5 hours'
        $again = Publish-MzDeployment @Common -Force -DeployId before
        $again.Resumed | Should -BeFalse
        Get-StalledDefinition | Should -Match '07:00:00|7 hours'
        Get-Leftovers 'before' | Should -BeNullOrEmpty
    }

    It 'a connection lost during the swap transaction swaps nothing; running again promotes' {
        Set-Stall '8 hours'
        $null = Invoke-MzStage @Common -DeployId during
        Invoke-TestSql $Emulator "SELECT mz_emulator.inject_fault('ALTER CLUSTER orders SWAP WITH orders_during', 1, 'close')"

        $first = Invoke-Promote @{ DeployId = 'during' }

        $first.Errors[0].FullyQualifiedErrorId | Should -BeLike 'PromoteInterrupted,*'
        $first.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'Publish-MzDeployment -DeployId during again'
        Get-StalledDefinition | Should -Match '07:00:00|7 hours'
        Get-Leftovers 'during' | Should -Be @('cluster orders_during', 'schema _mz_deploy.deploy_during_pending', 'schema materialize.monitoring_during')
        $again = Publish-MzDeployment @Common -Force -DeployId during
        $again.Resumed | Should -BeFalse
        Get-StalledDefinition | Should -Match '08:00:00|8 hours'
        Get-Leftovers 'during' | Should -BeNullOrEmpty
    }

    It 'a crash after the swap leaves the new version live; abort refuses; running again finishes, old copies dropped' {
        Set-Stall '9 hours'
        $null = Invoke-MzStage @Common -DeployId after
        Invoke-TestSql $Emulator "SELECT mz_emulator.inject_fault('DROP CLUSTER IF EXISTS orders_after CASCADE', 1, 'close')"

        $first = Invoke-Promote @{ DeployId = 'after' }

        $first.Errors[0].FullyQualifiedErrorId | Should -BeLike 'PromoteIncomplete,*'
        $first.Errors[0].Exception.Message | Should -Match "deployment 'after' is live in production"
        Get-StalledDefinition | Should -Match '09:00:00|9 hours'
        Get-Leftovers 'after' | Should -Contain 'schema _mz_deploy.deploy_after_swapped'
        Get-Leftovers 'after' | Should -Contain 'cluster orders_after'
        { Remove-MzDeployment @Common -DeployId after -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'DeploymentPartiallyPromoted,*'
        (Publish-MzDeployment @Common -DeployId after -DryRun).Resume | Should -BeTrue

        $again = Invoke-Promote @{ DeployId = 'after' }
        $again.Errors | Should -BeNullOrEmpty
        $again.Output.Resumed | Should -BeTrue
        $again.Warnings -join "`n" | Should -Match 'did not finish: finishing it'
        $again.Output.DroppedResources | Should -Contain 'cluster orders_after'
        Get-Leftovers 'after' | Should -BeNullOrEmpty
        Get-Count "mz_clusters WHERE name = 'orders'" | Should -Be 1
        (Get-MzDeploymentHistory @Common -First 1).DeployId | Should -Be 'after'
        Get-Count "_mz_deploy.tables.clusters WHERE deploy_id = 'after'" | Should -Be 0
    }
}

Describe 'Sinks' {
    It 'a sink outside the deployment is moved onto the new objects, not dropped with the old copy' {
        Invoke-TestSql $Emulator ("CREATE SINK materialize.exports.stalled_out IN CLUSTER sinks FROM materialize.monitoring.stalled_orders " +
            "INTO KAFKA CONNECTION materialize.conns.kafka (TOPIC 'stalled') FORMAT JSON ENVELOPE DEBEZIUM")
        Set-Stall '10 hours'
        $null = Invoke-MzStage @Common -DeployId sinks1

        $plan = Publish-MzDeployment @Common -DeployId sinks1 -DryRun
        $plan.RepointedSinks | Should -Be @('materialize.exports.stalled_out -> materialize.monitoring.stalled_orders')
        $promotion = Publish-MzDeployment @Common -Force -DeployId sinks1

        $promotion.RepointedSinks | Should -Be @('materialize.exports.stalled_out -> materialize.monitoring.stalled_orders')
        $reads = @(Invoke-TestSql $Emulator ("SELECT s.name || '.' || o.name FROM mz_sinks k JOIN mz_internal.mz_object_dependencies d ON d.object_id = k.id " +
                "JOIN mz_objects o ON o.id = d.referenced_object_id JOIN mz_schemas s ON s.id = o.schema_id WHERE k.name = 'stalled_out' AND o.type <> 'connection'"))
        $reads | Should -Be @('monitoring.stalled_orders')
        Get-Leftovers 'sinks1' | Should -BeNullOrEmpty
    }

    It 'creates the project''s deferred sinks after the swap' {
        $sinkFile = Join-Path $Project 'models/materialize/exports2/stalled_sink.sql'
        $null = New-Item -ItemType Directory -Path (Split-Path $sinkFile) -Force
        Set-Content -Path $sinkFile -Value ("CREATE SINK stalled_sink IN CLUSTER sinks FROM materialize.monitoring.stalled_orders " +
            "INTO KAFKA CONNECTION materialize.conns.kafka (TOPIC 'stalled2') FORMAT JSON ENVELOPE DEBEZIUM;")
        Save-Commit 'a sink'
        $null = Invoke-MzStage @Common -DeployId sinks2
        Get-Count "mz_sinks WHERE name = 'stalled_sink'" | Should -Be 0

        $promotion = Publish-MzDeployment @Common -Force -DeployId sinks2

        $promotion.CreatedSinks | Should -Be @('materialize.exports2.stalled_sink')
        Get-Count "mz_sinks WHERE name = 'stalled_sink'" | Should -Be 1
        Get-Count "_mz_deploy.tables.pending_statements WHERE deploy_id = 'sinks2'" | Should -Be 0
    }

    It 'a deployment of objects and sinks has both kinds; a resumed promote does not report the sinks it created before as created' {
        $sinkFile = Join-Path $Project 'models/materialize/exports3/stalled_sink3.sql'
        $null = New-Item -ItemType Directory -Path (Split-Path $sinkFile) -Force
        Set-Content -Path $sinkFile -Value ("CREATE SINK stalled_sink3 IN CLUSTER sinks FROM materialize.monitoring.stalled_orders " +
            "INTO KAFKA CONNECTION materialize.conns.kafka (TOPIC 'stalled3') FORMAT JSON ENVELOPE DEBEZIUM;")
        Set-Stall '11 hours'
        $null = Invoke-MzStage @Common -DeployId sinks3

        $deployment = Get-MzDeployment @Common -DeployId sinks3
        $deployment.Kind | Should -Be @('objects', 'sinks')
        (Get-MzDeployment @Common | Where-Object Kind -eq sinks).DeployId | Should -Contain 'sinks3'
        (Get-MzDeployment @Common | Where-Object Kind -eq objects).DeployId | Should -Contain 'sinks3'

        # The first promote creates the sink, then the connection drops while it drops the old copies.
        Invoke-TestSql $Emulator "SELECT mz_emulator.inject_fault('DROP CLUSTER IF EXISTS orders_sinks3 CASCADE', 1, 'close')"
        $first = Invoke-Promote @{ DeployId = 'sinks3' }
        $first.Errors[0].FullyQualifiedErrorId | Should -BeLike 'PromoteIncomplete,*'
        Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_faults()'
        Get-Count "mz_sinks WHERE name = 'stalled_sink3'" | Should -Be 1

        $streams = Publish-MzDeployment @Common -Force -DeployId sinks3 -Verbose -WarningAction SilentlyContinue 4>&1
        $again = $streams | Where-Object { $_ -is [MzDeploy.MzPromotion] }

        $again.Resumed | Should -BeTrue
        # The resumed run planned the sink again and skipped it because the first run created it.
        "$($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -Match 'Sink materialize\.exports3\.stalled_sink3 exists already'
        $again.CreatedSinks | Should -BeNullOrEmpty
        Get-Count "mz_sinks WHERE name = 'stalled_sink3'" | Should -Be 1
        Get-Leftovers 'sinks3' | Should -BeNullOrEmpty
        (Get-MzDeploymentHistory @Common -First 1).Kind | Should -Be @('objects', 'sinks')
    }

    It 'refuses, before swapping, a deployment that removes an object an outside sink reads' {
        $extra = Join-Path $Project 'models/materialize/monitoring/big_orders.sql'
        Set-Content -Path $extra -Value "CREATE MATERIALIZED VIEW big_orders IN CLUSTER orders AS SELECT id FROM materialize.sales.orders WHERE amount > 1000;"
        Save-Commit 'big orders'
        $null = Invoke-MzStage @Common -DeployId big | Publish-MzDeployment @Common -Force
        Invoke-TestSql $Emulator ("CREATE SINK materialize.exports.big_out IN CLUSTER sinks FROM materialize.monitoring.big_orders " +
            "INTO KAFKA CONNECTION materialize.conns.kafka (TOPIC 'big') FORMAT JSON ENVELOPE DEBEZIUM")
        Remove-Item $extra
        Save-Commit 'no more big orders'
        $null = Invoke-MzStage @Common -DeployId nobig

        $result = Invoke-Promote @{ DeployId = 'nobig' }

        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'SinkSourceRemoved,*'
        $result.Errors[0].Exception.Message | Should -Match 'materialize\.exports\.big_out reads materialize\.monitoring\.big_orders'
        Get-Count "mz_sinks WHERE name = 'big_out'" | Should -Be 1
        Get-Leftovers 'nobig' | Should -Be @('cluster orders_nobig', 'schema _mz_deploy.deploy_nobig_pending', 'schema materialize.monitoring_nobig')
        Remove-MzDeployment @Common -DeployId nobig -Confirm:$false
        Set-Content -Path $extra -Value "CREATE MATERIALIZED VIEW big_orders IN CLUSTER orders AS SELECT id FROM materialize.sales.orders WHERE amount > 1000;"
        Save-Commit 'big orders back'
    }
}

Describe 'Secrets' {
    It 'promotes as a deployer with a ${VAR} password and never shows the password' {
        Invoke-TestSql $Emulator "CREATE ROLE $Deployer LOGIN PASSWORD '$Secret'"
        Invoke-TestSql $Emulator "GRANT materialize_deployer TO $Deployer"
        foreach ($grant in "CREATE ON DATABASE materialize", "USAGE ON SCHEMA materialize.sales", "SELECT ON materialize.sales.orders") {
            Invoke-TestSql $Emulator "GRANT $grant TO $Deployer"
        }
        # A schema of its own, so the deployer owns both sides of the swap.
        $own = Join-Path $Project 'models/materialize/team/order_count.sql'
        $null = New-Item -ItemType Directory -Path (Split-Path $own) -Force
        Set-Content -Path $own -Value 'CREATE VIEW order_count AS SELECT count(*) AS n FROM materialize.sales.orders;'
        Save-Commit 'team schema'
        $null = Invoke-MzStage -Profile deployer -Path $Project -DeployId secret

        $everything = & { Publish-MzDeployment -Profile deployer -Path $Project -DeployId secret -DryRun -Verbose
            Publish-MzDeployment -Profile deployer -Path $Project -DeployId secret -Force -Verbose
            Publish-MzDeployment -Profile deployer -Path $Project -DeployId secret -Force -ErrorAction Continue } *>&1 | Out-String

        $everything | Should -Not -Match ([regex]::Escape($Secret))
        $everything | Should -Match 'DeploymentAlreadyPromoted|already been promoted'
        $everything | Should -Match ([regex]::Escape("Connected as '$Deployer' (materialize_deployer)."))
        Get-Count "mz_views WHERE name = 'order_count'" | Should -Be 1
        Get-Leftovers 'secret' | Should -BeNullOrEmpty
    }
}

Describe 'Formatting' {
    It 'describes a deployment with Format-List: its clusters with their status and its objects with their hashes' {
        $null = Invoke-MzStage @Common -DeployId shown -RedeployAll

        $PSStyle.OutputRendering = 'PlainText'
        $text = Get-MzDeployment @Common -DeployId shown | Format-List | Out-String -Width 200

        $text | Should -Match 'orders_shown: Ready \(\d+/\d+ hydrated'
        $text | Should -Match 'materialize\.monitoring\.stalled_orders  sha256:[0-9a-f]{12}'
        $text | Should -Match 'Schemas\s+: materialize\.\w+'
        Remove-MzDeployment @Common -DeployId shown -Confirm:$false
    }

    It 'shows a promotion and a promote plan as lists' {
        $null = Invoke-MzStage @Common -DeployId listed -RedeployAll
        $PSStyle.OutputRendering = 'PlainText'
        $plan = Publish-MzDeployment @Common -DeployId listed -DryRun | Out-String -Width 200
        $plan | Should -Match 'orders -> orders_listed'
        $plan | Should -Match '\d+ statement\(s\); see \.Statements'
        $promotion = Publish-MzDeployment @Common -Force -DeployId listed | Out-String -Width 200
        $promotion | Should -Match 'DroppedPreviousVersion\s+: schema materialize\.monitoring \(previous production version, named materialize\.monitoring_listed by the swap\)'
    }
}

Describe 'Stable schemas' {
    It 'replaces a changed materialized view of a stable schema in place: same object, new definition, nothing left behind' {
        Invoke-TestSql $Emulator "CREATE CLUSTER api (SIZE = '25cc')"
        $api = Join-Path $Project 'models/materialize/api'
        $null = New-Item -ItemType Directory -Path $api -Force
        Set-Content -Path (Join-Path $Project 'models/materialize/api.sql') -Value 'SET api = stable;'
        $view = Join-Path $api 'open_orders.sql'
        Set-Content -Path $view -Value "CREATE MATERIALIZED VIEW open_orders IN CLUSTER api AS SELECT id, amount FROM materialize.sales.orders WHERE status = 'open';"
        Save-Commit 'stable api'
        $first = Invoke-MzStage @Common -DeployId api1 | Publish-MzDeployment @Common -Force
        "$($first.SwappedSchemas)" | Should -Match 'materialize\.api -> materialize\.api_api1'
        $id = @(Invoke-TestSql $Emulator "SELECT v.id FROM mz_materialized_views v JOIN mz_schemas s ON s.id = v.schema_id WHERE s.name = 'api' AND v.name = 'open_orders'")

        Set-Content -Path $view -Value "CREATE MATERIALIZED VIEW open_orders IN CLUSTER api AS SELECT id, amount FROM materialize.sales.orders WHERE status IN ('open', 'held');"
        Save-Commit 'held orders are open too'
        $plan = Invoke-MzStage @Common -DeployId api2 -DryRun
        $plan.ReplacementMaterializedViews | Should -Be @('materialize.api.open_orders')
        $plan.Objects | Should -BeNullOrEmpty  # so the count below is the replacement's
        $staged = Invoke-MzStage @Common -DeployId api2 6>&1
        $second = Publish-MzDeployment @Common -Force -DeployId api2

        "$($staged | Where-Object { $_ -is [System.Management.Automation.InformationRecord] })" | Should -Match "Staged 1 object\(s\) as deployment 'api2'"

        $second.ReplacedMaterializedViews | Should -Be @('materialize.api.open_orders')
        @($second.SwappedSchemas | ForEach-Object { "$_" }) | Should -Not -Contain 'materialize.api -> materialize.api_api2'
        @(Invoke-TestSql $Emulator "SELECT v.id FROM mz_materialized_views v JOIN mz_schemas s ON s.id = v.schema_id WHERE s.name = 'api' AND v.name = 'open_orders'") |
            Should -Be $id
        (Invoke-TestSql $Emulator ("SELECT definition FROM mz_materialized_views v JOIN mz_schemas s ON s.id = v.schema_id " +
                "WHERE s.name = 'api' AND v.name = 'open_orders'")) -join ' ' | Should -Match 'held'
        Get-Leftovers 'api2' | Should -BeNullOrEmpty
    }
}
