# The README's first command, `./build.ps1 demo`, runs build/Demo.ps1: run that script here (in its own
# process, as build.ps1 does) against the built module and emulator, and check what a reader would see.

Describe 'The demo' {
    It 'stages, waits for and promotes the example, then redeploys only stalled_orders and its dependent, and shows the history' {
        $repository = Split-Path (Split-Path $PSScriptRoot)
        $job = Start-Job -ScriptBlock {
            param($Script, $Module, $Emulator)
            & $Script -ModuleManifest $Module -EmulatorDll $Emulator -HydrationSeconds 2 6>&1 | Out-String -Width 200
        } -ArgumentList (Join-Path $repository 'build/Demo.ps1'), $env:MZDEPLOY_MODULE, (Join-Path $repository 'out/emulator/MzDeploy.Emulator.dll')
        $null = $job | Wait-Job -Timeout 300
        $job.State | Should -Be 'Completed'
        $text = $job | Receive-Job -ErrorVariable problems 2>$null
        $job | Remove-Job -Force

        $problems | Should -BeNullOrEmpty
        $text | Should -Match 'Ready after \d+ s'
        ([regex]::Matches($text, "Promoted deployment '[0-9a-f]{7}': 1 schema\(s\), 1 cluster\(s\) swapped")).Count | Should -Be 2
        $text | Should -Match 'Only stalled_orders and what depends on it are redeployed:\s+materialize\.monitoring\.stalled_orders: changed\s+materialize\.monitoring\.stalled_orders_by_customer: depends on materialize\.monitoring\.stalled_orders\s+\d+ statements'
        $text | Should -Match 'now \(not shipped 1 hour after they were placed\):\s+ada\|1\s'
        $text | Should -Match '(?s)Get-MzDeploymentHistory.*[0-9a-f]{7}\s+objects.*[0-9a-f]{7}\s+objects'
        $text | Should -Match 'Stopping the emulator'
    }
}
