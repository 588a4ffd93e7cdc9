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

Describe 'Dependency isolation' {
    It 'keeps its dependencies out of the session''s default load context' {
        # New-MzProject initialises git (LibGit2Sharp and its native library); Build-MzProject reads TOML (Tomlyn).
        $parent = Join-Path ([System.IO.Path]::GetTempPath()) ("mzdeploy-alc-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $null = New-Item -ItemType Directory $parent
        try {
            $null = New-MzProject -Name alc -Path $parent | Build-MzProject
        }
        finally { Remove-Item $parent -Recurse -Force }

        $private = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'MzDeploy'
        $private | Should -Not -BeNullOrEmpty
        $names = $private.Assemblies.GetName().Name
        $names | Should -Contain 'MzDeploy.Engine'
        $names | Should -Contain 'Tomlyn'
        $names | Should -Contain 'LibGit2Sharp'
        $default = [System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies.GetName().Name
        $default | Should -Not -Contain 'Tomlyn'
        $default | Should -Not -Contain 'MzDeploy.Engine'
    }

    It 'ships only the cmdlet assembly at the module root' {
        $root = Split-Path $env:MZDEPLOY_MODULE
        (Get-ChildItem $root -Filter *.dll).Name | Should -Be @('MzDeploy.PowerShell.dll')
        Join-Path $root 'dependencies/MzDeploy.Engine.dll' | Should -Exist
        Join-Path $root 'en-US/MzDeploy.PowerShell.dll-Help.xml' | Should -Exist
    }

    It 'exports exactly the cmdlets of its manifest' {
        $manifest = Import-PowerShellDataFile $env:MZDEPLOY_MODULE
        (Get-Module MzDeploy).ExportedCmdlets.Keys | Sort-Object | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }
}
