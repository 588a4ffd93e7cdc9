# The invariant every promote test checks: a promote changes only what its plan names.
# Dot-sourced by TestHelpers.ps1. Enable-PromoteInvariant (in a test file's BeforeAll, after the emulator started)
# shadows Publish-MzDeployment with a proxy function that, around every real call, snapshots every catalog object
# (id, kind, full name, cluster, definition) and every schema and cluster, asks the module for the plan
# (-DryRun) of each deployment it promotes, and fails when anything outside that plan changed. A refused promote
# (no plan) may change nothing at all outside the tracking database.

# Every user schema, cluster and catalog object, one line each: id|kind|name|cluster|md5 of the definition.
function Get-CatalogSnapshot {
    param([Parameter(Mandatory)] [int] $Port)
    $sql = "SELECT o.id || '|' || o.type || '|' || d.name || '.' || s.name || '.' || o.name || '|' || coalesce(c.name, '') || '|' || " +
        "md5(coalesce(v.definition, m.definition, ix.create_sql, k.create_sql, src.create_sql, t.create_sql, '')) " +
        'FROM mz_catalog.mz_objects o JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id ' +
        'JOIN mz_catalog.mz_databases d ON d.id = s.database_id LEFT JOIN mz_catalog.mz_clusters c ON c.id = o.cluster_id ' +
        'LEFT JOIN mz_catalog.mz_views v ON v.id = o.id LEFT JOIN mz_catalog.mz_materialized_views m ON m.id = o.id ' +
        'LEFT JOIN mz_catalog.mz_indexes ix ON ix.id = o.id LEFT JOIN mz_catalog.mz_sinks k ON k.id = o.id ' +
        'LEFT JOIN mz_catalog.mz_sources src ON src.id = o.id LEFT JOIN mz_catalog.mz_tables t ON t.id = o.id ' +
        "UNION ALL SELECT s.id || '|schema|' || d.name || '.' || s.name || '||' FROM mz_catalog.mz_schemas s " +
        'JOIN mz_catalog.mz_databases d ON d.id = s.database_id ' +
        "UNION ALL SELECT id || '|cluster|' || name || '||' FROM mz_catalog.mz_clusters WHERE id LIKE 'u%'"
    $snapshot = @{}
    foreach ($line in @(Invoke-MzEmulatorSql -Port $Port -Sql $sql)) {
        $id, $kind, $name, $cluster, $definition = "$line".Split('|')
        $snapshot[$id] = [pscustomobject]@{ Id = $id; Kind = $kind; Name = $name; Cluster = $cluster; Definition = $definition }
    }
    $snapshot
}

# What a promote plan names: schemas (db.schema), clusters and objects (db.schema.name), from MzPromotePlan values.
function Get-PlannedScope {
    param([object[]] $Plans)
    $scope = [pscustomobject]@{
        Schemas  = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
        Clusters = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
        Objects  = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
    }
    foreach ($plan in $Plans) {
        foreach ($pair in $plan.Schemas) { $null = $scope.Schemas.Add($pair.Production); $null = $scope.Schemas.Add($pair.Staging) }
        foreach ($pair in $plan.Clusters) { $null = $scope.Clusters.Add($pair.Production); $null = $scope.Clusters.Add($pair.Staging) }
        foreach ($resource in $plan.DroppedResources) {
            $kind, $name = $resource -split ' ', 2
            if ($kind -eq 'schema') { $null = $scope.Schemas.Add($name) } else { $null = $scope.Clusters.Add($name) }
        }
        foreach ($sink in @($plan.Sinks) + @($plan.RepointedSinks | ForEach-Object { ($_ -split ' -> ')[0] })) {
            if (-not $sink) { continue }
            $null = $scope.Objects.Add($sink)
            $null = $scope.Schemas.Add($sink.Substring(0, $sink.LastIndexOf('.')))  # a sink-only schema is created for it
        }
        foreach ($mv in $plan.ReplacedMaterializedViews) { $null = $scope.Objects.Add($mv) }
        foreach ($dropped in $plan.DroppedUnmanagedObjects) { $null = $scope.Objects.Add(($dropped -split ' ')[1]) }
    }
    $scope
}

