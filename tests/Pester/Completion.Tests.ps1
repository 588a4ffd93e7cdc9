# Tab completion as a person meets it: TabExpansion2 on command lines against the built module, with an
# emulator (set up, two staged deployments, one promoted) for -DeployId and the order-monitoring example
# project for -RedeploySchema and -Cluster.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # 'down' points at a port nothing listens on; 'blackhole' at an address that never answers (TEST-NET-1), so only
    # the completer's own timeout ends the attempt.
    $script:Emulator = Start-TestEmulator
    Add-Content -Path (Join-Path $Emulator.ProfilesDirectory 'profiles.toml') -Value @(
        '[down]', 'host = "127.0.0.1"', 'port = 9', 'username = "materialize"', 'sslmode = "disable"',
        '[blackhole]', 'host = "192.0.2.1"', 'port = 6875', 'username = "materialize"', 'sslmode = "disable"')
    $null = Initialize-MzDeploy -Profile test -Path ([System.IO.Path]::GetTempPath()) -ClusterSize xsmall

    $script:Parent = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-complete-' + [guid]::NewGuid().ToString('n').Substring(0, 10))
    $null = New-Item -ItemType Directory -Path $Parent
    $script:Project = (New-MzProject -Name shop -Path $Parent).FullName
    Initialize-MzExampleProduction -Path $Project -Profile test
    $common = @{ Profile = 'test'; Path = $Project }
    $null = Invoke-MzStage @common -DeployId done1
    $null = Publish-MzDeployment @common -DeployId done1 -Force
    $null = Invoke-MzStage @common -DeployId cand1 -RedeployAll
    $null = Invoke-MzStage @common -DeployId cand2 -RedeployAll

    # The completion texts TabExpansion2 offers at the end of $Line.
    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
    }
}

AfterAll {
    Stop-TestEmulator $Emulator
    Remove-Item $Parent -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Completing -DeployId' {
    It 'offers the staged deployments, not the promoted one, on <_>' -ForEach @('Wait-MzDeployment', 'Publish-MzDeployment', 'Remove-MzDeployment', 'Get-MzDeployment', 'Compare-MzDeployment') {
        Get-Completion "$_ -Profile test -DeployId " | Should -Be @('cand1', 'cand2')
    }

    It 'offers them by position too, and only those starting with what was typed' {
        Get-Completion 'Wait-MzDeployment -Profile test cand' | Should -Be @('cand1', 'cand2')
        Get-Completion 'Wait-MzDeployment -Profile test -DeployId CAND2' | Should -Be @('cand2')
        Get-Completion 'Wait-MzDeployment -Profile test -DeployId x' | Should -BeNullOrEmpty
    }

    It 'tells who staged each one in the tooltip' {
        $line = 'Publish-MzDeployment -Profile test -DeployId cand1'
        $match = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches[0]
        $match.ToolTip | Should -Match '^cand1: staged \d{4}-\d\d-\d\d \d\d:\d\d by materialize'
    }

    It 'uses the profile the project folder names when no -Profile is typed' {
        Set-Content -Path (Join-Path $Project '.mzprofile') -Value 'test'
        try {
            Get-Completion "Remove-MzDeployment -Path '$Project' -DeployId " | Should -Be @('cand1', 'cand2')
            Push-Location $Parent
            try { Get-Completion 'Remove-MzDeployment -Path shop -DeployId ' | Should -Be @('cand1', 'cand2') }
            finally { Pop-Location }
        }
        finally { Remove-Item (Join-Path $Project '.mzprofile') -Force }
    }

    It 'offers nothing, silently and at once, when the server is down' {
        $errorsBefore = $Error.Count
        $elapsed = Measure-Command { $script:Offered = Get-Completion 'Wait-MzDeployment -Profile down -DeployId ' }
        $Offered | Should -BeNullOrEmpty
        $elapsed.TotalSeconds | Should -BeLessThan 3
        $Error.Count | Should -Be $errorsBefore -Because 'a failed completion records no error'
    }

    It 'gives up within a few seconds on a server that never answers' {
        $errorsBefore = $Error.Count
        $elapsed = Measure-Command { $script:Offered = Get-Completion 'Wait-MzDeployment -Profile blackhole -DeployId ' }
        $Offered | Should -BeNullOrEmpty
        $elapsed.TotalSeconds | Should -BeLessThan 5
        $Error.Count | Should -Be $errorsBefore
    }

    It 'offers nothing for an unknown profile' {
        Get-Completion 'Wait-MzDeployment -Profile nosuchprofile -DeployId ' | Should -BeNullOrEmpty
    }
}

