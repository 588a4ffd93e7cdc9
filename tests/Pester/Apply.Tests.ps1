# Invoke-MzApply end to end: the built module against an emulator started for this file, set up with
# Initialize-MzDeploy. One project (a role, a cluster, two secrets, a table) is applied from empty, then
# re-applied, changed, drifted, and surrounded by objects it does not define; every test reads the catalog
# and the emulator's statement log to see what really happened.

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Monitor = 'pester_apply_monitor_' + [guid]::NewGuid().ToString('n').Substring(0, 6)
    $script:MonitorPassword = 'Pester-Pw-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
    $env:MZ_PESTER_APPLY_MONITOR_PASSWORD = $MonitorPassword
    $script:Emulator = Start-TestEmulator -Profiles @{ monitor = @{ username = $Monitor; password = '${MZ_PESTER_APPLY_MONITOR_PASSWORD}' } }
    $null = Initialize-MzDeploy -Profile test -Path ([System.IO.Path]::GetTempPath()) -ClusterSize xsmall

    $suffix = [guid]::NewGuid().ToString('n').Substring(0, 8)
    $script:Db = "pester_apply_$suffix"
    $script:Cluster = "apply_c_$suffix"
    $script:Role = "apply_r_$suffix"
    $script:EnvKey = 'Env-S3cret-' + [guid]::NewGuid().ToString('n').Substring(0, 12)
    $env:MZ_PESTER_APPLY_KEY = $EnvKey
    $script:Root = New-TestProject -Files @{
        "roles/$Role.sql"                = "CREATE ROLE $Role;`n"
        "clusters/$Cluster.sql"          = "CREATE CLUSTER $Cluster (SIZE = 'xsmall');`n"
        "models/$Db/raw/api_key.sql"     = "CREATE SECRET api_key AS env_var('MZ_PESTER_APPLY_KEY');`n"
        "models/$Db/raw/vault_key.sql"   = "CREATE SECRET vault_key AS 'placeholder';`n"
        "models/$Db/raw/orders.sql"      = "CREATE TABLE orders (id int NOT NULL, note text);`nGRANT SELECT ON orders TO $Role;`n"
    }
    $script:Names = @($Role, $Cluster, "$Db.raw.api_key", "$Db.raw.vault_key", "$Db.raw.orders")

    function Get-Rows([string] $Sql) { @(Invoke-TestSql $Emulator $Sql) }
    function Clear-Log { $null = Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_statement_log()' }
    # Statements that change something, from the statement log since it was last cleared.
    function Get-Changes {
        Get-Rows ("SELECT sql FROM mz_emulator.statement_log WHERE sql ~* '^\s*(CREATE|ALTER|DROP|GRANT|REVOKE|COMMENT|INSERT|UPDATE|DELETE)\M' " +
            "AND sql NOT ILIKE '%mz_emulator.%' ORDER BY seq")
    }
    # Every object of the project's database with its id, and the table's columns: equal before and after means nothing was re-created.
    function Get-ProjectSnapshot {
        Get-Rows ("SELECT o.id || ' ' || o.type || ' ' || s.name || '.' || o.name FROM mz_objects o JOIN mz_schemas s ON s.id = o.schema_id " +
            "JOIN mz_databases d ON d.id = s.database_id WHERE d.name = '$Db' UNION ALL SELECT 'column ' || c.name || ' ' || c.type FROM mz_columns c " +
            "JOIN mz_tables t ON t.id = c.id JOIN mz_schemas s ON s.id = t.schema_id JOIN mz_databases d ON d.id = s.database_id " +
            "WHERE d.name = '$Db' UNION ALL SELECT 'cluster ' || id || ' ' || name FROM mz_clusters WHERE name = '$Cluster' ORDER BY 1")
    }
    function Get-Mine($Results) { @($Results | Where-Object { $_ -is [MzDeploy.MzApplyResult] -and $_.Name -in $Names }) }
    function Get-Sha256([string] $Text) {
        [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($Text))).ToLowerInvariant()
    }
    function Get-SecretDigest([string] $Name) {
        Get-Rows ("SELECT encode(g.digest, 'hex') FROM mz_emulator.secret_digests g JOIN mz_secrets s ON s.id = g.id " +
            "JOIN mz_schemas c ON c.id = s.schema_id JOIN mz_databases d ON d.id = c.database_id WHERE d.name = '$Db' AND s.name = '$Name'")
    }
}

