# Sandbox benchmark: what a session pays the first time a command needs the private sandbox. Measured in the session
# that imported the module, as a user meets it: Get-MzSandbox -Start after Stop-MzSandbox, median of several runs, with
# the per-user template in place (every start but a machine's first); and once with an empty template cache (the first
# start on a machine, which makes the template). Started by `build.ps1 bench`.
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [int] $Runs = 5
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path -LiteralPath $ModuleManifest).Path

function Measure-Start {
    Stop-MzSandbox
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $null = Get-MzSandbox -Start
    $watch.Elapsed.TotalSeconds
}

# The first start on a machine: the template cache lives under the temp folder, so a fresh temp folder has none.
$previousTemp = $env:TMPDIR
$temp = Join-Path ([IO.Path]::GetTempPath()) "mzdeploy-sandbox-bench-$PID"
$null = New-Item -ItemType Directory -Path $temp -Force
try {
    $env:TMPDIR = $temp
    $first = Measure-Start
    Stop-MzSandbox
}
finally {
    $env:TMPDIR = $previousTemp
    Remove-Item $temp -Recurse -Force -ErrorAction SilentlyContinue
}

$null = Measure-Start  # makes the machine's template when it has none yet
$times = foreach ($run in 1..$Runs) { Measure-Start }
Stop-MzSandbox
$sorted = $times | Sort-Object
Write-Host ('private sandbox start    : {0,6:N2} s (median of {1}; min {2:N2} s, max {3:N2} s; template in place)' -f $sorted[[int][Math]::Floor($Runs / 2)], $Runs, $sorted[0], $sorted[-1])
Write-Host ('first start on a machine : {0,6:N2} s (makes the template: initdb and the emulator bootstrap, once)' -f $first)
