#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, documents, tests and benchmarks MzDeploy.
.DESCRIPTION
    One entry point for developers and CI. Run it with the pinned PowerShell tool from the repository:

        dotnet tool restore
        dotnet pwsh ./build.ps1 build      # lay out the importable module in out/MzDeploy
        dotnet pwsh ./build.ps1 test       # build, run xunit and Pester, print "tests: N passed, M failed"
        dotnet pwsh ./build.ps1 help       # docs/help/*.md -> out/MzDeploy/en-US (MAML + about topic)
        dotnet pwsh ./build.ps1 bench      # compile (10,000 synthetic objects), import time, sandbox start, type check (100 objects), emulator proxy and unit test benchmarks
        dotnet pwsh ./build.ps1 emulator   # run the local Materialize emulator on 127.0.0.1:6875
        dotnet pwsh ./build.ps1 demo       # stage, wait and promote the order-monitoring example on the emulator
        dotnet pwsh ./build.ps1 package    # out/package: MzDeploy/<version>/ (emulator inside) and MzDeploy.<version>.nupkg
.PARAMETER Task
    build, help, test, bench, emulator, demo, package. Default: build.
.PARAMETER Configuration
    Release (default) or Debug.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'help', 'test', 'bench', 'emulator', 'demo', 'package')]
    [string] $Task = 'build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleDir = Join-Path $Out 'MzDeploy'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

. (Join-Path $Root 'build/BuildTools.ps1')
. (Join-Path $Root 'build/HelpBuilder.ps1')
. (Join-Path $Root 'build/Package.ps1')

function Invoke-BuildTask {
    Write-Step "Publishing MzDeploy.PowerShell ($Configuration)"
    $publish = Join-Path $Out 'publish'
    if (Test-Path $publish) { Remove-Item $publish -Recurse -Force }
    Invoke-DotNet publish (Join-Path $Root 'src/MzDeploy.PowerShell/MzDeploy.PowerShell.csproj') `
        -c $Configuration -o $publish --nologo -v quiet

    Write-Step "Laying out $ModuleDir"
    # A loaded binary module locks nothing on Linux, but a stale folder would hide removed files.
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    $dependencies = New-Item -ItemType Directory -Path (Join-Path $ModuleDir 'dependencies') -Force
    # The root holds only the cmdlet assembly (loaded into the session's default context); everything
    # else goes to dependencies/, loaded through the module's private AssemblyLoadContext.
    Copy-Item (Join-Path $publish 'MzDeploy.PowerShell.dll') $ModuleDir
    Get-ChildItem $publish | Where-Object {
        $_.Name -ne 'MzDeploy.PowerShell.dll' -and $_.Extension -ne '.pdb' -and $_.Name -notlike '*.deps.json'
    } | Copy-Item -Destination $dependencies -Recurse
    foreach ($file in 'src/MzDeploy.PowerShell/MzDeploy.psd1', 'src/MzDeploy.PowerShell/MzDeploy.Format.ps1xml', 'src/MzDeploy.PowerShell/MzDeploy.Types.ps1xml') {
        Copy-Item (Join-Path $Root $file) $ModuleDir
    }
    Publish-ModuleEmulator
    foreach ($required in 'dependencies/MzDeploy.Engine.dll', 'dependencies/Npgsql.dll', 'dependencies/LibGit2Sharp.dll', 'emulator/MzDeploy.Emulator.dll') {
        if (-not (Test-Path (Join-Path $ModuleDir $required))) { throw "Module layout is missing $required" }
    }
    Invoke-HelpTask
}

# The module carries the emulator its private sandbox runs (a child process: `dotnet emulator/MzDeploy.Emulator.dll`),
# in a folder of its own so its dependencies never meet the module's. Symbols and XML docs are left out.
function Publish-ModuleEmulator {
    Write-Step "Publishing the sandbox emulator into $ModuleDir/emulator"
    $emulator = Join-Path $ModuleDir 'emulator'
    Invoke-DotNet publish (Join-Path $Root 'src/MzDeploy.Emulator/MzDeploy.Emulator.csproj') `
        -c $Configuration -o $emulator --nologo -v quiet
    Get-ChildItem $emulator -File | Where-Object Extension -in '.pdb', '.xml' | Remove-Item -Force
}