AfterAll {
    Stop-TestEmulator $Emulator
    Remove-Item Env:MZ_PESTER_APPLY_KEY, Env:MZ_PESTER_APPLY_MONITOR_PASSWORD -ErrorAction SilentlyContinue
    Remove-Item $Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-MzApply' {
    It 'creates everything from empty, in dependency order, with grants and the secret''s value' {
        $results = Invoke-MzApply -Profile test -Path $Root

        $mine = Get-Mine $results
        $mine | ForEach-Object { "$($_.Action) $($_.Type) $($_.Name)" } | Should -Be @(
            "Created Role $Role", "Created Cluster $Cluster", "Created Secret $Db.raw.api_key", "Created Secret $Db.raw.vault_key",
            "Created Table $Db.raw.orders")
        $mine[0] | Should -BeOfType MzDeploy.MzApplyResult
        $mine.DryRun | Should -Not -Contain $true
        ($mine | Where-Object Type -EQ Table).Statements | Should -Contain "GRANT SELECT ON TABLE `"$Db`".`"raw`".`"orders`" TO `"$Role`""
        Get-Rows "SELECT size FROM mz_clusters WHERE name = '$Cluster'" | Should -Be 'xsmall'
        Get-Rows "SELECT count(*) FROM mz_roles WHERE name = '$Role'" | Should -Be 1
        Get-Rows ("SELECT c.name || ' ' || c.type FROM mz_columns c JOIN mz_tables t ON t.id = c.id JOIN mz_schemas s ON s.id = t.schema_id " +
            "JOIN mz_databases d ON d.id = s.database_id WHERE d.name = '$Db' AND t.name = 'orders' ORDER BY c.position") | Should -Be @('id integer', 'note text')
        Get-SecretDigest 'api_key' | Should -Be (Get-Sha256 $EnvKey) -Because 'env_var() is read when applying'
        # The tracking cluster is setup's: never reported as unmanaged.
        $results.Name | Should -Not -Contain '_mz_deploy_server'
        # Nothing to lock (no dependencies, no table fed by a source): no types.lock appears and no lock result is emitted.
        Test-Path (Join-Path $Root 'types.lock') | Should -BeFalse
        $results | Where-Object { $_ -is [MzDeploy.MzTypeLockResult] } | Should -BeNullOrEmpty
    }

    It 're-applied unchanged, reports only Unchanged, runs no DDL and reads the infrastructure once' {
        Clear-Log

        $output = Invoke-MzApply -Profile test -Path $Root 6>&1

        $mine = Get-Mine $output
        $mine.Count | Should -Be 5
        $mine.Action | Sort-Object -Unique | Should -Be 'Unchanged'
        $mine.Statements | Should -BeNullOrEmpty
        "$($output | Where-Object { $_ -is [System.Management.Automation.InformationRecord] })" | Should -Match 'Nothing to change: .*5 unchanged'
        Get-Changes | Should -BeNullOrEmpty
        Get-Rows "SELECT count(*) FROM mz_emulator.statement_log WHERE sql LIKE 'SELECT kind, id, name, db, sch, a, b, c, d, e FROM%'" | Should -Be 1
    }

    It 'alters a cluster''s size in place' {
        $id = Get-Rows "SELECT id FROM mz_clusters WHERE name = '$Cluster'"
        Set-Content (Join-Path $Root "clusters/$Cluster.sql") "CREATE CLUSTER $Cluster (SIZE = 'small');"
        Clear-Log

        $resized = Get-Mine (Invoke-MzApply -Profile test -Path $Root) | Where-Object Type -EQ Cluster

        $resized.Action | Should -Be 'Altered'
        $resized.Reason | Should -Match 'SIZE xsmall → small'
        $resized.Statements | Should -Be "ALTER CLUSTER `"$Cluster`" SET (SIZE = 'small')"
        Get-Changes | Should -Be "ALTER CLUSTER `"$Cluster`" SET (SIZE = 'small')"
        Get-Rows "SELECT id || ' ' || size FROM mz_clusters WHERE name = '$Cluster'" | Should -Be "$id small"
        $PSStyle.OutputRendering = 'PlainText'
        ($resized | Format-List | Out-String -Width 120) | Should -Match ("Statements : " + [regex]::Escape("ALTER CLUSTER `"$Cluster`" SET (SIZE = 'small')"))
    }

    It 'reports a change it cannot make in place as Drifted, with a warning, and drops nothing' {
        $orders = Join-Path $Root "models/$Db/raw/orders.sql"
        $original = Get-Content $orders -Raw
        Set-Content $orders "CREATE TABLE orders (id bigint NOT NULL, note text);`nGRANT SELECT ON orders TO $Role;"
        $before = Get-ProjectSnapshot
        Clear-Log
        try {
            $table = Get-Mine (Invoke-MzApply -Profile test -Path $Root -WarningVariable warnings -WarningAction SilentlyContinue) | Where-Object Type -EQ Table
        }
        finally { [System.IO.File]::WriteAllText($orders, $original) }

        $table.Action | Should -Be 'Drifted'
        $table.Reason | Should -Match 'column id is integer in production but bigint in the project'
        $table.Statements | Should -BeNullOrEmpty
        "$warnings" | Should -Match "Table $Db\.raw\.orders differs from the project in a way that cannot change in place"
        Get-Changes | Should -BeNullOrEmpty
        Get-ProjectSnapshot | Should -Be $before
    }

    It 'reports an object no project file defines as Unmanaged and leaves it alone' {
        $null = Invoke-TestSql $Emulator "CREATE TABLE $Db.raw.handmade (x int)"
        $null = Invoke-TestSql $Emulator "CREATE CLUSTER apply_handmade_c (SIZE = 'xsmall')"
        Clear-Log

        $results = Invoke-MzApply -Profile test -Path $Root

        $results | Where-Object Action -EQ Unmanaged | ForEach-Object { "$($_.Type) $($_.Name)" } |
            Should -Contain "Table $Db.raw.handmade"
        $results | Where-Object Action -EQ Unmanaged | ForEach-Object { "$($_.Type) $($_.Name)" } |
            Should -Contain 'Cluster apply_handmade_c'
        ($results | Where-Object Name -EQ "$Db.raw.handmade").Reason | Should -Match 'defined by no project file'
        Get-Changes | Should -BeNullOrEmpty
        Get-Rows "SELECT count(*) FROM mz_tables WHERE name = 'handmade'" | Should -Be 1
        Get-Rows "SELECT count(*) FROM mz_clusters WHERE name = 'apply_handmade_c'" | Should -Be 1
    }

    It 'pipes an Unmanaged object into Remove-MzObject, which drops that object only' {
        $null = Invoke-TestSql $Emulator "CREATE CLUSTER apply_piped_c (SIZE = 'xsmall')"
        $before = @(Get-Rows "SELECT name FROM mz_clusters WHERE name NOT IN ('apply_piped_c') ORDER BY name")

        $removed = Invoke-MzApply -Profile test -Path $Root -DryRun -Type Cluster |
            Where-Object { $_.Action -eq 'Unmanaged' -and $_.Name -eq 'apply_piped_c' } |
            Remove-MzObject -Profile test -Path $Root -Force

        $removed.Name | Should -Be 'apply_piped_c'
        $removed.Dropped | Should -BeTrue
        Get-Rows "SELECT count(*) FROM mz_clusters WHERE name = 'apply_piped_c'" | Should -Be 0
        @(Get-Rows "SELECT name FROM mz_clusters WHERE name NOT IN ('apply_piped_c') ORDER BY name") | Should -Be $before
    }

    It '-DryRun shows the plan with its exact SQL and changes nothing' {
        $extra = Join-Path $Root 'clusters/apply_dry.sql'
        Set-Content $extra "CREATE CLUSTER apply_dry (SIZE = 'xsmall');"
        Clear-Log
        try { $results = Invoke-MzApply -Profile test -Path $Root -DryRun }
        finally { Remove-Item $extra }

        $dry = $results | Where-Object Name -EQ apply_dry
        $dry.Action | Should -Be 'Created'
        $dry.DryRun | Should -BeTrue
        $dry.Statements | Should -Be "CREATE CLUSTER `"apply_dry`" (SIZE = 'xsmall')"
        Get-Changes | Should -BeNullOrEmpty
        Get-Rows "SELECT count(*) FROM mz_clusters WHERE name = 'apply_dry'" | Should -Be 0
    }

    It '-Type narrows the plan to the kinds given' {
        $results = Invoke-MzApply -Profile test -Path $Root -Type Cluster, Role -DryRun

        $results.Type | Sort-Object -Unique | Should -Be @('Role', 'Cluster')
        (Get-Mine $results).Name | Should -Be @($Role, $Cluster)
    }

    It 'refuses, changing nothing, when a secret''s value cannot be resolved' {
        $missing = Join-Path $Root "models/$Db/raw/missing_key.sql"
        $extra = Join-Path $Root 'clusters/apply_refused.sql'
        Set-Content $missing "CREATE SECRET missing_key AS env_var('MZ_PESTER_APPLY_UNSET');"
        Set-Content $extra "CREATE CLUSTER apply_refused (SIZE = 'xsmall');"
        Clear-Log
        try {
            { Invoke-MzApply -Profile test -Path $Root } |
                Should -Throw -ErrorId 'ApplyRefused,*' -ExpectedMessage '*environment variable MZ_PESTER_APPLY_UNSET is not set*'
            $dry = Invoke-MzApply -Profile test -Path $Root -DryRun | Where-Object Name -EQ "$Db.raw.missing_key"
            $skipped = Invoke-MzApply -Profile test -Path $Root -SkipSecrets -Type Secret, Table
        }
        finally { Remove-Item $missing, $extra }

        $dry.Action | Should -Be 'Refused'
        Get-Changes | Should -BeNullOrEmpty
        Get-Rows "SELECT count(*) FROM mz_clusters WHERE name = 'apply_refused'" | Should -Be 0
        $skipped.Type | Should -Not -Contain 'Secret'
    }
}

Describe 'types.lock after apply' {
    BeforeAll {
        # A second project in its own database: a load-generator source and a table fed by it, which the lock records.
        $script:LockDb = "pester_relock_$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $script:LockRoot = New-TestProject -Files @{
            "models/$LockDb/ingest/auction.sql" = "CREATE SOURCE auction IN CLUSTER quickstart FROM LOAD GENERATOR AUCTION;`n"
            "models/$LockDb/ingest/bids.sql"    = "CREATE TABLE bids FROM SOURCE auction (REFERENCE `"auction`".`"bids`");`n"
        }
        $script:LockFile = Join-Path $LockRoot 'types.lock'
        function Get-LockResults($Output) { @($Output | Where-Object { $_ -is [MzDeploy.MzTypeLockResult] }) }
    }
    AfterAll { Remove-Item $LockRoot -Recurse -Force -ErrorAction SilentlyContinue }

    It '-DryRun and -WhatIf say the lock would run, and write no types.lock' {
        $dry = Invoke-MzApply -Profile test -Path $LockRoot -DryRun 6>&1
        $transcript = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-relock-whatif-' + [guid]::NewGuid().ToString('n') + '.txt')
        $null = Start-Transcript -Path $transcript
        try { $whatIf = Invoke-MzApply -Profile test -Path $LockRoot -WhatIf }
        finally { $null = Stop-Transcript }
        $text = Get-Content $transcript -Raw
        Remove-Item $transcript

        "$($dry | Where-Object { $_ -is [System.Management.Automation.InformationRecord] })" |
            Should -Match ([regex]::Escape("Applying would then regenerate $LockFile"))
        Get-LockResults $dry | Should -BeNullOrEmpty
        $whatIf | Should -BeNullOrEmpty
        $text | Should -Match ([regex]::Escape("Then regenerate $LockFile from"))
        Test-Path $LockFile | Should -BeFalse
        Get-Rows "SELECT count(*) FROM mz_databases WHERE name = '$LockDb'" | Should -Be 0
    }

    It 'applies, then locks the table fed by the source on the same run and emits the lock result last' {
        $results = Invoke-MzApply -Profile test -Path $LockRoot

        ($results | Where-Object Name -EQ "$LockDb.ingest.bids").Action | Should -Be 'Created'
        $results[-1] | Should -BeOfType MzDeploy.MzTypeLockResult
        @(Get-LockResults $results).Count | Should -Be 1
        $results[-1].Path | Should -Be $LockFile
        $results[-1].Objects | Should -Be 1
        $results[-1].Changed | Should -BeTrue
        $lock = Read-TypeLock $LockFile
        $lock.Tables["$LockDb.ingest.bids"].Kind | Should -Be 'table'
        @($lock.Tables["$LockDb.ingest.bids"].Columns.Keys) | Should -Be @('id', 'buyer', 'auction_id', 'amount', 'bid_time')
    }

    It 're-applied unchanged, leaves the catalog as it was and types.lock byte for byte, without rewriting it' {
        $before = [System.IO.File]::ReadAllBytes($LockFile)
        $written = (Get-Item $LockFile).LastWriteTimeUtc
        $catalogBefore = Get-CatalogSnapshot -Port $Emulator.Port
        Start-Sleep -Milliseconds 50

        $results = Invoke-MzApply -Profile test -Path $LockRoot
        $catalogAfter = Get-CatalogSnapshot -Port $Emulator.Port

        # Nothing to apply, and the re-lock that follows only reads the catalog: every object of every database as it was.
        @(Find-UnplannedChanges -Before $catalogBefore -After $catalogAfter -Scope (Get-PlannedScope -Plans @())) | Should -BeNullOrEmpty
        $catalogAfter.Count | Should -Be $catalogBefore.Count
        (Get-LockResults $results).Changed | Should -Be $false
        [System.IO.File]::ReadAllBytes($LockFile) | Should -Be $before
        (Get-Item $LockFile).LastWriteTimeUtc | Should -Be $written
    }

    It 'the tables phase alone (-Type Table) locks; another phase alone (-Type Source) does not' {
        Remove-Item $LockFile

        $sources = Invoke-MzApply -Profile test -Path $LockRoot -Type Source
        $sourcesLeftNoLock = -not (Test-Path $LockFile)
        $tables = Invoke-MzApply -Profile test -Path $LockRoot -Type Table

        Get-LockResults $sources | Should -BeNullOrEmpty
        $sourcesLeftNoLock | Should -BeTrue
        (Get-LockResults $tables).Objects | Should -Be 1
        (Read-TypeLock $LockFile).Tables.Keys | Should -Be "$LockDb.ingest.bids"
    }

    It 'a failed apply does not lock' {
        Remove-Item $LockFile
        $broken = Join-Path $LockRoot "models/$LockDb/ingest/nope.sql"
        Set-Content $broken "CREATE TABLE nope FROM SOURCE auction (REFERENCE `"auction`".`"nope`");"
        $failed = $null
        try { $null = Invoke-MzApply -Profile test -Path $LockRoot -ErrorAction Stop }
        catch { $failed = $_ }
        finally { Remove-Item $broken }

        $failed.FullyQualifiedErrorId | Should -BeLike 'SqlStatementFailed,*'
        $failed.Exception.Message | Should -Match 'reference to nope not found in source'
        Test-Path $LockFile | Should -BeFalse
    }

    It 'a lock that cannot be regenerated after a successful apply is a non-terminating error that says the apply finished' {
        $toml = Join-Path $LockRoot 'project.toml'
        $original = Get-Content $toml -Raw
        Set-Content $toml -NoNewline ("dependencies = [`"$LockDb.ingest.not_there`"]`n" + $original)
        try { $results = Invoke-MzApply -Profile test -Path $LockRoot -ErrorVariable lockErrors -ErrorAction SilentlyContinue }
        finally { Set-Content $toml -NoNewline $original }

        ($results | Where-Object Name -EQ "$LockDb.ingest.bids").Action | Should -Be 'Unchanged'
        Get-LockResults $results | Should -BeNullOrEmpty
        $lockErrors.Count | Should -Be 1
        $lockErrors[0].FullyQualifiedErrorId | Should -BeLike 'ExternalDependencyNotFound,*'
        "$($lockErrors[0].ErrorDetails)" | Should -Match ([regex]::Escape("The apply finished, but $LockFile was not regenerated"))
        "$($lockErrors[0].ErrorDetails)" | Should -Match ([regex]::Escape("$LockDb.ingest.not_there"))
        Test-Path $LockFile | Should -BeFalse
    }
}

