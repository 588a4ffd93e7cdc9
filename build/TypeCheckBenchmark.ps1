# Type-check benchmark: what Build-MzProject -TypeCheck costs on a generated project of about 100 objects (four tables,
# views in three layers over them and over an external dependency locked in types.lock, some materialized, a few with
# temporal filters), in the module's private sandbox, warm: the sandbox is started first and its start is not counted
# (the sandbox benchmark reports it). Alternates Build-MzProject with and without -TypeCheck, after one warm-up of
# each, and reports the medians: the check's own time is their difference. Started by `build.ps1 bench`.
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [int] $Views = 96,
    [int] $Runs = 5
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path -LiteralPath $ModuleManifest).Path

function New-TypeCheckProject([string] $Root) {
    $null = New-Item -ItemType Directory -Path (Join-Path $Root 'models/shop/core'), (Join-Path $Root 'models/shop/reports') -Force
    Set-Content (Join-Path $Root 'project.toml') "# type-check benchmark project`ndependencies = [`"raw.public.events`"]"
    # types.lock in mz-deploy's format: the external dependency's columns, as Update-MzTypeLock writes them.
    [IO.File]::WriteAllText((Join-Path $Root 'types.lock'), @'
version = 1

[[table]]
database = "raw"
schema = "public"
name = "events"
columns = [
    { name = "id", type = "bigint", nullable = false },
    { name = "customer_id", type = "bigint", nullable = true },
    { name = "kind", type = "text", nullable = true },
    { name = "at_ms", type = "numeric", nullable = true },
]
'@)
    $tables = @{
        customers = 'id bigint NOT NULL, name text, region text'
        orders    = 'id bigint NOT NULL, customer_id bigint, amount numeric(12,2), created_at timestamp'
        products  = 'id bigint NOT NULL, title text, price numeric(12,2)'
        lines     = 'order_id bigint, product_id bigint, quantity int'
    }
    foreach ($t in $tables.Keys) {
        [IO.File]::WriteAllText((Join-Path $Root "models/shop/core/$t.sql"), "CREATE TABLE $t ($($tables[$t]));`n")
    }
    # Layer 1 reads tables and the external dependency; layer 2 reads layer 1; layer 3 reads layer 2 (dependency order).
    $perLayer = [Math]::Ceiling($Views / 3)
    for ($i = 0; $i -lt $Views; $i++) {
        $layer = [Math]::Floor($i / $perLayer) + 1
        $k = $i % $perLayer
        $sql = switch ($layer) {
            1 {
                switch ($k % 4) {
                    0 { "CREATE VIEW r$i AS`nSELECT c.region, count(*) AS orders, sum(o.amount) AS total`nFROM shop.core.orders AS o JOIN shop.core.customers AS c ON c.id = o.customer_id`nWHERE o.amount > $k`nGROUP BY c.region;`n" }
                    1 { "CREATE MATERIALIZED VIEW r$i IN CLUSTER quickstart AS`nSELECT e.customer_id AS region, count(*) AS orders, sum(e.at_ms) AS total`nFROM raw.public.events AS e`nWHERE e.kind = 'k$k' AND mz_now() <= e.at_ms + 86400000`nGROUP BY e.customer_id;`n" }
                    2 { "CREATE VIEW r$i AS`nSELECT p.title AS region, sum(l.quantity)::bigint AS orders, sum(l.quantity * p.price) AS total`nFROM shop.core.lines AS l JOIN shop.core.products AS p ON p.id = l.product_id`nGROUP BY p.title;`n" }
                    3 { "CREATE VIEW r$i AS`nSELECT c.region, count(e.id) AS orders, coalesce(sum(o.amount), 0) AS total`nFROM shop.core.customers AS c`nLEFT JOIN shop.core.orders AS o ON o.customer_id = c.id`nLEFT JOIN raw.public.events AS e ON e.customer_id = c.id`nGROUP BY c.region;`n" }
                }
            }
            default {
                $a = ($layer - 2) * $perLayer + $k
                $b = ($layer - 2) * $perLayer + (($k + 1) % $perLayer)
                "CREATE VIEW r$i AS`nSELECT a.region::text AS region, a.orders + coalesce(b.orders, 0) AS orders,`n       a.total - coalesce(b.total, 0) AS total`nFROM r$a AS a LEFT JOIN r$b AS b ON a.region::text = b.region::text`nWHERE a.orders > 0;`n"
            }
        }
        [IO.File]::WriteAllText((Join-Path $Root "models/shop/reports/r$i.sql"), $sql)
    }
}

$root = Join-Path ([IO.Path]::GetTempPath()) "mzdeploy-typecheck-bench-$PID"
try {
    New-TypeCheckProject $root
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $null = Get-MzSandbox -Start
    $start = $watch.Elapsed.TotalSeconds

    $checked = Build-MzProject -Path $root -TypeCheck -WarningVariable skipped -WarningAction SilentlyContinue
    $objects = @($checked.Objects).Count
    if (@($checked.Errors).Count -gt 0 -or @($skipped).Count -gt 0) {
        throw "the benchmark project must type-check cleanly: $(@($checked.Errors) + @($skipped) | Out-String)"
    }
    if (@($checked.Objects | Where-Object { @($_.Columns).Count -eq 0 }).Count -gt 0) { throw 'an object came back without columns' }
    $null = Build-MzProject -Path $root

    $with = @(); $without = @()
    foreach ($run in 1..$Runs) {
        $watch.Restart(); $null = Build-MzProject -Path $root -TypeCheck; $with += $watch.Elapsed.TotalMilliseconds
        $watch.Restart(); $null = Build-MzProject -Path $root; $without += $watch.Elapsed.TotalMilliseconds
    }
    $median = { param($values) ($values | Sort-Object)[[int][Math]::Floor($values.Count / 2)] }
    $total = & $median $with
    $compile = & $median $without
    $check = $total - $compile
    Write-Host "$objects objects ($Views views in 3 layers over 4 tables and 1 external dependency from types.lock), private sandbox, warm (its start, $('{0:N2}' -f $start) s, not counted)"
    Write-Host ('Build-MzProject -TypeCheck : {0,8:N0} ms (median of {1}; min {2:N0} ms, max {3:N0} ms)' -f $total, $Runs, ($with | Measure-Object -Minimum).Minimum, ($with | Measure-Object -Maximum).Maximum)
    Write-Host ('Build-MzProject alone      : {0,8:N0} ms (median)' -f $compile)
    Write-Host ('type check, total         : {0,8:N0} ms; per object {1:N1} ms' -f $check, ($check / $objects))
}
finally {
    Stop-MzSandbox
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}
