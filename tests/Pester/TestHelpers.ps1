# Shared helpers for the Pester suite. Dot-source from BeforeAll.

# Writes a project into a fresh folder: $Files maps relative paths to SQL text. A project.toml is
# added unless one is given. Returns the folder's full path.
function New-TestProject {
    param(
        [Parameter(Mandatory)] [hashtable] $Files,
        [string] $ProjectToml = "# test project`n"
    )
    $root = Join-Path ([System.IO.Path]::GetTempPath()) ("mzdeploy-test-" + [guid]::NewGuid().ToString('n').Substring(0, 12))
    $null = New-Item -ItemType Directory -Path $root
    if (-not $Files.ContainsKey('project.toml')) { $Files['project.toml'] = $ProjectToml }
    foreach ($relative in $Files.Keys) {
        $path = Join-Path $root $relative
        $null = New-Item -ItemType Directory -Path (Split-Path $path) -Force
        [System.IO.File]::WriteAllText($path, $Files[$relative])
    }
    return $root
}

# Runs Build-MzProject and returns what a user would see: the project (or the failed project carried
# by the terminating error) and every error record written.
function Invoke-Compile {
    param([Parameter(Mandatory)] [string] $Path, [string] $Profile)
    $errors = @()
    $project = $null
    $terminating = $null
    $arguments = @{ Path = $Path }
    if ($Profile) { $arguments.Profile = $Profile }
    try {
        $project = Build-MzProject @arguments -ErrorVariable +errors -ErrorAction Continue 2>$null
    }
    catch {
        $terminating = $_
        $project = $_.TargetObject
    }
    [pscustomobject]@{
        Project     = $project
        Errors      = @($errors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.FullyQualifiedErrorId -notlike 'CompilationFailed*' })
        Terminating = $terminating
    }
}

# ── Emulator ────────────────────────────────────────────────────────────────────────────────────────

. (Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'build/Emulator.ps1')

# Starts the emulator built by build.ps1 (out/emulator) on a free port with a fresh data folder, and
# points $env:MZ_DEPLOY_PROFILES_DIR at a temporary profiles.toml whose profile 'test' (superuser
# 'materialize', RBAC detected as on any server) connects to it. -Profiles adds more profile tables
# (name → hashtable of keys). Stop it with Stop-TestEmulator.
function Start-TestEmulator {
    param([hashtable] $Profiles = @{})
    $repository = Split-Path (Split-Path $PSScriptRoot)
    $id = [guid]::NewGuid().ToString('n').Substring(0, 10)
    $emulator = Start-MzEmulatorProcess -EmulatorDll (Join-Path $repository 'out/emulator/MzDeploy.Emulator.dll') `
        -DataDirectory (Join-Path ([System.IO.Path]::GetTempPath()) "mzdeploy-pester-emu-$id")
    $profilesDir = New-MzEmulatorProfiles -Port $emulator.Port -Profiles (@{ test = @{ username = 'materialize' } } + $Profiles) `
        -Folder (Join-Path ([System.IO.Path]::GetTempPath()) "mzdeploy-pester-profiles-$id")
    $previous = $env:MZ_DEPLOY_PROFILES_DIR
    $env:MZ_DEPLOY_PROFILES_DIR = $profilesDir
    $emulator | Add-Member -NotePropertyName ProfilesDirectory -NotePropertyValue $profilesDir -PassThru |
        Add-Member -NotePropertyName PreviousProfiles -NotePropertyValue $previous -PassThru
}

# Stops an emulator from Start-TestEmulator, removes its data and profiles folders, and restores
# $env:MZ_DEPLOY_PROFILES_DIR.
function Stop-TestEmulator {
    param([Parameter(Mandatory)] $Emulator)
    Stop-MzEmulatorProcess $Emulator
    $env:MZ_DEPLOY_PROFILES_DIR = $Emulator.PreviousProfiles
    if (Test-Path $Emulator.ProfilesDirectory) { Remove-Item $Emulator.ProfilesDirectory -Recurse -Force -ErrorAction SilentlyContinue }
}