Describe 'Role enforcement' {
    It 'refuses a monitor, naming the deployer role, before reading or changing anything' {
        $null = Invoke-TestSql $Emulator "CREATE ROLE $Monitor WITH LOGIN PASSWORD '$MonitorPassword'"
        $null = Invoke-TestSql $Emulator "GRANT materialize_monitor TO $Monitor"
        $extra = Join-Path $Root 'clusters/apply_monitor.sql'
        Set-Content $extra "CREATE CLUSTER apply_monitor (SIZE = 'xsmall');"
        Clear-Log
        $caught = $null
        try { $streams = Invoke-MzApply -Profile monitor -Path $Root -Verbose *>&1 }
        catch { $caught = $_ }
        finally { Remove-Item $extra }

        $caught.FullyQualifiedErrorId | Should -BeLike 'MzDeployRoleRequired,*'
        $caught.Exception.Message | Should -Match 'materialize_deployer'
        (($streams | Out-String) + ($caught | Out-String)) | Should -Not -Match ([regex]::Escape($MonitorPassword))
        Get-Changes | Should -BeNullOrEmpty
        Get-Rows "SELECT count(*) FROM mz_emulator.statement_log WHERE sql LIKE 'SELECT kind, id, name, db, sch, a, b, c, d, e FROM%'" | Should -Be 0
        Get-Rows "SELECT count(*) FROM mz_clusters WHERE name = 'apply_monitor'" | Should -Be 0
    }
}

