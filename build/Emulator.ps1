# Starting and stopping the MzDeploy emulator from PowerShell: shared by the Pester fixtures and the
# demo. Dot-source it.

# Starts the emulator (out/emulator/MzDeploy.Emulator.dll) with a fresh data folder on a free port
# (or -Port), waits for its "ready: 127.0.0.1:<port>" line and returns Port, Process and DataDirectory.
# -Tls requires TLS as real Materialize does; CaCertificate is then the authority to trust (sslrootcert).
function Start-MzEmulatorProcess {
    param(
        [Parameter(Mandatory)] [string] $EmulatorDll,
        [Parameter(Mandatory)] [string] $DataDirectory,
        [int] $Port = 0,
        [int] $TimeoutSeconds = 90,
        [switch] $Tls
    )
    if (-not (Test-Path $EmulatorDll)) { throw "The emulator is not built: $EmulatorDll (run ./build.ps1 test)" }
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in $EmulatorDll, '--data', $DataDirectory, '--port', "$Port") { $start.ArgumentList.Add($argument) }
    if ($Tls) { $start.ArgumentList.Add('--tls') }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $stderr = $process.StandardError.ReadToEndAsync()
    $ready = $null
    $ca = $null
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not $ready -and [DateTime]::UtcNow -lt $deadline) {
        $line = $process.StandardOutput.ReadLineAsync()
        if (-not $line.Wait([TimeSpan]::FromSeconds($TimeoutSeconds))) { break }
        if ($null -eq $line.Result) { break }
        if ($line.Result -match '^tls-ca: (.+)$') { $ca = $Matches[1] }
        if ($line.Result -match '^ready: 127\.0\.0\.1:(\d+)$') { $ready = [int]$Matches[1] }
    }
    if (-not $ready) {
        if (-not $process.HasExited) { $process.Kill($true) }
        throw "The emulator did not start: $($stderr.Result)"
    }
    [pscustomobject]@{ Port = $ready; Process = $process; DataDirectory = $DataDirectory; CaCertificate = $ca }
}

# Stops an emulator from Start-MzEmulatorProcess (SIGTERM, so it stops its PostgreSQL; kill after 20 s)
# and removes its data folder.
function Stop-MzEmulatorProcess {
    param([Parameter(Mandatory)] $Emulator)
    $process = $Emulator.Process
    if (-not $process.HasExited) {
        & kill -TERM $process.Id 2>$null
        if (-not $process.WaitForExit(20000)) { $process.Kill($true); $process.WaitForExit() }
    }
    if (Test-Path $Emulator.DataDirectory) { Remove-Item $Emulator.DataDirectory -Recurse -Force -ErrorAction SilentlyContinue }
}

# Writes a profiles.toml into a new folder: $Profiles maps profile names to hashtables of keys, each
# profile pointing at 127.0.0.1:<Port> without TLS. Returns the folder (for $env:MZ_DEPLOY_PROFILES_DIR).
function New-MzEmulatorProfiles {
    param([Parameter(Mandatory)] [int] $Port, [Parameter(Mandatory)] [hashtable] $Profiles, [Parameter(Mandatory)] [string] $Folder)
    $null = New-Item -ItemType Directory -Path $Folder -Force
    $toml = [System.Text.StringBuilder]::new()
    foreach ($name in $Profiles.Keys) {
        $null = $toml.AppendLine("[$name]").AppendLine('host = "127.0.0.1"').AppendLine("port = $Port").AppendLine('sslmode = "disable"')
        foreach ($key in $Profiles[$name].Keys) { $null = $toml.AppendLine("$key = `"$($Profiles[$name][$key])`"") }
    }
    Set-Content -Path (Join-Path $Folder 'profiles.toml') -Value $toml.ToString()
    $Folder
}

# Runs one SQL statement on the emulator as the superuser 'materialize' through psql (the emulator's
# PostgreSQL ships it). Returns the rows as text lines (fields split by |).
function Invoke-MzEmulatorSql {
    param([Parameter(Mandatory)] [int] $Port, [Parameter(Mandatory)] [string] $Sql)
    $psql = (Get-Command psql -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $psql) {
        $bin = if ($env:MZ_EMULATOR_PG_BIN) { $env:MZ_EMULATOR_PG_BIN } else { '/usr/lib/postgresql/15/bin' }
        $psql = Join-Path $bin 'psql'
    }
    $output = & $psql -h 127.0.0.1 -p $Port -U materialize -d materialize -X -A -t -q -v ON_ERROR_STOP=1 -c $Sql 2>&1
    if ($LASTEXITCODE -ne 0) { throw "psql failed ($Sql): $output" }
    @($output | Where-Object { $_ -ne '' })
}

# Creates what the order-monitoring example reads from production and Invoke-MzApply would create:
# cluster "orders" and the table materialize.sales.orders.
function Initialize-MzExampleProduction {
    param([Parameter(Mandatory)] [int] $Port)
    $null = Invoke-MzEmulatorSql -Port $Port -Sql "CREATE CLUSTER orders (SIZE = '25cc')"
    $null = Invoke-MzEmulatorSql -Port $Port -Sql 'CREATE SCHEMA IF NOT EXISTS materialize.sales'
    $null = Invoke-MzEmulatorSql -Port $Port -Sql ('CREATE TABLE materialize.sales.orders ' +
        '(id bigint, customer text, status text, amount numeric(12,2), created_at timestamptz)')
}

# Commits everything in the git repository at $Path (tests and the demo change projects this way).
function Save-MzGitCommit {
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Message)
    git -C $Path add -A *> $null
    git -C $Path -c user.name=mzdeploy -c user.email=mzdeploy@localhost commit -q -m $Message *> $null
}
