# Turns docs/help (platyPS markdown) into MAML. Placeholder until the help builder lands.
function Build-MzHelp([string] $SourceFolder, [string] $OutputFolder, [string] $AssemblyFileName) {
    Write-Warning 'Help builder not yet implemented'
}
