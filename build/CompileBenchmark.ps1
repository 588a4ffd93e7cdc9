# Compile benchmark: generates a synthetic project of 10,000 objects (50 schemas; chains inside each
# schema and fan-in across schemas) and times Build-MzProject end to end against only reading the
# same files, in the same process. Started by `build.ps1 bench` in a child pwsh.
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [int] $Schemas = 50,
    [int] $ObjectsPerSchema = 200,
    [int] $Runs = 9
)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest -Force

function New-SyntheticProject([string] $Root) {
    $null = New-Item -ItemType Directory -Path $Root -Force
    Set-Content (Join-Path $Root 'project.toml') '# synthetic benchmark project'
    $null = New-Item -ItemType Directory (Join-Path $Root 'models/bench/raw') -Force
    # Schema s00 holds the tables (storage and compute may not share a schema).
    for ($i = 0; $i -lt $ObjectsPerSchema; $i++) {
        [IO.File]::WriteAllText((Join-Path $Root "models/bench/raw/t$i.sql"),
            "CREATE TABLE t$i (id bigint, val numeric, note text, created_at timestamp);`n")
    }
    for ($s = 1; $s -lt $Schemas; $s++) {
        $schema = 's{0:D2}' -f $s
        $previous = if ($s -eq 1) { 'raw' } else { 's{0:D2}' -f ($s - 1) }
        $folder = Join-Path $Root "models/bench/$schema"
        $null = New-Item -ItemType Directory $folder -Force
        for ($i = 0; $i -lt $ObjectsPerSchema; $i++) {
            $upstream = if ($s -eq 1) { "bench.raw.t$i" } else { "$previous.v$i" }
            $chain = if ($i -gt 0) { "v$($i - 1)" } else { $upstream }
            if ($i % 20 -eq 19) {
                # Fan-in: five upstream objects feed one.
                $parts = (0..4 | ForEach-Object {
                        $src = if ($s -eq 1) { "bench.raw.t$(($i - $_))" } else { "$previous.v$(($i - $_))" }
                        "SELECT id, val FROM $src WHERE val IS NOT NULL"
                    }) -join "`n  UNION ALL`n  "
                $sql = "-- fan-in of five upstream objects`nCREATE VIEW v$i AS`nWITH combined AS (`n  $parts`n)`nSELECT id, sum(val) AS val FROM combined GROUP BY id;`n"
            }
            elseif ($i % 10 -eq 0) {
                $sql = "CREATE MATERIALIZED VIEW v$i IN CLUSTER c$($s % 5) AS`nSELECT a.id, a.val * 2 AS val, 'x''y' AS tag`nFROM $upstream AS a`nJOIN $chain AS b ON a.id = b.id`nWHERE mz_now() <= a.id::numeric + 1000 AND a.val > 0.5;`n"
            }
            else {
                $sql = "CREATE VIEW v$i AS`nSELECT a.id, a.val + 1 AS val`nFROM $chain AS a`nWHERE a.id IN (SELECT id FROM $upstream WHERE val > 0)`n  AND a.val BETWEEN 0 AND 100; -- trailing comment`n"
            }
            [IO.File]::WriteAllText((Join-Path $folder "v$i.sql"), $sql)
        }
    }
}

# Runs the two actions in alternation (after one warm-up each), so a change in machine load hits
# both alike, and returns the median time of each.
function Measure-Alternating([scriptblock] $First, [scriptblock] $Second) {
    & $First | Out-Null
    & $Second | Out-Null
    $a = [System.Collections.Generic.List[double]]::new()
    $b = [System.Collections.Generic.List[double]]::new()
    foreach ($run in 1..$Runs) {
        $watch = [Diagnostics.Stopwatch]::StartNew(); & $First | Out-Null; $a.Add($watch.Elapsed.TotalMilliseconds)
        $watch = [Diagnostics.Stopwatch]::StartNew(); & $Second | Out-Null; $b.Add($watch.Elapsed.TotalMilliseconds)
    }
    $middle = [int][Math]::Floor($Runs / 2)
    return @((($a | Sort-Object)[$middle]), (($b | Sort-Object)[$middle]))
}

$root = Join-Path ([IO.Path]::GetTempPath()) "mzdeploy-bench-$PID"
try {
    New-SyntheticProject $root
    $files = [IO.Directory]::GetFiles($root, '*.sql', [IO.SearchOption]::AllDirectories)
    Write-Host "Generated $($files.Count) objects in $($Schemas) schemas under $root"

    $readOnly, $compile = Measure-Alternating `
        { foreach ($f in [IO.Directory]::GetFiles($root, '*.sql', [IO.SearchOption]::AllDirectories)) { $null = [IO.File]::ReadAllText($f) } } `
        { $null = Build-MzProject -Path $root }
    $project = Build-MzProject -Path $root
    if ($project.Objects.Count -ne $files.Count) { throw "Compiled $($project.Objects.Count) objects, expected $($files.Count)" }

    $ratio = $compile / [Math]::Max($readOnly, 0.001)
    Write-Host ('read only      : {0,8:N1} ms (median of {1} warm runs, alternating)' -f $readOnly, $Runs)
    Write-Host ('Build-MzProject: {0,8:N1} ms (median of {1} warm runs, alternating)' -f $compile, $Runs)
    Write-Host ('ratio          : {0,8:N2}x' -f $ratio)
    $met = ($compile -le 2000) -and ($ratio -le 5)
    Write-Host ("target ≤ 2000 ms and ≤ 5x read-only: {0}" -f ($(if ($met) { 'met' } else { 'NOT met' })))
}
finally {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}
