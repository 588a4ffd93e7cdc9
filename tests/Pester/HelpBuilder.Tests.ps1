# The help builder (build/HelpBuilder.ps1) on small markdown pages written to TestDrive. The MAML it
# writes is checked as XML and, for rendering, through Get-Help on functions whose comment-based help
# points at it with .EXTERNALHELP (Get-Help reads MAML for functions the same way as for cmdlets).

BeforeAll {
    . (Join-Path $PSScriptRoot '../../build/HelpBuilder.ps1')

    $ns = @{
        command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
        maml    = 'http://schemas.microsoft.com/maml/2004/10'
        dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    }

    # A complete, valid page. Sections can be replaced one by one to build broken or special pages.
    # Defaults are single-quoted here-strings so the markdown reads as markdown; $Name is filled in last.
    function New-PageText {
        param(
            [string] $Name = 'Get-MzWidget',
            [string] $Synopsis = "## SYNOPSIS`nGets widgets.",
            [string] $Syntax = @'
## SYNTAX

### __AllParameterSets
```
Get-MzWidget [[-Path] <String>] [<CommonParameters>]
```
'@,
            [string] $Description = "## DESCRIPTION`nGets every widget of a project.",
            [string] $Examples = @'
## EXAMPLES

### Example 1: All widgets
```powershell
Get-MzWidget -Path ./shop
```

Lists the widgets of ./shop.
'@,
            [string] $Parameters = @'
## PARAMETERS

### -Path
The project folder.

```yaml
Type: String
Parameter Sets: (All)
Aliases: FullName

Required: False
Position: 0
Default value: The current location
Accept pipeline input: True (ByPropertyName)
Accept wildcard characters: False
```

### CommonParameters
This cmdlet supports the common parameters.
'@,
            [string] $Tail = @'
## INPUTS

### System.String
A path.

## OUTPUTS

### System.Object
A widget.

## NOTES
None.

## RELATED LINKS

[about_MzDeploy](about_MzDeploy.md)
'@
        )
        $page = ('---', 'external help file: Widgets.dll-Help.xml', 'schema: 2.0.0', '---', '', '# Get-MzWidget', '',
            $Synopsis, '', $Syntax, '', $Description, '', $Examples, '', $Parameters, '', $Tail) -join "`n"
        $page -replace '\bGet-MzWidget\b', $Name -replace '\r\n', "`n"
    }

    # Writes pages into a fresh source folder and builds them; returns the output folder.
    function Invoke-HelpBuild([hashtable] $Pages) {
        $source = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $source
        foreach ($file in $Pages.Keys) { Set-Content -LiteralPath (Join-Path $source $file) -Value $Pages[$file] -NoNewline }
        $output = Join-Path $source 'en-US'
        Build-MzHelp -SourceFolder $source -OutputFolder $output -AssemblyFileName 'Widgets.dll'
        $output
    }

    # Defines a function whose comment-based help is the MAML file, so Get-Help renders that file.
    # It is global so that Get-Help, which discovers commands from the session, finds it.
    function Set-FunctionWithHelp([string] $Name, [string] $Output, [string] $Body) {
        $helpFile = Join-Path $Output 'Widgets.dll-Help.xml'
        Set-Item -Path "function:global:$Name" -Value ([scriptblock]::Create("<#`n.EXTERNALHELP $helpFile`n#>`n$Body"))
    }

    function Get-MamlNode([string] $Output, [string] $XPath) {
        Select-Xml -Path (Join-Path $Output 'Widgets.dll-Help.xml') -XPath $XPath -Namespace $ns | ForEach-Object Node
    }
}

