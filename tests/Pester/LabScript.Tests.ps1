# The lab's naming and address scheme (docs/lab.md, "Topology" and "Adding VMs"), from tests/lab/lab.sh's own
# functions: sourcing the script defines them without running a command, and needs neither root nor the lab.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:LabScript = Join-Path $RepoRoot 'tests/lab/lab.sh'

    function Invoke-LabFunction {
        # Runs "function arguments" for each line of $Calls in one bash that sourced lab.sh; one output line each.
        param([string[]] $Calls)
        $script = "source '$LabScript'`n" + (($Calls | ForEach-Object { "$_ || echo invalid" }) -join "`n")
        $output = & bash -c $script 2>&1
        if ($LASTEXITCODE -ne 0) { throw "bash failed: $output" }
        @($output | ForEach-Object { "$_" })
    }
}

Describe 'lab.sh VM names and addresses' {
    It 'gives vmN 198.18.0.(10+N) with bridge 198.18.(100+N).0/24 and vmN-new 198.18.0.(60+N) with 198.18.(160+N).0/24' {
        Invoke-LabFunction @(
            'vm_address vm1', 'vm_address vm2', 'vm_address vm50', 'vm_address vm1-new', 'vm_address vm50-new',
            'vm_bridge_address vm3', 'vm_bridge_address vm1-new') |
            Should -Be @('198.18.0.11', '198.18.0.12', '198.18.0.60', '198.18.0.61', '198.18.0.110', '198.18.103.1/24', '198.18.161.1/24')
    }

    It 'accepts vm1..vm50 (but vm20 and vm30, which would take incus1''s address and bridge) and their -new replacements only' {
        $names = 'vm1', 'vm50', 'vm3-new', 'vm20-new', 'vm0', 'vm51', 'vm01', 'vm1-old', 'imgsrv', 'incus1', 'vm1-new-new', 'vm20', 'vm30'
        Invoke-LabFunction ($names | ForEach-Object { "is_vm_name $_ && echo ok" }) |
            Should -Be @('ok', 'ok', 'ok', 'ok', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid')
    }

    It 'names host links within the 15 characters Linux allows, distinct for vmN and vmN-new' {
        $links = Invoke-LabFunction @('host_link vm1 m', 'host_link vm1-new m', 'host_link vm50-new s', 'host_link incus1 s', 'host_link imgsrv m')
        $links | Should -Be @('lxdlab-vm1-m', 'lxdlab-vm1n-m', 'lxdlab-vm50n-s', 'lxdlab-incus1-s', 'lxdlab-imgsrv-m')
        $links | ForEach-Object { $_.Length | Should -BeLessOrEqual 15 }
    }

    It 'spells "-" in VM names as "_" in lab.env keys' {
        Invoke-LabFunction @('env_key vm1-new', 'env_key vm2') | Should -Be @('vm1_new', 'vm2')
    }
}

Describe 'Set-up scripts' {
    It '.ci/run sets environment only, then runs the README''s test command exactly' {
        $readmeCommand = [regex]::Match((Get-Content -Raw (Join-Path $RepoRoot 'README.md')),
            '\| Build and run all tests[^|]*\| `([^`]+)` \|').Groups[1].Value
        $readmeCommand | Should -Match 'build\.ps1 -Task Test'
        $lines = @(Get-Content (Join-Path $RepoRoot '.ci/run') | Where-Object { $_ -match '\S' -and $_ -notmatch '^\s*#' })
        $commands = @($lines | Where-Object { $_ -notmatch '^(export [A-Z_]+=\S+|set -[a-z]+ [a-z]+|set -[a-z]+|cd "\$\(dirname "\$0"\)/\.\."|#!.*)$' })
        $commands | Should -Be @($readmeCommand)
    }

    It 'lab.sh lists the firewall tool LXD needs, Incus and the test tools among the packages it brings' {
        $packages = (& bash (Join-Path $RepoRoot 'tests/lab/lab.sh') packages) -split ' '
        $LASTEXITCODE | Should -Be 0
        $packages | Should -Contain 'lxd'
        $packages | Should -Contain 'iptables'
        $packages | Should -Contain 'incus-base'
        $packages | Should -Contain 'j2cli'
        # Tools of the base system are never listed: the fresh-machine check purges this list.
        $packages | Should -Not -Contain 'util-linux'
        $packages | Should -Not -Contain 'iproute2'
    }

    It 'no shell script of the lab pipes into grep -q under pipefail (SIGPIPE fails the producer at random)' {
        $offending = foreach ($script in Get-ChildItem (Join-Path $RepoRoot 'tests/lab'), (Join-Path $RepoRoot '.ci') -File |
                Where-Object { (Get-Content -Raw $_.FullName) -match 'set -\w*o pipefail|set -o pipefail' }) {
            $number = 0
            foreach ($line in Get-Content $script.FullName) {
                $number++
                # A `bash -c "…"` or `sh -c '…'` runs without pipefail: only the script's own pipes count.
                if ($line -match '\|\s*grep\s+-\w*q' -and $line -notmatch '\b(ba)?sh -c ') { '{0}:{1}: {2}' -f $script.Name, $number, $line.Trim() }
            }
        }
        $offending | Should -BeNullOrEmpty
    }
}
