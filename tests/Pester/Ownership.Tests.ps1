# A promote changes only what its plan names: objects the project does not own in a swapped schema or on a
# swapped cluster are refused at stage and at promote (and before the old copies are dropped), dropped only with
# -DropUnmanagedObjects and then recorded; and the loser of a conflict can be cleaned up and staged again.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Emulator = Start-TestEmulator
    $null = Initialize-MzDeploy -Profile test -Path ([System.IO.Path]::GetTempPath()) -ClusterSize xsmall
    Enable-PromoteInvariant -Emulator $Emulator
    $script:Projects = [System.Collections.Generic.List[string]]::new()

    function Get-Count([string] $Where) { [int]@(Invoke-TestSql $Emulator "SELECT count(*) FROM $Where")[0] }
    function Test-Object([string] $Database, [string] $Schema, [string] $Name) {
        (Get-Count ("mz_objects o JOIN mz_schemas s ON s.id = o.schema_id JOIN mz_databases d ON d.id = s.database_id " +
                "WHERE d.name = '$Database' AND s.name = '$Schema' AND o.name = '$Name'")) -eq 1
    }
    # A project of one materialized view (or view) in $Schema; returns its folder.
    function New-OneViewProject([string] $Database, [string] $Schema, [string] $Name, [string] $Sql) {
        $path = New-TestProject -Files @{ "models/$Database/$Schema/$Name.sql" = $Sql }
        $Projects.Add($path)
        $path
    }
    # Runs a command and returns its output, errors and warnings (errors never stop the test).
    function Invoke-Captured([scriptblock] $Command) {
        $output = [System.Collections.Generic.List[object]]::new()
        $errors = [System.Collections.Generic.List[object]]::new()
        $warnings = [System.Collections.Generic.List[string]]::new()
        try {
            foreach ($item in (& $Command 2>&1 3>&1)) {
                if ($item -is [System.Management.Automation.ErrorRecord]) { $errors.Add($item) }
                elseif ($item -is [System.Management.Automation.WarningRecord]) { $warnings.Add("$item") }
                else { $output.Add($item) }
            }
        }
        catch { $errors.Add($_) }
        [pscustomobject]@{ Output = $output.ToArray(); Errors = $errors.ToArray(); Warnings = $warnings.ToArray() }
    }
}

AfterAll {
    Disable-PromoteInvariant
    Stop-TestEmulator $Emulator
    foreach ($path in $Projects) { Remove-Item $path -Recurse -Force -ErrorAction SilentlyContinue }
    Get-PromoteInvariantViolations | Should -BeNullOrEmpty
}

