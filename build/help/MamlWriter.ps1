# Command model -> MAML, written with XmlWriter so every special character is escaped.
# Part of the help builder (build/HelpBuilder.ps1 dot-sources it).

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
