BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Build-MzProject compiles a project offline' {
    BeforeAll {
        $root = New-TestProject -Files @{
            'project.toml'                                      = "dependencies = [`"upstream.raw.events`"]`n"
            'clusters/orders.sql'                               = "CREATE CLUSTER orders (SIZE = '25cc');`n"
            'models/materialize/ingest/orders.sql'              = "CREATE TABLE orders (id bigint, customer text, status text, created_at timestamp);`n"
            'models/materialize/monitoring/stalled_orders.sql'  = @"
-- Orders that were not shipped in time.
CREATE MATERIALIZED VIEW stalled_orders IN CLUSTER orders AS
SELECT o.id, o.customer, o.created_at
FROM materialize.ingest.orders AS o
WHERE o.status <> 'shipped'
  AND mz_now() > o.created_at + INTERVAL '30 minutes';
"@
            'models/materialize/monitoring/stalled_by_customer.sql' = @"
CREATE VIEW stalled_by_customer AS
SELECT customer, count(*) AS stalled FROM stalled_orders GROUP BY customer;

CREATE INDEX stalled_by_customer_idx IN CLUSTER orders ON stalled_by_customer (customer);
COMMENT ON VIEW stalled_by_customer IS 'Stalled orders per customer';
"@
            'models/materialize/monitoring/events_seen.sql'     = "CREATE VIEW events_seen AS SELECT count(*) FROM upstream.raw.events;`n"
        }
        $project = Build-MzProject -Path $root
    }
    AfterAll { Remove-Item $root -Recurse -Force }

    It 'emits one MzProject for the folder' {
        $project | Should -BeOfType ([MzDeploy.MzProject])
        $project.Path | Should -Be $root
        $project.Errors | Should -BeNullOrEmpty
    }

    It 'lists every object with its kind, cluster, file and line' {
        $project.Objects.FullName | Should -Be @(
            'materialize.ingest.orders'
            'materialize.monitoring.events_seen'
            'materialize.monitoring.stalled_orders'
            'materialize.monitoring.stalled_by_customer')
        $mv = $project.Objects | Where-Object Name -eq 'stalled_orders'
        $mv.Kind | Should -Be 'MaterializedView'
        $mv.Cluster | Should -Be 'orders'
        $mv.File | Should -Be 'models/materialize/monitoring/stalled_orders.sql'
        $mv.Line | Should -Be 2
        ($project.Objects | Where-Object Name -eq 'orders').Kind | Should -Be 'Table'
    }

    It 'puts every object after the objects it reads' {
        $names = @($project.Objects.FullName)
        foreach ($object in $project.Objects) {
            foreach ($dependency in $object.DependsOn) {
                if ($names -contains $dependency) {
                    $names.IndexOf($dependency) | Should -BeLessThan $names.IndexOf($object.FullName)
                }
            }
        }
    }

    It 'resolves 1-part names from the file location and keeps declared dependencies' {
        ($project.Objects | Where-Object Name -eq 'stalled_by_customer').DependsOn | Should -Be @('materialize.monitoring.stalled_orders')
        ($project.Objects | Where-Object Name -eq 'events_seen').DependsOn | Should -Be @('upstream.raw.events')
    }

    It 'gives every object a sha256 hash' {
        $project.Objects.Hash | ForEach-Object { $_ | Should -Match '^sha256:[0-9a-f]{64}$' }
    }

    It 'filters like any PowerShell object' {
        @($project.Objects | Where-Object Kind -eq 'materializedview').Count | Should -Be 1
    }

    It 'compiles the current location when -Path is omitted' {
        Push-Location $root
        try { (Build-MzProject).Objects.Count | Should -Be 4 }
        finally { Pop-Location }
    }
}

Describe 'Object hashes follow meaning, not layout' {
    BeforeAll {
        function Get-Hash([string] $Sql) {
            $root = New-TestProject -Files @{ 'models/materialize/public/v.sql' = $Sql; 'models/materialize/public/t.sql' = 'CREATE VIEW t AS SELECT 1 AS x;' }
            try { (Build-MzProject -Path $root).Objects | Where-Object Name -eq 'v' | ForEach-Object Hash }
            finally { Remove-Item $root -Recurse -Force }
        }
        $base = Get-Hash "CREATE VIEW v AS SELECT x FROM t WHERE x > 1;"
    }

    It 'reformatting or adding comments keeps the hash' {
        Get-Hash "-- explain`nCREATE   VIEW v AS`n  select x /* the column */`n  FROM t`n  WHERE x > 1 ;" | Should -Be $base
    }

    It 'qualifying a name the same way keeps the hash' {
        Get-Hash "CREATE VIEW v AS SELECT x FROM materialize.public.t WHERE x > 1;" | Should -Be $base
    }

    It 'changing a literal changes the hash' {
        Get-Hash "CREATE VIEW v AS SELECT x FROM t WHERE x > 2;" | Should -Not -Be $base
    }

    It 'changing an identifier changes the hash' {
        Get-Hash "CREATE VIEW v AS SELECT x AS y FROM t WHERE x > 1;" | Should -Not -Be $base
    }
}

