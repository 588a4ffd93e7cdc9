BeforeAll {
    Import-Module $env:MZDEPLOY_MODULE -Force
}

Describe 'The MzDeploy module' {
    It 'imports from the built folder as a binary module' {
        $module = Get-Module MzDeploy
        $module | Should -Not -BeNullOrEmpty
        $module.ModuleType | Should -Be 'Binary'
    }
}
