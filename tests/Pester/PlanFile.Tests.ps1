# Reviewed stage plans, end to end: Invoke-MzStage -DryRun -PlanPath saves the plan with the fingerprint of the state it was
# computed from; Invoke-MzStage -PlanPath runs exactly that plan, or refuses (PlanStale, saying what moved) after a promote
# or a commit; a plan file that was edited, garbled or is not a plan is refused naming the file. Against an emulator started
# for this file, production holding the example's v1 promoted by Publish-MzDeployment.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # Profile 'other' connects to the same emulator as 'test': a plan made through one is foreign to the other.
    $script:Emulator = Start-TestEmulator -Profiles @{ other = @{ username = 'materialize' } }
    $null = Initialize-MzDeploy -Profile test -Path ([System.IO.Path]::GetTempPath()) -ClusterSize xsmall
    $script:Parent = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-plans-' + [guid]::NewGuid().ToString('n').Substring(0, 10))
    $null = New-Item -ItemType Directory -Path $Parent
    $script:Project = (New-MzProject -Name shop -Path $Parent).FullName
    Initialize-MzExampleProduction -Path $Project -Profile test
    $script:Common = @{ Profile = 'test'; Path = $Project }
    $null = Invoke-MzStage @Common -DeployId v1
    $null = Publish-MzDeployment @Common -DeployId v1 -Force -NoReadyCheck
    $script:Stalled = Join-Path $Project 'models/materialize/monitoring/stalled_orders.sql'
    $script:Plans = Join-Path $Parent 'plans'
    $null = New-Item -ItemType Directory -Path $Plans

    # A committed change of the stalled-orders threshold, so the next stage has something to stage.
    function Set-Threshold([string] $Interval) {
        $text = Get-Content $Stalled -Raw
        ($text -replace "'[0-9]+ (minutes|hours?)'", "'$Interval'") | Set-Content -Path $Stalled -NoNewline
        Save-MzGitCommit -Path $Project -Message "threshold $Interval"
    }
    function Get-Staged([string] $Id) {
        @(Invoke-TestSql $Emulator ("SELECT 'schema ' || d.name || '.' || s.name FROM mz_schemas s JOIN mz_databases d ON d.id = s.database_id " +
                "WHERE s.name LIKE '%\_$Id' UNION ALL SELECT 'cluster ' || name FROM mz_clusters WHERE name LIKE '%\_$Id' ORDER BY 1"))
    }
    function Get-StagedObjects([string] $Id) {
        @(Invoke-TestSql $Emulator ("SELECT d.name || '.' || s.name || '.' || o.name FROM mz_objects o JOIN mz_schemas s ON s.id = o.schema_id " +
                "JOIN mz_databases d ON d.id = s.database_id WHERE s.name LIKE '%\_$Id' AND o.type IN ('view', 'materialized-view') ORDER BY 1"))
    }
    # Runs a saved plan; returns its output and the terminating error (the plan's refusal), if any.
    function Invoke-Plan([string] $File) {
        $output = $null
        $caught = $null
        try { $output = Invoke-MzStage @Common -PlanPath $File -ErrorAction Stop }
        catch { $caught = $_ }
        [pscustomobject]@{ Output = $output; Error = $caught }
    }
}

