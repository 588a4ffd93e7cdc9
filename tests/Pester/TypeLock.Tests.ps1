# Update-MzTypeLock end to end: the built module against an emulator started for this file (no mz-deploy setup:
# a lock only reads the catalog). External dependencies are made with SQL; the project only declares them.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Raw = 'raw_' + [guid]::NewGuid().ToString('n').Substring(0, 8)
    foreach ($sql in @(
            "CREATE SCHEMA materialize.$Raw",
            "CREATE TABLE materialize.$Raw.orders (id bigint NOT NULL, amount numeric(10,2), placed_at timestamptz)",
            "CREATE TABLE materialize.$Raw.customers (id bigint NOT NULL, name text)")) {
        $null = Invoke-TestSql $Emulator $sql
    }
}

AfterAll {
    Stop-TestEmulator $Emulator
}

Describe 'Locking the columns of external dependencies' {
    BeforeAll {
        $script:Project = New-TestProject -Files @{ 'models/materialize/public/v.sql' = "CREATE VIEW v AS SELECT 1 AS one;`n" } `
            -ProjectToml "dependencies = [`n    `"materialize.$Raw.orders`",`n    `"materialize.$Raw.customers`",`n]`n"
        $script:LockPath = Join-Path $Project 'types.lock'
    }
    AfterAll { Remove-Item $Project -Recurse -Force -ErrorAction SilentlyContinue }

    It '-WhatIf shows the text it would write and writes nothing' {
        $transcript = Join-Path ([System.IO.Path]::GetTempPath()) ("mzdeploy-lock-whatif-" + [guid]::NewGuid().ToString('n') + '.txt')
        $null = Start-Transcript -Path $transcript
        try { $output = Update-MzTypeLock -Profile test -Path $Project -WhatIf }
        finally { $null = Stop-Transcript }
        $out = Get-Content $transcript -Raw
        Remove-Item $transcript

        $output | Should -BeNullOrEmpty
        Test-Path $LockPath | Should -BeFalse
        $out | Should -Match ([regex]::Escape("What if: Write $LockPath (2 object(s)"))
        $out | Should -Match ([regex]::Escape("database = `"materialize`""))
        $out | Should -Match ([regex]::Escape("schema = `"$Raw`""))
        $out | Should -Match 'numeric\(10,2\)'
    }

    It 'writes every declared dependency with its columns, types and nullability, and changes nothing on the server' {
        $before = Get-CatalogSnapshot -Port $Emulator.Port
        $result = Update-MzTypeLock -Profile test -Path $Project
        $after = Get-CatalogSnapshot -Port $Emulator.Port

        # A lock only reads the catalog.
        @(Find-UnplannedChanges -Before $before -After $after -Scope (Get-PlannedScope -Plans @())) | Should -BeNullOrEmpty
        $after.Count | Should -Be $before.Count

        $result | Should -BeOfType MzDeploy.MzTypeLockResult
        $result.Path | Should -Be $LockPath
        $result.Objects | Should -Be 2
        $result.Changed | Should -BeTrue
        # mz-deploy's TOML, exactly: orders' columns in the table's order, no kind line for a table.
        $text = [IO.File]::ReadAllText($LockPath)
        $text | Should -Match '(?m)^version = 1$'
        $text.Contains(("[[table]]`ndatabase = `"materialize`"`nschema = `"$Raw`"`nname = `"orders`"`ncolumns = [`n" +
                "    { name = `"id`", type = `"bigint`", nullable = false },`n" +
                "    { name = `"amount`", type = `"numeric(10,2)`", nullable = true },`n" +
                "    { name = `"placed_at`", type = `"timestamp with time zone`", nullable = true },`n]`n")) | Should -BeTrue
        $lock = Read-TypeLock $LockPath
        @($lock.Tables.Keys) | Should -Be @("materialize.$Raw.customers", "materialize.$Raw.orders")
        $lock.Tables["materialize.$Raw.customers"].Columns.name.Type | Should -Be 'text'
    }

    It 'a second run leaves the file byte for byte as it was, without rewriting it' {
        $before = [System.IO.File]::ReadAllBytes($LockPath)
        $written = (Get-Item $LockPath).LastWriteTimeUtc
        Start-Sleep -Milliseconds 50

        $result = Update-MzTypeLock -Profile test -Path $Project

        $result.Changed | Should -BeFalse
        [System.IO.File]::ReadAllBytes($LockPath) | Should -Be $before
        (Get-Item $LockPath).LastWriteTimeUtc | Should -Be $written
        [System.Text.Encoding]::UTF8.GetString($before) | Should -Match "\]`n$"
        [System.Text.Encoding]::UTF8.GetString($before) | Should -Not -Match "`r"
    }

    It 'shows as a table of Path, Objects and Changed' {
        $text = Update-MzTypeLock -Profile test -Path $Project | Format-Table | Out-String

        $text | Should -Match 'Path\s+Objects\s+Changed\s+Skipped'
        $text | Should -Match 'False'
    }
}

