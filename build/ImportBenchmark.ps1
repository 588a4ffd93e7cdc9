# Import benchmark: how much a session pays for `Import-Module MzDeploy` and for the first command, measured as a
# user meets it: fresh pwsh processes, alternating a bare start with a start that imports the module (and one that
# also runs Build-MzProject on a small project), medians of several runs. Started by `build.ps1 bench`.
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [int] $Runs = 7
)
$ErrorActionPreference = 'Stop'
# A relative path would resolve against the child's folder; a failed import must fail the run, not time an error.
$ModuleManifest = (Resolve-Path -LiteralPath $ModuleManifest).Path
$pwsh = Join-Path $PSHOME 'pwsh.dll'
$project = Join-Path ([IO.Path]::GetTempPath()) "mzdeploy-import-bench-$PID"

function Measure-Start([string] $Command) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & dotnet $pwsh -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; $Command" | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "pwsh failed: $Command" }
    $watch.Elapsed.TotalSeconds
}

try {
    $null = New-Item -ItemType Directory -Path (Join-Path $project 'models/materialize/public') -Force
    Set-Content (Join-Path $project 'project.toml') '# benchmark'
    Set-Content (Join-Path $project 'models/materialize/public/v.sql') 'CREATE VIEW v AS SELECT 1 AS x'
    $cases = [ordered]@{
        bare   = 'exit 0'
        import = "Import-Module '$ModuleManifest'; exit 0"
        first  = "Import-Module '$ModuleManifest'; `$null = Build-MzProject -Path '$project'; exit 0"
    }
    $times = @{}
    foreach ($name in $cases.Keys) { $null = Measure-Start $cases[$name]; $times[$name] = [Collections.Generic.List[double]]::new() }
    foreach ($run in 1..$Runs) {
        foreach ($name in $cases.Keys) { $times[$name].Add((Measure-Start $cases[$name])) }
    }
    $median = @{}
    foreach ($name in $cases.Keys) { $median[$name] = ($times[$name] | Sort-Object)[[int][Math]::Floor($Runs / 2)] }
    $import = $median.import - $median.bare
    $first = $median.first - $median.import
    Write-Host ('bare pwsh start          : {0,6:N3} s (median of {1}, alternating)' -f $median.bare, $Runs)
    Write-Host ('Import-Module MzDeploy   : {0,6:N3} s over a bare start' -f $import)
    Write-Host ('first Build-MzProject    : {0,6:N3} s over the import (one-view project: JIT and first load)' -f $first)
    Write-Host ('target import ≤ 0.2 s: {0}' -f $(if ($import -le 0.2) { 'met' } else { 'NOT met' }))
}
finally {
    Remove-Item $project -Recurse -Force -ErrorAction SilentlyContinue
}
