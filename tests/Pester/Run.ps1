# Runs the Pester suite against the built module. Started by build.ps1 in a child pwsh.
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $ResultsFolder,
    [Parameter(Mandatory)] [string] $SummaryPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force

# The test files import the module from here; they never guess where it was built.
$env:MZDEPLOY_MODULE = $ModuleManifest
# Should the suite itself run in GitHub Actions or Azure Pipelines, the broken projects it compiles must not become
# annotations and summaries of that run (CiOutput.Tests.ps1 gives its own child processes the CI variables it tests).
$env:MZ_DEPLOY_CI_OUTPUT = '0'

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'JUnitXml'
$config.TestResult.OutputPath = Join-Path $ResultsFolder 'pester.xml'
$result = Invoke-Pester -Configuration $config

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
$failedTests = @($result.Failed | ForEach-Object { "$($_.ExpandedPath): $("$($_.ErrorRecord | Select-Object -First 1)".Trim() -split "`n" | Select-Object -First 1)" })
$failedTests += @($result.FailedBlocks + $result.FailedContainers | ForEach-Object { "$($_.Name ?? $_.Item): failed before its tests ran" })
@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount; FailedTests = $failedTests } |
    ConvertTo-Json | Set-Content -Path $SummaryPath
exit $failed