Describe 'A source on a cluster the project swaps' {
    BeforeAll {
        Invoke-TestSql $Emulator "CREATE CLUSTER compute (SIZE = '25cc')"
        Invoke-TestSql $Emulator 'CREATE DATABASE app'
        Invoke-TestSql $Emulator 'CREATE SCHEMA app.ingest'
        Invoke-TestSql $Emulator 'CREATE SOURCE app.ingest.pg_source IN CLUSTER compute FROM LOAD GENERATOR COUNTER'
        $script:Marts = New-OneViewProject app marts counts 'CREATE MATERIALIZED VIEW counts IN CLUSTER compute AS SELECT 1 AS one;'
        $script:Arguments = @{ Profile = 'test'; Path = $Marts }
    }

    It 'stage refuses before building anything, naming the source, its kind and its owner, and the way out' {
        $before = Get-CatalogSnapshot -Port $Emulator.Port

        $result = Invoke-Captured { Invoke-MzStage @Arguments -DeployId src1 }

        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'UnmanagedObjects,*'
        $result.Errors[0].Exception.Message | Should -Match 'source app\.ingest\.pg_source \(owner materialize, on cluster compute\)'
        $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match '-DropUnmanagedObjects'
        $after = Get-CatalogSnapshot -Port $Emulator.Port
        @(Find-UnplannedChanges -Before $before -After $after -Scope (Get-PlannedScope -Plans @())) | Should -BeNullOrEmpty
        Get-Count "mz_clusters WHERE name = 'compute_src1'" | Should -Be 0
    }

    It 'staged with -DropUnmanagedObjects it warns; the promote still refuses without it, and production keeps the source' {
        $stage = Invoke-Captured { Invoke-MzStage @Arguments -DeployId src2 -DropUnmanagedObjects }
        $stage.Errors | Should -BeNullOrEmpty
        $stage.Warnings -join "`n" | Should -Match 'will drop 1 object\(s\).*source app\.ingest\.pg_source'

        $promote = Invoke-Captured { Publish-MzDeployment @Arguments -DeployId src2 -Confirm:$false }

        $promote.Errors[0].FullyQualifiedErrorId | Should -BeLike 'UnmanagedObjects,*'
        $promote.Errors[0].Exception.Message | Should -Match "deployment 'src2' cannot be promoted.*source app\.ingest\.pg_source"
        Test-Object app ingest pg_source | Should -BeTrue
        Test-Object app marts counts | Should -BeFalse
        (Get-MzDeployment @Arguments -DeployId src2).Status | Should -Not -Be 'Promoted'
    }

    It '-DropUnmanagedObjects on the promote drops it and the promotion record lists it' {
        $promotion = Publish-MzDeployment @Arguments -DeployId src2 -DropUnmanagedObjects -Confirm:$false -WarningAction SilentlyContinue

        # Named where it was when dropped: the old production cluster carries the staging name after the swap.
        $promotion.DroppedUnmanagedObjects | Should -Be @('source app.ingest.pg_source (owner materialize, on cluster compute_src2)')
        Test-Object app ingest pg_source | Should -BeFalse
        Test-Object app marts counts | Should -BeTrue
        $record = Get-MzDeploymentHistory @Arguments -DeployId src2
        $record.DroppedUnmanagedObjects | Should -Be @('source app.ingest.pg_source (owner materialize)')
    }
}

Describe 'A table made by hand in a schema the project swaps' {
    BeforeAll {
        $script:Public = New-OneViewProject materialize public answers 'CREATE VIEW answers AS SELECT 42 AS answer;'
        $script:Arguments = @{ Profile = 'test'; Path = $Public }
    }

    It 'stage refuses and the table keeps its rows' {
        Invoke-TestSql $Emulator 'CREATE TABLE materialize.public."select" (id int)'
        Invoke-TestSql $Emulator 'INSERT INTO materialize.public."select" VALUES (1), (2)'

        { Invoke-MzStage @Arguments -DeployId pub1 -ErrorAction Stop } | Should -Throw -ErrorId 'UnmanagedObjects,*'

        Get-Count 'materialize.public."select"' | Should -Be 2
        Get-Count "mz_schemas WHERE name = 'public_pub1'" | Should -Be 0
    }

    It 'a table made between stage and promote stops the promote before the swap; nothing changes' {
        Invoke-TestSql $Emulator 'DROP TABLE materialize.public."select"'
        $null = Invoke-MzStage @Arguments -DeployId pub2
        Invoke-TestSql $Emulator 'CREATE TABLE materialize.public.late (id int)'
        Invoke-TestSql $Emulator 'INSERT INTO materialize.public.late VALUES (7)'

        $promote = Invoke-Captured { Publish-MzDeployment @Arguments -DeployId pub2 -Confirm:$false }

        $promote.Errors[0].FullyQualifiedErrorId | Should -BeLike 'UnmanagedObjects,*'
        $promote.Errors[0].Exception.Message | Should -Match 'table materialize\.public\.late \(owner materialize, in schema materialize\.public\)'
        Get-Count 'materialize.public.late' | Should -Be 1
        Test-Object materialize public answers | Should -BeFalse
        Remove-MzDeployment @Arguments -DeployId pub2 -Confirm:$false
    }

    It 'a table that reaches the old copy after the swap is kept: the promote stops, resumable, and -DropUnmanagedObjects finishes it, recording the table' {
        Invoke-TestSql $Emulator 'DROP TABLE IF EXISTS materialize.public.late'
        $null = Invoke-MzStage @Arguments -DeployId pub3
        Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_faults()'
        Invoke-TestSql $Emulator "SELECT mz_emulator.inject_fault('DROP SCHEMA IF EXISTS materialize.public_pub3 CASCADE', 1, 'close')"
        $first = Invoke-Captured { Publish-MzDeployment @Arguments -DeployId pub3 -Confirm:$false }
        $first.Errors[0].FullyQualifiedErrorId | Should -BeLike 'PromoteIncomplete,*'
        Test-Object materialize public answers | Should -BeTrue
        # Somebody creates a table in the old copy (it now carries the staging name) before the promote is finished.
        Invoke-TestSql $Emulator 'CREATE TABLE materialize.public_pub3.kept (id int)'

        $again = Invoke-Captured { Publish-MzDeployment @Arguments -DeployId pub3 -Confirm:$false }

        $again.Errors[0].FullyQualifiedErrorId | Should -BeLike 'PromoteIncomplete,*'
        $again.Errors[0].Exception.Message | Should -Match 'table materialize\.public_pub3\.kept \(owner materialize, in schema materialize\.public_pub3\)'
        Test-Object materialize public_pub3 kept | Should -BeTrue
        $finished = Publish-MzDeployment @Arguments -DeployId pub3 -DropUnmanagedObjects -Confirm:$false -WarningAction SilentlyContinue
        $finished.Resumed | Should -BeTrue
        $finished.DroppedUnmanagedObjects | Should -Be @('table materialize.public_pub3.kept (owner materialize, in schema materialize.public_pub3)')
        Get-Count "mz_schemas WHERE name = 'public_pub3'" | Should -Be 0
    }
}

