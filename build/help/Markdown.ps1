# Reading platyPS markdown: pages -> front matter and tokens -> sections; text -> paragraphs.
# Part of the help builder (build/HelpBuilder.ps1 dot-sources it).

# --- Reading markdown ----------------------------------------------------------------------------------

# Every problem goes through here so the message always starts with file:line, the form editors and
# CI logs turn into links.
function New-MzHelpError([string] $Path, [int] $Line, [string] $Message) {
    [System.IO.InvalidDataException]::new("${Path}:${Line}: $Message")
}

# Splits a page into front matter and a flat token list: Heading, Fence (a whole fenced block), Text
# and Blank. Fences are recognised first so that `# comment` lines inside code never look like headings.
function Read-MzMarkdown([string] $Path) {
    $lines = (Get-Content -LiteralPath $Path -Raw -Encoding utf8) -split '\r?\n'
    $frontMatter = [ordered]@{}
    $frontMatterLines = @{}
    $tokens = [System.Collections.Generic.List[object]]::new()
    $i = 0

    if ($lines.Count -gt 0 -and $lines[0] -eq '---') {
        $i = 1
        while ($i -lt $lines.Count -and $lines[$i] -ne '---') {
            if ($lines[$i] -match '^\s*([^:#][^:]*):\s*(.*)$') {
                $frontMatter[$Matches[1].Trim()] = $Matches[2].Trim()
                $frontMatterLines[$Matches[1].Trim()] = $i + 1
            }
            elseif ($lines[$i].Trim() -and $lines[$i].Trim()[0] -ne '#') { throw (New-MzHelpError $Path ($i + 1) "front matter line is not 'key: value': $($lines[$i])") }
            $i++
        }
        if ($i -ge $lines.Count) { throw (New-MzHelpError $Path 1 "front matter opened with '---' is never closed") }
        $i++
    }

    while ($i -lt $lines.Count) {
        $text = $lines[$i]
        $lineNumber = $i + 1
        if ($text -match '^\s*(```+|~~~+)\s*([\w-]*)\s*$') {
            $marker = $Matches[1]
            $language = $Matches[2].ToLowerInvariant()
            $body = [System.Collections.Generic.List[string]]::new()
            $i++
            while ($i -lt $lines.Count -and $lines[$i].Trim() -ne $marker) { $body.Add($lines[$i]); $i++ }
            if ($i -ge $lines.Count) { throw (New-MzHelpError $Path $lineNumber "code fence '$marker' is never closed") }
            $tokens.Add([pscustomobject]@{ Kind = 'Fence'; Line = $lineNumber; Language = $language; Lines = $body.ToArray(); Text = $null; Level = 0 })
        }
        elseif ($text -match '^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$') {
            $tokens.Add([pscustomobject]@{ Kind = 'Heading'; Line = $lineNumber; Level = $Matches[1].Length; Text = $Matches[2]; Language = $null; Lines = $null })
        }
        elseif ($text.Trim() -eq '') {
            $tokens.Add([pscustomobject]@{ Kind = 'Blank'; Line = $lineNumber; Level = 0; Text = ''; Language = $null; Lines = $null })
        }
        else {
            $tokens.Add([pscustomobject]@{ Kind = 'Text'; Line = $lineNumber; Level = 0; Text = $text; Language = $null; Lines = $null })
        }
        $i++
    }
    [pscustomobject]@{ Path = $Path; FrontMatter = $frontMatter; FrontMatterLines = $frontMatterLines; Tokens = $tokens.ToArray() }
}

# Groups tokens into the page outline: the H1 title, its `##` sections, and each section's `###`
# subsections. Deeper headings stay inside their subsection's content.
function Get-MzOutline($Document) {
    $path = $Document.Path
    $title = $null
    $sections = [System.Collections.Generic.List[object]]::new()
    $section = $null
    $subsection = $null
    foreach ($token in $Document.Tokens) {
        if ($token.Kind -eq 'Heading' -and $token.Level -eq 1) {
            if ($title) { throw (New-MzHelpError $path $token.Line "second '# ' title: $($token.Text)") }
            $title = $token
            continue
        }
        if ($token.Kind -eq 'Heading' -and $token.Level -eq 2) {
            if (-not $title) { throw (New-MzHelpError $path $token.Line "section '## $($token.Text)' comes before the '# Name' title") }
            $section = [pscustomobject]@{ Name = $token.Text.ToUpperInvariant(); Line = $token.Line; Content = [System.Collections.Generic.List[object]]::new(); Subsections = [System.Collections.Generic.List[object]]::new() }
            $sections.Add($section)
            $subsection = $null
            continue
        }
        if ($token.Kind -eq 'Heading' -and $token.Level -eq 3 -and $section) {
            $subsection = [pscustomobject]@{ Name = $token.Text; Line = $token.Line; Content = [System.Collections.Generic.List[object]]::new() }
            $section.Subsections.Add($subsection)
            continue
        }
        if ($subsection) { $subsection.Content.Add($token) }
        elseif ($section) { $section.Content.Add($token) }
        elseif ($token.Kind -ne 'Blank') {
            throw (New-MzHelpError $path $token.Line 'text before the first section (expected "# Name", then "## SYNOPSIS")')
        }
    }
    if (-not $title) { throw (New-MzHelpError $path 1 "no '# Name' title") }
    [pscustomobject]@{ Path = $path; Title = $title.Text; TitleLine = $title.Line; Sections = $sections.ToArray() }
}

