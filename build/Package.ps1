# Packaging the laid-out module (out/MzDeploy) for PowerShell's own installer: a versioned module folder with the
# emulator inside, and a .nupkg that Install-PSResource installs from a file repository. Dot-source it; used by
# `./build.ps1 package` and tests/Pester/Package.Tests.ps1.

# Copies the module and the emulator into <OutputFolder>/MzDeploy/<version>/ (emulator/ beside the module's own
# files) and publishes that folder as <OutputFolder>/MzDeploy.<version>.nupkg. Returns Folder, Package and Version.
function New-MzModulePackage {
    param(
        [Parameter(Mandatory)] [string] $ModuleFolder,
        # Used only when the module folder carries no emulator/ (./build.ps1 build publishes one into it).
        [string] $EmulatorFolder,
        [Parameter(Mandatory)] [string] $OutputFolder
    )
    $manifest = Import-PowerShellDataFile (Join-Path $ModuleFolder 'MzDeploy.psd1')
    $version = $manifest.ModuleVersion
    foreach ($required in 'MzDeploy.PowerShell.dll', 'en-US/MzDeploy.PowerShell.dll-Help.xml') {
        if (-not (Test-Path (Join-Path $ModuleFolder $required))) { throw "The module is not built: $required is missing in $ModuleFolder (run ./build.ps1 build)" }
    }
    $carried = Test-Path (Join-Path $ModuleFolder 'emulator/MzDeploy.Emulator.dll')
    if (-not $carried -and -not ($EmulatorFolder -and (Test-Path (Join-Path $EmulatorFolder 'MzDeploy.Emulator.dll')))) {
        throw "The emulator is not built: neither $ModuleFolder/emulator nor '$EmulatorFolder' holds it (run ./build.ps1 package, which builds it)"
    }

    $null = New-Item -ItemType Directory -Path $OutputFolder -Force
    $versioned = Join-Path $OutputFolder "MzDeploy/$version"
    if (Test-Path $versioned) { Remove-Item $versioned -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $versioned -Force
    Copy-Item (Join-Path $ModuleFolder '*') $versioned -Recurse
    # The emulator travels with the module, so a sandbox can be started from an installed copy. A built module
    # carries it already (copied above with everything else); copying it again would collide with that folder.
    if (-not $carried) {
        $emulator = New-Item -ItemType Directory -Path (Join-Path $versioned 'emulator') -Force
        Get-ChildItem $EmulatorFolder | Where-Object Extension -ne '.pdb' | Copy-Item -Destination $emulator -Recurse
    }

    # Publish-PSResource writes into a registered repository only: register the output folder under a name of its own
    # for the moment it takes, and remove the registration whatever happens.
    $repository = 'MzDeployPackage' + [guid]::NewGuid().ToString('n').Substring(0, 8)
    $package = Join-Path $OutputFolder "MzDeploy.$version.nupkg"
    if (Test-Path $package) { Remove-Item $package -Force }
    Register-PSResourceRepository -Name $repository -Uri $OutputFolder -Trusted
    try {
        Publish-PSResource -Path $versioned -Repository $repository -SkipDependenciesCheck -SkipModuleManifestValidate
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
    }
    if (-not (Test-Path $package)) { throw "Publish-PSResource did not write $package" }
    [pscustomobject]@{ Folder = $versioned; Package = $package; Version = $version }
}
