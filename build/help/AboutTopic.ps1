# about_<Topic>.md -> about_<Topic>.help.txt in the classic about-topic layout.
# Part of the help builder (build/HelpBuilder.ps1 dot-sources it).

# --- About topics ----------------------------------------------------------------------------------------

function Read-MzAboutHelp([string] $Path) {
    $outline = Get-MzOutline (Read-MzMarkdown $Path)
    $fileStem = [System.IO.Path]::GetFileNameWithoutExtension($Path)
    if ($outline.Title -ne $fileStem) { throw (New-MzHelpError $Path $outline.TitleLine "title '# $($outline.Title)' does not match the file name '$fileStem'") }
    foreach ($required in 'SHORT DESCRIPTION', 'LONG DESCRIPTION') {
        $section = Get-MzSection $outline $required -Required
        if (-not (Test-MzHasText @(Get-MzSectionTokens $section))) { throw (New-MzHelpError $Path $section.Line "section '## $required' is empty") }
    }
    foreach ($section in $outline.Sections) { $null = Get-MzSection $outline $section.Name }  # reports duplicates
    [pscustomobject]@{
        Name     = $outline.Title
        Sections = @(foreach ($section in $outline.Sections) {
                [pscustomobject]@{
                    Name   = $section.Name
                    Blocks = @(ConvertTo-MzBlocks @(Get-MzSectionTokens $section))
                }
            })
    }
}

# The classic about-topic layout that Get-Help prints as is (compare $PSHOME/en-US/default.help.txt):
# section titles in capitals at column 0, subsection titles in capitals at column 2, text at column 4
# wrapped to 80 columns, code at column 8 and never wrapped.
function Format-MzAboutText($About) {
    $out = [System.Text.StringBuilder]::new()
    $null = $out.Append("TOPIC`n    $($About.Name)`n")
    foreach ($section in $About.Sections) {
        $null = $out.Append("`n$($section.Name)`n")
        # Get-Help takes an about topic's synopsis from the single line after SHORT DESCRIPTION,
        # so that section is never wrapped.
        $width = if ($section.Name -eq 'SHORT DESCRIPTION') { [int]::MaxValue } else { 80 }
        $first = $true
        foreach ($block in $section.Blocks) {
            if (-not $first) { $null = $out.Append("`n") }
            $first = $false
            switch ($block.Kind) {
                'Heading' { $null = $out.Append("  $($block.Text.ToUpperInvariant())`n") ; $first = $true }
                'Code' { foreach ($line in $block.Lines) { $null = $out.Append(("        $line").TrimEnd() + "`n") } }
                'Table' { foreach ($line in $block.Lines) { $null = $out.Append("    $line`n") } }
                'List' {
                    foreach ($item in $block.Lines) {
                        $marker = ($item -split ' ', 2)[0]
                        $hanging = ' ' * (4 + $marker.Length + 1)
                        foreach ($line in (Get-MzWrappedLines $item $width '    ' $hanging)) { $null = $out.Append("$line`n") }
                    }
                }
                default { foreach ($line in (Get-MzWrappedLines $block.Text $width '    ' '    ')) { $null = $out.Append("$line`n") } }
            }
        }
    }
    $out.ToString()
}

# Greedy word wrap; a word longer than the line (a URL) gets a line of its own instead of being cut.
function Get-MzWrappedLines([string] $Text, [int] $Width, [string] $FirstIndent, [string] $Indent) {
    $line = $FirstIndent
    $empty = $true
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if (-not $empty -and ($line.Length + 1 + $word.Length) -gt $Width) {
            $line
            $line = $Indent + $word
        }
        elseif ($empty) { $line += $word }
        else { $line += " $word" }
        $empty = $false
    }
    if (-not $empty) { $line }
}
