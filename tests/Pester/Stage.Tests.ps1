# Staging the order-monitoring example and removing deployments, end to end: the built module against
# an emulator started for this file, set up with Initialize-MzDeploy, with the production cluster and
# table created by Invoke-MzApply.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Secret = 'Pester-S3cret-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
    $script:Monitor = 'pester_stage_monitor_' + [guid]::NewGuid().ToString('n').Substring(0, 6)
    $env:MZ_PESTER_STAGE_MONITOR_PASSWORD = $Secret
    $script:Deployer = 'pester_stage_deployer_' + [guid]::NewGuid().ToString('n').Substring(0, 6)
    $script:Emulator = Start-TestEmulator -Profiles @{
        monitor  = @{ username = $Monitor; password = '${MZ_PESTER_STAGE_MONITOR_PASSWORD}' }
        deployer = @{ username = $Deployer; password = '${MZ_PESTER_STAGE_MONITOR_PASSWORD}' }
    }
    $null = Initialize-MzDeploy -Profile test -Path ([System.IO.Path]::GetTempPath()) -ClusterSize xsmall

    $script:Parent = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-stage-' + [guid]::NewGuid().ToString('n').Substring(0, 10))
    $null = New-Item -ItemType Directory -Path $Parent
    $script:Project = (New-MzProject -Name shop -Path $Parent).FullName
    Initialize-MzExampleProduction -Path $Project -Profile test
    $script:Stalled = Join-Path $Project 'models/materialize/monitoring/stalled_orders.sql'

    function Get-Count([string] $Where) { [int]@(Invoke-TestSql $Emulator "SELECT count(*) FROM $Where")[0] }
    function Get-RowCount([string] $Id) {
        (Get-Count "_mz_deploy.tables.deployments WHERE deploy_id = '$Id'") + (Get-Count "_mz_deploy.tables.objects WHERE deploy_id = '$Id'") +
        (Get-Count "_mz_deploy.tables.clusters WHERE deploy_id = '$Id'")
    }
    function Get-Staged([string] $Id) {
        @(Invoke-TestSql $Emulator ("SELECT 'schema ' || d.name || '.' || s.name FROM mz_schemas s JOIN mz_databases d ON d.id = s.database_id " +
                "WHERE s.name LIKE '%\_$Id' UNION ALL SELECT 'cluster ' || name FROM mz_clusters WHERE name LIKE '%\_$Id' ORDER BY 1"))
    }
    function Get-Statements {
        [int]@(Invoke-TestSql $Emulator "SELECT count(*) FROM mz_emulator.statement_log WHERE sql NOT ILIKE '%mz_emulator.%'")[0]
    }
    function Save-Commit([string] $Message) { Save-MzGitCommit -Path $Project -Message $Message }
    function Invoke-Quiet([scriptblock] $Script) {
        # Captures the information stream (host messages) as text, and the output objects.
        $output = & $Script 6>&1
        [pscustomobject]@{
            Objects = @($output | Where-Object { $_ -isnot [System.Management.Automation.InformationRecord] })
            Text    = ($output | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { "$_" }) -join "`n"
        }
    }
}

