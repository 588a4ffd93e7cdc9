# The shipped help, read the way users read it: through Get-Help on the built module. MAML does not
# follow the code by itself (its SYNTAX is written out, parameters missing from it are silently not
# shown), so these tests compare the help with the cmdlets' real metadata in both directions.

BeforeDiscovery {
    Import-Module $env:MZDEPLOY_MODULE -Force
    $cmdlets = @((Get-Module MzDeploy).ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
    $module = Get-Module MzDeploy
    # Parameters PowerShell adds to every cmdlet; help covers them with one CommonParameters note.
    # WhatIf and Confirm are not in this list: they are real parameters of the cmdlet and must be documented.
    $commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

    function Get-RealParameter([System.Management.Automation.CommandInfo] $Command) {
        $Command.Parameters.Values | Where-Object Name -NotIn $commonParameters
    }
}

Describe 'The help of the MzDeploy module' {
    It 'documents in its MAML file exactly the cmdlets the module exports' {
        $mamlPath = Join-Path $module.ModuleBase 'en-US/MzDeploy.PowerShell.dll-Help.xml'
        $mamlPath | Should -Exist
        $documented = @(Select-Xml -Path $mamlPath -XPath '//command:command/command:details/command:name' -Namespace @{
                command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
            } | ForEach-Object { $_.Node.InnerText } | Sort-Object)
        $exported = @($module.ExportedCmdlets.Keys | Sort-Object)

        $exported | Should -Not -BeNullOrEmpty -Because 'the module exports its cmdlets'
        $documented | Where-Object { $_ -notin $exported } | Should -BeNullOrEmpty -Because 'help must not document cmdlets the module does not have'
        $exported | Where-Object { $_ -notin $documented } | Should -BeNullOrEmpty -Because 'every exported cmdlet needs docs/help/<Verb-Noun>.md'
    }

    It 'has an about_MzDeploy topic with a one-line synopsis' {
        $text = Get-Help about_MzDeploy | Out-String
        $text | Should -Match 'TOPIC\s+about_MzDeploy'
        $text | Should -Match 'LONG DESCRIPTION'
        (Get-Help about_MzDeploy).Synopsis | Should -Match 'blue/green'
    }

    It 'marks in about_MzDeploy as available exactly the cmdlets the module exports' {
        $rows = (Get-Help about_MzDeploy | Out-String) -split '\r?\n' |
            Where-Object { $_ -match '\s(?<cmdlet>[A-Z][a-z]+-Mz\w+)\s+(?<status>available|planned)\s*$' } |
            ForEach-Object { [pscustomobject]@{ Cmdlet = $Matches.cmdlet; Status = $Matches.status } }
        $rows | Should -Not -BeNullOrEmpty -Because 'the about topic maps mz-deploy commands to cmdlets'
        $available = @($rows | Where-Object Status -EQ 'available' | ForEach-Object Cmdlet | Sort-Object)
        $available | Should -Be @($module.ExportedCmdlets.Keys | Sort-Object)
    }
}

# An empty module is reported by 'documents in its MAML file exactly the cmdlets the module exports'.
Describe 'Help for <Name>' -ForEach $cmdlets -AllowNullOrEmptyForEach {
    BeforeAll {
        $command = Get-Command $Name -Module MzDeploy
        $help = Get-Help $Name -Full
        $documented = @($help.parameters.parameter | Where-Object { $_ })
    }

    It 'comes from the MAML help file, not generated from the cmdlet' {
        $help.PSObject.TypeNames[0] | Should -BeLike 'MamlCommandHelpInfo*'
    }

    It 'has a synopsis and a description' {
        "$($help.Synopsis)".Trim() | Should -Not -BeNullOrEmpty
        ($help.description.Text -join "`n").Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example, each with code' {
        $examples = @($help.examples.example | Where-Object { $_ })
        $examples.Count | Should -BeGreaterThan 0
        foreach ($example in $examples) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty -Because "example '$($example.title)' needs code"
        }
    }

    It 'prints every line of example code with Get-Help -Examples' {
        $text = Get-Help $Name -Examples | Out-String -Width 1000  # wide enough that no line wraps
        $codeLines = $help.examples.example.code -split '\r?\n' | ForEach-Object Trim | Where-Object { $_ }
        foreach ($line in $codeLines) { $text.Contains($line) | Should -BeTrue -Because "'$line' is example code" }
    }

    It 'calls MzDeploy cmdlets in its examples only with parameters they have' {
        # Example code is parsed as PowerShell (prompts stripped; output lines parse as harmless other commands), and each
        # call of a module cmdlet is checked by full parameter name or alias, so a renamed parameter breaks its examples here.
        $code = ($help.examples.example.code -join "`n") -replace '(?m)^\s*PS>\s?', ''
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($code, [ref] $null, [ref] $null)
        $calls = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true) |
            Where-Object { $module.ExportedCmdlets.ContainsKey("$($_.GetCommandName())") }
        $unknown = foreach ($call in $calls) {
            $target = $module.ExportedCmdlets["$($call.GetCommandName())"]
            $known = @($target.Parameters.Values | ForEach-Object { $_.Name; $_.Aliases })
            $call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } |
                Where-Object ParameterName -NotIn $known | ForEach-Object { "$($target.Name) -$($_.ParameterName)" }
        }
        $unknown | Should -BeNullOrEmpty
    }

    It 'documents every parameter of the cmdlet' {
        $missing = Get-RealParameter $command | Where-Object Name -NotIn $documented.name | ForEach-Object Name
        $missing | Should -BeNullOrEmpty -Because 'every parameter needs a ### -Name entry under PARAMETERS'
    }

    It 'documents no parameter the cmdlet does not have' {
        $real = (Get-RealParameter $command).Name
        $documented.name | Where-Object { $_ -notin $real } | Should -BeNullOrEmpty
    }

    It 'describes every parameter' {
        foreach ($parameter in $documented) {
            ($parameter.description.Text -join "`n").Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) needs a description"
        }
    }

    It 'documents the type and aliases each parameter really has' {
        foreach ($parameter in $documented) {
            $real = $command.Parameters[$parameter.name]
            if (-not $real) { continue }  # reported by 'documents no parameter the cmdlet does not have'
            $parameter.type.name | Should -Be $real.ParameterType.Name -Because "the type of -$($parameter.name)"
            $aliases = @($real.Aliases | Sort-Object)
            $documentedAliases = @("$($parameter.aliases)" -split ',\s*' | Where-Object { $_ -and $_ -ne 'none' } | Sort-Object)
            $documentedAliases | Should -Be $aliases -Because "the aliases of -$($parameter.name)"
        }
    }

    It 'documents the output types the cmdlet declares' {
        $declared = @($command.OutputType.Name | Sort-Object -Unique)
        $declared | Should -Not -BeNullOrEmpty -Because 'every cmdlet declares [OutputType]'
        $documented = @($help.returnValues.returnValue.type.name | Where-Object { $_ -and $_ -ne 'None' } | Sort-Object -Unique)
        $documented | Should -Be $declared -Because 'OUTPUTS in docs/help must name the declared output types'
    }

    It 'has one syntax line per parameter set, with what each parameter accepts in that set' {
        $syntaxItems = @($help.syntax.syntaxItem | Where-Object { $_ })
        $syntaxItems.Count | Should -Be $command.ParameterSets.Count
        foreach ($set in $command.ParameterSets) {
            $expected = @($set.Parameters | Where-Object Name -NotIn $commonParameters)
            $expectedNames = ($expected.Name | Sort-Object) -join ' '
            $item = $syntaxItems | Where-Object { ((@($_.parameter) | Where-Object { $_ }).name | Sort-Object) -join ' ' -eq $expectedNames }
            $item | Should -Not -BeNullOrEmpty -Because "parameter set '$($set.Name)' has the parameters $expectedNames"
            foreach ($parameter in $expected) {
                $shown = @($item)[0].parameter | Where-Object name -EQ $parameter.Name
                $because = "-$($parameter.Name) in parameter set '$($set.Name)'"
                $shown.required | Should -Be $parameter.IsMandatory.ToString().ToLowerInvariant() -Because $because
                $position = if ($parameter.Position -ge 0) { "$($parameter.Position)" } else { 'named' }
                $shown.position | Should -Be $position -Because $because
                $pipeline = @(if ($parameter.ValueFromPipeline) { 'ByValue' }; if ($parameter.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
                $pipelineText = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
                $shown.pipelineInput | Should -Be $pipelineText -Because $because
            }
        }
    }
}