Describe 'Build-MzProject reports every problem with its file and line' {
    It 'reports a syntax error at its line and column' {
        $root = New-TestProject -Files @{ 'models/materialize/public/v.sql' = "CREATE VIEW v AS`nSELECT FROM FROM;" }
        $result = Invoke-Compile -Path $root
        $result.Terminating.FullyQualifiedErrorId | Should -BeLike 'CompilationFailed*'
        $e = $result.Errors | Select-Object -First 1
        $e.FullyQualifiedErrorId | Should -BeLike 'SqlSyntaxError*'
        $e.TargetObject.File | Should -Be 'models/materialize/public/v.sql'
        $e.TargetObject.Line | Should -Be 2
    }

    It 'reports all problems of a run, not only the first' {
        $root = New-TestProject -Files @{
            'models/materialize/public/a.sql' = 'CREATE VIEW a AS SELECT * FROM missing_one;'
            'models/materialize/public/b.sql' = 'CREATE VIEW wrong_name AS SELECT 1;'
            'models/materialize/public/c.sql' = "CREATE VIEW c AS SELECT 1;`nCREATE VIEW c2 AS SELECT 2;"
        }
        $result = Invoke-Compile -Path $root
        $ids = $result.Errors | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }
        $ids | Should -Contain 'UnresolvedReference'
        $ids | Should -Contain 'ObjectNameMismatch'
        $ids | Should -Contain 'MultiplePrimaryStatements'
        $result.Project.Errors.Count | Should -Be $result.Errors.Count
    }

    It 'refuses aws_secret() at the call, since this build has no AWS client, and says what to use instead' {
        $root = New-TestProject -Files @{ 'models/materialize/raw/db_password.sql' = "CREATE SECRET db_password AS`n  aws_secret('prod/db');" }
        $e = (Invoke-Compile -Path $root).Errors | Select-Object -First 1
        $e.FullyQualifiedErrorId | Should -BeLike 'SecretProviderUnavailable*'
        $e.Exception.Message | Should -Match 'aws_secret\(\) provider is not available in this build'
        "$($e.TargetObject.File):$($e.TargetObject.Line):$($e.TargetObject.Column)" | Should -Be 'models/materialize/raw/db_password.sql:2:3'
        $e.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("env_var('NAME')"))
        $e.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("-SecretValue @{ 'materialize.raw.db_password' = <SecureString> }"))
    }

    It 'names the unresolved reference and where it is' {
        $root = New-TestProject -Files @{ 'models/materialize/public/a.sql' = "CREATE VIEW a AS`nSELECT * FROM`n  nowhere.things;" }
        $e = (Invoke-Compile -Path $root).Errors | Select-Object -First 1
        $e.FullyQualifiedErrorId | Should -BeLike 'UnresolvedReference*'
        $e.Exception.Message | Should -Match 'nowhere\.things'
        $e.TargetObject.Line | Should -Be 3
        $e.TargetObject.Column | Should -Be 3
    }

    It 'names every member of a dependency cycle' {
        $root = New-TestProject -Files @{
            'models/materialize/public/a.sql' = 'CREATE VIEW a AS SELECT * FROM b;'
            'models/materialize/public/b.sql' = 'CREATE VIEW b AS SELECT * FROM c;'
            'models/materialize/public/c.sql' = 'CREATE VIEW c AS SELECT * FROM a;'
        }
        $e = (Invoke-Compile -Path $root).Errors | Where-Object FullyQualifiedErrorId -like 'DependencyCycle*'
        $e | Should -HaveCount 1
        $e.Exception.Message | Should -Match 'materialize\.public\.a.+materialize\.public\.b.+materialize\.public\.c.+materialize\.public\.a'
    }

    It 'rejects an index on a table' {
        $root = New-TestProject -Files @{ 'models/materialize/raw/t.sql' = "CREATE TABLE t (id int);`nCREATE INDEX t_idx ON t (id);" }
        $e = (Invoke-Compile -Path $root).Errors | Select-Object -First 1
        $e.FullyQualifiedErrorId | Should -BeLike 'IndexOnStorageObject*'
        $e.TargetObject.Line | Should -Be 2
    }

    It 'rejects a schema that mixes tables with views' {
        $root = New-TestProject -Files @{
            'models/materialize/public/t.sql' = 'CREATE TABLE t (id int);'
            'models/materialize/public/v.sql' = 'CREATE VIEW v AS SELECT id FROM t;'
        }
        ((Invoke-Compile -Path $root).Errors | ForEach-Object FullyQualifiedErrorId) -join ' ' | Should -Match 'MixedSchema'
    }

    It 'rejects a statement that does not belong in its folder' {
        $root = New-TestProject -Files @{ 'clusters/c.sql' = 'CREATE VIEW c AS SELECT 1;' }
        $e = (Invoke-Compile -Path $root).Errors | Select-Object -First 1
        $e.FullyQualifiedErrorId | Should -BeLike 'StatementNotAllowed*'
        $e.TargetObject.File | Should -Be 'clusters/c.sql'
    }

    It 'rejects the same object defined twice' {
        $root = New-TestProject -Files @{
            'models/materialize/public/a.sql' = 'CREATE VIEW a AS SELECT 1;'
            'models/materialize/public/b.sql' = 'CREATE VIEW materialize.public.a AS SELECT 2;'
        }
        ((Invoke-Compile -Path $root).Errors | ForEach-Object FullyQualifiedErrorId) -join ' ' | Should -Match 'DuplicateObject'
    }
}