AfterAll {
    Stop-TestEmulator $Emulator
    Remove-Item $Parent -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'A reviewed stage plan' {
    It '-DryRun -PlanPath saves the plan, and -PlanPath runs exactly its statements' {
        Set-Threshold '45 minutes'
        $file = Join-Path $Plans 'reviewed.json'

        $plan = Invoke-MzStage @Common -DeployId reviewed -DryRun -PlanPath $file
        $saved = Get-Content $file -Raw | ConvertFrom-Json

        Get-Staged reviewed | Should -BeNullOrEmpty
        $saved.kind | Should -Be 'MzDeploy stage plan'
        $saved.format | Should -Be 1
        $saved.deployId | Should -Be 'reviewed'
        $saved.fingerprint.commit | Should -Be (git -C $Project rev-parse HEAD)
        $saved.fingerprint.schemas.deployId | Sort-Object -Unique | Should -Be 'v1'
        $saved.fingerprint.clusters.name | Should -Contain 'orders'
        ($saved.statements | ForEach-Object { "$($_.sql);" }) | Should -Be $plan.Statements

        Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_statement_log()'
        $result = Invoke-Plan $file

        $result.Error | Should -BeNullOrEmpty
        $result.Output.DeployId | Should -Be 'reviewed'
        Get-StagedObjects reviewed | Should -Be ($plan.Objects -replace '^materialize\.monitoring\.', 'materialize.monitoring_reviewed.')
        # Exactly the reviewed statements ran, in order (besides reads and the tracking rows).
        $ran = @(Invoke-TestSql $Emulator ("SELECT replace(sql, E'\n', ' ') FROM mz_emulator.statement_log WHERE sql NOT ILIKE '%mz_emulator.%' " +
                "AND (sql ILIKE 'CREATE%' OR sql ILIKE 'GRANT%' OR sql ILIKE 'COMMENT%' OR sql ILIKE 'ALTER%') " +
                "AND sql NOT ILIKE '%deploy_reviewed_pending%' ORDER BY seq"))
        $ran | Should -Be @($saved.statements.sql -replace '\r?\n', ' ')
        Remove-MzDeployment @Common -DeployId reviewed -Confirm:$false
    }

    It 'is refused after a promote of another deployment, naming it, and stages nothing' {
        $file = Join-Path $Plans 'late.json'
        $null = Invoke-MzStage @Common -DeployId late -DryRun -PlanPath $file
        $null = Invoke-MzStage @Common -DeployId other
        $null = Publish-MzDeployment @Common -DeployId other -Force -NoReadyCheck

        $result = Invoke-Plan $file

        $result.Output | Should -BeNullOrEmpty
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'PlanStale,*'
        $result.Error.Exception.Message | Should -BeLike "the reviewed plan of deployment 'late' is stale: *deployment 'other' was promoted into materialize.monitoring (reviewed against 'v1')*"
        $result.Error.Exception.Drift.Kind | Should -Contain 'DeploymentPromoted'
        $result.Error.ErrorDetails.RecommendedAction | Should -BeLike '*Invoke-MzStage -DryRun -PlanPath*review it again*'
        Get-Staged late | Should -BeNullOrEmpty
        @(Invoke-TestSql $Emulator "SELECT count(*) FROM _mz_deploy.tables.deployments WHERE deploy_id = 'late'")[0] | Should -Be 0
    }

    It 'is refused after a new commit, saying from which commit to which' {
        Set-Threshold '50 minutes'
        $file = Join-Path $Plans 'moved.json'
        $null = Invoke-MzStage @Common -DeployId moved -DryRun -PlanPath $file
        $reviewed = git -C $Project rev-parse HEAD
        Set-Threshold '55 minutes'
        $now = git -C $Project rev-parse HEAD

        $result = Invoke-Plan $file

        $result.Error.FullyQualifiedErrorId | Should -BeLike 'PlanStale,*'
        $result.Error.Exception.Message | Should -BeLike "*the commit moved from $reviewed to $now*"
        $result.Error.Exception.Message | Should -Not -BeLike '*was promoted*'
        Get-Staged moved | Should -BeNullOrEmpty
    }

    It 'refuses a file that was edited, garbled, or is not a plan, naming the file' {
        $file = Join-Path $Plans 'edited.json'
        $null = Invoke-MzStage @Common -DeployId edited -DryRun -PlanPath $file
        $text = Get-Content $file -Raw
        $text.Replace('CREATE MATERIALIZED VIEW', 'CREATE VIEW') | Set-Content -Path $file -NoNewline
        $garbled = Join-Path $Plans 'garbled.json'
        $text.Substring(0, $text.Length / 2) | Set-Content -Path $garbled -NoNewline
        $foreign = Join-Path $Plans 'package.json'
        '{ "name": "shop", "version": "1.0.0" }' | Set-Content -Path $foreign

        foreach ($case in @(@($file, 'was changed after MzDeploy wrote it'), @($garbled, 'is not a stage plan file'),
                @($foreign, 'is not an MzDeploy stage plan'), @((Join-Path $Plans 'missing.json'), 'does not exist: no plan was saved there'))) {
            $result = Invoke-Plan $case[0]
            $result.Error.FullyQualifiedErrorId | Should -BeLike 'PlanFileInvalid,*'
            $result.Error.Exception.Message | Should -BeLike "*$($case[0])*$($case[1])*"
        }
        Get-Staged edited | Should -BeNullOrEmpty
    }

    It 'refuses a plan made for another profile, naming both' {
        $file = Join-Path $Plans 'foreign.json'
        $null = Invoke-MzStage @Common -DeployId foreign -DryRun -PlanPath $file
        $caught = $null

        try { $null = Invoke-MzStage -Profile other -Path $Project -PlanPath $file } catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -BeLike 'PlanFileInvalid,*'
        $caught.Exception.Message | Should -BeLike "$file was made for profile 'test' on *, not for profile 'other' on *"
        Get-Staged foreign | Should -BeNullOrEmpty
    }

    It 'takes its deploy ID and redeploy choices from the plan: -DeployId with -PlanPath alone is refused' {
        { Invoke-MzStage @Common -PlanPath (Join-Path $Plans 'edited.json') -DeployId other2 } |
            Should -Throw -ErrorId 'PlanPathConflict,*' -ExpectedMessage '*come from the plan*'
    }

    It 'renders as the GitHub step summary: the plan, what it was computed from, and its statements' {
        $summary = Join-Path $Parent 'summary.md'
        $env:GITHUB_ACTIONS = 'true'
        $env:GITHUB_STEP_SUMMARY = $summary
        try { $null = Invoke-MzStage @Common -DeployId ci -DryRun -PlanPath (Join-Path $Plans 'ci.json') 6>$null }
        finally { Remove-Item Env:GITHUB_ACTIONS, Env:GITHUB_STEP_SUMMARY }
        $markdown = Get-Content $summary -Raw

        $markdown | Should -Match '### MzDeploy: stage plan for `ci`'
        $markdown | Should -Match ([regex]::Escape("| Commit | ``$(git -C $Project rev-parse HEAD)`` |"))
        $markdown | Should -Match '\| Promoted deployments \| .*`other` \(`materialize.monitoring`\)'
        $markdown | Should -Match '(?s)<summary>Statements \(\d+\)</summary>.*```sql.*CREATE MATERIALIZED VIEW'
        $markdown | Should -Match ([regex]::Escape((Get-Content (Join-Path $Plans 'ci.json') -Raw | ConvertFrom-Json).fingerprint.digest))
    }
}
