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
# Structure: read (markdown -> tokens -> sections) / interpret (sections -> command model) / write
# (model -> MAML with XmlWriter, or about text).

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

# --- Cmdlet pages -> command model ---------------------------------------------------------------------

$script:MzCommandSections = 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'

function Read-MzCommandHelp([string] $Path, [string] $HelpFileName) {
    $document = Read-MzMarkdown $Path
    $outline = Get-MzOutline $document
    $name = $outline.Title
    $fileStem = [System.IO.Path]::GetFileNameWithoutExtension($Path)
    if ($name -ne $fileStem) { throw (New-MzHelpError $Path $outline.TitleLine "title '# $name' does not match the file name '$fileStem'") }
    # platyPS routes each page to a MAML file by this key; a different value means the page was
    # written for another module and would be published under the wrong assembly.
    $declared = $document.FrontMatter['external help file']
    if ($declared -and $declared -ne $HelpFileName) {
        throw (New-MzHelpError $Path $document.FrontMatterLines['external help file'] "front matter 'external help file: $declared' should be '$HelpFileName'")
    }
    Assert-MzKnownSections $outline $script:MzCommandSections

    $synopsisSection = Get-MzSection $outline 'SYNOPSIS' -Required
    $synopsis = (@(ConvertTo-MzBlocks $synopsisSection.Content) | ForEach-Object Text) -join ' '
    if (-not $synopsis) { throw (New-MzHelpError $Path $synopsisSection.Line 'SYNOPSIS is empty') }

    $descriptionSection = Get-MzSection $outline 'DESCRIPTION' -Required
    $description = @(ConvertTo-MzBlocks (Get-MzSectionTokens $descriptionSection) | ForEach-Object Text)
    if ($description.Count -eq 0) { throw (New-MzHelpError $Path $descriptionSection.Line 'DESCRIPTION is empty') }

    $parameters = @(Read-MzParameters $Path (Get-MzSection $outline 'PARAMETERS' -Required))
    $syntax = @(Read-MzSyntax $Path $name (Get-MzSection $outline 'SYNTAX' -Required) $parameters)
    $examples = @(Read-MzExamples $Path (Get-MzSection $outline 'EXAMPLES' -Required))
    $notesSection = Get-MzSection $outline 'NOTES'
    $notes = if ($notesSection) { @(ConvertTo-MzBlocks (Get-MzSectionTokens $notesSection) | ForEach-Object Text) } else { @() }

    $verb, $noun = $name -split '-', 2
    [pscustomobject]@{
        Name         = $name
        Verb         = $verb
        Noun         = $noun
        Synopsis     = $synopsis
        Description  = $description
        Syntax       = $syntax
        Parameters   = $parameters
        Examples     = $examples
        Inputs       = @(Read-MzTypeList $Path (Get-MzSection $outline 'INPUTS'))
        Outputs      = @(Read-MzTypeList $Path (Get-MzSection $outline 'OUTPUTS'))
        Notes        = @($notes)
        RelatedLinks = @(Read-MzRelatedLinks $Path (Get-MzSection $outline 'RELATED LINKS') $document.FrontMatter['online version'])
    }
}

# A section's own content followed by its subsections, with each `###` heading kept as a heading
# token: for free-text sections (DESCRIPTION, NOTES) subheadings are just part of the text.
function Get-MzSectionTokens($Section) {
    $Section.Content
    foreach ($sub in $Section.Subsections) {
        [pscustomobject]@{ Kind = 'Heading'; Line = $sub.Line; Level = 3; Text = $sub.Name; Language = $null; Lines = $null }
        $sub.Content
    }
}

function Assert-MzNoLooseText($Path, $Section, [string] $Expected) {
    $loose = @($Section.Content | Where-Object Kind -NE 'Blank')
    if ($loose.Count -gt 0) { throw (New-MzHelpError $Path $loose[0].Line "text in '## $($Section.Name)' outside a '### ' subsection (expected $Expected)") }
}

# The keys platyPS writes in a parameter's yaml block, and how each one is checked.
$script:MzParameterKeys = 'Type', 'Parameter Sets', 'Aliases', 'Accepted values', 'Required', 'Position',
'Default value', 'Accept pipeline input', 'Accept wildcard characters'

