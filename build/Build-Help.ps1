<#
.SYNOPSIS
    Builds the module's help from docs/en-US: MAML for the cmdlets and about_*.help.txt for the about topics.
.DESCRIPTION
    Cmdlet markdown (docs/en-US/<Verb-Noun>.md, platyPS schema) gives the prose: synopsis, description, examples,
    parameter descriptions and default values, inputs, outputs, notes, links. Everything the cmdlet itself knows
    (parameter types, positions, sets, mandatory, pipeline input, wildcards, aliases) is read from Get-Command, so the
    help cannot drift from the code. A markdown file whose cmdlet does not exist (yet) is skipped with a message.
    Runs in its own pwsh (build.ps1 starts it): it imports the module it documents.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ManifestPath,
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$MamlNamespaces = [ordered]@{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$CommonParameterNames = [System.Management.Automation.Cmdlet]::CommonParameters
# The ShouldProcess parameters are documented like any other; only the true common parameters are left to Get-Help.
$ShouldProcessParameterNames = @('WhatIf', 'Confirm')

#region Markdown
function Split-Section {
    # Splits lines at headings of one level ('## ' or '### ') outside code fences: ordered name → lines.
    param([string[]] $Lines, [Parameter(Mandatory)] [string] $Marker)
    $sections = [ordered]@{}
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($Marker)) {
            $current = $line.Substring($Marker.Length).Trim()
            if ($sections.Contains($current)) { throw "heading '$Marker$current' appears twice" }
            $sections[$current] = [System.Collections.Generic.List[string]]::new()
            continue
        }
        if ($null -ne $current) { $sections[$current].Add($line) }
    }
    $sections
}

function ConvertFrom-MarkdownInline {
    # Links become their text (and address, when there is one); code and emphasis marks stay, as platyPS leaves them.
    param([string] $Text)
    [regex]::Replace($Text, '\[([^\]]+)\]\(([^)]*)\)', {
            param($match)
            if ($match.Groups[2].Value) { '{0} ({1})' -f $match.Groups[1].Value, $match.Groups[2].Value } else { $match.Groups[1].Value }
        })
}

function ConvertTo-Paragraph {
    # Markdown lines as paragraphs: blank lines separate, soft-wrapped lines join, each list item and each code block
    # is a paragraph of its own (code keeps its lines).
    param([string[]] $Lines)
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $buffer = [System.Collections.Generic.List[string]]::new()
    $code = $null
    $flush = {
        if ($buffer.Count -gt 0) {
            $paragraphs.Add((ConvertFrom-MarkdownInline (($buffer | ForEach-Object Trim) -join ' ')))
            $buffer.Clear()
        }
    }
    foreach ($line in $Lines) {
        if ($null -ne $code) {
            if ($line -match '^\s*```') { $paragraphs.Add(($code -join "`n")); $code = $null }
            else { $code.Add($line) }
            continue
        }
        if ($line -match '^\s*```') { & $flush; $code = [System.Collections.Generic.List[string]]::new(); continue }
        if ($line.Trim().Length -eq 0) { & $flush; continue }
        if ($line -match '^\s*([-*]|\d+\.)\s+') { & $flush }
        $buffer.Add($line)
    }
    if ($null -ne $code) { throw 'a code block is not closed' }
    & $flush
    , $paragraphs.ToArray()
}

function Get-FencedBlock {
    # The first fenced code block of the lines, and the lines after it.
    param([string[]] $Lines)
    $start = -1
    for ($i = 0; $i -lt $Lines.Count; $i++) {
        if ($Lines[$i] -match '^\s*```') {
            if ($start -lt 0) { $start = $i; continue }
            return [pscustomobject]@{
                Before = @($Lines | Select-Object -First $start)
                Code   = if ($i -gt $start + 1) { @($Lines[($start + 1)..($i - 1)]) } else { @() }
                After  = @($Lines | Select-Object -Skip ($i + 1))
            }
        }
    }
    $null
}

