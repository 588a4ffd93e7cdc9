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

# Starts the emulator built by build.ps1 (out/emulator) on a free port with a fresh data folder, waits
# for its "ready: 127.0.0.1:<port>" line, and points $env:MZ_DEPLOY_PROFILES_DIR at a temporary
# profiles.toml whose profile 'test' (superuser 'materialize', RBAC detected as on any server) connects
# to it. -Profiles adds more profile tables (name → hashtable of keys). Stop it with Stop-TestEmulator.
function Start-TestEmulator {
    param([hashtable] $Profiles = @{})
    $repository = Split-Path (Split-Path $PSScriptRoot)
    $dll = Join-Path $repository 'out/emulator/MzDeploy.Emulator.dll'
    if (-not (Test-Path $dll)) { throw "The emulator is not built: $dll (run ./build.ps1 test)" }
    $id = [guid]::NewGuid().ToString('n').Substring(0, 10)
    $data = Join-Path ([System.IO.Path]::GetTempPath()) "mzdeploy-pester-emu-$id"
    $profilesDir = Join-Path ([System.IO.Path]::GetTempPath()) "mzdeploy-pester-profiles-$id"
    $null = New-Item -ItemType Directory -Path $profilesDir

    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in $dll, '--data', $data, '--port', '0') { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $stderr = $process.StandardError.ReadToEndAsync()
    $port = $null
    $deadline = [DateTime]::UtcNow.AddSeconds(90)
    while (-not $port -and [DateTime]::UtcNow -lt $deadline) {
        $line = $process.StandardOutput.ReadLineAsync()
        if (-not $line.Wait([TimeSpan]::FromSeconds(90))) { break }
        if ($null -eq $line.Result) { break }
        if ($line.Result -match '^ready: 127\.0\.0\.1:(\d+)$') { $port = [int]$Matches[1] }
    }
    if (-not $port) {
        if (-not $process.HasExited) { $process.Kill($true) }
        throw "The emulator did not start: $($stderr.Result)"
    }

    $toml = [System.Text.StringBuilder]::new()
    $all = @{ test = @{ username = 'materialize' } } + $Profiles
    foreach ($name in $all.Keys) {
        $null = $toml.AppendLine("[$name]").AppendLine('host = "127.0.0.1"').AppendLine("port = $port").AppendLine('sslmode = "disable"')
        foreach ($key in $all[$name].Keys) { $null = $toml.AppendLine("$key = `"$($all[$name][$key])`"") }
    }
    Set-Content -Path (Join-Path $profilesDir 'profiles.toml') -Value $toml.ToString()
    $previous = $env:MZ_DEPLOY_PROFILES_DIR
    $env:MZ_DEPLOY_PROFILES_DIR = $profilesDir
    [pscustomobject]@{
        Port              = $port
        Process           = $process
        DataDirectory     = $data
        ProfilesDirectory = $profilesDir
        PreviousProfiles  = $previous
    }
}

# Stops an emulator from Start-TestEmulator (SIGTERM, then kill after 20 s), removes its data and
# profiles folders, and restores $env:MZ_DEPLOY_PROFILES_DIR.
function Stop-TestEmulator {
    param([Parameter(Mandatory)] $Emulator)
    $process = $Emulator.Process
    if (-not $process.HasExited) {
        & kill -TERM $process.Id 2>$null
        if (-not $process.WaitForExit(20000)) { $process.Kill($true); $process.WaitForExit() }
    }
    $env:MZ_DEPLOY_PROFILES_DIR = $Emulator.PreviousProfiles
    foreach ($folder in $Emulator.DataDirectory, $Emulator.ProfilesDirectory) {
        if (Test-Path $folder) { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

# Runs SQL on the emulator as the superuser 'materialize' through psql (one statement per call, so
# Materialize's one-DDL-per-transaction rule holds). Returns the rows as text lines (fields split by |).
function Invoke-TestSql {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Sql)
    $psql = (Get-Command psql -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $psql) {
        $bin = if ($env:MZ_EMULATOR_PG_BIN) { $env:MZ_EMULATOR_PG_BIN } else { '/usr/lib/postgresql/15/bin' }
        $psql = Join-Path $bin 'psql'
    }
    $output = & $psql -h 127.0.0.1 -p $Emulator.Port -U materialize -d materialize -X -A -t -q -v ON_ERROR_STOP=1 -c $Sql 2>&1
    if ($LASTEXITCODE -ne 0) { throw "psql failed ($Sql): $output" }
    @($output | Where-Object { $_ -ne '' })
}
