# Cmdlet pages -> command model (synopsis, syntax per parameter set, parameters, examples, ...).
# Part of the help builder (build/HelpBuilder.ps1 dot-sources it).

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