Describe 'Secret values' {
    BeforeAll {
        $script:VaultValue = 'Vault-S3cret-' + [guid]::NewGuid().ToString('n').Substring(0, 12)
        $script:SecretValues = @{ "$Db.raw.vault_key" = (ConvertTo-SecureString $VaultValue -AsPlainText -Force) }
        # Everything a user could see of a run: every stream, each object in full, error records with their exception chain.
        function ConvertTo-SeenText($Output) {
            ($Output | Out-String -Width 4096) + ($Output | ForEach-Object {
                    $_ | Format-List * -Force | Out-String -Width 4096
                    if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception.ToString(); "$($_.ErrorDetails)" }
                } | Out-String -Width 4096)
        }
    }

    It '-SecretValue sets a secret from a SecureString, and no value appears in any stream' {
        Clear-Log

        $output = Invoke-MzApply -Profile test -Path $Root -SecretValue $SecretValues -Verbose -Debug *>&1

        $vault = Get-Mine $output | Where-Object Name -EQ "$Db.raw.vault_key"
        $vault.Action | Should -Be 'Altered'
        $vault.Statements | Should -Be "ALTER SECRET `"$Db`".`"raw`".`"vault_key`" AS '***'"
        Get-SecretDigest 'vault_key' | Should -Be (Get-Sha256 $VaultValue)
        $text = ConvertTo-SeenText $output
        $text | Should -Match ([regex]::Escape("AS '***'")) -Because 'the verbose stream shows the statements, masked'
        $text | Should -Not -Match $VaultValue
        $text | Should -Not -Match $EnvKey
        Get-Rows "SELECT count(*) FROM mz_emulator.statement_log WHERE (sql LIKE '%$VaultValue%' OR sql LIKE '%$EnvKey%') AND sql NOT LIKE '%mz_emulator.statement_log%'" |
            Should -Be 0
    }

    It '-WhatIf and -DryRun show the secret''s statement masked' {
        $transcript = Join-Path ([System.IO.Path]::GetTempPath()) ('mzdeploy-apply-whatif-' + [guid]::NewGuid().ToString('n') + '.txt')
        $null = Start-Transcript -Path $transcript
        try { $output = Invoke-MzApply -Profile test -Path $Root -SecretValue $SecretValues -WhatIf *>&1 }
        finally { $null = Stop-Transcript }
        $text = (Get-Content $transcript -Raw) + (ConvertTo-SeenText $output)
        Remove-Item $transcript
        $dry = Invoke-MzApply -Profile test -Path $Root -SecretValue $SecretValues -DryRun

        $text | Should -Match ([regex]::Escape("What if: Apply infrastructure on"))
        $text | Should -Match ([regex]::Escape("ALTER SECRET `"$Db`".`"raw`".`"vault_key`" AS '***';"))
        $text | Should -Not -Match $VaultValue
        ($dry | Where-Object Name -EQ "$Db.raw.vault_key").Statements | Should -Be "ALTER SECRET `"$Db`".`"raw`".`"vault_key`" AS '***'"
        ConvertTo-SeenText $dry | Should -Not -Match $VaultValue
    }

    It 'a failing secret statement reports its masked text; the value is in no error record' {
        $null = Invoke-TestSql $Emulator "SELECT mz_emulator.inject_fault('ALTER SECRET%vault_key%', 1, 'error', 'secret store unavailable')"
        $failed = $null
        try { $null = Invoke-MzApply -Profile test -Path $Root -SecretValue $SecretValues -ErrorAction Stop }
        catch { $failed = $_ }
        finally { $null = Invoke-TestSql $Emulator 'SELECT mz_emulator.clear_faults()' }

        $failed | Should -Not -BeNullOrEmpty
        $failed.FullyQualifiedErrorId | Should -BeLike 'SqlStatementFailed,*'
        $failed.Exception.Message | Should -Match ([regex]::Escape("secret store unavailable"))
        $failed.Exception.Message | Should -Match ([regex]::Escape("ALTER SECRET `"$Db`".`"raw`".`"vault_key`" AS '***'"))
        ConvertTo-SeenText $failed | Should -Not -Match $VaultValue
        ConvertTo-SeenText @($Error) | Should -Not -Match $VaultValue
    }

    It 'refuses a -SecretValue that is not a SecureString, without showing it' {
        { Invoke-MzApply -Profile test -Path $Root -SecretValue @{ "$Db.raw.vault_key" = 'plain-S3cret-text' } } |
            Should -Throw -ErrorId 'SecretValueNotSecure,*' -ExpectedMessage "*'$Db.raw.vault_key' is a String, not a SecureString*"
        ConvertTo-SeenText @($Error[0]) | Should -Not -Match 'plain-S3cret-text'
    }
}

