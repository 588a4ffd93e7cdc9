# Helpers shared by build.ps1 tasks. Dot-sourced; every function throws on failure.

function Write-Step([string] $Message) {
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Invoke-DotNet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

# Runs a script in a fresh `dotnet pwsh`, so binary modules it imports never lock or shadow the
# build session's copies. Returns the child's exit code.
function Invoke-ChildPwsh([string] $File, [string[]] $Arguments = @()) {
    Push-Location $Root  # `dotnet pwsh` resolves only under the tool manifest
    try {
        & dotnet pwsh -NoProfile -NonInteractive -File $File @Arguments | Out-Host
        return $LASTEXITCODE
    }
    finally { Pop-Location }
}

function Get-NuGetPackageRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages -l
    return ($line -replace '^global-packages:\s*', '').Trim()
}

# Pester comes from NuGet (the Gallery is unreachable): restoring build/tools puts it in the cache.
function Get-PesterManifest {
    $version = '6.2.0'
    $manifest = Join-Path (Get-NuGetPackageRoot) "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) {
        Invoke-DotNet restore (Join-Path $Root 'build/tools/tools.csproj') --nologo -v quiet
    }
    if (-not (Test-Path $manifest)) { throw "Pester $version was not found at $manifest after restore" }
    return $manifest
}

function Read-TrxCounts([string] $Path, [string] $Suite, [int] $ExitCode) {
    if (-not (Test-Path $Path)) {
        # No results file means the project did not build or the host crashed: count it as a failure.
        Write-Warning "$Suite produced no results (exit code $ExitCode)"
        return [pscustomobject]@{ Suite = $Suite; Passed = 0; Failed = 1; FailedTests = @() }
    }
    [xml] $trx = Get-Content -Raw $Path
    $counters = $trx.TestRun.ResultSummary.Counters
    $failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    if ($ExitCode -ne 0 -and $failed -eq 0) { $failed = 1 }
    # The names and first message line of failed tests, so the end of a CI log says which test failed, not only how many.
    $failedTests = @($trx.TestRun.Results.UnitTestResult | Where-Object outcome -ne 'Passed' | ForEach-Object {
        $message = "$($_.Output.ErrorInfo.Message)".Trim() -split "`n" | Select-Object -First 1
        "$($_.testName): $message"
    })
    return [pscustomobject]@{ Suite = $Suite; Passed = [int]$counters.passed; Failed = $failed; FailedTests = $failedTests }
}

function Invoke-PesterInChild([string] $ModuleManifest, [string] $ResultsFolder) {
    $summary = Join-Path $ResultsFolder 'pester-summary.json'
    $exit = Invoke-ChildPwsh -File (Join-Path $Root 'tests/Pester/Run.ps1') -Arguments @(
        '-PesterManifest', (Get-PesterManifest), '-ModuleManifest', $ModuleManifest,
        '-ResultsFolder', $ResultsFolder, '-SummaryPath', $summary)
    if (-not (Test-Path $summary)) {
        Write-Warning "Pester produced no summary (exit code $exit)"
        return [pscustomobject]@{ Suite = 'Pester'; Passed = 0; Failed = 1; FailedTests = @() }
    }
    $s = Get-Content -Raw $summary | ConvertFrom-Json
    return [pscustomobject]@{ Suite = 'Pester'; Passed = [int]$s.Passed; Failed = [int]$s.Failed; FailedTests = @($s.FailedTests) }
}
