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

# Brings production up for the order-monitoring example as a user would: Invoke-MzApply on the project at $Path
# (a New-MzProject example) through $Profile (default: the current profile), which creates the cluster "orders" and the table
# materialize.sales.orders. Needs the MzDeploy module imported. Fails unless both were created and nothing was
# refused or drifted, so every fixture built on it proves that apply brings an empty environment up.
function Initialize-MzExampleProduction {
    param([Parameter(Mandatory)] [string] $Path, [string] $Profile)
    $arguments = @{ Path = $Path }
    if ($Profile) { $arguments.Profile = $Profile }
    $results = @(Invoke-MzApply @arguments -InformationAction Ignore)
    $created = @($results | Where-Object Action -EQ Created | ForEach-Object { "$($_.Type) $($_.Name)" })
    $problems = @($results | Where-Object Action -In Drifted, Refused | ForEach-Object { "$($_.Action) $($_.Type) $($_.Name): $($_.Reason)" })
    foreach ($expected in 'Cluster orders', 'Table materialize.sales.orders') {
        if ($expected -notin $created) { $problems += "$expected was not created" }
    }
    if ($problems) { throw "Invoke-MzApply did not bring the example's production up: $($problems -join '; ')" }
}

# Commits everything in the git repository at $Path (tests and the demo change projects this way).
function Save-MzGitCommit {
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Message)
    git -C $Path add -A *> $null
    git -C $Path -c user.name=mzdeploy -c user.email=mzdeploy@localhost commit -q -m $Message *> $null
}