# The changes between two snapshots that the scope does not name (empty when the invariant holds).
function Find-UnplannedChanges {
    param([Parameter(Mandatory)] [hashtable] $Before, [Parameter(Mandatory)] [hashtable] $After, [Parameter(Mandatory)] $Scope)
    $inScope = {
        param($row)
        if ($row.Name -like '_mz_deploy.*' -or $row.Name -eq '_mz_deploy') { return $true }  # tracking rows and promote markers
        switch ($row.Kind) {
            'schema' { return $Scope.Schemas.Contains($row.Name) }
            'cluster' { return $Scope.Clusters.Contains($row.Name) }
        }
        $schema = $row.Name.Substring(0, $row.Name.LastIndexOf('.'))
        $Scope.Schemas.Contains($schema) -or $Scope.Objects.Contains($row.Name) -or ($row.Cluster -and $Scope.Clusters.Contains($row.Cluster))
    }
    foreach ($id in @(@($Before.Keys) + @($After.Keys) | Sort-Object -Unique)) {
        $old = $Before[$id]; $new = $After[$id]
        if ($old -and $new -and $old.Name -eq $new.Name -and $old.Cluster -eq $new.Cluster -and $old.Definition -eq $new.Definition) { continue }
        if (($old -and -not (& $inScope $old)) -or ($new -and -not (& $inScope $new))) {
            $what = if (-not $new) { 'dropped' } elseif (-not $old) { 'created' } else { 'changed' }
            $row = if ($old) { $old } else { $new }
            "$($row.Kind) $($row.Name) ($id) was $what$(if ($old -and $new -and $old.Name -ne $new.Name) { " to $($new.Name)" })"
        }
    }
}

# Shadows Publish-MzDeployment in the calling test file with the checking proxy. Its parameters are the cmdlet's own
# (copied from its metadata), so every call site and pipeline works unchanged.
function Enable-PromoteInvariant {
    param([Parameter(Mandatory)] $Emulator)
    $global:PromoteInvariantPort = $Emulator.Port
    $global:PromoteInvariantViolations = [System.Collections.Generic.List[string]]::new()
    $metadata = [System.Management.Automation.CommandMetadata]::new((Get-Command MzDeploy\Publish-MzDeployment -CommandType Cmdlet))
    $binding = [System.Management.Automation.ProxyCommand]::GetCmdletBindingAttribute($metadata)
    $params = [System.Management.Automation.ProxyCommand]::GetParamBlock($metadata)
    $body = @"
$binding
param($params)
begin { `$before = Get-CatalogSnapshot -Port `$global:PromoteInvariantPort; `$plans = [System.Collections.Generic.List[object]]::new() }
process {
    `$arguments = @{} + `$PSBoundParameters
    # The proxy's own -ErrorVariable/-WarningVariable/… already collect what the cmdlet writes: passing them on too would collect it twice.
    foreach (`$name in 'ErrorVariable', 'WarningVariable', 'OutVariable', 'InformationVariable') { `$null = `$arguments.Remove(`$name) }
    if (-not `$DryRun -and -not `$WhatIfPreference -and -not `$arguments.ContainsKey('WhatIf')) {
        foreach (`$id in `$DeployId) {
            `$planArguments = @{} + `$arguments
            foreach (`$name in 'DeployId', 'Confirm', 'ErrorVariable', 'WarningVariable', 'OutVariable', 'InformationVariable', 'ErrorAction', 'WarningAction', 'Verbose') { `$null = `$planArguments.Remove(`$name) }
            `$plans.AddRange(@(MzDeploy\Publish-MzDeployment @planArguments -DeployId `$id -DryRun -ErrorAction Ignore -WarningAction Ignore -InformationAction Ignore))
        }
    }
    MzDeploy\Publish-MzDeployment @arguments
}
end {
    `$after = Get-CatalogSnapshot -Port `$global:PromoteInvariantPort
    `$unplanned = @(Find-UnplannedChanges -Before `$before -After `$after -Scope (Get-PlannedScope -Plans `$plans))
    if (`$unplanned.Count -gt 0) {
        `$message = 'A promote changed what its plan does not name: ' + (`$unplanned -join '; ')
        `$global:PromoteInvariantViolations.Add(`$message)
        throw `$message
    }
}
"@
    # Global, so it shadows the cmdlet for every test of the file (Pester runs blocks in scopes of their own);
    # Disable-PromoteInvariant in AfterAll removes it before the next file.
    Set-Item -Path function:global:Publish-MzDeployment -Value ([scriptblock]::Create($body))
}

function Disable-PromoteInvariant {
    # Remove-Item does not take a scope in the path (function:global:X removes nothing): the global function is
    # the one Get-Item function:X finds from here when no closer scope defines one.
    while (Get-Command Publish-MzDeployment -CommandType Function -ErrorAction Ignore) {
        Remove-Item -Path function:Publish-MzDeployment
    }
}

# For an AfterAll or AfterEach: every violation any promote of the file recorded, even one a test swallowed.
function Get-PromoteInvariantViolations { @($global:PromoteInvariantViolations) }
