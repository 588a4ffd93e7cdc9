# Waiting for staged deployments to be ready, end to end: the built module against an emulator started
# for this file, set up with Initialize-MzDeploy, staging the example project of New-MzProject. The
# emulator's knobs make staging clusters hydrate slowly, lag, or OOM-loop; its statement log shows
# what the wait's connection ran. The last test promotes with Publish-MzDeployment.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Secret = 'Pester-S3cret-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
    $script:Monitor = 'pester_wait_monitor_' + [guid]::NewGuid().ToString('n').Substring(0, 6)
    $env:MZ_PESTER_WAIT_MONITOR_PASSWORD = $Secret
    $script:Emulator = Start-TestEmulator -Profiles @{
        monitor = @{ username = $Monitor; password = '${MZ_PESTER_WAIT_MONITOR_PASSWORD}' }
    }
    Enable-PromoteInvariant -Emulator $Emulator
    $null = Initialize-MzDeploy -Profile test -Path ([System.IO.Path]::GetTempPath()) -ClusterSize xsmall
    Invoke-TestSql $Emulator "CREATE ROLE $Monitor WITH LOGIN PASSWORD '$Secret'"
    Invoke-TestSql $Emulator "GRANT materialize_monitor TO $Monitor"

    $script:Parent = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-wait-' + [guid]::NewGuid().ToString('n').Substring(0, 10))
    $null = New-Item -ItemType Directory -Path $Parent
    $script:Project = (New-MzProject -Name shop -Path $Parent).FullName
    Initialize-MzExampleProduction -Path $Project -Profile test
    # The example's two materialized views run on cluster 'orders': each deployment stages them on orders_<id>.
    $script:Common = @{ Profile = 'test'; Path = $Project }

    function Set-Hydration([string] $Cluster, [string] $Delay) {
        $null = Invoke-TestSql $Emulator "SELECT mz_emulator.set_hydration_delay('$Cluster', interval '$Delay')"
    }
    function Set-Lag([string] $Cluster, [string] $Lag) {
        $null = Invoke-TestSql $Emulator "SELECT mz_emulator.set_lag('$Cluster', interval '$Lag')"
    }
    # Runs Wait-MzDeployment with -ErrorAction SilentlyContinue; returns what it wrote and the errors it reported.
    function Invoke-Wait([hashtable] $Arguments) {
        $problems = $null
        $output = @(Wait-MzDeployment @Common @Arguments -ErrorVariable problems -ErrorAction SilentlyContinue)
        [pscustomobject]@{ Output = $output; Errors = @($problems) }
    }
    # Starts a script in a PowerShell instance of its own (with the module imported and this file's
    # profiles), so the test can watch its progress stream and change knobs while it runs.
    function Start-Background([string] $Script) {
        $shell = [powershell]::Create()
        $null = $shell.AddScript("`$ProgressPreference = 'Continue'; Import-Module '$env:MZDEPLOY_MODULE'; $Script")
        [pscustomobject]@{ Shell = $shell; Handle = $shell.BeginInvoke() }
    }
    # Waits (up to two minutes, to fail rather than hang) until $Condition holds for the instance's progress records.
    function Wait-Progress($Background, [scriptblock] $Condition) {
        $deadline = [DateTime]::UtcNow.AddMinutes(2)
        while (-not (& $Condition @($Background.Shell.Streams.Progress))) {
            if ($Background.Handle.IsCompleted) { throw "the wait ended early: $($Background.Shell.Streams.Error | Out-String)" }
            if ([DateTime]::UtcNow -gt $deadline) { throw 'no such progress within two minutes' }
            Start-Sleep -Milliseconds 100
        }
    }

    $null = Invoke-MzStage @Common -DeployId w1
}

AfterAll {
    $violations = Get-PromoteInvariantViolations
    Disable-PromoteInvariant
    Stop-TestEmulator $Emulator
    Remove-Item Env:MZ_PESTER_WAIT_MONITOR_PASSWORD -ErrorAction SilentlyContinue
    Remove-Item $Parent -Recurse -Force -ErrorAction SilentlyContinue
    $violations | Should -BeNullOrEmpty
}