Describe 'Confirmation' {
    BeforeAll {
        # Invoke-MzApply in a child pwsh as CI runs it (Invoke-ChildPwsh -NonInteractive).
        function Invoke-ChildApply([string] $Arguments) {
            $command = "Import-Module '$env:MZDEPLOY_MODULE'; `$env:MZ_DEPLOY_PROFILES_DIR = '$($Emulator.ProfilesDirectory)'; " +
                "`$env:MZ_PESTER_APPLY_KEY = '$EnvKey'; `$ErrorActionPreference = 'Stop'; " +
                "try { Invoke-MzApply -Profile test -Path '$Root' $Arguments | ForEach-Object { 'RESULT ' + `$_.Action + ' ' + `$_.Name } } " +
                "catch { 'ERROR ' + `$_.FullyQualifiedErrorId; 'MESSAGE ' + `$_.Exception.Message }"
            Invoke-ChildPwsh $command -NonInteractive
        }
    }

    It 'in a non-interactive session applies without asking (ConfirmImpact Medium), and -Confirm fails at once instead of waiting' {
        Set-Content (Join-Path $Root 'clusters/apply_ci.sql') "CREATE CLUSTER apply_ci (SIZE = 'xsmall');"
        try {
            $asked = Invoke-ChildApply '-Confirm'
            $countAfterAsk = Get-Rows "SELECT count(*) FROM mz_clusters WHERE name = 'apply_ci'"
            $applied = Invoke-ChildApply ''
        }
        finally { Remove-Item (Join-Path $Root 'clusters/apply_ci.sql') }

        $asked.Exited | Should -BeTrue
        $asked.Output | Should -Match 'ERROR ConfirmationRequired,MzDeploy\.PowerShell\.Cmdlets\.InvokeMzApplyCommand'
        $asked.Output | Should -Match ([regex]::Escape('-Confirm:$false'))
        $countAfterAsk | Should -Be 0
        $applied.Exited | Should -BeTrue
        $applied.Output | Should -Match 'RESULT Created apply_ci'
        Get-Rows "SELECT count(*) FROM mz_clusters WHERE name = 'apply_ci'" | Should -Be 1
    }
}
