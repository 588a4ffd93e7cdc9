# The MzDeploy demo: a blue/green deployment of the order-monitoring example, start to finish, against
# a local emulator. Started by `./build.ps1 demo` in a child pwsh; everything it creates lives in a temp
# folder and is removed at the end.
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $EmulatorDll,
    # Seconds the staging cluster reports "hydrating" after the stage, so the wait has something to show.
    [int] $HydrationSeconds = 12
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
. (Join-Path $PSScriptRoot 'Emulator.ps1')
Import-Module $ModuleManifest -Force

function Write-Chapter([string] $Text) { Write-Host ''; Write-Host "━━ $Text" -ForegroundColor Cyan }
function Write-Command([string] $Text) { Write-Host "PS> $Text" -ForegroundColor Yellow }
function Show([object[]] $Objects, [string[]] $Property) {
    $Objects | Format-List -Property $Property | Out-String -Width 120 | ForEach-Object TrimEnd | Write-Host
}

$work = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-demo-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
$null = New-Item -ItemType Directory -Path $work
$previousProfiles = $env:MZ_DEPLOY_PROFILES_DIR
$emulator = $null
try {
    Write-Chapter 'Starting the Materialize emulator (PostgreSQL 15 behind a Materialize pgwire front end)'
    $emulator = Start-MzEmulatorProcess -EmulatorDll $EmulatorDll -DataDirectory (Join-Path $work 'emulator-data')
    $env:MZ_DEPLOY_PROFILES_DIR = New-MzEmulatorProfiles -Port $emulator.Port -Profiles @{ demo = @{ username = 'materialize' } } `
        -Folder (Join-Path $work 'profiles')
    $env:MZ_DEPLOY_PROFILE = 'demo'
    Write-Host "Emulator ready on 127.0.0.1:$($emulator.Port); profile 'demo' in $env:MZ_DEPLOY_PROFILES_DIR"
    function Invoke-Sql([string] $Sql) { Invoke-MzEmulatorSql -Port $emulator.Port -Sql $Sql }

    Write-Chapter 'A new project: the order-monitoring example in a fresh git repository'
    Write-Command 'New-MzProject -Name shop'
    $project = (New-MzProject -Name shop -Path $work).FullName
    Set-Location $project
    Get-ChildItem -Recurse -File -Filter *.sql | ForEach-Object { Write-Host ('  ' + [IO.Path]::GetRelativePath($project, $_.FullName)) }

    Write-Chapter 'Setting up the environment'
    Write-Command 'Initialize-MzDeploy -ClusterSize 25cc'
    Show (Initialize-MzDeploy -ClusterSize 25cc) 'Server', 'User', 'Created'
    Write-Host 'Invoke-MzApply creates the durable infrastructure the project defines: the cluster "orders" and the table materialize.sales.orders.'
    Write-Command 'Invoke-MzApply'
    Invoke-MzApply | Where-Object Action -NE Unmanaged | Format-Table Action, Type, Name -AutoSize | Out-String -Width 120 | ForEach-Object TrimEnd | Write-Host
    Write-Host 'The shop writes four orders.'
    Invoke-Sql ("INSERT INTO materialize.sales.orders VALUES (1, 'ada', 'open', 120, now() - INTERVAL '45 minutes'), " +
        "(2, 'ada', 'open', 80, now() - INTERVAL '3 hours'), (3, 'bob', 'open', 40, now() - INTERVAL '40 minutes'), " +
        "(4, 'cy', 'shipped', 99, now() - INTERVAL '5 hours')")

    Write-Chapter 'First deployment: stage, wait, promote'
    Write-Command 'Invoke-MzStage'
    $first = Invoke-MzStage
    Show $first 'DeployId', 'Status', 'Schemas', 'Clusters', 'Objects'
    $null = Invoke-Sql ("SELECT mz_emulator.set_hydration_delay('orders_$($first.DeployId)', INTERVAL '$HydrationSeconds seconds')")
    Write-Host "(The emulator keeps the staging cluster hydrating for $HydrationSeconds seconds, so there is something to wait for.)"
    Write-Command "Wait-MzDeployment $($first.DeployId) -Timeout 300"
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $statuses = Wait-MzDeployment $first.DeployId -Timeout 300
    Write-Host ('Ready after {0:N0} s (a progress bar per cluster shows hydration meanwhile):' -f $watch.Elapsed.TotalSeconds)
    Show $statuses 'Cluster', 'Status', 'HydratedObjects', 'TotalObjects', 'LagSeconds'
    Write-Host 'Publish-MzDeployment asks before it changes production; -Force answers yes in advance, as a CI step must.'
    Write-Command "Publish-MzDeployment $($first.DeployId) -Force"
    Show (Publish-MzDeployment $first.DeployId -Force) 'DeployId', 'PromotedAt', 'SwappedSchemas', 'SwappedClusters', 'DroppedResources'
    Write-Host 'Stalled orders per customer (not shipped 30 minutes after they were placed):'
    Invoke-Sql 'SELECT customer, stalled_count FROM materialize.monitoring.stalled_orders_by_customer ORDER BY customer' |
        ForEach-Object { Write-Host "  $_" }

    Write-Chapter 'A change: an order counts as stalled after 1 hour instead of 30 minutes'
    $stalled = Join-Path $project 'models/materialize/monitoring/stalled_orders.sql'
    (Get-Content $stalled -Raw).Replace("INTERVAL '30 minutes'", "INTERVAL '1 hour'") | Set-Content -Path $stalled -NoNewline
    Save-MzGitCommit -Path $project -Message 'Stalled after one hour'
    Write-Command 'Invoke-MzStage -DryRun'
    $plan = Invoke-MzStage -DryRun
    Write-Host 'Only stalled_orders and what depends on it are redeployed:'
    $plan.Reasons | ForEach-Object { Write-Host "  $_" }
    Write-Host "  $($plan.Statements.Count) statements, e.g. $($plan.Statements | Where-Object { $_ -like 'CREATE CLUSTER*' })"

    Write-Command 'Invoke-MzStage | Wait-MzDeployment -Timeout 300 -PassThru | Publish-MzDeployment -Force'
    $second = Invoke-MzStage | Wait-MzDeployment -Timeout 300 -PassThru | Publish-MzDeployment -Force
    Show $second 'DeployId', 'PromotedAt', 'SwappedSchemas', 'SwappedClusters', 'DroppedResources'
    Write-Host 'Stalled orders per customer now (not shipped 1 hour after they were placed):'
    Invoke-Sql 'SELECT customer, stalled_count FROM materialize.monitoring.stalled_orders_by_customer ORDER BY customer' |
        ForEach-Object { Write-Host "  $_" }

    Write-Chapter 'History'
    Write-Command 'Get-MzDeploymentHistory'
    Get-MzDeploymentHistory | Format-Table -Property PromotedAt, DeployId, @{ n = 'Kind'; e = { $_.Kind -join ', ' } }, Schemas | Out-String -Width 120 | ForEach-Object TrimEnd | Write-Host
    Write-Chapter 'Done: two zero-downtime deployments. Stopping the emulator.'
}
finally {
    Set-Location ([System.IO.Path]::GetTempPath())
    if ($emulator) { Stop-MzEmulatorProcess $emulator }
    $env:MZ_DEPLOY_PROFILES_DIR = $previousProfiles
    Remove-Item Env:MZ_DEPLOY_PROFILE -ErrorAction SilentlyContinue
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