Describe 'Waiting for a deployment to hydrate' {
    BeforeAll {
        # The staging cluster hydrates only when the test lets it: after the wait has polled it hydrating a few times.
        Set-Hydration 'orders_w1' '1 hour'
        Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_statement_log()'
        $background = Start-Background "Wait-MzDeployment -Profile test -Path '$Project' -DeployId w1 -Verbose"
        try {
            Wait-Progress $background { param($records) @($records | Where-Object { $_.ParentActivityId -ge 0 -and $_.StatusDescription -like '*hydrating 0/2*' }).Count -ge 3 }
            Set-Hydration 'orders_w1' '0 seconds'
            $script:Statuses = @($background.Shell.EndInvoke($background.Handle))
            $script:Progress = @($background.Shell.Streams.Progress)
            $script:Verbose = @($background.Shell.Streams.Verbose.Message)
            $script:WaitErrors = @($background.Shell.Streams.Error)
        }
        finally { $background.Shell.Dispose() }
    }

    It 'emits a Ready status per staging cluster once every object is hydrated' {
        $WaitErrors | Should -BeNullOrEmpty
        $Statuses.Count | Should -Be 1
        $status = $Statuses[0].psobject.BaseObject
        $status | Should -BeOfType MzDeploy.MzClusterStatus
        $status.DeployId | Should -Be 'w1'
        $status.Cluster | Should -Be 'orders_w1'
        $status.ProductionCluster | Should -Be 'orders'
        $status.Status | Should -Be ([MzDeploy.MzDeploymentStatus]::Ready)
        $status.HydratedObjects | Should -Be 2
        $status.TotalObjects | Should -Be 2
        $status.Replicas | Should -Be 1
    }

    It 'draws a bar per cluster under a bar for the deployment, and completes them' {
        $parents = @($Progress | Where-Object { $_.ParentActivityId -lt 0 -and $_.RecordType -eq 'Processing' })
        $children = @($Progress | Where-Object { $_.ParentActivityId -ge 0 -and $_.RecordType -eq 'Processing' })
        $parents[0].Activity | Should -Be "Waiting for 'w1'"
        $parents[0].StatusDescription | Should -Match '^\d+s elapsed · 0/1 ready · 1 hydrating$'
        $parents[-1].StatusDescription | Should -Match '^\d+s elapsed · 1/1 ready$'
        $children | ForEach-Object ParentActivityId | Sort-Object -Unique | Should -Be $parents[0].ActivityId
        $children | ForEach-Object ActivityId | Sort-Object -Unique | Should -Not -Be $parents[0].ActivityId
        $children[0].Activity | Should -Be 'orders_w1'
        $children[0].StatusDescription | Should -Be 'hydrating 0/2 objects' -Because 'the bar''s activity names the cluster already'
        $children[0].PercentComplete | Should -Be 0
        $children[-1].StatusDescription | Should -Be 'ready (2/2 objects)'
        $children[-1].PercentComplete | Should -Be 100
        $completed = @($Progress | Where-Object RecordType -EQ 'Completed')
        $completed.ActivityId | Sort-Object | Should -Be @($parents[0].ActivityId, $children[0].ActivityId | Sort-Object)
        $Progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'runs exactly one status query per poll on one connection, and nothing else again' {
        $Verbose | Should -Contain "Waiting for deployment 'w1' (1 staging cluster(s), allowed lag 300s)."
        $summary = $Verbose | Where-Object { $_ -match "^All 1 cluster\(s\) of 'w1' are ready after (\d+) poll\(s\)" }
        $summary | Should -Not -BeNullOrEmpty
        $polls = [int]$Matches[1]
        $polls | Should -BeGreaterOrEqual 4 -Because 'it polled hydrating three times, then ready'
        @($Progress | Where-Object { $_.ParentActivityId -lt 0 -and $_.RecordType -eq 'Processing' }).Count | Should -Be $polls

        $connections = @(Invoke-TestSql $Emulator "SELECT DISTINCT connection_id FROM mz_emulator.statement_log WHERE sql LIKE 'WITH staged AS%'")
        $connections.Count | Should -Be 1 -Because 'the whole wait runs on one connection'
        $ran = @(Invoke-TestSql $Emulator ("SELECT sql LIKE 'WITH staged AS%', count(*) FROM mz_emulator.statement_log " +
                "WHERE connection_id = $($connections[0]) GROUP BY sql ORDER BY 1"))
        $ran[-1] | Should -Be "t|$polls" -Because 'each poll is one status query'
        $others = @($ran | Where-Object { $_ -like 'f|*' })
        $others | Should -Not -BeNullOrEmpty
        @($others | Where-Object { $_ -ne 'f|1' }) | Should -BeNullOrEmpty -Because 'the checks before polling run once'
        $others.Count | Should -BeLessOrEqual 6
    }
}

Describe 'Reading the status once and timing out' {
    BeforeAll { Set-Hydration 'orders_w1' '1 hour' }
    AfterAll { Set-Hydration 'orders_w1' '0 seconds' }

    It '-Once emits the clusters as they are, hydrating, without an error' {
        $result = Invoke-Wait @{ DeployId = 'w1'; Once = $true }
        $result.Errors | Should -BeNullOrEmpty
        $result.Output.Count | Should -Be 1
        $result.Output[0].Status | Should -Be Hydrating
        $result.Output[0].HydratedObjects | Should -Be 0
        $result.Output[0].TotalObjects | Should -Be 2
        ($result.Output | Out-String -Width 200) | Should -Match 'w1\s+orders_w1\s+Hydrating\s+0/2'
    }

    It '-Once -PassThru passes the deployment on as it is' {
        $deployment = Wait-MzDeployment @Common -DeployId w1 -Once -PassThru
        $deployment | Should -BeOfType MzDeploy.MzDeployment
        $deployment.Status | Should -Be Hydrating
        $deployment.Clusters.Status | Should -Be Hydrating
    }

    It 'filters the clusters that are not ready' {
        (Wait-MzDeployment @Common -DeployId w1 -Once | Where-Object Status -ne Ready).Cluster | Should -Be 'orders_w1'
    }

    It 'reports WaitTimeout naming the cluster and its state when -Timeout expires, and emits nothing' {
        $result = Invoke-Wait @{ DeployId = 'w1'; Timeout = 2 }
        $result.Output | Should -BeNullOrEmpty
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'WaitTimeout,*'
        $result.Errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $result.Errors[0].TargetObject | Should -Be 'w1'
        $result.Errors[0].Exception.Message | Should -Be "deployment 'w1' is not ready after 2s: orders_w1: hydrating 0/2 objects"
    }

    It 'an unknown ID among several is reported, and the others are still waited for' {
        Set-Hydration 'orders_w1' '0 seconds'
        $result = Invoke-Wait @{ DeployId = 'nope', 'w1'; Timeout = 60 }
        $result.Errors.FullyQualifiedErrorId | Should -BeLike 'DeploymentNotFound,*'
        $result.Output.Cluster | Should -Be 'orders_w1'
        $result.Output.Status | Should -Be Ready
    }
}

Describe 'Lag' {
    BeforeAll { Set-Lag 'orders_w1' '10 minutes' }
    AfterAll { Set-Lag 'orders_w1' '1 second' }

    It 'a hydrated cluster lagging more than -AllowedLag is not ready' {
        (Wait-MzDeployment @Common -DeployId w1 -Once).Status | Should -Be Lagging
        $result = Invoke-Wait @{ DeployId = 'w1'; Timeout = 1; AllowedLag = 60 }
        $result.Output | Should -BeNullOrEmpty
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'WaitTimeout,*'
        $result.Errors[0].Exception.Message | Should -BeLike '*orders_w1: lagging 600s (allowed 60s)*'
    }

    It 'is ready with a larger -AllowedLag' {
        $status = Wait-MzDeployment @Common -DeployId w1 -AllowedLag 900 -Timeout 60
        $status.Status | Should -Be Ready
        $status.LagSeconds | Should -Be 600
    }
}

Describe 'Failing deployments' {
    It 'stops at once with DeploymentFailing when every replica is OOM-looping' {
        $null = Invoke-MzStage @Common -DeployId oom
        foreach ($replica in Invoke-TestSql $Emulator "SELECT r.name FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id WHERE c.name = 'orders_oom'") {
            1..3 | ForEach-Object { $null = Invoke-TestSql $Emulator "SELECT mz_emulator.inject_oom_kill('orders_oom', '$replica')" }
        }
        $result = Invoke-Wait @{ DeployId = 'oom'; Timeout = 120 }
        $result.Output | Should -BeNullOrEmpty
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DeploymentFailing,*'
        $result.Errors[0].Exception.Message | Should -BeLike "*orders_oom: failing (all 1 of 1 replicas OOM-looping (3+ crashes in 24h))*"
        $result.Errors[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It '-Once reports a failing cluster too' {
        $result = Invoke-Wait @{ DeployId = 'oom'; Once = $true }
        $result.Output | Should -BeNullOrEmpty
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DeploymentFailing,*'
    }

    It 'reports a staging cluster without replicas as failing' {
        $null = Invoke-MzStage @Common -DeployId norep
        Invoke-TestSql $Emulator 'ALTER CLUSTER orders_norep SET (REPLICATION FACTOR = 0)'
        $result = Invoke-Wait @{ DeployId = 'norep'; Timeout = 120 }
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DeploymentFailing,*'
        $result.Errors[0].Exception.Message | Should -BeLike '*orders_norep: failing (no replicas configured)*'
    }
}

Describe 'A dropped connection' {
    BeforeAll {
        Set-Hydration 'orders_w1' '1 hour'
        Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_statement_log()'
        # The wait's second status query loses its connection, as when a load balancer drops a long-lived one.
        Invoke-TestSql $Emulator "SELECT mz_emulator.inject_fault('WITH staged AS%', 2, 'close')"
        $background = Start-Background "Wait-MzDeployment -Profile test -Path '$Project' -DeployId w1 -Timeout 120 -Verbose"
        try {
            # Hydrating before the drop and again after the reconnect; then the cluster may hydrate.
            Wait-Progress $background { param($records) @($records | Where-Object { $_.ParentActivityId -ge 0 -and $_.StatusDescription -like '*hydrating 0/2*' }).Count -ge 2 }
            Set-Hydration 'orders_w1' '0 seconds'
            $script:Statuses = @($background.Shell.EndInvoke($background.Handle))
            $script:Progress = @($background.Shell.Streams.Progress)
            $script:Verbose = @($background.Shell.Streams.Verbose.Message)
            $script:WaitErrors = @($background.Shell.Streams.Error)
        }
        finally {
            $background.Shell.Dispose()
            $null = Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_faults()'
            Set-Hydration 'orders_w1' '0 seconds'
        }
    }

    It 'reconnects and goes on waiting until the deployment is ready, without an error' {
        $WaitErrors | Should -BeNullOrEmpty
        $Statuses.Status | Should -Be Ready
        $Statuses.Cluster | Should -Be 'orders_w1'
    }

    It 'reports the retry on the verbose stream and the progress bar, naming no SQL' {
        $retry = @($Verbose | Where-Object { $_ -like "Lost the connection while waiting for 'w1'*" })
        $retry.Count | Should -Be 1
        $retry[0] | Should -Match "^Lost the connection while waiting for 'w1' \(the connection to the server failed: .+\): reconnecting in 1s \(retry 1\)\.$"
        $retry[0] | Should -Not -Match 'WITH staged|SELECT|mz_catalog'
        $Progress | Where-Object { $_.ParentActivityId -lt 0 -and $_.StatusDescription -match '^\d+s elapsed · connection lost, retry 1 in 1s$' } |
            Should -Not -BeNullOrEmpty
    }

    It 'polls on a new connection after the drop' {
        $connections = @(Invoke-TestSql $Emulator "SELECT DISTINCT connection_id FROM mz_emulator.statement_log WHERE sql LIKE 'WITH staged AS%'")
        $connections.Count | Should -Be 2
    }

    It 'an error from the server quotes none of MzDeploy''s SQL; the statement goes to the debug stream' {
        Invoke-TestSql $Emulator "SELECT mz_emulator.inject_fault('WITH staged AS%', 1, 'error', 'status views unavailable')"
        $seen = [System.Collections.Generic.List[object]]::new()
        $failure = $null
        # $DebugPreference, not -Debug: -Debug would ask to continue after each debug line, and this host cannot answer.
        $DebugPreference = 'Continue'
        try { Wait-MzDeployment @Common -DeployId w1 -Once 5>&1 | ForEach-Object { $seen.Add($_) } }
        catch { $failure = $_ }
        finally { $null = Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_faults()' }

        $failure.FullyQualifiedErrorId | Should -BeLike 'SqlStatementFailed,*'
        $failure.Exception.Message | Should -BeExactly 'status views unavailable (SQLSTATE P0001)'
        ($failure | Out-String) | Should -Not -Match 'WITH staged|SELECT|mz_catalog'
        $debug = @($seen | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        @($debug.Message | Where-Object { $_ -like 'SqlStatementFailed: the statement was: WITH staged AS*' }).Count | Should -Be 1
    }
}

Describe 'Deployments that cannot be waited for' {
    It 'reports an unknown deploy ID as DeploymentNotFound' {
        $result = Invoke-Wait @{ DeployId = 'nope' }
        $result.Output | Should -BeNullOrEmpty
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DeploymentNotFound,*'
        $result.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $result.Errors[0].TargetObject | Should -Be 'nope'
    }

    It 'has nothing to wait for when a deployment has no staging clusters, and says so' {
        Invoke-TestSql $Emulator ("INSERT INTO _mz_deploy.tables.deployments VALUES ('views', now(), NULL, 'materialize', 'reports', " +
            "'alice', 'c0ffee1234', 'objects', 'stage')")
        $all = Wait-MzDeployment @Common -DeployId views -Verbose 4>&1
        @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -BeNullOrEmpty
        ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Contain "Deployment 'views' has no staging clusters: nothing to wait for."
        $deployment = Wait-MzDeployment @Common -DeployId views -PassThru
        $deployment | Should -BeOfType MzDeploy.MzDeployment
        $deployment.DeployId | Should -Be 'views'
        $deployment.Clusters | Should -BeNullOrEmpty
    }
}

Describe 'Pipelines, roles and Ctrl+C' {
    It 'waits for what Invoke-MzStage just staged and passes the deployment on with -PassThru' {
        $deployment = Invoke-MzStage @Common -DeployId piped | Wait-MzDeployment @Common -Timeout 120 -PassThru
        $deployment | Should -BeOfType MzDeploy.MzDeployment
        $deployment.DeployId | Should -Be 'piped'
        $deployment.Status | Should -Be Ready
        $deployment.Clusters.Cluster | Should -Be 'orders_piped'
        $deployment.Objects.Name | Should -Be @('stalled_orders', 'stalled_orders_by_customer')
    }

    It 'takes deploy IDs from Get-MzDeployment' {
        $statuses = Get-MzDeployment @Common -DeployId w1, piped | Wait-MzDeployment @Common -Timeout 120
        $statuses.Cluster | Should -Be @('orders_piped', 'orders_w1') -Because 'Get-MzDeployment emits them by deploy ID'
        $statuses.Status | Sort-Object -Unique | Should -Be Ready
    }

    It 'writes a line per cluster state change when its output is redirected, as in a CI log' {
        $command = "Import-Module '$env:MZDEPLOY_MODULE'; `$env:MZ_DEPLOY_PROFILES_DIR = '$($Emulator.ProfilesDirectory)'; " +
            "`$ErrorActionPreference = 'Stop'; Wait-MzDeployment -Profile test -Path '$Project' -DeployId w1 -Timeout 120 | " +
            "ForEach-Object { 'STATUS ' + `$_.Cluster }"

        $child = Invoke-ChildPwsh $command -NonInteractive

        $child.Exited | Should -BeTrue
        $child.Output | Should -Match '\[\d+s\] w1: orders_w1: ready \(2/2 objects\)'
        $child.Output | Should -Match 'STATUS orders_w1'
    }

    It 'lets a monitor wait' {
        $status = Wait-MzDeployment -Profile monitor -Path $Project -DeployId w1 -Timeout 120
        $status.Status | Should -Be Ready
    }

    It 'stops waiting on Ctrl+C' {
        Set-Hydration 'orders_w1' '1 hour'
        $background = Start-Background "Wait-MzDeployment -Profile test -Path '$Project' -DeployId w1"
        try {
            Wait-Progress $background { param($records) @($records | Where-Object ParentActivityId -GE 0).Count -ge 1 }
            $background.Shell.Stop()
            $background.Shell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $background.Shell.Dispose()
            Set-Hydration 'orders_w1' '0 seconds'
        }
    }
}

# Last: promoting makes the project's objects production, so nothing is left to stage after it.
Describe 'Waiting, then promoting' {
    It 'stages, waits and promotes in one pipeline, and a promoted deployment cannot be waited for' {
        $promotion = Invoke-MzStage @Common -DeployId shipped | Wait-MzDeployment @Common -Timeout 600 -PassThru |
            Publish-MzDeployment @Common -Confirm:$false
        $promotion.DeployId | Should -Be 'shipped'
        Invoke-TestSql $Emulator "SELECT promoted_at IS NOT NULL FROM _mz_deploy.tables.deployments WHERE deploy_id = 'shipped'" | Should -Be 't'

        $result = Invoke-Wait @{ DeployId = 'shipped' }
        $result.Output | Should -BeNullOrEmpty
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DeploymentAlreadyPromoted,*'
        $result.Errors[0].TargetObject | Should -Be 'shipped'
    }
}