function Read-MzParameters([string] $Path, $Section) {
    Assert-MzNoLooseText $Path $Section "'### -Name' per parameter"
    $seen = @{}
    foreach ($sub in $Section.Subsections) {
        if ($sub.Name -eq 'CommonParameters') { continue }
        if ($sub.Name -notmatch '^-([A-Za-z_]\w*)$') {
            throw (New-MzHelpError $Path $sub.Line "parameter heading '### $($sub.Name)' is not '### -Name' or '### CommonParameters'")
        }
        $name = $Matches[1]
        if ($seen.ContainsKey($name)) { throw (New-MzHelpError $Path $sub.Line "parameter -$name is documented twice") }
        $seen[$name] = $true

        $yamlFences = @($sub.Content | Where-Object { $_.Kind -eq 'Fence' -and $_.Language -eq 'yaml' })
        if ($yamlFences.Count -eq 0) { throw (New-MzHelpError $Path $sub.Line "parameter -$name has no yaml block (Type, Parameter Sets, Required, Position, ...)") }
        $descriptionTokens = @($sub.Content | Where-Object { -not ($_.Kind -eq 'Fence' -and $_.Language -eq 'yaml') })
        $description = @(ConvertTo-MzBlocks $descriptionTokens | ForEach-Object Text)
        if ($description.Count -eq 0) { throw (New-MzHelpError $Path $sub.Line "parameter -$name has no description") }

        # platyPS writes one yaml block per group of parameter sets in which the parameter differs
        # (e.g. mandatory in one set, optional in another); each block is a "binding".
        $bindings = @(foreach ($fence in $yamlFences) { Read-MzParameterYaml $Path $name $fence })
        $types = @($bindings | ForEach-Object Type | Select-Object -Unique)
        if ($types.Count -gt 1) { throw (New-MzHelpError $Path $yamlFences[1].Line "parameter -$name has different types in its yaml blocks: $($types -join ', ')") }

        [pscustomobject]@{
            Name        = $name
            Line        = $sub.Line
            Description = $description
            Bindings    = $bindings
        }
    }
}

function Read-MzParameterYaml([string] $Path, [string] $Name, $Fence) {
    $values = @{}
    for ($k = 0; $k -lt $Fence.Lines.Count; $k++) {
        $line = $Fence.Lines[$k]
        $lineNumber = $Fence.Line + 1 + $k
        if (-not $line.Trim()) { continue }
        if ($line -notmatch '^([^:]+):\s*(.*)$' -or $Matches[1].Trim() -notin $script:MzParameterKeys) {
            throw (New-MzHelpError $Path $lineNumber "parameter -${Name}: unexpected yaml line '$line' (keys: $($script:MzParameterKeys -join ', '))")
        }
        $values[$Matches[1].Trim()] = $Matches[2].Trim()
    }
    $fail = { param($message) throw (New-MzHelpError $Path $Fence.Line "parameter -${Name}: $message") }
    foreach ($key in 'Type', 'Parameter Sets', 'Required', 'Position') {
        if (-not $values[$key]) { & $fail "yaml block lacks '${key}:'" }
    }
    if ($values['Required'] -notmatch '^(true|false)$') { & $fail "Required must be True or False, not '$($values['Required'])'" }
    if ($values['Position'] -notmatch '^(named|\d+)$') { & $fail "Position must be Named or a number, not '$($values['Position'])'" }
    $pipeline = if ($values['Accept pipeline input']) { $values['Accept pipeline input'] } else { 'False' }
    if ($pipeline -notmatch '^(false|true \((ByValue|ByPropertyName|ByValue, ByPropertyName)\))$') {
        & $fail "Accept pipeline input must be False, True (ByValue), True (ByPropertyName) or True (ByValue, ByPropertyName), not '$pipeline'"
    }
    # Get-Help prints the attribute as written; spell it the way PowerShell's own help does.
    $pipeline = switch -Regex ($pipeline) {
        'ByValue, ByPropertyName' { 'True (ByValue, ByPropertyName)'; break }
        'ByValue' { 'True (ByValue)'; break }
        'ByPropertyName' { 'True (ByPropertyName)'; break }
        default { 'False' }
    }
    $globbing = if ($values['Accept wildcard characters']) { $values['Accept wildcard characters'] } else { 'False' }
    if ($globbing -notmatch '^(true|false)$') { & $fail "Accept wildcard characters must be True or False, not '$globbing'" }

    [pscustomobject]@{
        Line           = $Fence.Line
        Type           = $values['Type']
        Sets           = @($values['Parameter Sets'] -split ',' | ForEach-Object Trim | Where-Object { $_ })
        Aliases        = @("$($values['Aliases'])" -split ',' | ForEach-Object Trim | Where-Object { $_ })
        AcceptedValues = @("$($values['Accepted values'])" -split ',' | ForEach-Object Trim | Where-Object { $_ })
        Required       = $values['Required'].ToLowerInvariant()
        Position       = $values['Position'].ToLowerInvariant()
        DefaultValue   = if ($values['Default value']) { $values['Default value'] } else { 'None' }
        PipelineInput  = $pipeline
        Globbing       = $globbing.ToLowerInvariant()
    }
}