function Invoke-HelpTask {
    Write-Step 'Building help from docs/help'
    $enUs = New-Item -ItemType Directory -Path (Join-Path $ModuleDir 'en-US') -Force
    Build-MzHelp -SourceFolder (Join-Path $Root 'docs/help') -OutputFolder $enUs.FullName `
        -AssemblyFileName 'MzDeploy.PowerShell.dll'
}

function Invoke-TestTask {
    Invoke-BuildTask
    # One house style (.editorconfig): CI fails on a whitespace difference; `dotnet format whitespace MzDeploy.sln` fixes it.
    Write-Step 'Checking formatting (dotnet format whitespace --verify-no-changes)'
    Invoke-DotNet format whitespace (Join-Path $Root 'MzDeploy.sln') --verify-no-changes
    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $results
    $counts = [System.Collections.Generic.List[object]]::new()

    foreach ($suite in 'Unit', 'Integration') {
        $project = Join-Path $Root "tests/$suite/MzDeploy.Tests.$suite.csproj"
        Write-Step "xunit: tests/$suite"
        $trx = "$suite.trx"
        & dotnet test $project -c $Configuration --nologo -v quiet `
            --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' --results-directory $results
        $counts.Add((Read-TrxCounts -Path (Join-Path $results $trx) -Suite "xunit $suite" -ExitCode $LASTEXITCODE))
    }

    Invoke-EmulatorBuild

    Write-Step 'Pester: tests/Pester (child pwsh, against out/MzDeploy)'
    $counts.Add((Invoke-PesterInChild -ModuleManifest (Join-Path $ModuleDir 'MzDeploy.psd1') -ResultsFolder $results))

    $passed = ($counts | Measure-Object -Property Passed -Sum).Sum
    $failed = ($counts | Measure-Object -Property Failed -Sum).Sum
    foreach ($c in $counts) {
        foreach ($name in $c.FailedTests) { Write-Host "FAILED ($($c.Suite)) $name" }
    }
    foreach ($c in $counts) { Write-Host ('{0,-18} {1,5} passed, {2,3} failed' -f $c.Suite, $c.Passed, $c.Failed) }
    # The one summary line CI reads. Neither dotnet test's nor Pester's own summary has this form.
    Write-Host "tests: $passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-EmulatorBuild {
    Write-Step 'Building the emulator (out/emulator)'
    Invoke-DotNet build (Join-Path $Root 'src/MzDeploy.Emulator/MzDeploy.Emulator.csproj') -c $Configuration `
        -o (Join-Path $Out 'emulator') --nologo -v quiet
}

# Runs the emulator in the foreground for interactive use: the built-in `emulator` profile
# (localhost:6875, user materialize) reaches it. Ctrl+C stops it and its PostgreSQL.
function Invoke-EmulatorTask {
    Invoke-EmulatorBuild
    $data = Join-Path $Out 'emulator-data'
    Write-Step "Starting the emulator on 127.0.0.1:6875 (data: $data; Ctrl+C stops it)"
    & dotnet (Join-Path $Out 'emulator/MzDeploy.Emulator.dll') --data $data --port 6875
}

# The README's first command: a complete blue/green deployment, twice, on a throwaway emulator.
function Invoke-DemoTask {
    Invoke-BuildTask
    Invoke-EmulatorBuild
    Write-Step 'Demo: order-monitoring on the emulator'
    $exitCode = Invoke-ChildPwsh -File (Join-Path $Root 'build/Demo.ps1') -Arguments @(
        '-ModuleManifest', (Join-Path $ModuleDir 'MzDeploy.psd1'), '-EmulatorDll', (Join-Path $Out 'emulator/MzDeploy.Emulator.dll'))
    if ($exitCode -ne 0) { throw "The demo failed (exit code $exitCode)." }
}

# A versioned module folder and a .nupkg that Install-PSResource installs from a file repository:
#   Register-PSResourceRepository -Name local -Uri ./out/package -Trusted; Install-PSResource MzDeploy -Repository local
function Invoke-PackageTask {
    Invoke-BuildTask
    Invoke-EmulatorBuild
    $package = Join-Path $Out 'package'
    Write-Step "Packaging into $package"
    if (Test-Path $package) { Remove-Item $package -Recurse -Force }
    $result = New-MzModulePackage -ModuleFolder $ModuleDir -EmulatorFolder (Join-Path $Out 'emulator') -OutputFolder $package
    Write-Host "Module folder: $($result.Folder)"
    Write-Host "Package:       $($result.Package)"
}

function Invoke-BenchTask {
    Invoke-BuildTask
    Write-Step 'Benchmark: Build-MzProject on 10,000 synthetic objects'
    $null = Invoke-ChildPwsh -File (Join-Path $Root 'build/CompileBenchmark.ps1') -Arguments @('-ModuleManifest', (Join-Path $ModuleDir 'MzDeploy.psd1'))
    Write-Step 'Benchmark: Import-Module MzDeploy and the first command, in fresh pwsh processes'
    $null = Invoke-ChildPwsh -File (Join-Path $Root 'build/ImportBenchmark.ps1') -Arguments @('-ModuleManifest', (Join-Path $ModuleDir 'MzDeploy.psd1'))
    Write-Step 'Benchmark: private sandbox start (Get-MzSandbox -Start after Stop-MzSandbox)'
    $null = Invoke-ChildPwsh -File (Join-Path $Root 'build/SandboxBenchmark.ps1') -Arguments @('-ModuleManifest', (Join-Path $ModuleDir 'MzDeploy.psd1'))
    Write-Step 'Benchmark: Build-MzProject -TypeCheck, about 100 objects in the warm private sandbox (total and per object)'
    $null = Invoke-ChildPwsh -File (Join-Path $Root 'build/TypeCheckBenchmark.ps1') -Arguments @('-ModuleManifest', (Join-Path $ModuleDir 'MzDeploy.psd1'))
    Write-Step 'Benchmark: emulator proxy overhead (10,000 simple queries, proxied vs straight to PostgreSQL)'
    Invoke-DotNet run --project (Join-Path $Root 'bench/MzDeploy.Benchmarks') -c $Configuration -- proxy
    Write-Step 'Benchmark: Test-MzProject, 100 unit tests on the emulator (total and per test)'
    Invoke-DotNet run --project (Join-Path $Root 'bench/MzDeploy.Benchmarks') -c $Configuration -- unit-tests
}

switch ($Task) {
    'build' { Invoke-BuildTask }
    'help' { Invoke-HelpTask }
    'test' { Invoke-TestTask }
    'bench' { Invoke-BenchTask }
    'emulator' { Invoke-EmulatorTask }
    'demo' { Invoke-DemoTask }
    'package' { Invoke-PackageTask }
}
