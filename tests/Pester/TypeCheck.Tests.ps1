# Build-MzProject -TypeCheck end to end: the built module type-checks a project in a running emulator named by -Sandbox
# (started for this file), external dependencies from a types.lock that Update-MzTypeLock wrote from the same emulator.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Address = "127.0.0.1:$($Emulator.Port)"
    $null = Invoke-TestSql $Emulator 'CREATE DATABASE raw'
    $null = Invoke-TestSql $Emulator 'CREATE TABLE raw.public.orders (id bigint NOT NULL, amount numeric(10,2), customer text)'
    $script:Toml = "dependencies = [`"raw.public.orders`"]`n"

    function Get-ScratchDatabases { @(Invoke-TestSql $Emulator "SELECT name FROM mz_databases WHERE name LIKE '%\_tc\_%'") }
}

AfterAll {
    Stop-TestEmulator $Emulator
}

Describe 'A project whose queries type-check' {
    BeforeAll {
        $script:Project = New-TestProject -ProjectToml $Toml -Files @{
            'models/shop/sales/totals.sql' = "CREATE MATERIALIZED VIEW totals IN CLUSTER quickstart AS`n  SELECT customer, sum(amount) AS total FROM raw.public.orders GROUP BY customer;`n"
            'models/shop/sales/vip.sql'    = "CREATE VIEW vip AS SELECT customer FROM totals WHERE total > 1000;`n"
        }
        $null = Update-MzTypeLock -Profile test -Path $Project
    }
    AfterAll { Remove-Item $Project -Recurse -Force -ErrorAction SilentlyContinue }

    It 'fills each object''s Columns with names and types, and drops its scratch database' {
        $project = Build-MzProject -Path $Project -TypeCheck -Sandbox $Address

        $project.Errors | Should -BeNullOrEmpty
        $totals = $project.Objects | Where-Object Name -eq 'totals'
        $totals.Columns.Name | Should -Be @('customer', 'total')
        $totals.Columns.Type | Should -Be @('text', 'numeric')
        ($project.Objects | Where-Object Name -eq 'vip').Columns.Name | Should -Be @('customer')
        Get-ScratchDatabases | Should -BeNullOrEmpty
    }

    # Runs once the built module carries the emulator (the sandbox branch's packaging); until then the private sandbox cannot start.
    It 'runs in the module''s private sandbox when no -Sandbox or -Profile is given' -Skip:(-not (Test-Path (Join-Path (Split-Path $env:MZDEPLOY_MODULE) 'emulator/MzDeploy.Emulator.dll'))) {
        $project = Build-MzProject -Path $Project -TypeCheck -Verbose 4>&1 | Tee-Object -Variable all | Where-Object { $_ -is [MzDeploy.MzProject] }

        $project.Errors | Should -BeNullOrEmpty
        ($project.Objects | Where-Object Name -eq 'totals').Columns.Name | Should -Be @('customer', 'total')
        ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Type check sandbox: the private sandbox at'
    }

    It 'leaves Columns empty and connects nowhere without -TypeCheck' {
        $project = Build-MzProject -Path $Project -Sandbox 127.0.0.1:1

        @($project.Objects[0].Columns).Count | Should -Be 0
    }
}

Describe 'A project with type errors' {
    BeforeAll {
        $script:Project = New-TestProject -ProjectToml $Toml -Files @{
            'models/shop/sales/typo.sql'   = "-- a typo`nCREATE VIEW typo AS`nSELECT id,`n       amont`nFROM raw.public.orders;`n"
            'models/shop/sales/wrong.sql'  = "CREATE VIEW wrong AS SELECT id FROM raw.public.orders WHERE customer = 1 + id;`n"
            'models/shop/sales/reader.sql' = "CREATE VIEW reader AS SELECT * FROM typo;`n"
        }
        $null = Update-MzTypeLock -Profile test -Path $Project
    }
    AfterAll { Remove-Item $Project -Recurse -Force -ErrorAction SilentlyContinue }

    It 'reports each error at file:line:column, warns about what it could not check, and fails' {
        $errors = @()
        $warnings = $null
        $terminating = $null
        try { Build-MzProject -Path $Project -TypeCheck -Sandbox $Address -ErrorVariable +errors -ErrorAction Continue -WarningVariable warnings -WarningAction SilentlyContinue 2>$null }
        catch { $terminating = $_ }

        $terminating.FullyQualifiedErrorId | Should -BeLike 'CompilationFailed*'
        $found = $terminating.TargetObject.Errors | Sort-Object File
        $found.ErrorId | Should -Be @('TypeCheckFailed', 'TypeCheckFailed')
        "$($found[0].File):$($found[0].Line):$($found[0].Column)" | Should -Be 'models/shop/sales/typo.sql:4:8'
        $found[0].Message | Should -Match 'amont'
        "$($found[1].File):$($found[1].Line):$($found[1].Column)" | Should -Be 'models/shop/sales/wrong.sql:1:70'
        @($errors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.FullyQualifiedErrorId -like 'TypeCheckFailed*' }).Count | Should -Be 2
        "$warnings" | Should -Match 'shop\.sales\.reader was not type-checked: it reads shop\.sales\.typo'
        Get-ScratchDatabases | Should -BeNullOrEmpty
    }

    It 'changes nothing in a live target (-Profile), though the check fails: the catalog is as it was before' {
        $before = Get-CatalogSnapshot -Port $Emulator.Port
        try { Build-MzProject -Path $Project -TypeCheck -Profile test -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 2>$null } catch { $null = $_ }
        $after = Get-CatalogSnapshot -Port $Emulator.Port

        @(Find-UnplannedChanges -Before $before -After $after -Scope (Get-PlannedScope -Plans @())) | Should -BeNullOrEmpty
        $after.Count | Should -Be $before.Count
    }

    It 'reports a dependency types.lock lacks with the way to lock it' {
        Remove-Item (Join-Path $Project 'types.lock')
        $terminating = $null
        try { Build-MzProject -Path $Project -TypeCheck -Sandbox $Address -ErrorAction Stop -WarningAction SilentlyContinue } catch { $terminating = $_ }

        $terminating.FullyQualifiedErrorId | Should -BeLike 'CompilationFailed*'
        $terminating.Exception.Message | Should -Match 'raw\.public\.orders, whose columns are not in types\.lock'
        ($terminating.TargetObject.Errors | Select-Object -First 1).RecommendedAction | Should -Match 'Update-MzTypeLock'
    }
}