Describe 'Completing names from the project' {
    It 'offers the project''s schemas for -RedeploySchema' {
        Get-Completion "Invoke-MzStage -Path '$Project' -RedeploySchema " | Should -Be @('materialize.monitoring', 'materialize.sales')
        Get-Completion "Invoke-MzStage -Path '$Project' -RedeploySchema materialize.s" | Should -Be @('materialize.sales')
    }

    It 'reads -Path relative to the PowerShell location, and the location itself without -Path' {
        Push-Location $Parent
        try { Get-Completion 'Invoke-MzStage -Path shop -RedeploySchema ' | Should -Be @('materialize.monitoring', 'materialize.sales') }
        finally { Pop-Location }
        Push-Location $Project
        try { Get-Completion 'Invoke-MzStage -RedeploySchema ' | Should -Be @('materialize.monitoring', 'materialize.sales') }
        finally { Pop-Location }
    }

    It 'quotes a schema whose name SQL must quote, so the value pastes back as one argument' {
        $quoted = New-TestProject -Files @{ 'models/Sales/public/orders.sql' = 'CREATE TABLE orders (id int)' }
        try {
            Get-Completion "Invoke-MzStage -Path '$quoted' -RedeploySchema " | Should -Be @("'`"Sales`".public'")
        }
        finally { Remove-Item $quoted -Recurse -Force }
    }

    It 'still offers what a project with compile errors defines' {
        $broken = New-TestProject -Files @{
            'models/materialize/ok/t.sql'  = 'CREATE TABLE t (id int)'
            'models/materialize/bad/v.sql' = 'CREATE VIEW v AS SELECT FROM WHERE'
        }
        try { Get-Completion "Invoke-MzStage -Path '$broken' -RedeploySchema " | Should -Contain 'materialize.ok' }
        finally { Remove-Item $broken -Recurse -Force }
    }

    It 'offers nothing outside a project' {
        $errorsBefore = $Error.Count
        Get-Completion "Invoke-MzStage -Path '$Parent' -RedeploySchema " | Should -BeNullOrEmpty
        $Error.Count | Should -Be $errorsBefore
    }

    It 'offers the clusters the project defines and uses (the -Cluster completer)' {
        $completer = [MzDeploy.PowerShell.Infrastructure.ClusterNameCompleter]::new()
        $offered = @($completer.CompleteArgument('Invoke-MzStage', 'Cluster', '', $null, @{ Path = $Project }) | ForEach-Object CompletionText)
        $offered | Should -Be @('orders')
        @($completer.CompleteArgument('Invoke-MzStage', 'Cluster', 'x', $null, @{ Path = $Project })) | Should -BeNullOrEmpty
        @($completer.CompleteArgument('Invoke-MzStage', 'Cluster', '', $null, @{ Path = $Parent })) | Should -BeNullOrEmpty
    }
}

Describe 'Which parameters complete' {
    It 'every -<Parameter> of the module has the <Completer>' -ForEach @(
        @{ Parameter = 'Cluster'; Completer = 'ClusterNameCompleter' }
        @{ Parameter = 'Profile'; Completer = 'ProfileNameCompleter' }
        @{ Parameter = 'RedeploySchema'; Completer = 'SchemaNameCompleter' }
    ) {
        $missing = foreach ($command in Get-Command -Module MzDeploy) {
            $found = $command.Parameters[$Parameter]
            if ($found -and -not ($found.Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] -and $_.Type.Name -eq $Completer })) { $command.Name }
        }
        $missing | Should -BeNullOrEmpty
    }

    It 'every -DeployId that names a staged deployment completes staged deployments' {
        foreach ($name in 'Get-MzDeployment', 'Wait-MzDeployment', 'Publish-MzDeployment', 'Remove-MzDeployment') {
            (Get-Command $name).Parameters['DeployId'].Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] } |
                ForEach-Object { $_.Type.Name } | Should -Be 'DeployIdCompleter' -Because "$name -DeployId names a staged deployment"
        }
    }
}
