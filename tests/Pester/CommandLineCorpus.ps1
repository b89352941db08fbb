# Dot-sourced by InvokeLxdCompose.Tests.ps1: finds the lxd-compose command lines written in a folder's documentation,
# specs and scripts (the public corpus), as lxd-compose's users write them.

function Get-LxdComposeCommandWord {
    # The first words of every lxd-compose command and their aliases, from the mapping Invoke-LxdCompose --help lists.
    $rows = @(Invoke-LxdCompose --help | Where-Object Command)
    @($rows.ForEach({ ($_.Command -split ' ')[0] }) + $rows.ForEach({ (($_.Aliases -split ' ')[0]) -split '\|' })) | Sort-Object -Unique
}

function Find-LxdComposeCommandLine {
    # Every 'lxd-compose <command> ...' in the text files under $Root: continuation lines (ending in \) joined, cut at
    # the first shell separator or the end of inline code; prose such as 'lxd-compose by its authors' is left out
    # because its next word is no command.
    param([Parameter(Mandatory)] [string] $Root)
    $commandWords = Get-LxdComposeCommandWord
    $files = Get-ChildItem -LiteralPath $Root -Recurse -File -Force |
        Where-Object { $_.Name -match '\.(md|ya?ml|sh|example|txt|j2|tmpl)$|^Makefile$|^\.lxd-compose' } |
        Sort-Object FullName
    foreach ($file in $files) {
        $lines = @(Get-Content -LiteralPath $file.FullName)
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -notmatch '(?:^|[\s>$`"''(])lxd-compose\s+(?<rest>\S.*)$') { continue }
            $text = $Matches.rest
            $next = $i
            while ($text -match '\\\s*$' -and $next + 1 -lt $lines.Count) {
                $next++
                $text = ($text -replace '\\\s*$', ' ') + $lines[$next].Trim()
            }
            $text = (($text -split '\s*(?:&&|\|\||;|\||`)\s*')[0] -replace '\s+', ' ').Trim()
            $first = ($text -split ' ')[0]
            if ($first -notin $commandWords -and $first -notmatch '^-') { continue }
            [pscustomobject]@{
                File        = [IO.Path]::GetRelativePath($Root, $file.FullName).Replace('\', '/')
                Line        = $i + 1
                CommandLine = $text
            }
        }
    }
}