AfterAll {
    Stop-TestEmulator $Emulator
    Remove-Item Env:MZ_PESTER_STAGE_MONITOR_PASSWORD -ErrorAction SilentlyContinue
    Remove-Item $Parent -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Staging the order-monitoring example' {
    It '-DryRun shows the plan under the commit''s short hash and writes nothing' {
        Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_statement_log()'
        $head = (git -C $Project rev-parse HEAD).Substring(0, 7)

        $plan = Invoke-MzStage -Profile test -Path $Project -DryRun

        $plan | Should -BeOfType MzDeploy.MzStagePlan
        $plan.DeployId | Should -Be $head
        "$($plan.Schemas)" | Should -Be "materialize.monitoring -> materialize.monitoring_$head"
        "$($plan.Clusters)" | Should -Be "orders -> orders_$head"
        $plan.Objects | Should -Be @('materialize.monitoring.stalled_orders', 'materialize.monitoring.stalled_orders_by_customer')
        $plan.Statements | Should -Contain "CREATE CLUSTER orders_$head (SIZE = '25cc', REPLICATION FACTOR = 1, INTROSPECTION DEBUGGING = false, INTROSPECTION INTERVAL = INTERVAL '00:00:01', SCHEDULE = MANUAL);"
        $plan.Statements[0] | Should -Be 'CREATE DATABASE IF NOT EXISTS materialize;'
        Get-Staged $head | Should -BeNullOrEmpty
        Get-Count '_mz_deploy.tables.deployments' | Should -Be 0
        @(Invoke-TestSql $Emulator "SELECT count(*) FROM mz_emulator.statement_log WHERE sql ILIKE 'CREATE%' OR sql ILIKE 'INSERT%'")[0] | Should -Be 0
    }

    It '-WhatIf lists the SQL it would run and changes nothing' {
        $transcript = Join-Path ([System.IO.Path]::GetTempPath()) ("mzdeploy-stage-whatif-" + [guid]::NewGuid().ToString('n') + '.txt')
        $null = Start-Transcript -Path $transcript
        try { $output = Invoke-MzStage -Profile test -Path $Project -DeployId whatif -WhatIf }
        finally { $null = Stop-Transcript }
        $text = Get-Content $transcript -Raw
        Remove-Item $transcript

        $output | Should -BeNullOrEmpty
        $text | Should -Match "What if: Stage deployment 'whatif': 1 schema\(s\), 1 cluster\(s\), 2 object\(s\)"
        $text | Should -Match ([regex]::Escape('CREATE SCHEMA materialize.monitoring_whatif;'))
        $text | Should -Match ([regex]::Escape("CREATE CLUSTER orders_whatif (SIZE = '25cc', REPLICATION FACTOR = 1, INTROSPECTION DEBUGGING = false, INTROSPECTION INTERVAL = INTERVAL '00:00:01', SCHEDULE = MANUAL);"))
        Get-Staged 'whatif' | Should -BeNullOrEmpty
        Get-Count '_mz_deploy.tables.deployments' | Should -Be 0
    }

    It 'a first stage creates the staging schema, cluster and tracking rows, and Get-MzDeployment lists it' {
        Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_statement_log()'
        $deployment = Invoke-MzStage -Profile test -Path $Project -DeployId v1
        $statements = Get-Statements

        $deployment | Should -BeOfType MzDeploy.MzDeployment
        $deployment.DeployId | Should -Be 'v1'
        $deployment.Schemas | Should -Be @('materialize.monitoring')
        $deployment.Commit | Should -Be (git -C $Project rev-parse HEAD)
        $deployment.DeployedBy | Should -Be 'materialize'
        $deployment.Objects.Name | Should -Be @('stalled_orders', 'stalled_orders_by_customer')
        $deployment.Clusters.Cluster | Should -Be @('orders_v1')
        Get-Staged 'v1' | Should -Be @('cluster orders_v1', 'schema materialize.monitoring_v1')
        Get-Count "mz_materialized_views v JOIN mz_schemas s ON s.id = v.schema_id WHERE s.name = 'monitoring_v1'" | Should -Be 1
        Invoke-TestSql $Emulator "SELECT kind || ' ' || mode || ' ' || (promoted_at IS NULL)::text FROM _mz_deploy.tables.deployments WHERE deploy_id = 'v1'" |
            Should -Be 'objects stage true'
        Get-Count "_mz_deploy.tables.clusters c JOIN mz_clusters m ON m.id = c.cluster_id WHERE c.deploy_id = 'v1' AND m.name = 'orders'" | Should -Be 1
        (Get-MzDeployment -Profile test -Path $Project).DeployId | Should -Be @('v1')
        # Two objects, each with one companion statement; everything else is a fixed cost.
        $statements | Should -BeLessOrEqual (2 + 30)
    }

    It 'refuses a deploy ID that already exists' {
        { Invoke-MzStage -Profile test -Path $Project -DeployId v1 } | Should -Throw -ErrorId 'DeploymentExists,*' -ExpectedMessage "*deployment 'v1' already exists*"
    }

    It 'refuses an invalid deploy ID' {
        { Invoke-MzStage -Profile test -Path $Project -DeployId 'Bad.ID' } | Should -Throw -ErrorId 'InvalidDeployId,*'
    }

    It 'refuses a dirty working tree unless -AllowDirty' {
        Set-Content -Path (Join-Path $Project 'notes.txt') -Value 'draft'
        try {
            { Invoke-MzStage -Profile test -Path $Project -DeployId dirty -DryRun } | Should -Throw -ErrorId 'GitDirty,*'
            (Invoke-MzStage -Profile test -Path $Project -DeployId dirty -DryRun -AllowDirty).DeployId | Should -Be 'dirty'
        }
        finally { Remove-Item (Join-Path $Project 'notes.txt') }
    }

    It 'refuses a monitor, naming the deployer role' {
        Invoke-TestSql $Emulator "CREATE ROLE $Monitor WITH LOGIN PASSWORD '$Secret'"
        Invoke-TestSql $Emulator "GRANT materialize_monitor TO $Monitor"
        $caught = $null
        $streams = try { Invoke-MzStage -Profile monitor -Path $Project -DeployId mon -Verbose *>&1 } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'MzDeployRoleRequired,*'
        $caught.Exception.Message | Should -Match 'materialize_deployer'
        (($streams | Out-String) + ($caught | Out-String)) | Should -Not -Match ([regex]::Escape($Secret))
        Get-Staged 'mon' | Should -BeNullOrEmpty
    }
}