function Read-CommandMarkdown {
    # One cmdlet's markdown as a plain object; throws with the file name when a required part is missing.
    param([Parameter(Mandatory)] [string] $Path)
    $lines = @(Get-Content -Path $Path)
    # The front matter (platyPS metadata) is not needed: the module and file names come from the build.
    if ($lines.Count -gt 0 -and $lines[0] -eq '---') {
        $end = [Array]::IndexOf($lines, '---', 1)
        if ($end -lt 0) { throw "${Path}: the front matter (---) is not closed" }
        $lines = @($lines | Select-Object -Skip ($end + 1))
    }
    $title = $lines | Where-Object { $_ -match '^# ' } | Select-Object -First 1
    $name = [IO.Path]::GetFileNameWithoutExtension($Path)
    if ($title -ne "# $name") { throw "${Path}: the first heading must be '# $name'" }

    $sections = Split-Section -Lines $lines -Marker '## '
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not $sections.Contains($required)) { throw "${Path}: the section '## $required' is missing" }
    }

    $examples = foreach ($entry in (Split-Section -Lines $sections['EXAMPLES'] -Marker '### ').GetEnumerator()) {
        $block = Get-FencedBlock -Lines $entry.Value
        if ($null -eq $block) { throw "${Path}: '$($entry.Key)' has no code block" }
        [pscustomobject]@{
            Title   = $entry.Key
            Code    = $block.Code -join "`n"
            Remarks = ConvertTo-Paragraph -Lines ($block.Before + $block.After)
        }
    }

    $parameters = [ordered]@{}
    foreach ($entry in (Split-Section -Lines $sections['PARAMETERS'] -Marker '### ').GetEnumerator()) {
        if ($entry.Key -eq 'CommonParameters') { continue }
        if ($entry.Key -notmatch '^-(\w+)$') { throw "${Path}: parameter heading '### $($entry.Key)' must be '### -Name'" }
        $parameterName = $Matches[1]
        # An optional yaml block gives the default value; everything else about a parameter comes from the cmdlet.
        $block = Get-FencedBlock -Lines $entry.Value
        $default = 'None'
        $prose = $entry.Value
        if ($null -ne $block) {
            $defaultLine = $block.Code | Where-Object { $_ -match '^Default value:\s*(.+)$' } | Select-Object -First 1
            if ($defaultLine) { $default = ($defaultLine -replace '^Default value:\s*', '').Trim() }
            $prose = $block.Before + $block.After
        }
        $parameters[$parameterName] = [pscustomobject]@{ Description = ConvertTo-Paragraph -Lines $prose; Default = $default }
    }

    $typed = {
        param([string] $Section)
        if (-not $sections.Contains($Section)) { return @() }
        foreach ($entry in (Split-Section -Lines $sections[$Section] -Marker '### ').GetEnumerator()) {
            [pscustomobject]@{ Type = $entry.Key; Description = ConvertTo-Paragraph -Lines $entry.Value }
        }
    }

    $links = if ($sections.Contains('RELATED LINKS')) {
        foreach ($line in $sections['RELATED LINKS']) {
            if ($line -match '^\s*\[([^\]]+)\]\(([^)]*)\)') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } }
        }
    }

    [pscustomobject]@{
        Name        = $name
        Synopsis    = ConvertTo-Paragraph -Lines $sections['SYNOPSIS']
        Description = ConvertTo-Paragraph -Lines $sections['DESCRIPTION']
        Examples    = @($examples)
        Parameters  = $parameters
        Inputs      = @(& $typed 'INPUTS')
        Outputs     = @(& $typed 'OUTPUTS')
        Notes       = if ($sections.Contains('NOTES')) { ConvertTo-Paragraph -Lines $sections['NOTES'] } else { @() }
        Links       = @($links)
    }
}
#endregion

#region MAML
function Write-Element {
    # <prefix:name>text</prefix:name>
    param([System.Xml.XmlWriter] $Writer, [string] $Prefix, [string] $Name, [string] $Text)
    $Writer.WriteElementString($Prefix, $Name, $MamlNamespaces[$Prefix], $Text)
}

function Write-Paragraph {
    # <maml:description> (or another wrapper) holding one <maml:para> per paragraph.
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs, [string] $Prefix = 'maml', [string] $Name = 'description')
    $Writer.WriteStartElement($Prefix, $Name, $MamlNamespaces[$Prefix])
    foreach ($paragraph in $Paragraphs) { Write-Element $Writer 'maml' 'para' $paragraph }
    $Writer.WriteEndElement()
}

