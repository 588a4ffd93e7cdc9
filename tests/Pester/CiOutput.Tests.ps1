# CI-native output, as a runner sees it: the built module in a child pwsh whose environment says GitHub Actions
# (GITHUB_ACTIONS=true) or Azure Pipelines (TF_BUILD=True), staging a project with a compile error and a good one
# against an emulator. The runner reads workflow commands from standard output and the step summary from a file, so
# these tests read exactly those.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Emulator = Start-TestEmulator
    $null = Initialize-MzDeploy -Profile test -Path ([System.IO.Path]::GetTempPath()) -ClusterSize xsmall

    # The "checkout": a good project and a broken copy side by side, as a repository with two projects.
    $script:Checkout = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-ci-' + [guid]::NewGuid().ToString('n').Substring(0, 10))
    $null = New-Item -ItemType Directory -Path $Checkout
    $script:Project = (New-MzProject -Name shop -Path $Checkout).FullName
    Initialize-MzExampleProduction -Path $Project -Profile test
    # A literal that stands for anything a statement may carry (a secret's value): no summary may show SQL.
    $script:Marker = 'do-not-print-' + [guid]::NewGuid().ToString('n').Substring(0, 8)
    [System.IO.File]::WriteAllText((Join-Path $Project 'models/materialize/monitoring/marker.sql'),
        "CREATE VIEW marker AS SELECT '$Marker' AS token;")
    $script:Broken = Join-Path $Checkout 'broken'
    Copy-Item $Project $Broken -Recurse
    # The unknown name starts at line 2, column 15.
    [System.IO.File]::WriteAllText((Join-Path $Broken 'models/materialize/monitoring/broken.sql'),
        "CREATE VIEW broken AS`nSELECT * FROM nothing_here;")

    # Runs $Command in a child pwsh with the module imported and exactly the CI variables in $Environment (the runner's
    # own ones, should this suite itself run in CI, removed). Returns standard output's lines and the exit code.
    function Invoke-InCi([string] $Command, [hashtable] $Environment = @{}) {
        $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($argument in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command',
                "Import-Module '$($env:MZDEPLOY_MODULE)'; $Command")) { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        foreach ($name in 'GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'GITHUB_WORKSPACE', 'TF_BUILD', 'BUILD_SOURCESDIRECTORY',
            'AGENT_TEMPDIRECTORY', 'MZ_DEPLOY_CI_OUTPUT') { $null = $start.Environment.Remove($name) }
        foreach ($name in $Environment.Keys) { $start.Environment[$name] = $Environment[$name] }
        $process = [System.Diagnostics.Process]::Start($start)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        [pscustomobject]@{
            Lines  = @($stdout -split '\r?\n')
            Text   = $stdout + $stderr.Result
            Exit   = $process.ExitCode
        }
    }

    # A failed stage of the broken copy (caught, so the run goes on), then the given commands.
    function Get-StageCommand([string] $DeployId, [string] $Then) {
        "try { Invoke-MzStage -Profile test -Path '$Broken' -DeployId bad$DeployId -AllowDirty -ErrorAction Stop } catch { 'stage failed: ' + `$_.FullyQualifiedErrorId }; $Then"
    }

    $script:Summary = Join-Path $Checkout 'step-summary.md'
    $script:GitHub = @{ GITHUB_ACTIONS = 'true'; GITHUB_STEP_SUMMARY = $Summary; GITHUB_WORKSPACE = $Checkout }
}