# The binding that applies to a parameter in one parameter set, or $null when it is not in that set.
function Get-MzBinding($Parameter, [string] $SetName) {
    foreach ($binding in $Parameter.Bindings) {
        if ($binding.Sets -contains '(All)' -or $binding.Sets -contains $SetName) { return $binding }
    }
    $null
}

# MAML has no generated syntax: each `### Set` becomes a syntax item listing, in the order of its
# syntax line, the parameters whose yaml puts them in that set. The syntax line and the yaml must
# agree, which catches a parameter added to one place and forgotten in the other.
function Read-MzSyntax([string] $Path, [string] $CommandName, $Section, [object[]] $Parameters) {
    Assert-MzNoLooseText $Path $Section "'### <ParameterSet>' with a fenced syntax line"
    if ($Section.Subsections.Count -eq 0) { throw (New-MzHelpError $Path $Section.Line "SYNTAX has no '### <ParameterSet>' subsection") }
    $setNames = @($Section.Subsections | ForEach-Object { $_.Name -replace '\s*\(Default\)\s*$', '' })
    $twice = @($setNames | Group-Object | Where-Object Count -GT 1 | ForEach-Object Name)
    if ($twice.Count -gt 0) { throw (New-MzHelpError $Path $Section.Line "SYNTAX lists parameter set '$($twice[0])' twice") }

    foreach ($parameter in $Parameters) {
        foreach ($binding in $parameter.Bindings) {
            foreach ($set in $binding.Sets) {
                if ($set -ne '(All)' -and $set -notin $setNames) {
                    throw (New-MzHelpError $Path $binding.Line "parameter -$($parameter.Name) names parameter set '$set', which has no '### $set' under SYNTAX")
                }
            }
        }
    }

    for ($s = 0; $s -lt $Section.Subsections.Count; $s++) {
        $sub = $Section.Subsections[$s]
        $setName = $setNames[$s]
        $fence = @($sub.Content | Where-Object Kind -EQ 'Fence') | Select-Object -First 1
        if (-not $fence) { throw (New-MzHelpError $Path $sub.Line "parameter set '$setName' has no fenced syntax line") }
        $syntaxLine = ($fence.Lines | ForEach-Object Trim) -join ' '
        if ($syntaxLine -notmatch "^$([regex]::Escape($CommandName))(\s|$)") {
            throw (New-MzHelpError $Path $fence.Line "syntax line of '$setName' does not start with $CommandName")
        }
        $listed = @([regex]::Matches($syntaxLine, '(?<=[\[\s])-([A-Za-z_]\w*)') | ForEach-Object { $_.Groups[1].Value })
        $items = foreach ($parameterName in $listed) {
            $parameter = $Parameters | Where-Object Name -EQ $parameterName
            if (-not $parameter) { throw (New-MzHelpError $Path $fence.Line "syntax line of '$setName' lists -$parameterName, which has no '### -$parameterName' under PARAMETERS") }
            $binding = Get-MzBinding $parameter $setName
            if (-not $binding) { throw (New-MzHelpError $Path $fence.Line "syntax line of '$setName' lists -$parameterName, but its yaml 'Parameter Sets' does not include '$setName'") }
            [pscustomobject]@{ Parameter = $parameter; Binding = $binding }
        }
        foreach ($parameter in $Parameters) {
            if ((Get-MzBinding $parameter $setName) -and $parameter.Name -notin $listed) {
                throw (New-MzHelpError $Path $fence.Line "syntax line of '$setName' lacks -$($parameter.Name), which its yaml puts in that set")
            }
        }
        [pscustomobject]@{ SetName = $setName; Parameters = @($items) }
    }
}

function Read-MzExamples([string] $Path, $Section) {
    Assert-MzNoLooseText $Path $Section "'### Example N: title'"
    if ($Section.Subsections.Count -eq 0) { throw (New-MzHelpError $Path $Section.Line "EXAMPLES has no '### Example' subsection") }
    foreach ($sub in $Section.Subsections) {
        # The first fence is the code to type; later fences (sample output) stay with the remarks.
        $code = @($sub.Content | Where-Object Kind -EQ 'Fence') | Select-Object -First 1
        if (-not $code) { throw (New-MzHelpError $Path $sub.Line "example '$($sub.Name)' has no code block") }
        $remarks = @(ConvertTo-MzBlocks @($sub.Content | Where-Object { -not [object]::ReferenceEquals($_, $code) }) | ForEach-Object Text)
        [pscustomobject]@{ Title = $sub.Name; Code = ($code.Lines -join "`n"); Remarks = $remarks }
    }
}

