# Remove-MzObject end to end: the built module against an emulator started for this file, set up with
# Initialize-MzDeploy; production objects made with SQL, a project whose files define some of them.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Secret = 'Pester-S3cret-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
    $script:Monitor = 'pester_remove_monitor_' + [guid]::NewGuid().ToString('n').Substring(0, 6)
    $env:MZ_PESTER_REMOVE_PASSWORD = $Secret
    $script:Emulator = Start-TestEmulator -Profiles @{
        monitor = @{ username = $Monitor; password = '${MZ_PESTER_REMOVE_PASSWORD}' }
    }
    $null = Initialize-MzDeploy -Profile test -Path ([System.IO.Path]::GetTempPath()) -ClusterSize xsmall
    $script:Project = New-TestProject -Files @{
        'clusters/reporting.sql'                   = "CREATE CLUSTER reporting (SIZE = '25cc');`n"
        'models/materialize/public/old_orders.sql' = "CREATE TABLE old_orders (id bigint);`n"
    }
    $script:Common = @{ Profile = 'test'; Path = $Project }

    # Every user cluster, role and schema object as 'kind name', sorted: what a drop may change.
    function Get-Catalog {
        @(Invoke-TestSql $Emulator ("SELECT 'cluster ' || name FROM mz_clusters WHERE id LIKE 'u%' " +
                "UNION ALL SELECT 'role ' || name FROM mz_roles WHERE id LIKE 'u%' " +
                "UNION ALL SELECT 'network policy ' || name FROM mz_internal.mz_network_policies " +
                "UNION ALL SELECT o.type || ' ' || d.name || '.' || s.name || '.' || o.name FROM mz_objects o " +
                "JOIN mz_schemas s ON s.id = o.schema_id JOIN mz_databases d ON d.id = s.database_id WHERE o.id LIKE 'u%' ORDER BY 1"))
    }
    function Get-Gone([string[]] $Before, [string[]] $After) { @($Before | Where-Object { $_ -notin $After }) }
    function Invoke-Sql([string[]] $Statements) { foreach ($s in $Statements) { $null = Invoke-TestSql $Emulator $s } }
}

AfterAll {
    Stop-TestEmulator $Emulator
    Remove-Item Env:MZ_PESTER_REMOVE_PASSWORD -ErrorAction SilentlyContinue
    Remove-Item $Project -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Dropping objects without dependents' {
    BeforeAll {
        Invoke-Sql @(
            "CREATE TABLE materialize.public.scratch (id int)",
            "CREATE INDEX scratch_idx IN CLUSTER quickstart ON materialize.public.scratch (id)",
            "CREATE CLUSTER spare (SIZE = '25cc')",
            "CREATE SECRET materialize.public.unused_pw AS 'x'",
            "CREATE ROLE idle_reader",
            "CREATE NETWORK POLICY office (RULES (hq (ACTION = 'allow', DIRECTION = 'ingress', ADDRESS = '10.0.0.0/8')))",
            "CREATE TABLE materialize.public.keep (id int)")
    }

    It 'drops exactly the <Type> <Name>, with the statement it shows' -ForEach @(
        @{ Type = 'Table'; Name = 'materialize.public.scratch'; Gone = @('index materialize.public.scratch_idx', 'table materialize.public.scratch')
            Statement = 'DROP TABLE "materialize"."public"."scratch"' }
        @{ Type = 'cluster'; Name = 'spare'; Gone = @('cluster spare'); Statement = 'DROP CLUSTER "spare"' }
        @{ Type = 'Secret'; Name = 'materialize.public.unused_pw'; Gone = @('secret materialize.public.unused_pw')
            Statement = 'DROP SECRET "materialize"."public"."unused_pw"' }
        @{ Type = 'ROLE'; Name = 'idle_reader'; Gone = @('role idle_reader'); Statement = 'DROP ROLE "idle_reader"' }
        @{ Type = 'NetworkPolicy'; Name = 'office'; Gone = @('network policy office'); Statement = 'DROP NETWORK POLICY "office"' }
    ) {
        $before = Get-Catalog

        $result = Remove-MzObject @Common -Type $Type -Name $Name -Force

        $after = Get-Catalog
        Get-Gone $before $after | Should -Be $Gone
        $after | Where-Object { $_ -notin $before } | Should -BeNullOrEmpty
        $result | Should -BeOfType MzDeploy.MzObjectRemoval
        # The kind's own spelling, whatever case was typed (-eq ignores case).
        $result.Type | Should -Be @('Table', 'Cluster', 'Secret', 'Role', 'NetworkPolicy').Where({ $_ -eq $Type })[0]
        $result.Name | Should -Be $Name
        $result.Statement | Should -BeExactly $Statement
        $result.Dropped | Should -BeTrue
        $result.ProjectFile | Should -BeNullOrEmpty
        $result.FileRemoved | Should -BeFalse
    }

    It 'reports a missing object by name and an object of another kind, and changes nothing' {
        $before = Get-Catalog
        $errors = @()

        $results = @(Remove-MzObject @Common -Type Table -Name materialize.public.nothing_here -Force -ErrorVariable +errors -ErrorAction SilentlyContinue
            Remove-MzObject @Common -Type Cluster -Name materialize.public.keep -Force -ErrorVariable +errors -ErrorAction SilentlyContinue
            Remove-MzObject @Common -Type Source -Name materialize.public.keep -Force -ErrorVariable +errors -ErrorAction SilentlyContinue
            Remove-MzObject @Common -Type Table -Name keep -Force -ErrorVariable +errors -ErrorAction SilentlyContinue)

        $results | Should -BeNullOrEmpty
        $errors.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } |
            Should -Be @('ObjectNotFound', 'ObjectNotFound', 'ObjectKindMismatch', 'InvalidObjectReference')
        $errors[0].Exception.Message | Should -BeExactly "table 'materialize.public.nothing_here' does not exist"
        $errors[2].Exception.Message | Should -BeExactly "'materialize.public.keep' is a table, not a source"
        $errors[3].Exception.Message | Should -Match 'database\.schema\.name'
        Get-Catalog | Should -Be $before
    }
}