AfterAll {
    Stop-TestEmulator $Emulator
    Remove-Item $Checkout -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'CI output in GitHub Actions' {
    It 'a stage annotates each compile error on its repository path, and the plan and the stage are summarised' {
        $run = Invoke-InCi -Environment $GitHub (Get-StageCommand gh1 @"
Invoke-MzStage -Profile test -Path '$Project' -DeployId gh1 -AllowDirty -DryRun | Out-Null
Invoke-MzStage -Profile test -Path '$Project' -DeployId gh1 -AllowDirty | Out-Null
"@)

        $run.Exit | Should -Be 0 -Because $run.Text
        $run.Lines | Should -Contain 'stage failed: CompilationFailed,MzDeploy.PowerShell.Cmdlets.InvokeMzStageCommand' -Because $run.Text
        $errors = @($run.Lines | Where-Object { $_ -like '::error*' })
        $errors.Count | Should -Be 1 -Because $run.Text
        $errors[0] | Should -Match '^::error file=broken/models/materialize/monitoring/broken\.sql,line=2,col=15,title=UnresolvedReference::.*nothing_here'

        $summary = Get-Content $Summary -Raw
        $summary | Should -Match '### MzDeploy: stage plan for `gh1`'
        $summary | Should -Match '### MzDeploy: staged deployment `gh1`'
        $summary | Should -Match '\| `materialize\.monitoring` \| `materialize\.monitoring_gh1` \|'
        $summary | Should -Match '\| `orders` \| `orders_gh1` \|'
        $summary | Should -Match '\| `materialize\.monitoring\.stalled_orders` \| new \|'
        $summary | Should -Not -MatchExactly 'CREATE '
        $summary | Should -Not -Match $Marker
        $run.Text | Should -Not -Match $Marker
    }

    It 'the wait is a collapsible group, and hydration and the promotion are summarised' {
        Remove-Item $Summary -ErrorAction SilentlyContinue

        $run = Invoke-InCi -Environment $GitHub "Wait-MzDeployment -Profile test gh1 -Timeout 120 | Out-Null; Publish-MzDeployment -Profile test gh1 -Force | Out-Null"

        $run.Exit | Should -Be 0 -Because $run.Text
        $start = [array]::IndexOf($run.Lines, "::group::Waiting for deployment 'gh1'")
        $end = [array]::IndexOf($run.Lines, '::endgroup::')
        $start | Should -BeGreaterOrEqual 0 -Because $run.Text
        $end | Should -BeGreaterThan $start
        # In the group: the wait's line per state change (its output is redirected), then each cluster's final status.
        $run.Lines[$end - 1] | Should -Match '^orders_gh1: Ready \(\d+/\d+ hydrated\)$' -Because $run.Text
        $run.Lines[($start + 1)..($end - 2)] | Should -Match '^\[\d+s\] gh1: orders_gh1: ' -Because $run.Text
        $summary = Get-Content $Summary -Raw
        $summary | Should -Match '### MzDeploy: `gh1` is ready'
        $summary | Should -Match '\| `orders_gh1` \| `orders` \| Ready \|'
        $summary | Should -Match '### MzDeploy: promoted `gh1`'
        $summary | Should -Match '\*\*Previous production version dropped\*\*'
        $summary | Should -Not -Match $Marker
    }

    It 'Build-MzProject annotates compile errors and warnings without a connection' {
        # A compile warning: an undefined :name in a file that asks for warnings instead of errors.
        $warned = Join-Path $Checkout 'warned'
        $null = New-Item -ItemType Directory -Path (Join-Path $warned 'models/materialize/public') -Force
        [System.IO.File]::WriteAllText((Join-Path $warned 'project.toml'), "# test`n")
        [System.IO.File]::WriteAllText((Join-Path $warned 'models/materialize/public/t.sql'), 'CREATE VIEW t AS SELECT LIST[1, 2] AS arr, 1 AS b;')
        [System.IO.File]::WriteAllText((Join-Path $warned 'models/materialize/public/v.sql'),
            "-- PRAGMA WARN_ON_MISSING_VARIABLES;`nCREATE VIEW v AS`nSELECT arr[:b] AS head FROM t;")

        $run = Invoke-InCi -Environment $GitHub "Build-MzProject -Path '$warned' -WarningAction SilentlyContinue | Out-Null; try { Build-MzProject -Path '$Broken' -ErrorAction SilentlyContinue } catch { }; 'done'"

        $run.Exit | Should -Be 0 -Because $run.Text
        $commands = @($run.Lines | Where-Object { $_ -like '::*' })
        $commands.Count | Should -Be 2 -Because $run.Text
        $commands[0] | Should -Match '^::warning file=warned/models/materialize/public/v\.sql,line=3,col=12,title=\w+::variable :b is not defined'
        $commands[1] | Should -Match '^::error file=broken/models/materialize/monitoring/broken\.sql,line=2,col=15,title=UnresolvedReference::.*nothing_here'
    }

    It 'MZ_DEPLOY_CI_OUTPUT=0 turns it off' {
        Remove-Item $Summary -ErrorAction SilentlyContinue

        $run = Invoke-InCi -Environment ($GitHub + @{ MZ_DEPLOY_CI_OUTPUT = '0' }) (Get-StageCommand off '')

        $run.Lines | Should -Contain 'stage failed: CompilationFailed,MzDeploy.PowerShell.Cmdlets.InvokeMzStageCommand' -Because $run.Text
        $run.Lines | Where-Object { $_ -like '::*' } | Should -BeNullOrEmpty
        $Summary | Should -Not -Exist
    }
}

Describe 'CI output in Azure Pipelines' {
    It 'a stage logs each compile error as an issue on its repository path and uploads the summary' {
        $agentTemp = Join-Path $Checkout 'agent-temp'
        $null = New-Item -ItemType Directory -Path $agentTemp -Force

        $run = Invoke-InCi -Environment @{ TF_BUILD = 'True'; BUILD_SOURCESDIRECTORY = $Checkout; AGENT_TEMPDIRECTORY = $agentTemp } `
            (Get-StageCommand az1 "Invoke-MzStage -Profile test -Path '$Project' -DeployId az1 -AllowDirty -RedeployAll | Out-Null")

        $run.Exit | Should -Be 0 -Because $run.Text
        $issues = @($run.Lines | Where-Object { $_ -like '##vso`[task.logissue*' })
        $issues.Count | Should -Be 1 -Because $run.Text
        $issues[0] | Should -Match '^##vso\[task\.logissue type=error;sourcepath=broken/models/materialize/monitoring/broken\.sql;linenumber=2;columnnumber=15;code=UnresolvedReference;\].*nothing_here'
        $upload = @($run.Lines | Where-Object { $_ -like '##vso`[task.uploadsummary]*' })
        $upload.Count | Should -Be 1 -Because $run.Text
        $file = $upload[0].Substring('##vso[task.uploadsummary]'.Length)
        Split-Path $file | Should -Be $agentTemp
        $summary = Get-Content $file -Raw
        $summary | Should -Match '### MzDeploy: staged deployment `az1`'
        $summary | Should -Match '\| `materialize\.monitoring\.stalled_orders` \| forced'
        $summary | Should -Not -Match $Marker
    }
}

Describe 'Outside CI' {
    It 'writes no workflow or logging commands and no summary' {
        Remove-Item $Summary -ErrorAction SilentlyContinue

        # GITHUB_STEP_SUMMARY alone is not GitHub Actions: only GITHUB_ACTIONS=true is.
        $run = Invoke-InCi -Environment @{ GITHUB_STEP_SUMMARY = $Summary; GITHUB_WORKSPACE = $Checkout } `
            (Get-StageCommand none "Invoke-MzStage -Profile test -Path '$Project' -DeployId none -AllowDirty -RedeployAll -DryRun | Out-Null")

        $run.Exit | Should -Be 0 -Because $run.Text
        $run.Lines | Should -Contain 'stage failed: CompilationFailed,MzDeploy.PowerShell.Cmdlets.InvokeMzStageCommand' -Because $run.Text
        $run.Lines | Where-Object { $_ -like '::*' -or $_ -like '##*' } | Should -BeNullOrEmpty
        $Summary | Should -Not -Exist
    }
}