Describe 'A declared dependency the server does not have' {
    BeforeAll {
        $script:Project = New-TestProject -Files @{} `
            -ProjectToml "dependencies = [`n    `"materialize.$Raw.orders`",`n    `"materialize.$Raw.refunds`",`n]`n"
    }
    AfterAll { Remove-Item $Project -Recurse -Force -ErrorAction SilentlyContinue }

    It 'fails with ExternalDependencyNotFound naming its project.toml line and writes no lock' {
        $err = $null
        try { Update-MzTypeLock -Profile test -Path $Project -ErrorAction Stop } catch { $err = $_ }

        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'ExternalDependencyNotFound*'
        $err.Exception.Message | Should -Match ([regex]::Escape("materialize.$Raw.refunds (project.toml:3:1)"))
        $err.Exception.Message | Should -Not -Match 'orders'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Update-MzTypeLock'
        Test-Path (Join-Path $Project 'types.lock') | Should -BeFalse
    }
}

Describe 'Tables the project feeds from sources' {
    BeforeAll {
        # The server has the source and one of the project's two tables fed by it: as if only part had been applied yet.
        $script:Db = 'tfs_' + [guid]::NewGuid().ToString('n').Substring(0, 8)
        New-TestAuctionBids -Emulator $Emulator -Database $Db
        $script:Project = New-TestProject -ProjectToml "dependencies = [`"materialize.$Raw.orders`"]`n" -Files @{
            "models/$Db/ingest/auction.sql" = "CREATE SOURCE auction IN CLUSTER quickstart FROM LOAD GENERATOR AUCTION;`n"
            "models/$Db/ingest/bids.sql"    = "CREATE TABLE bids FROM SOURCE auction (REFERENCE `"auction`".`"bids`");`n"
            "models/$Db/ingest/users.sql"   = "CREATE TABLE users FROM SOURCE auction (REFERENCE `"auction`".`"users`");`n"
        }
        $script:LockPath = Join-Path $Project 'types.lock'
    }
    AfterAll { Remove-Item $Project -Recurse -Force -ErrorAction SilentlyContinue }

    It 'locks each one the server has with kind table-from-source, and warns about the one not applied yet' {
        $result = Update-MzTypeLock -Profile test -Path $Project -WarningVariable warnings -WarningAction SilentlyContinue

        $result.Objects | Should -Be 2
        $result.Changed | Should -BeTrue
        $result.Skipped | Should -Be @("$Db.ingest.users")
        @($warnings).Count | Should -Be 1
        "$warnings" | Should -Match ([regex]::Escape("$Db.ingest.users (CREATE TABLE … FROM SOURCE) is not on"))
        "$warnings" | Should -Match 'apply tables first \(Invoke-MzApply -Type Table'
        # Objects by database ('materialize' < 'tfs_…'), schema, name as mz-deploy orders them; a table fed by a source is a table in mz-deploy's lock.
        $lock = Read-TypeLock $LockPath
        @($lock.Tables.Keys) | Should -Be @("materialize.$Raw.orders", "$Db.ingest.bids")
        $lock.Tables["$Db.ingest.bids"].Kind | Should -Be 'table'
        @($lock.Tables["$Db.ingest.bids"].Columns.Keys) | Should -Be @('id', 'buyer', 'auction_id', 'amount', 'bid_time')
        $lock.Tables["$Db.ingest.bids"].Columns.amount.Type | Should -Be 'integer'
        $lock.Tables["materialize.$Raw.orders"].Kind | Should -Be 'table'
    }

    It 'once the table exists, locks it too; a rerun then leaves the file byte for byte' {
        $null = Invoke-TestSql $Emulator "CREATE TABLE $Db.ingest.users FROM SOURCE $Db.ingest.auction (REFERENCE `"auction`".`"users`")"

        $result = Update-MzTypeLock -Profile test -Path $Project -WarningVariable warnings
        $before = [System.IO.File]::ReadAllBytes($LockPath)
        $again = Update-MzTypeLock -Profile test -Path $Project

        $result.Objects | Should -Be 3
        $result.Skipped | Should -BeNullOrEmpty
        $warnings | Should -BeNullOrEmpty
        $again.Changed | Should -BeFalse
        [System.IO.File]::ReadAllBytes($LockPath) | Should -Be $before
    }

    It 'reads a JSON lock of an earlier MzDeploy (version 1, without kinds) and rewrites it in mz-deploy''s TOML' {
        $v1 = "{`n  `"version`": 1,`n  `"objects`": {`n    `"materialize.$Raw.orders`": {`n      `"id`": {`n        `"type`": `"bigint`",`n        `"nullable`": false`n      }`n    }`n  }`n}`n"
        [System.IO.File]::WriteAllText($LockPath, $v1)

        $result = Update-MzTypeLock -Profile test -Path $Project

        $result.Changed | Should -BeTrue
        (Read-TypeLock $LockPath).Version | Should -Be 1
        [IO.File]::ReadAllText($LockPath) | Should -Match '(?m)^\[\[table\]\]$'
    }
}