Describe 'Deeply nested SQL is an error, never a crash' {
    It 'a 20 KB file of nested calls fails with a positioned error and the PowerShell process lives on' {
        # Run in a child pwsh: before the parser bounded its nesting, this overflowed the stack, which
        # no try/catch can stop: the process died with exit code 134 (and would have taken Pester with it).
        $sql = "CREATE VIEW v AS`nSELECT " + ('abs(' * 4000) + '1' + (')' * 4000) + ';'
        $root = New-TestProject -Files @{ 'models/materialize/public/v.sql' = $sql }
        try {
            $pwsh = [Environment]::ProcessPath
            # Under `dotnet pwsh` the process is dotnet running pwsh.dll from $PSHOME.
            $prefix = @(if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
            $script = "Import-Module '$($env:MZDEPLOY_MODULE)'; try { Build-MzProject -Path '$root' -ErrorAction Stop } catch { 'caught: ' + `$_.Exception.Message }; 'still alive'"
            $output = & $pwsh @prefix -NoProfile -NonInteractive -Command $script 2>&1 | Out-String
            $LASTEXITCODE | Should -Be 0 -Because $output
            # -ErrorAction Stop: the one error lists every problem, each with its position.
            $output | Should -Match 'caught: The project has 1 error\(s\):\s+models/materialize/public/v\.sql:2:804: nesting too deep \(more than 200 levels'
            $output | Should -Match 'still alive'
        }
        finally { Remove-Item $root -Recurse -Force }
    }
}

Describe 'Secrets stay secret' {
    BeforeAll {
        function Build-Secret([string] $Sql) {
            $root = New-TestProject -Files @{ 'models/materialize/secrets/pw.sql' = $Sql }
            try { Invoke-Compile -Path $root }
            finally { Remove-Item $root -Recurse -Force }
        }
    }

    It 'a secret''s value appears nowhere in the output, and changing it keeps the hash' {
        $weak = Build-Secret "CREATE SECRET pw AS 'hunter2';"
        $strong = Build-Secret "CREATE SECRET pw AS 'correct horse battery staple';"
        $weak.Project.Objects[0].Kind | Should -Be 'Secret'
        $weak.Project | ConvertTo-Json -Depth 6 | Should -Not -Match 'hunter2'
        $weak.Project.Objects[0].Hash | Should -Be $strong.Project.Objects[0].Hash
    }

    It 'an unquoted value is a positioned error that does not repeat it' {
        $result = Build-Secret "CREATE SECRET pw AS`n  S3cr3t-abc;"
        $e = $result.Errors | Select-Object -First 1
        $e.FullyQualifiedErrorId | Should -BeLike 'SqlSyntaxError*'
        $e.TargetObject.Line | Should -Be 2
        $e.TargetObject.Column | Should -Be 3
        $e.Exception.Message | Should -Match 'put the value in single quotes'
        $result.Errors + $result.Terminating | Out-String | Should -Not -Match 'S3cr3t'
    }
}

Describe 'PRAGMA WARN_ON_MISSING_VARIABLES' {
    BeforeAll {
        $view = "CREATE VIEW v AS`nSELECT arr[:b] AS head FROM t;"
        $files = @{ 'models/materialize/public/t.sql' = 'CREATE VIEW t AS SELECT LIST[1, 2] AS arr, 1 AS b;' }
    }

    It 'turns an undefined :name into a warning with its position, and the project compiles' {
        $files['models/materialize/public/v.sql'] = "-- PRAGMA WARN_ON_MISSING_VARIABLES;`n$view"
        $root = New-TestProject -Files $files
        try {
            $project = Build-MzProject -Path $root -WarningVariable warnings -WarningAction SilentlyContinue
            $project.Errors | Should -BeNullOrEmpty
            $project.Objects.Name | Should -Contain 'v'
            $warnings | Should -HaveCount 1
            "$($warnings[0])" | Should -Match '^models/materialize/public/v\.sql:3:12: variable :b is not defined'
        }
        finally { Remove-Item $root -Recurse -Force }
    }

    It 'without the pragma the undefined :name is a positioned error' {
        $files['models/materialize/public/v.sql'] = $view
        $root = New-TestProject -Files $files
        try {
            $e = (Invoke-Compile -Path $root).Errors | Select-Object -First 1
            $e.FullyQualifiedErrorId | Should -BeLike 'UndefinedVariable*'
            $e.TargetObject.Line | Should -Be 2
            $e.TargetObject.Column | Should -Be 12
        }
        finally { Remove-Item $root -Recurse -Force }
    }
}

Describe 'Profiles apply variables and overrides' {
    BeforeAll {
        $root = New-TestProject -ProjectToml @"
[staging.variables]
threshold = "10"
[production.variables]
threshold = "100"
"@ -Files @{
            'models/materialize/public/big.sql' = "CREATE VIEW big AS SELECT 1 AS n WHERE 1 < :threshold;"
        }
    }
    AfterAll { Remove-Item $root -Recurse -Force }

    It 'substitutes the active profile''s variables, so profiles hash differently' {
        $staging = Build-MzProject -Path $root -Profile staging
        $production = Build-MzProject -Path $root -Profile production
        $staging.Profile | Should -Be 'staging'
        $staging.Objects[0].Hash | Should -Not -Be $production.Objects[0].Hash
    }

    It 'takes the profile from MZ_DEPLOY_PROFILE when -Profile is omitted' {
        $env:MZ_DEPLOY_PROFILE = 'staging'
        try { (Build-MzProject -Path $root).Profile | Should -Be 'staging' }
        finally { Remove-Item Env:MZ_DEPLOY_PROFILE }
    }

    It 'reports a variable the active profile does not define' {
        $e = (Invoke-Compile -Path $root -Profile other).Errors | Select-Object -First 1
        $e.FullyQualifiedErrorId | Should -BeLike 'UndefinedVariable*'
        $e.Exception.Message | Should -Match 'threshold'
    }
}