Describe 'Refusing conflicting redeploy options' {
    It 'refuses a schema the project does not have, and both redeploy switches together' {
        { Invoke-MzStage -Profile test -Path $Project -DeployId forced -RedeploySchema materialize.nothing -DryRun } |
            Should -Throw -ErrorId 'InvalidRedeploySchema,*'
        { Invoke-MzStage -Profile test -Path $Project -DeployId forced -RedeploySchema materialize.monitoring -RedeployAll -DryRun } |
            Should -Throw -ErrorId 'RedeployOptionsConflict,*'
    }
}

Describe 'Staging as a deployer' {
    It 'stages as a materialize_deployer with a ${VAR} password, records the user, and never shows the password' {
        Invoke-TestSql $Emulator "CREATE ROLE $Deployer WITH LOGIN PASSWORD '$Secret'"
        Invoke-TestSql $Emulator "GRANT materialize_deployer TO $Deployer"
        foreach ($grant in "CREATE ON DATABASE materialize", "USAGE ON SCHEMA materialize.sales", "SELECT ON materialize.sales.orders",
            "USAGE ON CLUSTER orders") {
            Invoke-TestSql $Emulator "GRANT $grant TO $Deployer"
        }

        $streams = Invoke-MzStage -Profile deployer -Path $Project -DeployId bydeployer -Verbose *>&1
        $deployment = $streams | Where-Object { $_ -is [MzDeploy.MzDeployment] }

        $deployment.DeployedBy | Should -Be $Deployer
        ($streams | Out-String -Width 400) | Should -Match ([regex]::Escape("Connected as '$Deployer' (materialize_deployer)."))
        ($streams | Out-String -Width 400) | Should -Not -Match ([regex]::Escape($Secret))
        Remove-MzDeployment -Profile deployer -Path $Project -DeployId bydeployer -Confirm:$false
        Get-Staged 'bydeployer' | Should -BeNullOrEmpty
    }
}

