# The format views at a terminal's 80 columns, and their colours: objects of each output type (made here, no server
# needed; a view is chosen by type name) rendered with Format-Table | Out-String -Width 80 as a console shows them.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    $script:Rendering = $PSStyle.OutputRendering
    $script:Escape = [char]27

    function New-Output([string] $Type, [hashtable] $Properties) {
        $object = [pscustomobject]$Properties
        $object.psobject.TypeNames.Insert(0, "MzDeploy.$Type")
        $object
    }
    # The table as an 80-column console shows it: the header line, the dashes, then the rows.
    function Get-Table($Objects, [string] $Rendering = 'PlainText') {
        $PSStyle.OutputRendering = $Rendering
        try { ($Objects | Format-Table | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() } }
        finally { $PSStyle.OutputRendering = $Script:Rendering }
    }

    $cluster = New-Output MzClusterStatus @{ DeployId = 'a1b2c3d'; Cluster = 'orders_a1b2c3d'; ProductionCluster = 'orders'; Status = 'Hydrating'
        FailureReason = $null; HydratedObjects = 1; TotalObjects = 2; LagSeconds = $null; Replicas = 1; ProblematicReplicas = 0 }
    $script:Deployment = New-Output MzDeployment @{ DeployId = 'a1b2c3d'; Status = 'Failing'; Kind = @('objects'); DeployedBy = 'alice'
        DeployedAt = [DateTimeOffset]::new(2026, 12, 5, 9, 30, 0, [TimeSpan]::Zero); PromotedAt = $null; Commit = 'c0ffee1234567890'
        Schemas = @('materialize.monitoring'); Clusters = @($cluster); Objects = @() }
    $script:Cluster = $cluster
    $script:Promotion = New-Output MzPromotionRecord @{ PromotedAt = [DateTimeOffset]::new(2026, 12, 5, 9, 30, 0, [TimeSpan]::Zero)
        DeployId = 'a1b2c3d'; Kind = @('objects'); DeployedBy = 'alice@example.com'; Commit = 'c0ffee1234567890'
        Schemas = @('materialize.monitoring', 'materialize.ingest') }
    $script:Applied = New-Output MzApplyResult @{ Type = 'Cluster'; Name = 'orders'; Action = 'Created'; Reason = 'missing from production'
        Statements = @('CREATE CLUSTER orders (SIZE = ''xsmall'')'); DryRun = $false }
}

Describe 'Tables at 80 columns' {
    It 'a deployment shows its status and its whole schema name' {
        $lines = Get-Table $Deployment
        $lines[0] | Should -Match '^DeployId\s+Status\s+DeployedBy\s+When\s+Clusters\s+Schemas$'
        $lines[2] | Should -Match '^a1b2c3d\s+Failing\s+alice\s+\d\d-\d\d \d\d:\d\d\s+0/1 ready\s+materialize\.monitoring$'
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }

    It 'the history gives the schemas the room, not DeployId and DeployedBy' {
        $lines = Get-Table $Promotion
        $lines[0] | Should -Match '^PromotedAt\s+DeployId\s+Kind\s+DeployedBy\s+Commit\s+Schemas$'
        $lines[0].IndexOf('Schemas') | Should -BeLessOrEqual 55 -Because 'DeployId and DeployedBy are 10 characters each'
        $lines[2] | Should -Match 'a1b2c3d\s+objects\s+alice@ex\S*\s+c0ffee1\s+materialize\.monitoring, \S+$'
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }

    It 'a wait result shows the cluster, its status and hydration' {
        $lines = Get-Table $Cluster
        $lines[2] | Should -Match '^a1b2c3d\s+orders_a1b2c3d\s+Hydrating\s+1/2\s+1'
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }
}