# INPUTS and OUTPUTS: one `### TypeName` per type, followed by what it means.
function Read-MzTypeList([string] $Path, $Section) {
    if (-not $Section) { return }
    Assert-MzNoLooseText $Path $Section "'### TypeName'"
    foreach ($sub in $Section.Subsections) {
        [pscustomobject]@{ Type = $sub.Name; Description = @(ConvertTo-MzBlocks $sub.Content | ForEach-Object Text) }
    }
}

function Read-MzRelatedLinks([string] $Path, $Section, [string] $OnlineVersion) {
    # platyPS turns the front matter's online version into the first link; Get-Help -Online opens it.
    if ($OnlineVersion) { [pscustomobject]@{ Text = 'Online Version:'; Uri = $OnlineVersion } }
    if (-not $Section) { return }
    foreach ($token in @(Get-MzSectionTokens $Section)) {
        if ($token.Kind -eq 'Blank') { continue }
        if ($token.Kind -ne 'Text') { throw (New-MzHelpError $Path $token.Line 'RELATED LINKS holds only link lines') }
        $line = $token.Text.Trim() -replace '^[-*+]\s+', ''
        if ($line -match '^\[([^\]]+)\]\(([^)\s]*)\)$') {
            # Links to sibling .md pages mean "see that cmdlet": Get-Help shows the name, with no URI.
            $uri = if ($Matches[2] -match '^[a-z]+://') { $Matches[2] } else { '' }
            [pscustomobject]@{ Text = $Matches[1]; Uri = $uri }
        }
        else { [pscustomobject]@{ Text = $line; Uri = '' } }
    }
}

# --- Command model -> MAML ------------------------------------------------------------------------------