Describe 'Re-staging after promotion' {
    BeforeAll {
        # Promote v1 the way Publish-MzDeployment records it, so production has a snapshot.
        Remove-MzDeployment -Profile test -Path $Project -DeployId v1 -Confirm:$false
        $null = Invoke-MzStage -Profile test -Path $Project -DeployId base
        Invoke-TestSql $Emulator "UPDATE _mz_deploy.tables.deployments SET promoted_at = now() WHERE deploy_id = 'base'"
        Invoke-TestSql $Emulator 'CREATE SCHEMA IF NOT EXISTS materialize.monitoring'
    }

    It '-RedeploySchema stages a schema that did not change since its promotion' {
        $plan = Invoke-MzStage -Profile test -Path $Project -DeployId forced -RedeploySchema materialize.monitoring -DryRun
        $plan.Reasons | Should -Contain 'materialize.monitoring.stalled_orders: forced by -RedeploySchema'
    }

    It '-RedeploySchema takes mz-deploy''s comma list like an array, and names a malformed entry' {
        $array = Invoke-MzStage -Profile test -Path $Project -DeployId forced -RedeploySchema materialize.monitoring, materialize.sales -DryRun
        $list = Invoke-MzStage -Profile test -Path $Project -DeployId forced -RedeploySchema 'materialize.monitoring, ,materialize.sales ' -DryRun

        $list.Reasons | Should -Contain 'materialize.monitoring.stalled_orders: forced by -RedeploySchema'
        $list.Reasons | Should -Be $array.Reasons
        $list.Statements | Should -Be $array.Statements
        { Invoke-MzStage -Profile test -Path $Project -DeployId forced -RedeploySchema 'materialize.monitoring,monitoring' -DryRun } |
            Should -Throw -ErrorId 'InvalidRedeploySchema,*' -ExpectedMessage "*invalid schema to redeploy 'monitoring'*"
    }

    It 'a formatting-only change deploys nothing and says so' {
        $text = Get-Content $Stalled -Raw
        Set-Content -Path $Stalled -Value ("-- reformatted`n" + ($text -replace 'SELECT\r?\n', "SELECT   `n"))
        Save-Commit 'reformat'

        $result = Invoke-Quiet { Invoke-MzStage -Profile test -Path $Project -DeployId fmt }

        $result.Objects | Should -BeNullOrEmpty
        $result.Text | Should -Match 'No changes detected compared to production'
        Get-Count "_mz_deploy.tables.deployments WHERE deploy_id = 'fmt'" | Should -Be 0
        Get-Staged 'fmt' | Should -BeNullOrEmpty
    }

    It 're-stage after changing stalled_orders deploys only it, its dependent view and their schema' {
        (Get-Content $Stalled -Raw).Replace("'30 minutes'", "'1 hour'") | Set-Content -Path $Stalled -NoNewline
        Save-Commit 'stall after an hour'

        $plan = Invoke-MzStage -Profile test -Path $Project -DeployId hour -DryRun
        $plan.Objects | Should -Be @('materialize.monitoring.stalled_orders', 'materialize.monitoring.stalled_orders_by_customer')
        "$($plan.Schemas)" | Should -Be 'materialize.monitoring -> materialize.monitoring_hour'
        $plan.Reasons | Should -Be @('materialize.monitoring.stalled_orders: changed',
            'materialize.monitoring.stalled_orders_by_customer: depends on materialize.monitoring.stalled_orders')
        $plan.Statements | Where-Object { $_ -match 'sales' -and $_ -notmatch 'FROM materialize\.sales\.orders' } | Should -BeNullOrEmpty

        $deployment = Invoke-MzStage -Profile test -Path $Project -DeployId hour
        $deployment.Objects.Name | Should -Be @('stalled_orders', 'stalled_orders_by_customer')
        (Invoke-TestSql $Emulator "SELECT definition FROM mz_materialized_views v JOIN mz_schemas s ON s.id = v.schema_id WHERE s.name = 'monitoring_hour'") -join ' ' |
            Should -Match '01:00:00|1 hour'
    }
}

