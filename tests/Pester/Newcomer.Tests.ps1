# Defects a newcomer met in a real terminal (issue 16), each as the user sees it: the built module against an
# emulator started for this file, staging and promoting the order-monitoring example.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Emulator = Start-TestEmulator
    # 'down' points at a port nothing listens on.
    Add-Content -Path (Join-Path $Emulator.ProfilesDirectory 'profiles.toml') -Value @(
        '[down]', 'host = "127.0.0.1"', 'port = 9', 'username = "materialize"', 'sslmode = "disable"')
    $null = Initialize-MzDeploy -Profile test -Path ([System.IO.Path]::GetTempPath()) -ClusterSize xsmall

    $script:Parent = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-newcomer-' + [guid]::NewGuid().ToString('n').Substring(0, 10))
    $null = New-Item -ItemType Directory -Path $Parent
    $script:ProjectItem = New-MzProject -Name shop -Path $Parent
    $script:Project = $ProjectItem.FullName
    Initialize-MzExampleProduction -Path $Project -Profile test
    $script:Common = @{ Profile = 'test'; Path = $Project }

    # Runs $Script in a PowerShell of its own with no host to prompt through: a missing mandatory parameter fails
    # there at once instead of waiting for an answer. Returns its output and errors.
    function Invoke-Isolated([string] $Script) {
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$env:MZDEPLOY_MODULE'; $Script")
            $output = @($shell.Invoke())
            [pscustomobject]@{ Output = $output; Errors = @($shell.Streams.Error) }
        }
        finally { $shell.Dispose() }
    }
}

