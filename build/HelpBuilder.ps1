# Turns docs/help (platyPS v1 markdown) into the help files PowerShell reads:
#   <Verb-Noun>.md   -> one MAML file <AssemblyFileName>-Help.xml holding every cmdlet
#   about_<Topic>.md -> about_<Topic>.help.txt (plain text, the classic about-topic layout)
#
# platyPS is not obtainable here (reference/toolchain-spike.md §6), so this is our own small converter
# for the subset of platyPS v1 markdown we write. It is strict on purpose: a malformed page fails the
# build with file:line, because Get-Help silently shows less (or falls back to auto-generated help)
# when the MAML is incomplete, and nobody notices until a user does.
#
# Dot-sourced by build.ps1 and by tests/Pester/HelpBuilder.Tests.ps1. Entry point: Build-MzHelp.
# Structure, one file each under build/help: read (Markdown.ps1: markdown -> tokens -> sections),
# interpret (CommandModel.ps1: sections -> command model), write (MamlWriter.ps1, AboutTopic.ps1).

foreach ($part in 'Markdown', 'CommandModel', 'MamlWriter', 'AboutTopic') {
    . (Join-Path $PSScriptRoot "help/$part.ps1")
}

# --- Entry point -------------------------------------------------------------------------------------

function Build-MzHelp {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $SourceFolder,
        [Parameter(Mandatory)] [string] $OutputFolder,
        [Parameter(Mandatory)] [string] $AssemblyFileName
    )
    if (-not (Test-Path -LiteralPath $SourceFolder -PathType Container)) {
        throw "Help source folder not found: $SourceFolder"
    }
    $helpFileName = "$AssemblyFileName-Help.xml"
    $files = @(Get-ChildItem -LiteralPath $SourceFolder -Filter '*.md' -File | Sort-Object Name)
    $commandFiles = @($files | Where-Object Name -NotLike 'about_*')
    $aboutFiles = @($files | Where-Object Name -Like 'about_*')

    # Read every page before writing anything, so one run reports every broken page and a failed
    # build never leaves a half-written help file behind.
    $problems = [System.Collections.Generic.List[string]]::new()
    $commands = [System.Collections.Generic.List[object]]::new()
    $abouts = [System.Collections.Generic.List[object]]::new()
    foreach ($file in $commandFiles) {
        try { $commands.Add((Read-MzCommandHelp -Path $file.FullName -HelpFileName $helpFileName)) }
        catch [System.IO.InvalidDataException] { $problems.Add($_.Exception.Message) }
    }
    foreach ($file in $aboutFiles) {
        try { $abouts.Add((Read-MzAboutHelp -Path $file.FullName)) }
        catch [System.IO.InvalidDataException] { $problems.Add($_.Exception.Message) }
    }
    if ($problems.Count -gt 0) {
        throw "Help build failed, $($problems.Count) malformed page(s):`n  " + ($problems -join "`n  ")
    }

    $null = New-Item -ItemType Directory -Path $OutputFolder -Force
    if ($commands.Count -gt 0) {
        $mamlPath = Join-Path $OutputFolder $helpFileName
        Write-MzMaml -Commands $commands -Path $mamlPath
        Write-Verbose "Wrote $mamlPath ($($commands.Count) cmdlet(s))"
    }
    foreach ($about in $abouts) {
        $aboutPath = Join-Path $OutputFolder "$($about.Name).help.txt"
        $text = Format-MzAboutText -About $about
        [System.IO.File]::WriteAllText($aboutPath, $text, [System.Text.UTF8Encoding]::new($false))
        Write-Verbose "Wrote $aboutPath"
    }
}