function Get-DocumentedParameter {
    # The parameters help documents, with what every parameter set says about them.
    param([System.Management.Automation.CommandInfo] $Command)
    # get_Values(): '.Values' would be the parameter named Values when a cmdlet has one (Set-LxdRenderValue does).
    foreach ($parameter in $Command.Parameters.get_Values()) {
        if ($parameter.Name -in $CommonParameterNames) { continue }
        $sets = @($parameter.ParameterSets.GetEnumerator() | ForEach-Object { $_.Value })
        $positions = @($sets | Where-Object Position -GE 0 | ForEach-Object Position | Sort-Object -Unique)
        $byValue = [bool]($sets | Where-Object ValueFromPipeline)
        $byName = [bool]($sets | Where-Object ValueFromPipelineByPropertyName)
        [pscustomobject]@{
            Name          = $parameter.Name
            Type          = $parameter.ParameterType
            # Mandatory only where it is mandatory in every set it belongs to.
            Required      = -not ($sets | Where-Object { -not $_.IsMandatory })
            Position      = if ($positions.Count -gt 0) { [string] $positions[0] } else { 'named' }
            PipelineInput = switch ($true) {
                ($byValue -and $byName) { 'True (ByPropertyName, ByValue)'; break }
                $byValue { 'True (ByValue)'; break }
                $byName { 'True (ByPropertyName)'; break }
                default { 'False' }
            }
            Globbing      = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            Aliases       = if ($parameter.Aliases.Count -gt 0) { $parameter.Aliases -join ', ' } else { 'none' }
            IsSwitch      = $parameter.SwitchParameter
            ValidValues   = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } |
                    ForEach-Object ValidValues)
        }
    }
}

