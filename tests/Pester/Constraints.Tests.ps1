# Constraints end to end: the built module against an emulator started for this file. An enforced
# PRIMARY KEY / FOREIGN KEY on a materialized view is staged and promoted as its companion materialized
# view, which returns the rows that violate it; a NOT ENFORCED one is metadata on the object only.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Emulator = Start-TestEmulator
    Enable-PromoteInvariant -Emulator $Emulator
    $null = Initialize-MzDeploy -Profile test -Path ([System.IO.Path]::GetTempPath()) -ClusterSize xsmall

    $script:Parent = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-constraints-' + [guid]::NewGuid().ToString('n').Substring(0, 10))
    $null = New-Item -ItemType Directory -Path $Parent
    $script:Project = (New-MzProject -Name shop -Path $Parent).FullName
    $script:Common = @{ Profile = 'test'; Path = $Project }
    Set-Content -Path (Join-Path $Project 'models/materialize/sales/customers.sql') -Value 'CREATE TABLE customers (name text);'
    # Orders whose id may be NULL, so the primary key's companion view has a null key to report.
    $orders = Join-Path $Project 'models/materialize/sales/orders.sql'
    [System.IO.File]::WriteAllText($orders, ((Get-Content $orders -Raw) -replace '(?m)^(\s*id\s+bigint)\s+NOT NULL', '$1'))
    Initialize-MzExampleProduction -Path $Project -Profile test
    $script:Keys = Join-Path $Project 'models/materialize/checks/order_keys.sql'
    $null = New-Item -ItemType Directory -Path (Split-Path $Keys)
    Set-Content -Path $Keys -Value @'
CREATE MATERIALIZED VIEW order_keys IN CLUSTER orders AS
SELECT id, customer FROM materialize.sales.orders;

CREATE PRIMARY KEY IN CLUSTER orders ON order_keys (id);
CREATE FOREIGN KEY order_keys_customer_fk IN CLUSTER orders ON order_keys (customer) REFERENCES materialize.sales.customers (name);
CREATE UNIQUE CONSTRAINT NOT ENFORCED ON order_keys (customer);
'@
    Save-MzGitCommit -Path $Project -Message 'order keys with constraints'

    # Names of the materialized views in production's checks schema.
    function Get-CheckViews {
        [string[]] $rows = @(Invoke-TestSql $Emulator ("SELECT v.name FROM mz_materialized_views v JOIN mz_schemas s ON s.id = v.schema_id " +
                "JOIN mz_databases d ON d.id = s.database_id WHERE d.name = 'materialize' AND s.name = 'checks' ORDER BY 1"))
        $rows
    }
}

AfterAll {
    $violations = Get-PromoteInvariantViolations
    Disable-PromoteInvariant
    Stop-TestEmulator $Emulator
    Remove-Item $Parent -Recurse -Force -ErrorAction SilentlyContinue
    $violations | Should -BeNullOrEmpty
}

Describe 'Constraints on materialized views' {
    It 'Build-MzProject lists each enforced constraint as a materialized view of its own, and every constraint on its object' {
        $project = Build-MzProject @Common

        $keys = $project.Objects | Where-Object Name -eq 'order_keys'
        $keys.Constraints | Should -Be @(
            'PRIMARY KEY order_keys_id_pk (id)',
            'FOREIGN KEY order_keys_customer_fk (customer) REFERENCES materialize.sales.customers (name)',
            'UNIQUE order_keys_customer_unique (customer) NOT ENFORCED')
        $companions = @($project.Objects | Where-Object ConstraintOf -eq 'materialize.checks.order_keys' | Sort-Object Name)
        $companions.Name | Should -Be @('order_keys_customer_fk', 'order_keys_id_pk')
        $companions.Kind | Should -Be @('MaterializedView', 'MaterializedView')
        $companions.Cluster | Should -Be @('orders', 'orders')
        $companions[1].File | Should -Be 'models/materialize/checks/order_keys.sql'
        $companions[1].Line | Should -Be 4
        $companions[0].DependsOn | Should -Be @('materialize.checks.order_keys', 'materialize.sales.customers')
    }

    It 'stage and promote create the enforced constraints'' companion views in production, and no view for the NOT ENFORCED one' {
        $plan = Invoke-MzStage @Common -DryRun
        $plan.Objects | Should -Contain 'materialize.checks.order_keys_id_pk'
        $plan.Objects | Should -Not -Contain 'materialize.checks.order_keys_customer_unique'
        @($plan.Statements | Where-Object { $_ -like 'CREATE MATERIALIZED VIEW materialize.checks_*.order_keys_id_pk*IN CLUSTER orders_*GROUP BY id*' }).Count | Should -Be 1

        $promotion = Invoke-MzStage @Common -DeployId keys | Publish-MzDeployment @Common -NoReadyCheck -Confirm:$false
        $promotion.DeployId | Should -Be 'keys'

        Get-CheckViews | Should -Be @('order_keys', 'order_keys_customer_fk', 'order_keys_id_pk')
        @(Invoke-TestSql $Emulator 'SELECT count(*) FROM _mz_deploy.tables.objects WHERE deploy_id = ''keys'' AND object LIKE ''order_keys%''')[0] | Should -Be 3
    }

    It 'the companion views return the rows that violate their key, and nothing once the data is clean' {
        @(Invoke-TestSql $Emulator 'SELECT count(*) FROM materialize.checks.order_keys_id_pk')[0] | Should -Be 0
        Invoke-TestSql $Emulator "INSERT INTO materialize.sales.customers VALUES ('ada')"
        Invoke-TestSql $Emulator ("INSERT INTO materialize.sales.orders (id, customer, status, amount, created_at) VALUES " +
            "(1, 'ada', 'open', 10, now()), (1, 'ada', 'open', 12, now()), (2, 'bob', 'open', 5, now()), (NULL, 'ada', 'open', 1, now())")

        @(Invoke-TestSql $Emulator 'SELECT id, row_count FROM materialize.checks.order_keys_id_pk ORDER BY id') | Should -Be @('1|2', '|1')
        @(Invoke-TestSql $Emulator 'SELECT id, customer FROM materialize.checks.order_keys_customer_fk') | Should -Be @('2|bob')

        Invoke-TestSql $Emulator "INSERT INTO materialize.sales.customers VALUES ('bob')"
        @(Invoke-TestSql $Emulator 'SELECT count(*) FROM materialize.checks.order_keys_customer_fk')[0] | Should -Be 0
    }

    It 'a constraint that cannot be deployed is refused at its line, never accepted and dropped' {
        Set-Content -Path $Keys -Value @'
CREATE MATERIALIZED VIEW order_keys IN CLUSTER orders AS
SELECT id, customer FROM materialize.sales.orders;

CREATE PRIMARY KEY ON order_keys (id);
'@
        $result = Invoke-Compile -Path $Project
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ConstraintMissingCluster*'
        "$($result.Errors[0])" | Should -BeLike 'models/materialize/checks/order_keys.sql:4:1: *missing its required IN CLUSTER*'
    }
}