Describe 'Refusing objects that others depend on' {
    BeforeAll {
        Invoke-Sql @(
            "CREATE TABLE materialize.public.facts (id int)",
            "CREATE VIEW materialize.public.fact_ids AS SELECT id FROM materialize.public.facts",
            "CREATE CLUSTER busy (SIZE = '25cc')",
            "CREATE MATERIALIZED VIEW materialize.public.ones IN CLUSTER busy AS SELECT 1 AS one",
            "CREATE SECRET materialize.public.pg_pw AS 'x'",
            "CREATE CONNECTION materialize.public.pg TO POSTGRES (HOST 'localhost', USER 'u', PASSWORD SECRET materialize.public.pg_pw, DATABASE 'd')",
            "CREATE TABLE materialize.public.loose (id int)",
            "CREATE NETWORK POLICY guarded_office (RULES (hq (ACTION = 'allow', DIRECTION = 'ingress', ADDRESS = '10.0.0.0/8')))",
            "ALTER SYSTEM SET network_policy = 'guarded_office'")
    }
    AfterAll { Invoke-Sql @('ALTER SYSTEM RESET network_policy') }

    It 'refuses the <Type> <Name>, naming <Dependent>, and drops nothing' -ForEach @(
        @{ Type = 'Table'; Name = 'materialize.public.facts'; Dependent = 'materialize.public.fact_ids (view)' }
        @{ Type = 'Cluster'; Name = 'busy'; Dependent = 'materialize.public.ones (materialized view)' }
        @{ Type = 'Secret'; Name = 'materialize.public.pg_pw'; Dependent = 'materialize.public.pg (connection)' }
        @{ Type = 'NetworkPolicy'; Name = 'guarded_office'; Dependent = 'network_policy (system setting)' }
    ) {
        $before = Get-Catalog
        $errors = @()

        $result = Remove-MzObject @Common -Type $Type -Name $Name -Force -ErrorVariable errors -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ObjectHasDependents,*'
        $errors[0].Exception.Message | Should -BeLike "cannot drop * '$Name': 1 object(s) depend on it: $Dependent"
        $errors[0].ErrorDetails.RecommendedAction | Should -Match 'Drop the objects that depend on it first'
        $errors[0].ErrorDetails.RecommendedAction | Should -Match 'never drops with CASCADE'
        Get-Catalog | Should -Be $before
    }

    It 'goes on with the next object of a pipeline after a refusal' {
        $before = Get-Catalog
        $errors = @()

        $results = @([pscustomobject]@{ Type = 'Table'; Name = 'materialize.public.facts' },
            [pscustomobject]@{ Type = 'Table'; Name = 'materialize.public.loose' } |
                Remove-MzObject @Common -Force -ErrorVariable errors -ErrorAction SilentlyContinue)

        $errors.FullyQualifiedErrorId | Should -BeLike 'ObjectHasDependents,*'
        $results.Name | Should -Be 'materialize.public.loose'
        Get-Gone $before (Get-Catalog) | Should -Be @('table materialize.public.loose')
    }
}