# Looks up a `##` section; a missing required section is reported at the title line.
function Get-MzSection($Outline, [string] $Name, [switch] $Required) {
    $found = @($Outline.Sections | Where-Object Name -EQ $Name)
    if ($found.Count -gt 1) { throw (New-MzHelpError $Outline.Path $found[1].Line "section '## $Name' appears twice") }
    if ($found.Count -eq 0) {
        if ($Required) { throw (New-MzHelpError $Outline.Path $Outline.TitleLine "missing section '## $Name'") }
        return $null
    }
    $found[0]
}

function Assert-MzKnownSections($Outline, [string[]] $Known) {
    foreach ($section in $Outline.Sections) {
        if ($section.Name -notin $Known) {
            throw (New-MzHelpError $Outline.Path $section.Line "unknown section '## $($section.Name)' (expected one of: $($Known -join ', '))")
        }
    }
}

# --- Markdown text -> paragraphs -----------------------------------------------------------------------

# Console help has no markup: keep `code` backticks (they still read as code), turn links into
# "text (url)" and drop emphasis markers.
function ConvertFrom-MzInlineMarkdown([string] $Text) {
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\(([^)\s]+)\)', {
            param($m)
            if ($m.Groups[2].Value -match '^[a-z]+://') { "$($m.Groups[1].Value) ($($m.Groups[2].Value))" } else { $m.Groups[1].Value }
        })
    $Text = $Text -replace '\*\*(.+?)\*\*', '$1' -replace '(?<![\w`])__(.+?)__(?![\w`])', '$1'
    $Text
}

# Turns section content into paragraph blocks. A block is a paragraph (soft-wrapped lines joined),
# a list (one item per line), a table or a code fence (both kept verbatim), or a heading.
# Kind tells the about-topic writer how to lay a block out; MAML takes only the text.
function ConvertTo-MzBlocks([object[]] $Tokens) {
    $listItem = '^\s*([-*+]|\d+[.)])\s+(.*)$'
    $blocks = [System.Collections.Generic.List[object]]::new()
    $current = $null
    # Dot-sourced, so it updates this function's $current.
    $flush = {
        if ($current) { $blocks.Add($current) }
        $current = $null
    }
    foreach ($token in $Tokens) {
        if ($token.Kind -eq 'Blank') { . $flush }
        elseif ($token.Kind -eq 'Fence') {
            . $flush
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Lines = @($token.Lines); Line = $token.Line })
        }
        elseif ($token.Kind -eq 'Heading') {
            . $flush
            $blocks.Add([pscustomobject]@{ Kind = 'Heading'; Lines = @(ConvertFrom-MzInlineMarkdown $token.Text); Line = $token.Line })
        }
        elseif ($current -and $current.Kind -eq 'List' -and $token.Text -match '^\s+\S' -and $token.Text -notmatch $listItem) {
            # An indented line right after a list item continues that item.
            $current.Lines[$current.Lines.Count - 1] += ' ' + (ConvertFrom-MzInlineMarkdown $token.Text.Trim())
        }
        else {
            $kind, $text = if ($token.Text -match '^\s*\|') { 'Table', $token.Text.Trim() }
            elseif ($token.Text -match $listItem) { 'List', "$($Matches[1]) $($Matches[2].Trim())" }
            else { 'Paragraph', $token.Text.Trim() }
            if (-not $current -or $current.Kind -ne $kind) {
                . $flush
                $current = [pscustomobject]@{ Kind = $kind; Lines = [System.Collections.Generic.List[string]]::new(); Line = $token.Line }
            }
            $current.Lines.Add((ConvertFrom-MzInlineMarkdown $text))
        }
    }
    . $flush
    foreach ($block in $blocks) {
        $lines = @($block.Lines)
        if ($block.Kind -eq 'Table') { $lines = @(Format-MzTable $lines) }
        $text = if ($block.Kind -eq 'Paragraph') { $lines -join ' ' } else { $lines -join "`n" }
        [pscustomobject]@{ Kind = $block.Kind; Text = $text; Lines = $lines; Line = $block.Line }
    }
}

# Aligns a markdown pipe table into plain columns; the |---| separator row becomes a dashed rule.
function Format-MzTable([string[]] $Rows) {
    $cells = foreach ($row in $Rows) {
        , @($row.Trim().Trim('|') -split '(?<!\\)\|' | ForEach-Object { $_.Trim() -replace '\\\|', '|' })
    }
    $columnCount = ($cells | ForEach-Object { $_.Count } | Measure-Object -Maximum).Maximum
    $widths = @(0) * $columnCount
    foreach ($row in $cells) {
        if ($row -join '' -match '^[-: ]+$') { continue }
        for ($c = 0; $c -lt $row.Count; $c++) { $widths[$c] = [Math]::Max($widths[$c], $row[$c].Length) }
    }
    foreach ($row in $cells) {
        $isRule = ($row -join '') -match '^[-: ]+$'
        $parts = for ($c = 0; $c -lt $columnCount; $c++) {
            if ($isRule) { '-' * $widths[$c] }
            else { $value = if ($c -lt $row.Count) { $row[$c] } else { '' }; $value.PadRight($widths[$c]) }
        }
        ($parts -join '  ').TrimEnd()
    }
}

function Test-MzHasText([object[]] $Tokens) {
    [bool]($Tokens | Where-Object Kind -NE 'Blank')
}
