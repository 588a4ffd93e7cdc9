# Run in a fresh pwsh by Isolation.Tests.ps1: another Npgsql (8.0.5, standing in for a module the user loaded
# first) and MzDeploy's own (10.x, in the module's private load context) in one session. -OtherFirst loads the other
# Npgsql before importing MzDeploy; otherwise MzDeploy is imported and stages first and the other Npgsql arrives
# between stage and promote. Both must query the emulator, and a full stage → wait → promote must work.
# Writes one JSON object: the versions each side used and the promotion.
param(
    [Parameter(Mandatory)] [string] $OtherNpgsql,
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [int] $Port,
    [Parameter(Mandatory)] [string] $Work,
    [switch] $OtherFirst
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
. (Join-Path $PSScriptRoot '../../../build/Emulator.ps1')

function Import-OtherNpgsql {
    Add-Type -Path (Join-Path $OtherNpgsql 'Microsoft.Extensions.Logging.Abstractions.dll')
    Add-Type -Path (Join-Path $OtherNpgsql 'Npgsql.dll')
}

# A query through the session's (other) Npgsql: what another module would do.
function Get-OtherAnswer {
    $connection = [Npgsql.NpgsqlConnection]::new("Host=127.0.0.1;Port=$Port;Username=materialize;Database=materialize;SSL Mode=Disable;Server Compatibility Mode=NoTypeLoading")
    try {
        $connection.Open()
        $command = $connection.CreateCommand()
        $command.CommandText = 'SELECT 41 + 1'
        [string]$command.ExecuteScalar()
    }
    finally { $connection.Dispose() }
}

$answers = [System.Collections.Generic.List[string]]::new()
if ($OtherFirst) {
    Import-OtherNpgsql
    $answers.Add((Get-OtherAnswer))
}

Import-Module $ModuleManifest
$project = (New-MzProject -Name shop -Path $Work).FullName
Set-Location $project
$null = Initialize-MzDeploy
Initialize-MzExampleProduction -Path $project
$deployment = Invoke-MzStage
$null = $deployment | Wait-MzDeployment -Timeout 120

if (-not $OtherFirst) {
    Import-OtherNpgsql
    $answers.Add((Get-OtherAnswer))
}
$promotion = $deployment | Publish-MzDeployment -Force
$answers.Add((Get-OtherAnswer))

$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Npgsql' } | ForEach-Object {
    '{0} in {1}' -f $_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name
}
[pscustomobject]@{
    DeployId       = $deployment.DeployId
    PromotedId     = $promotion.DeployId
    SwappedSchemas = @($promotion.SwappedSchemas)
    OtherAnswers   = @($answers)
    Npgsql         = @($loaded | Sort-Object)
} | ConvertTo-Json -Compress