Describe 'The project file that defines the object' {
    BeforeAll {
        Invoke-Sql @("CREATE CLUSTER reporting (SIZE = '25cc')", "CREATE TABLE materialize.public.old_orders (id bigint)")
    }

    It 'stays without -RemoveFile, and the output says which file it is' {
        $file = Join-Path $Project 'models/materialize/public/old_orders.sql'
        $output = Remove-MzObject @Common -Type Table -Name materialize.public.old_orders -Force 6>&1

        $result = $output | Where-Object { $_ -is [MzDeploy.MzObjectRemoval] }
        $said = ($output | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { "$_" }) -join "`n"
        $result.Dropped | Should -BeTrue
        $result.ProjectFile | Should -Be 'models/materialize/public/old_orders.sql'
        $result.FileRemoved | Should -BeFalse
        $said | Should -Match ([regex]::Escape("Dropped table 'materialize.public.old_orders'; its project file models/materialize/public/old_orders.sql stays"))
        $file | Should -Exist
        Get-Catalog | Should -Not -Contain 'table materialize.public.old_orders'
    }

    It 'is removed with -RemoveFile, and the output says so' {
        $file = Join-Path $Project 'clusters/reporting.sql'
        $file | Should -Exist
        $output = Remove-MzObject @Common -Type Cluster -Name reporting -RemoveFile -Force 6>&1

        $result = $output | Where-Object { $_ -is [MzDeploy.MzObjectRemoval] }
        $said = ($output | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { "$_" }) -join "`n"
        $result.ProjectFile | Should -Be 'clusters/reporting.sql'
        $result.FileRemoved | Should -BeTrue
        $said | Should -Match ([regex]::Escape("Dropped cluster 'reporting'; removed its project file clusters/reporting.sql."))
        $file | Should -Not -Exist
        Join-Path $Project 'models/materialize/public/old_orders.sql' | Should -Exist
        Get-Catalog | Should -Not -Contain 'cluster reporting'
    }

    It 'is not removed when the drop is refused' {
        Set-Content -Path (Join-Path $Project 'clusters/guarded.sql') -Value "CREATE CLUSTER guarded (SIZE = '25cc');"
        Invoke-Sql @("CREATE CLUSTER guarded (SIZE = '25cc')",
            "CREATE MATERIALIZED VIEW materialize.public.guard IN CLUSTER guarded AS SELECT 1 AS one")

        Remove-MzObject @Common -Type Cluster -Name guarded -RemoveFile -Force -ErrorAction SilentlyContinue -ErrorVariable errors

        $errors.FullyQualifiedErrorId | Should -BeLike 'ObjectHasDependents,*'
        Join-Path $Project 'clusters/guarded.sql' | Should -Exist
    }
}

Describe 'The output as a table and a list' {
    It 'Format-Table shows type, name, result and project file within 80 columns; Format-List the exact DROP' {
        $PSStyle.OutputRendering = 'PlainText'
        Set-Content -Path (Join-Path $Project 'models/materialize/public/fmt.sql') -Value 'CREATE TABLE fmt (id int);'
        Invoke-Sql @('CREATE TABLE materialize.public.fmt (id int)')
        $removed = Remove-MzObject @Common -Type Table -Name materialize.public.fmt -Force

        $lines = @(($removed | Format-Table | Out-String -Width 80) -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ })
        $lines[0] | Should -Match '^Type\s+Name\s+Result\s+ProjectFile$'
        $lines[2] | Should -Match '^Table\s+materialize\.public\.fmt\s+Dropped\s+models/materialize/public/fmt\.sql$'
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $list = $removed | Format-List | Out-String -Width 80
        $list | Should -Match ([regex]::Escape('Statement   : DROP TABLE "materialize"."public"."fmt"'))
        $list | Should -Match ([regex]::Escape('ProjectFile : models/materialize/public/fmt.sql (kept; -RemoveFile removes it)'))
    }
}

