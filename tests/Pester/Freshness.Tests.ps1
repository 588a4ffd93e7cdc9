# The freshness gate (issue 17), end to end against an emulator of its own: Wait-MzDeployment -StableFor is ready only
# once every staging cluster has stayed ready for that long with no replica OOM-killed, and a break midway (lag, an OOM
# kill) restarts the timer; Publish-MzDeployment -StableFor watches before it promotes and refuses when the deployment
# does not stay ready. Knobs are turned while the command runs in a PowerShell instance of its own.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Emulator = Start-TestEmulator
    $null = Initialize-MzDeploy -Profile test -Path ([System.IO.Path]::GetTempPath()) -ClusterSize xsmall
    $script:Parent = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-fresh-' + [guid]::NewGuid().ToString('n').Substring(0, 10))
    $null = New-Item -ItemType Directory -Path $Parent
    $script:Project = (New-MzProject -Name shop -Path $Parent).FullName
    Initialize-MzExampleProduction -Path $Project -Profile test
    $script:Common = @{ Profile = 'test'; Path = $Project }

    function Set-Lag([string] $Cluster, [string] $Lag) {
        $null = Invoke-TestSql $Emulator "SELECT mz_emulator.set_lag('$Cluster', interval '$Lag')"
    }
    function Add-OomKill([string] $Cluster) {
        $replica = @(Invoke-TestSql $Emulator ("SELECT r.name FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id " +
                "WHERE c.name = '$Cluster'"))[0]
        $null = Invoke-TestSql $Emulator "SELECT mz_emulator.inject_oom_kill('$Cluster', '$replica')"
    }
    function Start-Background([string] $Script) {
        $shell = [powershell]::Create()
        $null = $shell.AddScript("`$ProgressPreference = 'Continue'; Import-Module '$env:MZDEPLOY_MODULE'; $Script")
        [pscustomobject]@{ Shell = $shell; Handle = $shell.BeginInvoke() }
    }
    # Waits (up to two minutes, to fail rather than hang) until a progress record's status matches $Like.
    function Wait-Progress($Background, [string] $Like) {
        $deadline = [DateTime]::UtcNow.AddMinutes(2)
        while (-not @($Background.Shell.Streams.Progress | Where-Object { $_.StatusDescription -like $Like }).Count) {
            if ($Background.Handle.IsCompleted) { throw "ended before '$Like': $($Background.Shell.Streams.Error | Out-String)" }
            if ([DateTime]::UtcNow -gt $deadline) { throw "no progress like '$Like' within two minutes" }
            Start-Sleep -Milliseconds 100
        }
    }
    # Runs $Script in the background; once it counts down (everything ready), runs $Disturb; returns when and what came out.
    function Invoke-Disturbed([string] $Script, [scriptblock] $Disturb) {
        $background = Start-Background $Script
        try {
            Wait-Progress $background '*stable*left*'
            $disturbed = & $Disturb $background
            $output = @($background.Shell.EndInvoke($background.Handle))
            [pscustomobject]@{
                Output = $output; Ended = [DateTime]::UtcNow; Disturbed = $disturbed
                Verbose = @($background.Shell.Streams.Verbose.Message); Errors = @($background.Shell.Streams.Error)
                Progress = @($background.Shell.Streams.Progress.StatusDescription)
            }
        }
        finally { $background.Shell.Dispose() }
    }

    $null = Invoke-MzStage @Common -DeployId f1
}

AfterAll {
    Stop-TestEmulator $Emulator
    Remove-Item $Parent -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Wait-MzDeployment -StableFor' {
    It 'counts down while everything is ready; lag midway restarts the timer, which runs its whole length again' {
        $run = Invoke-Disturbed "Wait-MzDeployment -Profile test -Path '$Project' -DeployId f1 -StableFor 8 -Timeout 120 -Verbose" {
            param($background)
            Set-Lag 'orders_f1' '10 minutes'
            Wait-Progress $background '*lagging 600s*'
            $restored = [DateTime]::UtcNow
            Set-Lag 'orders_f1' '1 second'
            $restored
        }

        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Status | Should -Be 'Ready'
        ($run.Ended - $run.Disturbed).TotalSeconds | Should -BeGreaterOrEqual 7.5 -Because 'the 8 s start over once the lag is gone'
        ($run.Verbose -join "`n") | Should -Match "the timer restarted \(orders_f1: lagging 600s \(allowed \d+s\)\)"
        $run.Progress | Where-Object { $_ -like '*stable*left*' } | Should -Not -BeNullOrEmpty
    }

    It 'an OOM kill midway restarts the timer at the kill' {
        $run = Invoke-Disturbed "Wait-MzDeployment -Profile test -Path '$Project' -DeployId f1 -StableFor 8 -Timeout 120 -Verbose" {
            $killed = [DateTime]::UtcNow
            Add-OomKill 'orders_f1'
            $killed
        }

        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Status | Should -Be 'Ready'
        ($run.Ended - $run.Disturbed).TotalSeconds | Should -BeGreaterOrEqual 6.5 -Because 'the 8 s count from the kill (whole seconds)'
        ($run.Verbose -join "`n") | Should -Match 'the timer restarted \(orders_f1: a replica was OOM-killed \d+s ago\)'
    }

    It 'times out saying how long it was stable of how long required' {
        $problems = $null
        $output = Wait-MzDeployment @Common -DeployId f1 -StableFor 600 -Timeout 2 -ErrorVariable problems -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WaitTimeout,*'
        $problems[0].Exception.Message | Should -Match "deployment 'f1' is not ready after 2s: ready, but stable for only \ds of the required 10m 0s"
    }
}

Describe 'Publish-MzDeployment -StableFor' {
    It 'refuses to promote when a replica is OOM-killed while it watches, and says how to wait instead' {
        $null = Invoke-MzStage @Common -DeployId f2 -RedeployAll
        $run = Invoke-Disturbed "Publish-MzDeployment -Profile test -Path '$Project' -DeployId f2 -StableFor 30 -Force" {
            $killed = [DateTime]::UtcNow
            Add-OomKill 'orders_f2'
            $killed
        }

        $run.Output | Should -BeNullOrEmpty
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DeploymentNotStable,*'
        $run.Errors[0].Exception.Message | Should -Match "deployment 'f2' did not stay ready for 30s: after \d+s of watching, orders_f2: a replica was OOM-killed"
        $run.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'Wait-MzDeployment -DeployId f2 -StableFor 30 \| Publish-MzDeployment'
        (Get-MzDeployment @Common -DeployId f2).PromotedAt | Should -BeNullOrEmpty
        ($run.Ended - $run.Disturbed).TotalSeconds | Should -BeLessThan 20 -Because 'it refuses at the next poll, not at the end'
    }

    It 'promotes once the deployment stayed ready for the whole time (the kill just before it started is not in its window)' {
        $started = [DateTime]::UtcNow
        $promotion = Publish-MzDeployment @Common -DeployId f2 -StableFor 3 -Force -InformationVariable said

        $promotion.DeployId | Should -Be 'f2'
        ([DateTime]::UtcNow - $started).TotalSeconds | Should -BeGreaterOrEqual 3
        ($said -join "`n") | Should -Match "Deployment 'f2' stayed ready for 3s with no replica OOM-killed: promoting"
    }

    It 'a deployment that is not ready is refused at once, as without -StableFor' {
        $null = Invoke-MzStage @Common -DeployId f3 -RedeployAll
        Set-Lag 'orders_f3' '10 minutes'
        $problems = $null
        $output = Publish-MzDeployment @Common -DeployId f3 -StableFor 30 -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ClustersNotReady,*'
    }
}