Describe 'Coloured statuses' {
    It 'colours <Name> in a terminal that renders ANSI' -ForEach @(
        @{ Name = 'a failing deployment red'; Object = { $Deployment }; Text = 'Failing'; Colour = { $PSStyle.Foreground.Red } }
        @{ Name = 'a hydrating cluster yellow'; Object = { $Cluster }; Text = 'Hydrating'; Colour = { $PSStyle.Foreground.Yellow } }
        @{ Name = 'a created object green'; Object = { $Applied }; Text = 'Created'; Colour = { $PSStyle.Foreground.Green } }
    ) {
        $row = (Get-Table (& $Object) -Rendering Ansi)[2]
        $row | Should -Match ([regex]::Escape((& $Colour) + $Text + $PSStyle.Reset))
    }

    It 'writes no escape codes when $PSStyle.OutputRendering is PlainText' {
        foreach ($object in $Deployment, $Cluster, $Applied) {
            (Get-Table $object -Rendering PlainText) -join "`n" | Should -Not -Match $Escape
        }
        $PSStyle.OutputRendering = 'PlainText'
        try { ($Deployment | Format-List | Out-String) | Should -Match 'Status\s+: Failing' }
        finally { $PSStyle.OutputRendering = $Rendering }
    }

    It 'writes none when the output is redirected to a file' {
        $file = Join-Path ([System.IO.Path]::GetTempPath()) ("mzdeploy-format-$([guid]::NewGuid().ToString('n')).txt")
        $PSStyle.OutputRendering = 'Host'
        try {
            $Deployment | Format-Table | Out-File $file
            Get-Content -Raw $file | Should -Match 'Failing'
            Get-Content -Raw $file | Should -Not -Match $Escape
        }
        finally { $PSStyle.OutputRendering = $Rendering; Remove-Item $file -ErrorAction SilentlyContinue }
    }
}

Describe 'The rollback window views' {
    BeforeAll {
        function Get-View($Object) {
            $PSStyle.OutputRendering = 'PlainText'
            try { ($Object | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() } }
            finally { $PSStyle.OutputRendering = $Script:Rendering }
        }
    }

    It 'an undo lists what it swapped back, the sinks it moved and what it dropped, one per line, and counts the statements' {
        $rollback = New-Output MzRollback @{ DeployId = 'k1'; RecordedAs = 'k1-undo'; DryRun = $false; Resumed = $false
            SwappedSchemas = @('materialize.monitoring <-> materialize.monitoring_k1'); SwappedClusters = @('orders <-> orders_k1')
            RepointedSinks = @('materialize.exports.out -> materialize.monitoring.stalled')
            DroppedResources = @('schema materialize.monitoring_k1', 'cluster orders_k1'); Attempts = 1
            Statements = @('BEGIN;', 'ALTER SCHEMA materialize.monitoring SWAP WITH monitoring_k1;', 'COMMIT;') }

        $lines = Get-View $rollback

        $lines[0] | Should -Match '^DeployId\s+: k1$'
        ($lines -join "`n") | Should -Match 'RecordedAs\s+: k1-undo'
        ($lines -join "`n") | Should -Match 'DroppedResources\s+: schema materialize\.monitoring_k1\n\s+cluster orders_k1'
        ($lines -join "`n") | Should -Match 'RepointedSinks\s+: materialize\.exports\.out -> materialize\.monitoring\.stalled'
        ($lines -join "`n") | Should -Match 'Statements\s+: 3 statement\(s\); see \.Statements'
        ($lines -join "`n") | Should -Not -Match 'Attempts'
    }

    It 'a promote that keeps the previous version says what it keeps and until when' {
        $promotion = New-Output MzPromotion @{ DeployId = 'k1'; PromotedAt = [DateTimeOffset]::new(2026, 12, 5, 9, 30, 0, [TimeSpan]::Zero)
            Resumed = $false; SwappedSchemas = @(); SwappedClusters = @(); CreatedSinks = @(); RepointedSinks = @(); DroppedPreviousVersion = @()
            Conflicts = @(); Statements = @(); KeptPreviousVersion = @('schema materialize.monitoring_k1', 'cluster orders_k1')
            KeptUntil = [DateTimeOffset]::new(2026, 12, 5, 10, 30, 0, [TimeSpan]::Zero) }

        $text = (Get-View $promotion) -join "`n"

        $text | Should -Match 'KeptPreviousVersion\s+: schema materialize\.monitoring_k1\n\s+cluster orders_k1'
        $text | Should -Match 'KeptUntil\s+: .*10:30'
    }

    It 'a dropped kept version is a table row: the deployment, the end of its window and what went, at 80 columns' {
        $removal = New-Output MzPreviousVersionRemoval @{ DeployId = 'k4'; KeptUntil = [DateTimeOffset]::new(2026, 12, 5, 10, 30, 0, [TimeSpan]::Zero)
            DroppedResources = @('schema materialize.monitoring_k4', 'cluster orders_k4'); Statements = @() }

        $lines = Get-Table $removal

        $lines[0] | Should -Match '^DeployId\s+KeptUntil\s+DroppedResources$'
        $lines[2] | Should -Match '^k4\s+2026-12-05 10:30:00\s+schema materialize\.monitoring_k4$'
        $lines[3] | Should -Match '^\s{30,}cluster orders_k4$'
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }
}