Describe 'The loser of a conflict' {
    BeforeAll {
        Invoke-TestSql $Emulator "CREATE CLUSTER alpha (SIZE = '25cc')"
        $script:Loser = New-OneViewProject materialize conflict totals 'CREATE MATERIALIZED VIEW totals IN CLUSTER alpha AS SELECT 1 AS one;'
        $script:Arguments = @{ Profile = 'test'; Path = $Loser }
    }

    It 'is shown failing with its staging cluster by name, is removed completely, and the same deploy ID stages again' {
        $null = Invoke-MzStage @Arguments -DeployId ca
        $null = Invoke-MzStage @Arguments -DeployId ca2
        $null = Publish-MzDeployment @Arguments -DeployId ca -Confirm:$false
        { Publish-MzDeployment @Arguments -DeployId ca2 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'DeploymentConflict,*'

        $loser = Get-MzDeployment @Arguments -DeployId ca2
        $loser.Status | Should -Be 'Failing'
        @($loser.Clusters.Cluster) | Should -Be @('alpha_ca2')
        $loser.Clusters[0].FailureReason | Should -Be 'production_cluster_missing'

        $removed = Remove-MzDeployment @Arguments -DeployId ca2 -Confirm:$false -PassThru
        $removed.DroppedClusters | Should -Be @('alpha_ca2')
        Get-Count "mz_clusters WHERE name = 'alpha_ca2'" | Should -Be 0
        $again = Invoke-MzStage @Arguments -DeployId ca2 -RedeployAll
        $again.DeployId | Should -Be 'ca2'
        Remove-MzDeployment @Arguments -DeployId ca2 -Confirm:$false
    }
}

Describe 'The promote invariant itself' {
    It 'sees a change outside the plan, and none inside it' {
        $before = Get-CatalogSnapshot -Port $Emulator.Port
        Invoke-TestSql $Emulator 'CREATE TABLE materialize.public.bystander (id int)'
        $after = Get-CatalogSnapshot -Port $Emulator.Port

        $noPlan = Get-PlannedScope -Plans @()
        @(Find-UnplannedChanges -Before $before -After $after -Scope $noPlan) | Should -BeLike 'table materialize.public.bystander (*) was created'
        $planned = Get-PlannedScope -Plans @([pscustomobject]@{ Schemas = @([pscustomobject]@{ Production = 'materialize.public'; Staging = 'materialize.public_x' }) })
        @(Find-UnplannedChanges -Before $before -After $after -Scope $planned) | Should -BeNullOrEmpty
        Invoke-TestSql $Emulator 'DROP TABLE materialize.public.bystander'
    }
}