Describe 'A type error after a profile variable on the same line' {
    BeforeAll {
        # The value is much longer than :'who', so the server's position in the substituted text is far right of the file's.
        $script:Line = "CREATE VIEW named AS SELECT id FROM raw.public.orders WHERE customer = :'who' AND amont > 0;"
        $script:Project = New-TestProject -ProjectToml ($Toml + "[test.variables]`nwho = `"a customer with a rather long name`"`n") -Files @{
            'models/shop/sales/named.sql' = "$Line`n"
        }
        $null = Update-MzTypeLock -Profile test -Path $Project
    }
    AfterAll { Remove-Item $Project -Recurse -Force -ErrorAction SilentlyContinue }

    It 'is reported at the column in the file as the user wrote it' {
        $terminating = $null
        try { Build-MzProject -Path $Project -TypeCheck -Profile test -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 2>$null }
        catch { $terminating = $_ }

        $found = @($terminating.TargetObject.Errors)
        $found.ErrorId | Should -Be 'TypeCheckFailed'
        $found[0].Message | Should -Match 'amont'
        "$($found[0].File):$($found[0].Line):$($found[0].Column)" | Should -Be "models/shop/sales/named.sql:1:$($Line.IndexOf('amont') + 1)"
    }
}

Describe 'A view over a table fed by a source' {
    BeforeAll {
        # The server has the source and its table (as an apply leaves them); the lock reads the table's columns from there.
        $script:Db = 'tctfs_' + [guid]::NewGuid().ToString('n').Substring(0, 8)
        New-TestAuctionBids -Emulator $Emulator -Database $Db
        $script:Project = New-TestProject -Files @{
            "models/$Db/ingest/auction.sql" = "CREATE SOURCE auction IN CLUSTER quickstart FROM LOAD GENERATOR AUCTION;`n"
            "models/$Db/ingest/bids.sql"    = "CREATE TABLE bids FROM SOURCE auction (REFERENCE `"auction`".`"bids`");`n"
            "models/$Db/sales/top.sql"      = "CREATE VIEW top AS`nSELECT auction_id,`n       max(amout) AS top`nFROM $Db.ingest.bids GROUP BY auction_id;`n"
            "models/$Db/sales/fine.sql"     = "CREATE VIEW fine AS SELECT buyer, count(*) AS n FROM $Db.ingest.bids GROUP BY buyer;`n"
        }
    }
    AfterAll { Remove-Item $Project -Recurse -Force -ErrorAction SilentlyContinue }

    It 'without a lock of the table, skips its readers with a warning and reports no error' {
        $project = Build-MzProject -Path $Project -TypeCheck -Sandbox $Address -WarningVariable warnings -WarningAction SilentlyContinue

        $project.Errors | Should -BeNullOrEmpty
        "$warnings" | Should -Match ([regex]::Escape("$Db.sales.top was not type-checked: it reads $Db.ingest.bids"))
        "$warnings" | Should -Match 'unless types\.lock holds its columns'
    }

    It 'with the table locked, checks its readers: the error at file:line:column, the rest with columns, nothing skipped' {
        $lock = Update-MzTypeLock -Profile test -Path $Project
        $lock.Objects | Should -Be 1

        $terminating = $null
        $warnings = $null
        try { Build-MzProject -Path $Project -TypeCheck -Sandbox $Address -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue 2>$null }
        catch { $terminating = $_ }

        $terminating.FullyQualifiedErrorId | Should -BeLike 'CompilationFailed*'
        $found = @($terminating.TargetObject.Errors)
        $found.ErrorId | Should -Be @('TypeCheckFailed')
        "$($found[0].File):$($found[0].Line):$($found[0].Column)" | Should -Be "models/$Db/sales/top.sql:3:12"
        $found[0].Message | Should -Match 'amout'
        "$warnings" | Should -Not -Match 'was not type-checked'
        $objects = $terminating.TargetObject.Objects
        ($objects | Where-Object Name -EQ 'fine').Columns.Name | Should -Be @('buyer', 'n')
        ($objects | Where-Object Name -EQ 'bids').Columns.Name | Should -Be @('id', 'buyer', 'auction_id', 'amount', 'bid_time')
        Get-ScratchDatabases | Should -BeNullOrEmpty
    }
}