Describe 'New-MzProject scaffolds a project that compiles' {
    It 'creates the order-monitoring example, a git repository, and pipes into Build-MzProject' {
        $parent = Join-Path ([System.IO.Path]::GetTempPath()) ("mzdeploy-new-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $null = New-Item -ItemType Directory $parent
        try {
            $folder = New-MzProject -Name shop -Path $parent
            $folder | Should -BeOfType ([System.IO.DirectoryInfo])
            Join-Path $folder.FullName 'project.toml' | Should -Exist
            Join-Path $folder.FullName '.git' | Should -Exist
            $project = $folder | Build-MzProject
            $project.Objects.Name | Should -Contain 'stalled_orders'
            ($project.Objects | Where-Object Name -eq 'stalled_orders').Cluster | Should -Be 'orders'
        }
        finally { Remove-Item $parent -Recurse -Force }
    }

    It 'refuses to overwrite an existing project' {
        $parent = Join-Path ([System.IO.Path]::GetTempPath()) ("mzdeploy-new-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $null = New-Item -ItemType Directory (Join-Path $parent 'shop')
        Set-Content (Join-Path $parent 'shop/keep.txt') 'mine'
        try {
            { New-MzProject -Name shop -Path $parent -ErrorAction Stop } | Should -Throw -ErrorId 'ProjectExists*'
            Get-Content (Join-Path $parent 'shop/keep.txt') | Should -Be 'mine'
        }
        finally { Remove-Item $parent -Recurse -Force }
    }

    It 'changes nothing with -WhatIf' {
        $parent = Join-Path ([System.IO.Path]::GetTempPath()) ("mzdeploy-new-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $null = New-Item -ItemType Directory $parent
        try {
            New-MzProject -Name shop -Path $parent -WhatIf
            Join-Path $parent 'shop' | Should -Not -Exist
        }
        finally { Remove-Item $parent -Recurse -Force }
    }
}