Describe 'Showing before dropping' {
    BeforeAll {
        Invoke-Sql @("CREATE TABLE materialize.public.shown (id int)")
    }

    It '-DryRun writes the exact DROP and changes nothing' {
        $before = Get-Catalog

        $plan = Remove-MzObject @Common -Type Table -Name materialize.public.shown -DryRun

        $plan.Statement | Should -BeExactly 'DROP TABLE "materialize"."public"."shown"'
        $plan.Dropped | Should -BeFalse
        Get-Catalog | Should -Be $before
    }

    It '-WhatIf shows the exact DROP and changes nothing' {
        $before = Get-Catalog
        $transcript = Join-Path ([System.IO.Path]::GetTempPath()) ("mzdeploy-whatif-" + [guid]::NewGuid().ToString('n') + '.txt')
        $null = Start-Transcript -Path $transcript
        try { $output = Remove-MzObject @Common -Type Table -Name materialize.public.shown -WhatIf }
        finally { $null = Stop-Transcript }
        $text = Get-Content $transcript -Raw
        Remove-Item $transcript

        $output | Should -BeNullOrEmpty
        $text | Should -Match ([regex]::Escape("What if: Drop table 'materialize.public.shown' on 127.0.0.1:"))
        $text | Should -Match ([regex]::Escape('DROP TABLE "materialize"."public"."shown";'))
        Get-Catalog | Should -Be $before
    }

    It 'fails at once in a non-interactive session without -Force, and drops with it' {
        function Invoke-Child([string] $Arguments) {
            $command = "Import-Module '$env:MZDEPLOY_MODULE'; `$ErrorActionPreference = 'Stop'; try { Remove-MzObject -Profile test -Path '$Project' " +
                "-Type Table -Name materialize.public.shown $Arguments | ForEach-Object { 'DROPPED ' + `$_.Name } } " +
                "catch { 'ERROR ' + `$_.FullyQualifiedErrorId; 'MESSAGE ' + `$_.Exception.Message }"
            Invoke-ChildPwsh $command -NonInteractive
        }
        Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_statement_log()'

        $asked = Invoke-Child ''

        $asked.Exited | Should -BeTrue -Because 'a prompt must never wait for input'
        $asked.Output | Should -Match 'ERROR ConfirmationRequired,MzDeploy\.PowerShell\.Cmdlets\.RemoveMzObjectCommand'
        $asked.Output | Should -Match 'Pass -Force or -Confirm:\$false'
        $asked.Output | Should -Not -Match 'DROPPED'
        # It failed before connecting: the emulator saw no statement of it.
        [int]@(Invoke-TestSql $Emulator "SELECT count(*) FROM mz_emulator.statement_log WHERE sql NOT ILIKE '%mz_emulator.%'")[0] | Should -Be 0
        Get-Catalog | Should -Contain 'table materialize.public.shown'

        $forced = Invoke-Child '-Force'

        $forced.Output | Should -Match 'DROPPED materialize\.public\.shown'
        Get-Catalog | Should -Not -Contain 'table materialize.public.shown'
    }
}

Describe 'Role enforcement' {
    It 'refuses a user without materialize_deployer, naming the role, and drops nothing' {
        Invoke-Sql @("CREATE TABLE materialize.public.guarded_table (id int)",
            "CREATE ROLE $Monitor WITH LOGIN PASSWORD '$Secret'", "GRANT materialize_monitor TO $Monitor")
        $before = Get-Catalog
        $caught = $null

        $streams = try { Remove-MzObject -Profile monitor -Path $Project -Type Table -Name materialize.public.guarded_table -Force -Verbose *>&1 }
        catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -BeLike 'MzDeployRoleRequired,*'
        $caught.Exception.Message | Should -Match 'materialize_deployer'
        (($streams | Out-String) + ($caught | Out-String)) | Should -Not -Match ([regex]::Escape($Secret))
        Get-Catalog | Should -Be $before
    }
}
