# For working in a clone: `Import-Module ./MzDeploy.psd1` loads the module that `./build.ps1 build` laid out in
# out/MzDeploy. The module's real manifest is src/MzDeploy.PowerShell/MzDeploy.psd1 (the build copies it there);
# this one only points at the built copy and re-exports what it exports.
@{
    ModuleVersion     = '0.1.0'
    GUID              = 'b1f0c7a2-5d3e-4c8b-9a61-7e2d4f0a9c15'
    Author            = 'MzDeploy'
    Description       = 'Development entry point: loads the built module from out/MzDeploy (run ./build.ps1 build first).'
    PowerShellVersion = '7.4'
    NestedModules     = @('out/MzDeploy/MzDeploy.psd1')
    CmdletsToExport   = '*'
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