Describe 'Failures and removal' {
    It 'a failure mid-stage rolls back everything it created' {
        Invoke-TestSql $Emulator "SELECT mz_emulator.inject_fault('CREATE VIEW %stalled_orders_by_customer%')"
        $caught = $null
        $warnings = try { Invoke-MzStage -Profile test -Path $Project -DeployId boom -RedeployAll 3>&1 } catch { $caught = $_ }

        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception.Message | Should -Match 'fault injected'
        ($warnings | Out-String) | Should -Match "Rolled back 'boom': dropped 1 schema\(s\) and 1 cluster\(s\)"
        Get-Staged 'boom' | Should -BeNullOrEmpty
        Get-RowCount 'boom' | Should -Be 0
    }

    It 'with -NoRollback leaves the partial stage for Remove-MzDeployment, which removes all of it' {
        Invoke-TestSql $Emulator "SELECT mz_emulator.inject_fault('CREATE VIEW %stalled_orders_by_customer%')"
        $warnings = try { Invoke-MzStage -Profile test -Path $Project -DeployId partial -RedeployAll -NoRollback 3>&1 } catch { $null }
        ($warnings | Out-String) | Should -Match 'Remove-MzDeployment -DeployId partial'
        Get-Staged 'partial' | Should -Be @('cluster orders_partial', 'schema materialize.monitoring_partial')
        Get-RowCount 'partial' | Should -BeGreaterThan 0

        $result = Get-MzDeployment -Profile test -Path $Project -DeployId partial | Remove-MzDeployment -Profile test -Path $Project -Confirm:$false -PassThru

        $result | Should -BeOfType MzDeploy.MzAbortResult
        $result.DroppedSchemas | Should -Be @('materialize.monitoring_partial')
        $result.DroppedClusters | Should -Be @('orders_partial')
        Get-Staged 'partial' | Should -BeNullOrEmpty
        Get-RowCount 'partial' | Should -Be 0
    }

    It 'Remove-MzDeployment -WhatIf changes nothing' {
        Remove-MzDeployment -Profile test -Path $Project -DeployId hour -WhatIf
        Get-Staged 'hour' | Should -Be @('cluster orders_hour', 'schema materialize.monitoring_hour')
    }

    It 'reports an unknown and a promoted deployment as errors and goes on with the next one' {
        $removed = 'nope', 'base', 'hour' | ForEach-Object { [pscustomobject]@{ DeployId = $_ } } |
            Remove-MzDeployment -Profile test -Path $Project -WhatIf -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue
        $removed | Should -BeNullOrEmpty
        $problems.FullyQualifiedErrorId | Should -Be @('DeploymentNotFound,MzDeploy.PowerShell.Cmdlets.RemoveMzDeploymentCommand',
            'DeploymentAlreadyPromoted,MzDeploy.PowerShell.Cmdlets.RemoveMzDeploymentCommand')
        $problems[1].TargetObject | Should -Be 'base'
        { Remove-MzDeployment -Profile test -Path $Project -DeployId base -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'DeploymentAlreadyPromoted,*'
        Get-Count "_mz_deploy.tables.deployments WHERE deploy_id = 'base'" | Should -Be 1
        Get-Staged 'hour' | Should -Be @('cluster orders_hour', 'schema materialize.monitoring_hour')
    }

    It 'of two stages of one deploy ID started at the same moment from two processes, exactly one stages' {
        $at = [DateTime]::UtcNow.AddSeconds(15)
        $jobs = foreach ($n in 1, 2) {
            Start-Job -ScriptBlock {
                param($Module, $Path, $At)
                Import-Module $Module
                while ([DateTime]::UtcNow -lt $At) { Start-Sleep -Milliseconds 2 }
                $errors = @()
                $deployment = try { Invoke-MzStage -Profile test -Path $Path -DeployId twin -RedeployAll -WarningAction SilentlyContinue } catch { $errors = @($_) }
                [pscustomobject]@{ Staged = $null -ne $deployment -and $errors.Count -eq 0; ErrorId = "$($errors[0].FullyQualifiedErrorId)" }
            } -ArgumentList $env:MZDEPLOY_MODULE, $Project, $at
        }
        $results = $jobs | Wait-Job -Timeout 180 | Receive-Job
        $jobs | Remove-Job -Force

        @($results | Where-Object Staged).Count | Should -Be 1
        # The later one is refused by whichever check it reaches first: the claim, or the staging names already taken.
        @($results | Where-Object { -not $_.Staged }).ErrorId | Should -Match '^(DeploymentExists|StagingNameTaken),'
        Get-Count "_mz_deploy.tables.deployments WHERE deploy_id = 'twin'" | Should -Be 1
        Get-Staged 'twin' | Should -Be @('cluster orders_twin', 'schema materialize.monitoring_twin')
        Remove-MzDeployment -Profile test -Path $Project -DeployId twin -Confirm:$false
        Get-Staged 'twin' | Should -BeNullOrEmpty
    }

    It 'a claim left by a crashed stage blocks its deploy ID until Remove-MzDeployment releases it' {
        Invoke-TestSql $Emulator 'CREATE SCHEMA _mz_deploy.deploy_orphan_pending'
        { Invoke-MzStage -Profile test -Path $Project -DeployId orphan -RedeployAll } | Should -Throw -ErrorId 'DeploymentExists,*'
        Get-Count "_mz_deploy.tables.deployments WHERE deploy_id = 'orphan'" | Should -Be 0

        Remove-MzDeployment -Profile test -Path $Project -DeployId orphan -Confirm:$false

        Get-Count "mz_schemas WHERE name = 'deploy_orphan_pending'" | Should -Be 0
        (Invoke-MzStage -Profile test -Path $Project -DeployId orphan -RedeployAll).DeployId | Should -Be 'orphan'
        Remove-MzDeployment -Profile test -Path $Project -DeployId orphan -Confirm:$false
    }

    It 'reports its progress statement by statement and completes the bar' {
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("`$ProgressPreference = 'Continue'; Import-Module '$env:MZDEPLOY_MODULE'; " +
                "Invoke-MzStage -Profile test -Path '$Project' -DeployId prog -RedeployAll")
            $deployment = $shell.Invoke()
            $shell.Streams.Error | Should -BeNullOrEmpty
            $progress = @($shell.Streams.Progress | Where-Object Activity -EQ "Staging deployment 'prog'")
        }
        finally { $shell.Dispose() }

        $deployment.DeployId | Should -Be 'prog'
        $running = @($progress | Where-Object RecordType -EQ 'Processing')
        $running.Count | Should -BeGreaterThan 3
        $running[0].PercentComplete | Should -Be 0
        $running[0].CurrentOperation | Should -Match '^statement 1 of \d+$'
        @($running | Where-Object StatusDescription -Match '^CreateCluster orders_prog$').Count | Should -Be 1
        $running.PercentComplete | Should -Be ($running.PercentComplete | Sort-Object)
        $progress[-1].RecordType | Should -Be 'Completed'
        Remove-MzDeployment -Profile test -Path $Project -DeployId prog -Confirm:$false
    }

    It 'an aborted ID can be staged again' {
        Remove-MzDeployment -Profile test -Path $Project -DeployId hour -Confirm:$false
        Get-Staged 'hour' | Should -BeNullOrEmpty
        (Invoke-MzStage -Profile test -Path $Project -DeployId hour).DeployId | Should -Be 'hour'
    }
}