$script:MamlNamespaces = [ordered]@{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

# PowerShell's help reader matches elements by their prefixed names (command:command, maml:para),
# so the writer must use exactly these prefixes, the ones platyPS writes.
function Write-MzElement([System.Xml.XmlWriter] $Writer, [string] $QualifiedName, [string] $Text) {
    $prefix, $local = $QualifiedName -split ':', 2
    $Writer.WriteElementString($prefix, $local, $script:MamlNamespaces[$prefix], $Text)
}

function Open-MzElement([System.Xml.XmlWriter] $Writer, [string] $QualifiedName, [System.Collections.IDictionary] $Attributes = @{}) {
    $prefix, $local = $QualifiedName -split ':', 2
    $Writer.WriteStartElement($prefix, $local, $script:MamlNamespaces[$prefix])
    foreach ($key in $Attributes.Keys) { $Writer.WriteAttributeString($key, [string]$Attributes[$key]) }
}

function Write-MzParas([System.Xml.XmlWriter] $Writer, [string] $Element, [string[]] $Paragraphs) {
    Open-MzElement $Writer $Element
    foreach ($para in $Paragraphs) { Write-MzElement $Writer 'maml:para' $para }
    $Writer.WriteEndElement()
}

function Write-MzMaml([object[]] $Commands, [string] $Path) {
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($command in $Commands) { Write-MzCommand $writer $command }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
}

function Write-MzCommand([System.Xml.XmlWriter] $Writer, $Command) {
    Open-MzElement $Writer 'command:command'
    foreach ($prefix in $script:MamlNamespaces.Keys) {
        $Writer.WriteAttributeString('xmlns', $prefix, $null, $script:MamlNamespaces[$prefix])
    }

    Open-MzElement $Writer 'command:details'
    Write-MzElement $Writer 'command:name' $Command.Name
    Write-MzElement $Writer 'command:verb' $Command.Verb
    Write-MzElement $Writer 'command:noun' $Command.Noun
    Write-MzParas $Writer 'maml:description' @($Command.Synopsis)
    $Writer.WriteEndElement()

    Write-MzParas $Writer 'maml:description' $Command.Description

    Open-MzElement $Writer 'command:syntax'
    foreach ($item in $Command.Syntax) {
        Open-MzElement $Writer 'command:syntaxItem'
        Write-MzElement $Writer 'maml:name' $Command.Name
        foreach ($entry in $item.Parameters) { Write-MzParameter $Writer $entry.Parameter $entry.Binding -InSyntax }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # The PARAMETERS section shows one entry per parameter; when its attributes differ between sets,
    # the first yaml block (as platyPS orders them) is the one shown.
    Open-MzElement $Writer 'command:parameters'
    foreach ($parameter in $Command.Parameters) { Write-MzParameter $Writer $parameter $parameter.Bindings[0] }
    $Writer.WriteEndElement()

    Write-MzTypeList $Writer 'command:inputTypes' 'command:inputType' $Command.Inputs
    Write-MzTypeList $Writer 'command:returnValues' 'command:returnValue' $Command.Outputs

    if ($Command.Notes.Count -gt 0) {
        Open-MzElement $Writer 'maml:alertSet'
        Write-MzParas $Writer 'maml:alert' $Command.Notes
        $Writer.WriteEndElement()
    }

    Open-MzElement $Writer 'command:examples'
    foreach ($example in $Command.Examples) {
        Open-MzElement $Writer 'command:example'
        # Get-Help prints the title as is; the dashes are the conventional separator between examples.
        Write-MzElement $Writer 'maml:title' "--------- $($example.Title) ---------"
        Write-MzElement $Writer 'dev:code' $example.Code
        # The trailing empty paragraph leaves a blank line before the next example's title.
        Write-MzParas $Writer 'dev:remarks' (@($example.Remarks) + '')
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    if ($Command.RelatedLinks.Count -gt 0) {
        Open-MzElement $Writer 'command:relatedLinks'
        foreach ($link in $Command.RelatedLinks) {
            Open-MzElement $Writer 'maml:navigationLink'
            Write-MzElement $Writer 'maml:linkText' $link.Text
            Write-MzElement $Writer 'maml:uri' $link.Uri
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }

    $Writer.WriteEndElement()
}

function Write-MzParameter([System.Xml.XmlWriter] $Writer, $Parameter, $Binding, [switch] $InSyntax) {
    $isSwitch = $Binding.Type -in 'SwitchParameter', 'System.Management.Automation.SwitchParameter'
    Open-MzElement $Writer 'command:parameter' ([ordered]@{
            required      = $Binding.Required
            variableLength = ($Binding.Type -like '*`[`]').ToString().ToLowerInvariant()
            globbing      = $Binding.Globbing
            pipelineInput = $Binding.PipelineInput
            position      = $Binding.Position
            aliases       = if ($Binding.Aliases.Count) { $Binding.Aliases -join ', ' } else { 'none' }
        })
    Write-MzElement $Writer 'maml:name' $Parameter.Name
    Write-MzParas $Writer 'maml:description' $Parameter.Description
    if ($Binding.AcceptedValues.Count -gt 0) {
        # Get-Help shows a value group as {A | B | C} in the syntax instead of <Type>.
        Open-MzElement $Writer 'command:parameterValueGroup'
        foreach ($value in $Binding.AcceptedValues) {
            Open-MzElement $Writer 'command:parameterValue' ([ordered]@{ required = 'false'; variableLength = 'false' })
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    # A switch takes no value: in syntax it must render as [-NoGit], not [-NoGit <SwitchParameter>].
    if (-not ($isSwitch -and $InSyntax)) {
        Open-MzElement $Writer 'command:parameterValue' ([ordered]@{ required = (-not $isSwitch).ToString().ToLowerInvariant(); variableLength = 'false' })
        $Writer.WriteString($Binding.Type)
        $Writer.WriteEndElement()
    }
    Open-MzElement $Writer 'dev:type'
    Write-MzElement $Writer 'maml:name' $Binding.Type
    Write-MzElement $Writer 'maml:uri' ''
    $Writer.WriteEndElement()
    Write-MzElement $Writer 'dev:defaultValue' $Binding.DefaultValue
    $Writer.WriteEndElement()
}

function Write-MzTypeList([System.Xml.XmlWriter] $Writer, [string] $ListElement, [string] $ItemElement, [object[]] $Types) {
    # An empty element would still make Get-Help print an empty INPUTS or OUTPUTS heading.
    if ($Types.Count -eq 0) { return }
    Open-MzElement $Writer $ListElement
    foreach ($type in $Types) {
        Open-MzElement $Writer $ItemElement
        Open-MzElement $Writer 'dev:type'
        Write-MzElement $Writer 'maml:name' $type.Type
        $Writer.WriteEndElement()
        Write-MzParas $Writer 'maml:description' $type.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

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