function Write-MamlParameter {
    # One <command:parameter>; $SetMetadata (syntax) or the merged view (parameters section) gives required and position.
    param([System.Xml.XmlWriter] $Writer, $Parameter, $Help, [bool] $Required, [string] $Position)
    $Writer.WriteStartElement('command', 'parameter', $MamlNamespaces.command)
    $Writer.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $Parameter.Type.IsArray.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $Parameter.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Parameter.PipelineInput)
    $Writer.WriteAttributeString('position', $Position)
    $Writer.WriteAttributeString('aliases', $Parameter.Aliases)
    Write-Element $Writer 'maml' 'name' $Parameter.Name
    $description = @($Help.Description)
    if ($Parameter.ValidValues.Count -gt 0 -and $description.Count -gt 0) { $description += "Accepted values: $($Parameter.ValidValues -join ', ')." }
    Write-Paragraph $Writer $description
    if ($Parameter.ValidValues.Count -gt 0) {
        # Get-Help shows these in the syntax as {a | b | c}.
        $Writer.WriteStartElement('command', 'parameterValueGroup', $MamlNamespaces.command)
        foreach ($value in $Parameter.ValidValues) {
            $Writer.WriteStartElement('command', 'parameterValue', $MamlNamespaces.command)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('variableLength', 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    if (-not $Parameter.IsSwitch) {
        $Writer.WriteStartElement('command', 'parameterValue', $MamlNamespaces.command)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', $Parameter.Type.IsArray.ToString().ToLowerInvariant())
        $Writer.WriteString($Parameter.Type.Name)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $MamlNamespaces.dev)
    Write-Element $Writer 'maml' 'name' $Parameter.Type.FullName
    Write-Element $Writer 'maml' 'uri' ''
    $Writer.WriteEndElement()
    Write-Element $Writer 'dev' 'defaultValue' $(if ($Parameter.IsSwitch -and $Help.Default -eq 'None') { 'False' } else { $Help.Default })
    $Writer.WriteEndElement()
}

function Write-MamlCommand {
    param([System.Xml.XmlWriter] $Writer, [System.Management.Automation.CommandInfo] $Command, $Doc)
    $parameters = @(Get-DocumentedParameter -Command $Command)
    $missingHelp = [pscustomobject]@{ Description = @(); Default = 'None' }
    foreach ($parameter in $parameters) {
        if (-not $Doc.Parameters.Contains($parameter.Name)) {
            Write-Warning "$($Command.Name): parameter -$($parameter.Name) has no description in $($Doc.Name).md."
        }
    }
    foreach ($name in $Doc.Parameters.Keys) {
        if ($name -notin $parameters.Name) { Write-Warning "$($Command.Name): $($Doc.Name).md documents -$name, which the cmdlet does not have." }
    }
    $helpOf = { param($name) if ($Doc.Parameters.Contains($name)) { $Doc.Parameters[$name] } else { $missingHelp } }

    $Writer.WriteStartElement('command', 'command', $MamlNamespaces.command)
    foreach ($prefix in $MamlNamespaces.Keys) { $Writer.WriteAttributeString('xmlns', $prefix, $null, $MamlNamespaces[$prefix]) }

    $Writer.WriteStartElement('command', 'details', $MamlNamespaces.command)
    Write-Element $Writer 'command' 'name' $Command.Name
    Write-Element $Writer 'command' 'verb' $Command.Verb
    Write-Element $Writer 'command' 'noun' $Command.Noun
    Write-Paragraph $Writer $Doc.Synopsis
    $Writer.WriteEndElement()
    Write-Paragraph $Writer $Doc.Description

    $Writer.WriteStartElement('command', 'syntax', $MamlNamespaces.command)
    foreach ($set in $Command.ParameterSets) {
        $Writer.WriteStartElement('command', 'syntaxItem', $MamlNamespaces.command)
        Write-Element $Writer 'maml' 'name' $Command.Name
        # Positional first (by position), then mandatory, then the rest: the order Get-Command shows.
        $inSet = $set.Parameters | Where-Object { $_.Name -notin $CommonParameterNames } |
            Sort-Object @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } } },
            @{ Expression = { -not $_.IsMandatory } }
        foreach ($member in $inSet) {
            $parameter = $parameters | Where-Object Name -EQ $member.Name
            $position = if ($member.Position -ge 0) { [string] $member.Position } else { 'named' }
            Write-MamlParameter $Writer $parameter (& $helpOf $member.Name) $member.IsMandatory $position
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $MamlNamespaces.command)
    foreach ($parameter in $parameters | Sort-Object { $_.Name -in $ShouldProcessParameterNames }, Name) {
        Write-MamlParameter $Writer $parameter (& $helpOf $parameter.Name) $parameter.Required $parameter.Position
    }
    $Writer.WriteEndElement()

    foreach ($kind in @(@('inputTypes', 'inputType', $Doc.Inputs), @('returnValues', 'returnValue', $Doc.Outputs))) {
        $Writer.WriteStartElement('command', $kind[0], $MamlNamespaces.command)
        foreach ($item in $kind[2]) {
            $Writer.WriteStartElement('command', $kind[1], $MamlNamespaces.command)
            $Writer.WriteStartElement('dev', 'type', $MamlNamespaces.dev)
            Write-Element $Writer 'maml' 'name' $item.Type
            $Writer.WriteEndElement()
            Write-Paragraph $Writer $item.Description
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }

    if ($Doc.Notes.Count -gt 0) {
        $Writer.WriteStartElement('maml', 'alertSet', $MamlNamespaces.maml)
        Write-Paragraph $Writer $Doc.Notes -Name 'alert'
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('command', 'examples', $MamlNamespaces.command)
    foreach ($example in $Doc.Examples) {
        $Writer.WriteStartElement('command', 'example', $MamlNamespaces.command)
        Write-Element $Writer 'maml' 'title' "--------- $($example.Title) ---------"
        Write-Element $Writer 'dev' 'code' $example.Code
        Write-Paragraph $Writer $example.Remarks -Prefix 'dev' -Name 'remarks'
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $MamlNamespaces.command)
    foreach ($link in $Doc.Links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $MamlNamespaces.maml)
        Write-Element $Writer 'maml' 'linkText' $link.Text
        Write-Element $Writer 'maml' 'uri' $link.Uri
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}
#endregion

#region About topics
function Format-Wrapped {
    # A paragraph wrapped at 80 columns with the given indent; code lines are kept as they are.
    param([string] $Text, [int] $Indent)
    $width = 80 - $Indent
    $pad = ' ' * $Indent
    $line = ''
    foreach ($word in $Text -split '\s+' | Where-Object { $_ }) {
        if ($line.Length -gt 0 -and $line.Length + 1 + $word.Length -gt $width) { "$pad$line"; $line = $word }
        elseif ($line.Length -gt 0) { $line += " $word" }
        else { $line = $word }
    }
    if ($line.Length -gt 0) { "$pad$line" }
}

function ConvertTo-AboutText {
    # about_*.md (# about_Name, ## SHORT DESCRIPTION, ## LONG DESCRIPTION, ### subheadings, ...) as help text.
    param([Parameter(Mandatory)] [string] $Path)
    $name = [IO.Path]::GetFileNameWithoutExtension($Path)
    $lines = @(Get-Content -Path $Path)
    if (($lines | Where-Object { $_ -match '^# ' } | Select-Object -First 1) -ne "# $name") {
        throw "${Path}: the first heading must be '# $name'"
    }
    $sections = Split-Section -Lines $lines -Marker '## '
    if (-not $sections.Contains('SHORT DESCRIPTION')) { throw "${Path}: the section '## SHORT DESCRIPTION' is missing" }
    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('TOPIC'); $out.Add("    $name"); $out.Add('')
    foreach ($section in $sections.GetEnumerator()) {
        $out.Add($section.Key.ToUpperInvariant())
        $inFence = $false
        $paragraph = [System.Collections.Generic.List[string]]::new()
        $flush = {
            if ($paragraph.Count -gt 0) {
                $text = ConvertFrom-MarkdownInline (($paragraph | ForEach-Object Trim) -join ' ')
                if ($text -match '^([-*]|\d+\.)\s+(.*)$') {
                    # A list item: the marker hangs, the text wraps under itself.
                    $wrapped = @(Format-Wrapped -Text $Matches[2] -Indent 6)
                    $out.Add('    ' + $Matches[1].PadRight(2) + $wrapped[0].Substring(6))
                    $wrapped | Select-Object -Skip 1 | ForEach-Object { $out.Add($_) }
                }
                else { Format-Wrapped -Text $text -Indent 4 | ForEach-Object { $out.Add($_) } }
                $paragraph.Clear()
            }
        }
        foreach ($line in $section.Value) {
            if ($line -match '^\s*```') { & $flush; $inFence = -not $inFence; continue }
            if ($inFence) { $out.Add("        $line".TrimEnd()); continue }
            if ($line -match '^### (.+)$') { & $flush; if ($out[-1] -ne '') { $out.Add('') }; $out.Add("  $($Matches[1].Trim())"); continue }
            if ($line.Trim().Length -eq 0) { & $flush; if ($out[-1] -ne '') { $out.Add('') }; continue }
            if ($line -match '^\s*([-*]|\d+\.)\s+') { & $flush }
            $paragraph.Add($line)
        }
        & $flush
        if ($out[-1] -ne '') { $out.Add('') }
    }
    $out -join "`n"
}
#endregion

Import-Module $ManifestPath -Force
$module = Get-Module LxdCompose
New-Item -ItemType Directory -Path $OutputPath -Force | Out-Null

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$mamlPath = Join-Path $OutputPath 'LxdCompose.PowerShell.dll-Help.xml'
$writer = [System.Xml.XmlWriter]::Create($mamlPath, $settings)
$documented = 0
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($file in Get-ChildItem -Path $DocsPath -Filter '*-*.md' | Sort-Object Name) {
        $doc = Read-CommandMarkdown -Path $file.FullName
        $command = $module.ExportedCmdlets[$doc.Name]
        if ($null -eq $command) {
            Write-Host "Help: skipped $($file.Name): the module has no cmdlet $($doc.Name) (yet)."
            continue
        }
        Write-MamlCommand -Writer $writer -Command $command -Doc $doc
        $documented++
    }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally { $writer.Dispose() }

foreach ($name in $module.ExportedCmdlets.Keys | Sort-Object) {
    if (-not (Test-Path (Join-Path $DocsPath "$name.md"))) { Write-Warning "Help: $name has no $name.md in $DocsPath." }
}

$topics = 0
foreach ($file in Get-ChildItem -Path $DocsPath -Filter 'about_*.md') {
    $target = Join-Path $OutputPath ($file.BaseName + '.help.txt')
    [IO.File]::WriteAllText($target, (ConvertTo-AboutText -Path $file.FullName) + "`n", [System.Text.UTF8Encoding]::new($false))
    $topics++
}
Write-Host "Help: $documented cmdlet(s) in $mamlPath, $topics about topic(s)."