Describe 'Round trips' {
    It 'staging N objects costs at most N + 30 statements' {
        $models = Join-Path $Project 'models/materialize/wide'
        $null = New-Item -ItemType Directory -Path $models -Force
        foreach ($n in 1..40) { Set-Content -Path (Join-Path $models "v$n.sql") -Value "CREATE VIEW v$n AS SELECT $n AS n" }
        Save-Commit 'forty views'
        Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_statement_log()'

        $deployment = Invoke-MzStage -Profile test -Path $Project -DeployId wide
        $statements = Get-Statements

        @($deployment.Objects | Where-Object Schema -eq 'wide').Count | Should -Be 40
        $staged = $deployment.Objects.Count
        Write-Host "Staging $staged objects took $statements statements."
        $statements | Should -BeLessOrEqual ($staged + 30)
        $statements | Should -BeGreaterOrEqual $staged
    }
}

Describe 'Formatting' {
    It 'shows a stage plan as a list of names' {
        $text = Invoke-MzStage -Profile test -Path $Project -DeployId fmtplan -RedeployAll -DryRun | Out-String -Width 200
        $text | Should -Match 'materialize\.monitoring -> materialize\.monitoring_fmtplan'
        $text | Should -Match 'orders -> orders_fmtplan'
        $text | Should -Match '\d+ statement\(s\); see \.Statements'
    }
}
