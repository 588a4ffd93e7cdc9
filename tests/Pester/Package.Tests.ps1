# The package as a user gets it: build/Package.ps1 (what `./build.ps1 package` runs) makes the versioned folder and
# the .nupkg; PowerShell's own installer (PSResourceGet, shipped with pwsh 7.4+) installs it from a file repository
# into a throwaway home; a fresh pwsh imports it by name and compiles a project.
BeforeAll {
    $repository = Split-Path (Split-Path $PSScriptRoot)
    . (Join-Path $repository 'build/Package.ps1')
    $script:work = Join-Path ([IO.Path]::GetTempPath()) ('mzdeploy-package-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    $script:feed = Join-Path $script:work 'feed'
    $script:userHome = Join-Path $script:work 'home'
    # .NET answers the config and data folders (~/.config, ~/.local/share) with an empty path when they do not exist,
    # and NuGet and PSResourceGet then write NuGet/NuGet.Config and PSResourceGet/PSResourceRepository.xml relative to the
    # working directory (which was the repository). A home has them.
    foreach ($folder in '.config', '.local/share', '.cache') { $null = New-Item -ItemType Directory -Path (Join-Path $script:userHome $folder) -Force }
    $moduleFolder = Split-Path $env:MZDEPLOY_MODULE
    $script:package = New-MzModulePackage -ModuleFolder $moduleFolder -EmulatorFolder (Join-Path $repository 'out/emulator') -OutputFolder $script:feed
    $script:manifest = Import-PowerShellDataFile (Join-Path $moduleFolder 'MzDeploy.psd1')

    # A fresh pwsh whose home is the throwaway one: Install-PSResource's CurrentUser scope, the repository
    # registration and the module path all live there, so nothing leaks into the real user's profile.
    function Invoke-FreshPwsh([string] $Command) {
        $previous = $env:HOME
        $env:HOME = $script:userHome
        # In the throwaway folder: whatever it still writes relative to its working directory stays out of the repository.
        Push-Location $script:work
        try { $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $Command 2>&1; $exit = $LASTEXITCODE }
        finally { $env:HOME = $previous; Pop-Location }
        if ($exit -ne 0) { throw "pwsh failed (exit $exit): $($output -join [Environment]::NewLine)" }
        ($output | Select-Object -Last 1) | ConvertFrom-Json
    }
}

AfterAll {
    Remove-Item $script:work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The module package' {
    It 'is a versioned module folder with the emulator inside, and a .nupkg named for the version' {
        $version = $script:manifest.ModuleVersion
        $script:package.Version | Should -Be $version
        $script:package.Folder | Should -Be (Join-Path $script:feed "MzDeploy/$version")
        Split-Path $script:package.Package -Leaf | Should -Be "MzDeploy.$version.nupkg"
        Test-Path $script:package.Package | Should -BeTrue
        foreach ($file in 'MzDeploy.psd1', 'MzDeploy.PowerShell.dll', 'en-US/MzDeploy.PowerShell.dll-Help.xml',
            'dependencies/MzDeploy.Engine.dll', 'emulator/MzDeploy.Emulator.dll', 'emulator/MzDeploy.Emulator.runtimeconfig.json') {
            Join-Path $script:package.Folder $file | Should -Exist
        }
    }

    It 'has a manifest a gallery accepts: description, tags, URIs, release notes, editions and an explicit cmdlet list' {
        $script:manifest.Description | Should -Not -BeNullOrEmpty
        $script:manifest.CompatiblePSEditions | Should -Be @('Core')
        $script:manifest.CmdletsToExport | Should -Not -Contain '*'
        $script:manifest.CmdletsToExport | Should -Contain 'Invoke-MzStage'
        $data = $script:manifest.PrivateData.PSData
        $data.Tags | Should -Contain 'Materialize'
        $data.ProjectUri | Should -Not -BeNullOrEmpty
        $data.LicenseUri | Should -Not -BeNullOrEmpty
        $data.ReleaseNotes | Should -Match $script:manifest.ModuleVersion
    }

    It 'installs with Install-PSResource from a file repository, imports by name in a fresh pwsh and compiles a project' {
        $installed = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name MzDeployLocal -Uri '$($script:feed)' -Trusted
Install-PSResource -Name MzDeploy -Repository MzDeployLocal -Scope CurrentUser -TrustRepository
Get-InstalledPSResource -Name MzDeploy | Select-Object Name, @{ n = 'Version'; e = { `$_.Version.ToString() } }, InstalledLocation | ConvertTo-Json -Compress
"@
        $installed.Name | Should -Be 'MzDeploy'
        $installed.Version | Should -Be $script:manifest.ModuleVersion
        $installed.InstalledLocation | Should -BeLike "$($script:userHome)*"
        # The repository registration is in the throwaway home's data folder, not in the working directory.
        Join-Path $script:userHome '.local/share/PSResourceGet/PSResourceRepository.xml' | Should -Exist
        Join-Path $script:work 'PSResourceGet' | Should -Not -Exist
        Join-Path $script:work 'NuGet' | Should -Not -Exist

        $used = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module MzDeploy
`$project = New-MzProject -Name shop -Path '$($script:work)' -NoGit
`$compiled = Build-MzProject -Path `$project.FullName
[pscustomobject]@{
    Path     = (Get-Module MzDeploy).Path
    Commands = @(Get-Command -Module MzDeploy | ForEach-Object Name | Sort-Object)
    Objects  = `$compiled.Objects.Count
    Examples = @((Get-Help Invoke-MzStage).Examples.Example).Count
} | ConvertTo-Json -Compress
"@
        $used.Path | Should -BeLike "$($script:userHome)*MzDeploy.PowerShell.dll"
        $used.Commands | Should -Be @($script:manifest.CmdletsToExport | Sort-Object)
        $used.Objects | Should -BeGreaterThan 0
        $used.Examples | Should -BeGreaterThan 0
    }

    It 'imports from a clone''s root manifest (./MzDeploy.psd1) once the module is built' -Skip:((Split-Path $env:MZDEPLOY_MODULE) -ne (Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'out/MzDeploy')) {
        $rootManifest = Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'MzDeploy.psd1'
        $used = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$rootManifest'
[pscustomobject]@{ Commands = @(Get-Command -Module MzDeploy | ForEach-Object Name | Sort-Object); Synopsis = (Get-Help Build-MzProject).Synopsis } | ConvertTo-Json -Compress
"@
        $used.Commands | Should -Be @($script:manifest.CmdletsToExport | Sort-Object)
        $used.Synopsis | Should -Match 'Compiles'
    }
}
