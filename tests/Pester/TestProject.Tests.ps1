# Test-MzProject end to end: the built module runs a project's EXECUTE UNIT TEST statements on a sandbox. The project is
# a git repository in a temp folder whose tests have the shape of mz-deploy's basic example (tables in a raw schema,
# views over them in public, each view's tests in its file, mocks of every table the view reads); a second project
# holds tests that fail or are invalid. Sandboxes: an emulator started for this file, reached by -Sandbox host:port and,
# as a "live" Materialize, by -Profile; and the module's own private emulator when the module carries one.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Address = "127.0.0.1:$($Emulator.Port)"

    function New-GitProject([hashtable] $Files) {
        $root = New-TestProject -Files $Files
        git -C $root init -q *> $null
        Save-MzGitCommit -Path $root -Message 'unit tests'
        $root
    }

    $raw = @{
        'models/materialize/raw/customers.sql' = "CREATE TABLE customers (id bigint, name text, region text);`n"
        'models/materialize/raw/orders.sql'    = "CREATE TABLE orders (id bigint, customer_id bigint, amount numeric, created_at timestamp);`n"
    }
    $script:Good = New-GitProject ($raw + @{
        'models/materialize/public/customer_orders.sql' = @'
CREATE VIEW customer_orders AS
SELECT c.id AS customer_id, c.name, o.id AS order_id, o.amount
FROM raw.customers AS c
JOIN raw.orders AS o ON o.customer_id = c.id;

EXECUTE UNIT TEST joins_orders_to_customers
FOR materialize.public.customer_orders
MOCK raw.customers(id bigint, name text, region text) AS (
  SELECT * FROM (VALUES (1, 'alice', 'eu'), (2, 'bob', 'us'))
),
MOCK materialize.raw.orders(id bigint, customer_id bigint, amount numeric, created_at timestamp) AS (
  SELECT * FROM (VALUES (10, 1, 5.00, '2024-01-15 10:00:00'), (11, 1, 7.50, '2024-01-15 11:00:00'), (12, 3, 1.00, '2024-01-15 11:00:00'))
),
EXPECTED(customer_id bigint, name text, order_id bigint, amount numeric) AS (
  SELECT * FROM (VALUES (1, 'alice', 10, 5.00), (1, 'alice', 11, 7.50))
);

EXECUTE UNIT TEST no_orders_no_rows
FOR materialize.public.customer_orders
MOCK raw.customers(id bigint, name text, region text) AS (SELECT * FROM (VALUES (1, 'alice', 'eu'))),
MOCK raw.orders(id bigint, customer_id bigint, amount numeric, created_at timestamp) AS (
  SELECT * FROM (VALUES (1, 1, 1.0, '2024-01-01 00:00:00')) WHERE false
),
EXPECTED(customer_id bigint, name text, order_id bigint, amount numeric) AS (
  SELECT * FROM (VALUES (1, 'alice', 1, 1.0)) WHERE false
);
'@
        'models/materialize/public/region_totals.sql' = @'
CREATE MATERIALIZED VIEW region_totals IN CLUSTER quickstart AS
SELECT c.region, count(*) AS orders, sum(o.amount) AS total
FROM materialize.raw.customers AS c
JOIN materialize.raw.orders AS o ON o.customer_id = c.id
GROUP BY c.region;

EXECUTE UNIT TEST totals_per_region
FOR materialize.public.region_totals
MOCK raw.customers(id bigint, name text, region text) AS (
  SELECT * FROM (VALUES (1, 'alice', 'eu'), (2, 'bob', 'us'), (3, 'cid', 'eu'))
),
MOCK raw.orders(id bigint, customer_id bigint, amount numeric, created_at timestamp) AS (
  SELECT * FROM (VALUES (10, 1, 5.00, '2024-01-15 10:00:00'), (11, 2, 7.50, '2024-01-15 11:00:00'), (12, 3, 1.00, '2024-01-15 11:00:00'))
),
EXPECTED(region text, orders bigint, total numeric) AS (
  SELECT * FROM (VALUES ('eu', 2, 6.00), ('us', 1, 7.50))
);
'@
        'models/materialize/public/recent_orders.sql' = @'
CREATE VIEW recent_orders AS
SELECT id, customer_id FROM raw.orders
WHERE mz_now() <= created_at + INTERVAL '1 hour';

EXECUTE UNIT TEST within_the_hour
FOR materialize.public.recent_orders
AT TIME '2024-01-15 11:30:00'
MOCK raw.orders(id bigint, customer_id bigint, amount numeric, created_at timestamp) AS (
  SELECT * FROM (VALUES (10, 1, 5.00, '2024-01-15 10:00:00'), (11, 2, 7.50, '2024-01-15 11:00:00'))
),
EXPECTED(id bigint, customer_id bigint) AS (
  SELECT * FROM (VALUES (11, 2))
);
'@
    })

    $script:Bad = New-GitProject ($raw + @{
        'models/materialize/public/customer_names.sql' = @'
CREATE VIEW customer_names AS SELECT id, name FROM raw.customers;

EXECUTE UNIT TEST wrong_rows
FOR materialize.public.customer_names
MOCK raw.customers(id bigint, name text, region text) AS (SELECT * FROM (VALUES (1, 'alice', 'eu'), (2, 'bob', 'us'))),
EXPECTED(id bigint, name text) AS (SELECT * FROM (VALUES (1, 'alice'), (2, 'carol')));

EXECUTE UNIT TEST not_mocked
FOR materialize.public.customer_names
EXPECTED(id bigint, name text) AS (SELECT * FROM (VALUES (1, 'alice')));

EXECUTE UNIT TEST wrong_expected
FOR materialize.public.customer_names
MOCK raw.customers(id bigint, name text, region text) AS (SELECT * FROM (VALUES (1, 'alice', 'eu'))),
EXPECTED(id bigint, customer text) AS (SELECT * FROM (VALUES (1, 'alice')));

EXECUTE UNIT TEST wrong_mock
FOR materialize.public.customer_names
MOCK raw.customers(id bigint, name text) AS (SELECT * FROM (VALUES (1, 'alice'))),
EXPECTED(id bigint, name text) AS (SELECT * FROM (VALUES (1, 'alice')));

EXECUTE UNIT TEST bad_time
FOR materialize.public.customer_names
AT TIME 'yesterday-ish'
MOCK raw.customers(id bigint, name text, region text) AS (SELECT * FROM (VALUES (1, 'alice', 'eu'))),
EXPECTED(id bigint, name text) AS (SELECT * FROM (VALUES (1, 'alice')));
'@
        'models/materialize/raw/events.sql' = @'
CREATE TABLE events (id bigint);

EXECUTE UNIT TEST on_a_table
FOR materialize.raw.events
EXPECTED(id bigint) AS (SELECT 1);
'@
    })
    $script:Empty = New-GitProject $raw
    $script:Scratch = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-junit-' + [guid]::NewGuid().ToString('n').Substring(0, 10))
}

