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