# Runs SQL on the emulator as the superuser 'materialize' through psql (one statement per call, so
# Materialize's one-DDL-per-transaction rule holds). Returns the rows as text lines (fields split by |).
function Invoke-TestSql {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Sql)
    Invoke-MzEmulatorSql -Port $Emulator.Port -Sql $Sql
}

# Puts on the emulator what an apply of a project's ingest leaves: database $Database, schema ingest, the load-generator
# source ingest.auction and the table ingest.bids fed by it (columns id, buyer, auction_id, amount, bid_time).
function New-TestAuctionBids {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Database)
    foreach ($sql in @(
            "CREATE DATABASE $Database", "CREATE SCHEMA $Database.ingest",
            "CREATE SOURCE $Database.ingest.auction IN CLUSTER quickstart FROM LOAD GENERATOR AUCTION",
            "CREATE TABLE $Database.ingest.bids FROM SOURCE $Database.ingest.auction (REFERENCE `"auction`".`"bids`")")) {
        $null = Invoke-TestSql $Emulator $sql
    }
}

. (Join-Path $PSScriptRoot 'PromoteInvariant.ps1')

# Runs a command in a child `dotnet pwsh` as CI does: standard input redirected and never written (a pipe that stays
# open, so a prompt would wait forever), optionally -NonInteractive. Kills it after 90 s. Returns whether it exited in
# time and its output (standard output, then standard error).
function Invoke-ChildPwsh([string] $Command, [switch] $NonInteractive) {
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $arguments = @('pwsh', '-NoProfile') + $(if ($NonInteractive) { '-NonInteractive' }) + @('-Command', $Command)
    foreach ($argument in $arguments) { $start.ArgumentList.Add($argument) }
    $start.WorkingDirectory = Split-Path (Split-Path $PSScriptRoot)  # the repository: `dotnet pwsh` needs its tool manifest
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $exited = $process.WaitForExit(90000)
    if (-not $exited) { $process.Kill($true) }
    $process.WaitForExit()
    [pscustomobject]@{ Exited = $exited; Output = $stdout.Result + $stderr.Result }
}

# types.lock as MzDeploy writes it (mz-deploy's TOML: [[table]] entries, one inline table per column line), read into
# version and tables: "db.schema.object" (or "schema.object") -> @{ Kind; Columns = ordered name -> @{ Type; Nullable } }.
# It reads only that layout, line by line, so a test also fails when the layout changes; kind missing reads as 'table'.
function Read-TypeLock([string] $Path) {
    $lock = [ordered]@{ Version = $null; Tables = [ordered]@{} }
    $entry = $null
    $unquote = { param($s) $s -replace '\\"', '"' -replace '\\\\', '\' }
    $flush = {
        if ($entry) {
            $key = (@($entry.Database, $entry.Schema, $entry.Name) | Where-Object { $null -ne $_ }) -join '.'
            $lock.Tables[$key] = @{ Kind = $entry.Kind ?? 'table'; Columns = $entry.Columns }
        }
    }
    foreach ($line in [IO.File]::ReadAllText($Path) -split "`n") {
        if ($line -match '^version = (\d+)$') { $lock.Version = [int]$Matches[1] }
        elseif ($line -eq '[[table]]') { . $flush; $entry = @{ Database = $null; Kind = $null; Columns = [ordered]@{} } }
        elseif ($line -match '^(database|schema|name|kind) = "((?:[^"\\]|\\.)*)"$') { $entry[$Matches[1]] = & $unquote $Matches[2] }
        elseif ($line -match '^    \{ name = "((?:[^"\\]|\\.)*)", type = "((?:[^"\\]|\\.)*)", nullable = (true|false) \},$') {
            $entry.Columns[(& $unquote $Matches[1])] = @{ Type = (& $unquote $Matches[2]); Nullable = $Matches[3] -eq 'true' }
        }
    }
    . $flush
    $lock
}