Describe 'Build-MzHelp writes MAML that Get-Help renders' {
    AfterAll { Remove-Item function:global:Get-MzWidget -ErrorAction SilentlyContinue }

    It 'names the file after the cmdlet assembly and writes one command per page' {
        $output = Invoke-HelpBuild @{ 'Get-MzWidget.md' = New-PageText; 'Set-MzWidget.md' = New-PageText -Name Set-MzWidget }
        Join-Path $output 'Widgets.dll-Help.xml' | Should -Exist
        @(Get-MamlNode $output '//command:command/command:details/command:name').InnerText | Should -Be 'Get-MzWidget', 'Set-MzWidget'
    }

    It 'renders synopsis, syntax, description, parameters, examples, inputs, outputs, notes and links' {
        $output = Invoke-HelpBuild @{ 'Get-MzWidget.md' = New-PageText }
        Set-FunctionWithHelp Get-MzWidget $output @'
[CmdletBinding()] param([Parameter(Position = 0, ValueFromPipelineByPropertyName)] [Alias('FullName')] [string] $Path)
'@

        $text = Get-Help Get-MzWidget -Full | Out-String -Width 1000
        $text | Should -Match 'SYNOPSIS\s+Gets widgets\.'
        $text | Should -Match ([regex]::Escape('Get-MzWidget [[-Path] <String>] [<CommonParameters>]'))
        $text | Should -Match 'DESCRIPTION\s+Gets every widget of a project\.'
        $text | Should -Match 'Accept pipeline input\?\s+True \(ByPropertyName\)'
        $text | Should -Match 'Aliases\s+FullName'
        $text | Should -Match 'Default value\s+The current location'
        $text | Should -Match 'Example 1: All widgets'
        $text | Should -Match 'Get-MzWidget -Path \./shop'
        $text | Should -Match 'Lists the widgets of \./shop\.'
        $text | Should -Match 'INPUTS\s+System\.String\s+A path\.'
        $text | Should -Match 'OUTPUTS\s+System\.Object\s+A widget\.'
        $text | Should -Match 'NOTES\s+None\.'
        $text | Should -Match 'RELATED LINKS\s+about_MzDeploy'
    }

    It 'escapes XML special characters and keeps them verbatim in the help' {
        $tricky = 'Use <Path> & "quotes" ''too'' -> ]]> done'
        $code = 'if ($a -lt 3 -and $b) { "<x>" & $c }'
        $fence = '```'
        $page = New-PageText -Description "## DESCRIPTION`n$tricky" `
            -Examples "## EXAMPLES`n`n### Example 1: <special> & more`n${fence}powershell`n$code`n$fence"
        $output = Invoke-HelpBuild @{ 'Get-MzWidget.md' = $page }

        $raw = Get-Content -Raw (Join-Path $output 'Widgets.dll-Help.xml')
        $raw | Should -Match ([regex]::Escape('Use &lt;Path&gt; &amp; "quotes"'))
        (Get-MamlNode $output '//command:command/maml:description/maml:para').InnerText | Should -Be $tricky
        (Get-MamlNode $output '//dev:code').InnerText | Should -Be $code
        (Get-MamlNode $output '//command:example/maml:title').InnerText | Should -BeLike '*Example 1: <special> & more*'
    }

    It 'writes one syntax item per parameter set, with the per-set attributes' {
        $page = New-PageText -Name 'Get-MzWidget' -Syntax @'
## SYNTAX

### ByName (Default)
```
Get-MzWidget [-Name] <String[]> [-Force] [<CommonParameters>]
```

### ByPath
```
Get-MzWidget -Path <String> [-Force] [<CommonParameters>]
```
'@ -Parameters @'
## PARAMETERS

### -Name
Widget names.

```yaml
Type: String[]
Parameter Sets: ByName
Aliases:

Required: True
Position: 0
Default value: None
Accept pipeline input: True (ByValue)
Accept wildcard characters: True
```

### -Path
The project folder.

```yaml
Type: String
Parameter Sets: ByPath
Aliases:

Required: True
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### -Force
Also gets hidden widgets.

```yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases:

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```
'@
        $output = Invoke-HelpBuild @{ 'Get-MzWidget.md' = $page }
        $items = @(Get-MamlNode $output '//command:syntax/command:syntaxItem')
        $items.Count | Should -Be 2
        @($items[0].parameter.name) | Should -Be 'Name', 'Force'
        @($items[1].parameter.name) | Should -Be 'Path', 'Force'
        $items[0].parameter[0].required | Should -Be 'true'
        $items[0].parameter[0].position | Should -Be '0'
        $items[0].parameter[0].globbing | Should -Be 'true'
        $items[1].parameter[0].position | Should -Be 'named'

        Set-FunctionWithHelp Get-MzWidget $output @'
[CmdletBinding(DefaultParameterSetName = 'ByName')]
param(
    [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0, ValueFromPipeline)] [string[]] $Name,
    [Parameter(ParameterSetName = 'ByPath', Mandatory)] [string] $Path,
    [switch] $Force
)
'@
        $text = Get-Help Get-MzWidget | Out-String -Width 1000
        $text | Should -Match ([regex]::Escape('Get-MzWidget [-Name] <String[]> [-Force] [<CommonParameters>]'))
        $text | Should -Match ([regex]::Escape('Get-MzWidget -Path <String> [-Force] [<CommonParameters>]'))
    }

    It 'converts an about page into a plain-text topic with a one-line synopsis' {
        $about = @'
# about_Widgets

## SHORT DESCRIPTION
Widgets, explained in a sentence that is deliberately long enough to pass the eighty column mark.

## LONG DESCRIPTION
Widgets are **small**. See [the docs](https://example.invalid/widgets) and [Get-MzWidget](Get-MzWidget.md).

### Using widgets
```
Get-MzWidget | Where-Object Size -lt 3
```

- one
- two

| Name | Meaning |
|---|---|
| a | first |
'@
        $output = Invoke-HelpBuild @{ 'about_Widgets.md' = $about }
        $lines = Get-Content (Join-Path $output 'about_Widgets.help.txt')
        $lines[0..1] | Should -Be 'TOPIC', '    about_Widgets'
        $lines | Should -Contain '    Widgets, explained in a sentence that is deliberately long enough to pass the eighty column mark.'
        $lines | Should -Contain '    Widgets are small. See the docs (https://example.invalid/widgets) and'
        $lines | Should -Contain '    Get-MzWidget.' -Because 'text wraps at 80 columns'
        $lines | Should -Contain '  USING WIDGETS'
        $lines | Should -Contain '        Get-MzWidget | Where-Object Size -lt 3'
        $lines | Should -Contain '    - two'
        $lines | Should -Contain '    Name  Meaning'
        $lines | Should -Contain '    a     first'
    }
}

BeforeDiscovery {
    $fence = '```'  # in the test cases below, so that no double-quoted string has to escape backticks
}

Describe 'Build-MzHelp rejects malformed pages' {
    It 'fails naming the file and line when <Problem>' -ForEach @(
        @{ Problem = 'SYNOPSIS is missing'; Change = @{ Synopsis = '' }; Line = 6; Message = "missing section '## SYNOPSIS'" }
        @{ Problem = 'a parameter has no yaml block'; Change = @{ Parameters = "## PARAMETERS`n`n### -Path`nThe project folder." }; Line = 32; Message = 'parameter -Path has no yaml block' }
        @{ Problem = 'an example has no code'; Change = @{ Examples = "## EXAMPLES`n`n### Example 1: Nothing`nJust words." }; Line = 23; Message = "example 'Example 1: Nothing' has no code block" }
        @{ Problem = 'the syntax lists an undocumented parameter'; Change = @{ Syntax = "## SYNTAX`n`n### __AllParameterSets`n$fence`nGet-MzWidget [[-Path] <String>] [-Force]`n$fence" }; Line = 14; Message = 'lists -Force, which has no' }
        @{ Problem = 'a yaml key is misspelt'; Change = @{ Parameters = "## PARAMETERS`n`n### -Path`nThe folder.`n`n${fence}yaml`nType: String`nParameter Sets: (All)`nRequred: False`nPosition: 0`n$fence" }; Line = 38; Message = "unexpected yaml line 'Requred: False'" }
        @{ Problem = 'a section name is misspelt'; Change = @{ Description = "## DESCRIPTON`nText." }; Line = 18; Message = "unknown section '## DESCRIPTON'" }
    ) {
        $source = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $source
        $page = Join-Path $source 'Get-MzWidget.md'
        Set-Content -LiteralPath $page -Value (New-PageText @Change) -NoNewline

        { Build-MzHelp -SourceFolder $source -OutputFolder (Join-Path $source 'en-US') -AssemblyFileName 'Widgets.dll' } |
            Should -Throw -ExpectedMessage "*${page}:${Line}: *$Message*"
        Join-Path $source 'en-US/Widgets.dll-Help.xml' | Should -Not -Exist
    }

    It 'reports every malformed page in one run and writes nothing' {
        $source = Join-Path $TestDrive 'two-broken'
        $null = New-Item -ItemType Directory -Path $source
        Set-Content -LiteralPath (Join-Path $source 'Get-MzWidget.md') -Value (New-PageText -Synopsis '') -NoNewline
        Set-Content -LiteralPath (Join-Path $source 'Set-MzWidget.md') -Value (New-PageText -Name Set-MzWidget -Examples '## EXAMPLES') -NoNewline
        Set-Content -LiteralPath (Join-Path $source 'Add-MzWidget.md') -Value (New-PageText -Name Add-MzWidget) -NoNewline

        $failure = { Build-MzHelp -SourceFolder $source -OutputFolder (Join-Path $source 'en-US') -AssemblyFileName 'Widgets.dll' } |
            Should -Throw -PassThru
        $failure.Exception.Message | Should -BeLike '*2 malformed page(s)*'
        $failure.Exception.Message | Should -BeLike '*Get-MzWidget.md:*'
        $failure.Exception.Message | Should -BeLike '*Set-MzWidget.md:*'
        Join-Path $source 'en-US/Widgets.dll-Help.xml' | Should -Not -Exist
    }

    It 'fails when an about page lacks its LONG DESCRIPTION' {
        $source = Join-Path $TestDrive 'about-broken'
        $null = New-Item -ItemType Directory -Path $source
        $page = Join-Path $source 'about_Widgets.md'
        Set-Content -LiteralPath $page -Value "# about_Widgets`n`n## SHORT DESCRIPTION`nWidgets." -NoNewline
        { Build-MzHelp -SourceFolder $source -OutputFolder (Join-Path $source 'en-US') -AssemblyFileName 'Widgets.dll' } |
            Should -Throw -ExpectedMessage "*${page}:1: missing section '## LONG DESCRIPTION'*"
    }
}