AfterAll {
    Stop-TestEmulator $Emulator
    Remove-Item $Parent -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'New-MzProject' {
    It 'shows the new folder like Get-Item does: under a Directory header, no blank columns' {
        $PSStyle.OutputRendering = 'PlainText'
        $text = $ProjectItem | Out-String -Width 200
        $text | Should -Match ([regex]::Escape("Directory: $Parent"))
        $text | Should -Match '(?m)^d\S+\s+\S+\s+\S+\s+\S+ \S+\s+\d+ shop\s*$'
        $ProjectItem.PSParentPath | Should -Not -BeNullOrEmpty
    }
}

Describe 'A project with compile errors' {
    BeforeAll {
        $script:Broken = New-TestProject -Files @{
            'models/materialize/public/a.sql' = 'CREATE VIEW a AS SELECT * FROM missing_one;'
            'models/materialize/public/b.sql' = "CREATE VIEW b AS`nSELECT FROM FROM;"
        }
        # The terminating error as a user sees it, from a run with the given -ErrorAction.
        function Get-Failure([scriptblock] $Run) {
            try { & $Run; throw 'it did not fail' }
            catch { $_ }
        }
    }
    AfterAll { Remove-Item $Broken -Recurse -Force -ErrorAction SilentlyContinue }

    It 'is reported by Invoke-MzStage before it connects, every problem in the one error' {
        $failure = Get-Failure { Invoke-MzStage -Profile down -Path $Broken -DeployId b1 }
        $failure.FullyQualifiedErrorId | Should -BeLike 'CompilationFailed*'
        "$failure" | Should -Match '^The project has 2 error\(s\):'
        "$failure" | Should -Match 'models/materialize/public/a\.sql:1:\d+: '
        "$failure" | Should -Match 'models/materialize/public/b\.sql:2:\d+: '
        $failure.ErrorDetails.RecommendedAction | Should -Not -Match 'above'
    }

    It 'shows every problem under -ErrorAction Stop' {
        $failure = Get-Failure { Build-MzProject -Path $Broken -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeLike 'CompilationFailed*'
        "$failure" | Should -Match 'a\.sql:1:\d+: '
        "$failure" | Should -Match 'b\.sql:2:\d+: '
    }

    It 'never points at errors "above" that -ErrorAction SilentlyContinue hid' {
        $failure = Get-Failure { Build-MzProject -Path $Broken -ErrorAction SilentlyContinue }
        "$failure" | Should -Not -Match 'above'
        $failure.ErrorDetails.RecommendedAction | Should -Not -Match 'above'
        "$failure" | Should -Match 'a\.sql:1:\d+: '
        "$failure" | Should -Match 'b\.sql:2:\d+: '
    }

    It 'reports each problem on its own, then counts them, by default' {
        $reported = $null
        $failure = $null
        try { Build-MzProject -Path $Broken -ErrorAction Continue -ErrorVariable reported 2>$null } catch { $failure = $_ }
        @($reported | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.FullyQualifiedErrorId -notlike 'CompilationFailed*' }).Count | Should -Be 2
        "$failure" | Should -Be 'The project has 2 error(s), each reported above.'
    }
}

Describe 'Wait-MzDeployment without a deploy ID' {
    BeforeAll {
        $null = Invoke-MzStage @Common -DeployId n1
        $null = Invoke-MzStage @Common -DeployId n2 -RedeployAll
    }

    It 'waits for every staged deployment instead of asking for DeployId[0]' {
        $result = Invoke-Isolated "Wait-MzDeployment -Profile test -Path '$Project' -Once"
        $result.Errors | Should -BeNullOrEmpty
        @($result.Output | ForEach-Object DeployId | Select-Object -Unique) | Should -Be @('n1', 'n2')
        @($result.Output | ForEach-Object Cluster) | Should -Be @('orders_n1', 'orders_n2')
    }

    It 'emits each deployment with -PassThru' {
        $result = Invoke-Isolated "Wait-MzDeployment -Profile test -Path '$Project' -PassThru -Timeout 120"
        $result.Errors | Should -BeNullOrEmpty
        @($result.Output | ForEach-Object DeployId) | Should -Be @('n1', 'n2')
    }

    It 'still waits only for the deployments piped to it' {
        $result = Invoke-Isolated "Get-MzDeployment -Profile test -Path '$Project' -DeployId n2 | Wait-MzDeployment -Profile test -Path '$Project' -Once"
        $result.Errors | Should -BeNullOrEmpty
        @($result.Output | ForEach-Object DeployId | Select-Object -Unique) | Should -Be @('n2')
    }
}

Describe 'Statements a dry run shows' {
    It 'ends every statement of a stage plan with a semicolon, so they paste into psql' {
        $plan = Invoke-MzStage @Common -DeployId d1 -RedeployAll -DryRun
        $plan.Statements.Count | Should -BeGreaterThan 3
        @($plan.Statements | Where-Object { -not $_.EndsWith(';') }) | Should -BeNullOrEmpty
        @($plan.Statements | Where-Object { $_.EndsWith(';;') }) | Should -BeNullOrEmpty
    }

    It 'ends every statement of a promote plan with a semicolon, a parameter comment included' {
        $plan = Publish-MzDeployment @Common -DeployId n1 -DryRun
        @($plan.Statements | Where-Object { -not $_.EndsWith(';') }) | Should -BeNullOrEmpty
        $plan.Statements | Should -Contain 'BEGIN;'
        @($plan.Statements | Where-Object { $_ -like "* /* `$1 = 'n1' */;" }) | Should -Not -BeNullOrEmpty
    }
}

Describe 'Promoting' {
    BeforeAll {
        Remove-MzDeployment @Common -DeployId n2 -Confirm:$false
        $script:Promotion = Publish-MzDeployment @Common -DeployId n1 -Force
    }

    It 'names what it dropped as the previous production version' {
        $Promotion.DroppedResources | Should -Be @('schema materialize.monitoring_n1', 'cluster orders_n1')
        $Promotion.DroppedPreviousVersion | Should -Be @(
            'schema materialize.monitoring (previous production version, named materialize.monitoring_n1 by the swap)',
            'cluster orders (previous production version, named orders_n1 by the swap)')
        $PSStyle.OutputRendering = 'PlainText'
        $text = $Promotion | Out-String -Width 200
        $text | Should -Match 'DroppedPreviousVersion\s+: schema materialize\.monitoring \(previous production version'
        $text | Should -Not -Match 'DroppedResources'
    }

    It 'lists promoted deployments newest promotion first, whatever their IDs' {
        $null = Invoke-MzStage @Common -DeployId a2 -RedeployAll
        $null = Publish-MzDeployment @Common -DeployId a2 -Force
        @(Get-MzDeployment @Common -Promoted | ForEach-Object DeployId) | Should -Be @('a2', 'n1')
        @(Get-MzDeploymentHistory @Common | ForEach-Object DeployId) | Should -Be @('a2', 'n1')
    }

    It 'waits for nothing, quietly, when nothing is staged' {
        $result = Invoke-Isolated "Wait-MzDeployment -Profile test -Path '$Project' -Once"
        $result.Errors | Should -BeNullOrEmpty
        $result.Output | Should -BeNullOrEmpty
    }
}