AfterAll {
    Stop-TestEmulator $Emulator
    foreach ($folder in @($Good, $Bad, $Empty, $Scratch, $Locked)) { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Tests of the shape of mz-deploy''s basic example' {
    It 'all pass on the emulator given by -Sandbox, one result per test in project order' {
        $results = Test-MzProject -Path $Good -Sandbox $Address -ErrorVariable errors

        $errors | Should -BeNullOrEmpty
        $results | ForEach-Object { $_.GetType().Name } | Select-Object -Unique | Should -Be 'MzUnitTestResult'
        $results.FullName | Sort-Object | Should -Be @(
            'materialize.public.customer_orders#joins_orders_to_customers'
            'materialize.public.customer_orders#no_orders_no_rows'
            'materialize.public.recent_orders#within_the_hour'
            'materialize.public.region_totals#totals_per_region')
        $results.Status | Select-Object -Unique | Should -Be 'Passed'
        ($results | Where-Object Name -eq joins_orders_to_customers).File | Should -Be 'models/materialize/public/customer_orders.sql'
        ($results | Where-Object Name -eq joins_orders_to_customers).Line | Should -Be 6
        ($results | Where-Object Name -eq no_orders_no_rows).Line | Should -Be 18
    }

    It 'AT TIME decides what mz_now() returns: a later time leaves the order out' {
        $later = Join-Path $Good 'models/materialize/public/recent_orders.sql'
        $text = Get-Content $later -Raw
        try {
            Set-Content $later ($text -replace '11:30:00', '12:30:00') -NoNewline
            $result = Test-MzProject 'materialize.public.recent_orders' -Path $Good -Sandbox $Address -ErrorAction SilentlyContinue

            $result.Status | Should -Be Failed
            $result.Missing.id | Should -Be '11'
            $result.Unexpected | Should -BeNullOrEmpty
        }
        finally {
            Set-Content $later $text -NoNewline
        }
    }

    It 'AT TIME in milliseconds since the epoch (<Ms>, Materialize''s mz_timestamp) sets mz_now(): <Status>' -ForEach @(
        @{ Ms = '1705318200000'; Status = 'Passed' }   # 2024-01-15 11:30:00 UTC: the order of 11:00 is within the hour
        @{ Ms = '1705321800000'; Status = 'Failed' }   # 12:30:00 UTC: it is not
    ) {
        $file = Join-Path $Good 'models/materialize/public/recent_orders.sql'
        $text = Get-Content $file -Raw
        try {
            Set-Content $file ($text -replace "'2024-01-15 11:30:00'", "'$Ms'") -NoNewline
            $result = Test-MzProject 'materialize.public.recent_orders' -Path $Good -Sandbox $Address -ErrorAction SilentlyContinue

            $result.Status | Should -Be $Status
            if ($Status -eq 'Failed') { $result.Missing.id | Should -Be '11' }
        }
        finally {
            Set-Content $file $text -NoNewline
        }
    }

    It 'runs on a Materialize named by -Profile (the emulator as a live target)' {
        $before = Get-CatalogSnapshot -Port $Emulator.Port
        $results = Test-MzProject -Path $Good -Profile test
        $after = Get-CatalogSnapshot -Port $Emulator.Port

        # Nothing the project or anyone else owns changed: the tests' views were temporary.
        @(Find-UnplannedChanges -Before $before -After $after -Scope (Get-PlannedScope -Plans @())) | Should -BeNullOrEmpty
        $after.Count | Should -Be $before.Count
        $results.Count | Should -Be 4
        $results.Status | Select-Object -Unique | Should -Be 'Passed'
        # Only temporary views were made, and they went with each test's session.
        Invoke-TestSql $Emulator "SELECT count(*) FROM mz_views WHERE name LIKE 'unit_test_%' OR name LIKE 'mock_%'" | Should -Be '0'
    }

    It 'runs on the module''s private emulator when neither -Profile nor -Sandbox is given' {
        $module = Split-Path (Get-Module MzDeploy).Path
        if (-not (Test-Path (Join-Path $module 'emulator/MzDeploy.Emulator.dll'))) {
            Set-ItResult -Skipped -Because 'this build of the module does not carry its emulator (out/MzDeploy/emulator)'
            return
        }

        $results = Test-MzProject -Path $Good -Verbose 4>&1
        $verbose = $results | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($results | Where-Object { $_ -is [MzDeploy.MzUnitTestResult] }).Status | Select-Object -Unique | Should -Be 'Passed'
        "$verbose" | Should -Match 'private sandbox'
    }
}

Describe 'Filters' {
    It 'selects <Filter>' -ForEach @(
        @{ Filter = 'materialize.public.customer_orders'; Expected = @('joins_orders_to_customers', 'no_orders_no_rows') }
        @{ Filter = 'materialize.public.customer_orders#no_*'; Expected = @('no_orders_no_rows') }
        @{ Filter = 'materialize.public.re*'; Expected = @('totals_per_region', 'within_the_hour') }
        @{ Filter = 'materialize.*#*region*'; Expected = @('totals_per_region') }
        @{ Filter = 'materialize'; Expected = @('joins_orders_to_customers', 'no_orders_no_rows', 'totals_per_region', 'within_the_hour') }
    ) {
        (Test-MzProject $Filter -Path $Good -Sandbox $Address).Name | Sort-Object | Should -Be $Expected
    }

    It 'stops with UnitTestFilterMatchedNothing when a filter matches no test' {
        { Test-MzProject 'materialize.public.nothing_here' -Path $Good -Sandbox $Address -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnitTestFilterMatchedNothing*' -ExpectedMessage "no tests matched filter 'materialize.public.nothing_here'"
    }

    It 'refuses a filter with more than three name parts' {
        { Test-MzProject 'a.b.c.d' -Path $Good -Sandbox $Address -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidUnitTestFilter*'
    }

    It 'only warns when the project has no tests at all' {
        $results = Test-MzProject -Path $Empty -Sandbox $Address -WarningVariable warnings 3>$null

        $results | Should -BeNullOrEmpty
        "$warnings" | Should -Match 'has no unit tests'
    }
}

Describe 'Failing and invalid tests' {
    BeforeAll {
        $script:Results = Test-MzProject -Path $Bad -Sandbox $Address -ErrorVariable failures -ErrorAction SilentlyContinue
        $script:Failures = $failures
        $script:ByName = @{}
        foreach ($r in $Results) { $ByName[$r.Name] = $r }
    }

    It 'shows the missing and unexpected rows as objects with the test''s columns' {
        $wrong = $ByName['wrong_rows']

        $wrong.Status | Should -Be Failed
        $wrong.Missing.Count | Should -Be 1
        $wrong.Missing[0].id | Should -Be '2'
        $wrong.Missing[0].name | Should -Be 'carol'
        $wrong.Unexpected[0].name | Should -Be 'bob'
        ($wrong.Unexpected | Format-Table | Out-String) | Should -Match 'bob'
        $wrong.Message | Should -Match 'models/materialize/public/customer_names.sql:3:1: .*1 missing and 1 unexpected'
    }

    It 'reports <Name> as invalid at <Where>' -ForEach @(
        @{ Name = 'not_mocked'; Where = 'customer_names.sql:8:1'; Says = "dependency 'materialize.raw.customers' is not mocked" }
        @{ Name = 'wrong_expected'; Where = 'customer_names.sql:15:1'; Says = 'EXPECTED declares \(id int8, customer text\) but materialize.public.customer_names returns \(id int8, name text\)' }
        @{ Name = 'wrong_mock'; Where = 'customer_names.sql:19:1'; Says = "the mock of 'materialize.raw.customers' declares columns \(id, name\) but materialize.raw.customers has \(id, name, region\)" }
        @{ Name = 'bad_time'; Where = 'customer_names.sql:22:1'; Says = "AT TIME 'yesterday-ish' is not a valid mz_timestamp" }
        @{ Name = 'on_a_table'; Where = 'events.sql:3:1'; Says = 'unit tests can only test views and materialized views, not table materialize.raw.events' }
    ) {
        $ByName[$Name].Status | Should -Be Invalid
        $ByName[$Name].Message | Should -Match ([regex]::Escape($Where))
        $ByName[$Name].Message | Should -Match $Says
    }

    It 'writes one non-terminating error per failed or invalid test, with stable ids' {
        $Failures.Count | Should -Be 6
        @($Failures | Where-Object FullyQualifiedErrorId -like 'UnitTestFailed*').Count | Should -Be 1
        @($Failures | Where-Object FullyQualifiedErrorId -like 'UnitTestInvalid*').Count | Should -Be 5
        ($Failures | Where-Object FullyQualifiedErrorId -like 'UnitTestFailed*').TargetObject.Name | Should -Be 'wrong_rows'
    }

    It 'fails a script running with ErrorActionPreference Stop' {
        { $ErrorActionPreference = 'Stop'; Test-MzProject 'materialize.public.customer_names#wrong_rows' -Path $Bad -Sandbox $Address } |
            Should -Throw -ErrorId 'UnitTestFailed*'
    }
}

Describe 'JUnit report' {
    It 'has one suite per tested object, failures with their rows and errors with their problems' {
        $path = Join-Path $Scratch 'reports/unit.xml'
        $null = Test-MzProject -Path $Bad -Sandbox $Address -JUnitXml $path -ErrorAction SilentlyContinue

        $report = [xml](Get-Content $path -Raw)
        $report.testsuites.tests | Should -Be '6'
        $report.testsuites.failures | Should -Be '1'
        $report.testsuites.errors | Should -Be '5'
        $report.testsuites.testsuite.name | Sort-Object | Should -Be @('materialize.public.customer_names', 'materialize.raw.events')
        $names = $report.testsuites.testsuite | Where-Object name -eq 'materialize.public.customer_names'
        $names.tests | Should -Be '5'
        $wrong = $names.testcase | Where-Object name -eq 'wrong_rows'
        $wrong.classname | Should -Be 'materialize.public.customer_names'
        $wrong.file | Should -Be 'models/materialize/public/customer_names.sql'
        $wrong.line | Should -Be '3'
        $wrong.failure.type | Should -Be 'UnitTestFailed'
        $wrong.failure.'#text' | Should -Match 'missing: id=2, name=carol'
        $wrong.failure.'#text' | Should -Match 'unexpected: id=2, name=bob'
        ($names.testcase | Where-Object name -eq 'not_mocked').error.message | Should -Match 'is not mocked'
    }

    It 'stops with UnitTestReportNotWritten when the report cannot be written, after the results' {
        $seen = [System.Collections.Generic.List[object]]::new()
        { Test-MzProject -Path $Good -Sandbox $Address -JUnitXml '/proc/mzdeploy-no/unit.xml' -ErrorAction Stop | ForEach-Object { $seen.Add($_) } } |
            Should -Throw -ErrorId 'UnitTestReportNotWritten*'
        $seen.Count | Should -Be 4
    }

    It 'lists passing tests without failures' {
        $path = Join-Path $Scratch 'good.xml'
        $null = Test-MzProject -Path $Good -Sandbox $Address -JUnitXml $path

        $report = [xml](Get-Content $path -Raw)
        $report.testsuites.tests | Should -Be '4'
        $report.testsuites.failures | Should -Be '0'
        @($report.SelectNodes('//failure')).Count | Should -Be 0
        $report.testsuites.testsuite.Count | Should -Be 3
    }
}

Describe 'Mocks of external dependencies against types.lock' {
    BeforeAll {
        # A hand-written lock in mz-deploy's format, as Update-MzTypeLock would write it: mz_columns' spellings of the types.
        $script:Locked = New-GitProject @{
            'project.toml' = "dependencies = [`"ext.sales.orders`"]`n"
            'types.lock'   = @'
version = 1

[[table]]
database = "ext"
schema = "sales"
name = "orders"
columns = [
    { name = "id", type = "bigint", nullable = false },
    { name = "amount", type = "numeric", nullable = true },
]
'@
            'models/materialize/public/big_orders.sql' = @'
CREATE VIEW big_orders AS SELECT id FROM ext.sales.orders WHERE amount > 10;

EXECUTE UNIT TEST matches_the_lock
FOR materialize.public.big_orders
MOCK ext.sales.orders(amount decimal, id int8) AS (SELECT * FROM (VALUES (20, 1), (5, 2))),
EXPECTED(id bigint) AS (SELECT * FROM (VALUES (1)));

EXECUTE UNIT TEST mistyped_mock
FOR materialize.public.big_orders
MOCK ext.sales.orders(id text, amount numeric) AS (SELECT * FROM (VALUES ('1', 20))),
EXPECTED(id bigint) AS (SELECT * FROM (VALUES (1)));
'@
        }
        $script:LockResults = Test-MzProject -Path $Locked -Sandbox $Address -ErrorAction SilentlyContinue
    }

    It 'passes a mock with the locked columns in another order and spelling' {
        ($LockResults | Where-Object Name -eq 'matches_the_lock').Status | Should -Be Passed
    }

    It 'reports a mock whose column type differs from types.lock as invalid, naming the column' {
        $result = $LockResults | Where-Object Name -eq 'mistyped_mock'

        $result.Status | Should -Be Invalid
        $result.Message | Should -Match ([regex]::Escape('big_orders.sql:10:1'))
        $result.Message | Should -Match "the mock of 'ext.sales.orders' declares id text but types.lock gives ext.sales.orders id int8"
    }
}
