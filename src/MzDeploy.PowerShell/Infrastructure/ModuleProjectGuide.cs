using MzDeploy.Engine.Project;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>How to use a project New-MzProject creates, in this module's cmdlets: the README's usage section and the first commit.</summary>
internal static class ModuleProjectGuide
{
    public static ProjectGuide Instance { get; } = new(
        """
        Connections are profiles in `~/.mz/profiles.toml` (or in `$env:MZ_DEPLOY_PROFILES_DIR`); the built-in
        `emulator` profile connects to the local emulator without any file. Choose a profile with `-Profile`,
        `$env:MZ_DEPLOY_PROFILE`, or a `.mzprofile` file in this folder (it is git-ignored).

        ## Build, stage and promote

        ```powershell
        Build-MzProject                                   # compile and check every file; no connection
        Initialize-MzDeploy -Profile emulator             # once per Materialize environment
        $deployment = Invoke-MzStage -Profile emulator    # stage the committed project beside production
        $deployment | Wait-MzDeployment                   # wait until the staged objects are hydrated
        $deployment | Publish-MzDeployment                # swap them into production atomically
        ```

        `Invoke-MzStage` deploys what is committed: commit your changes first (or pass `-AllowDirty`).
        `Get-MzDeployment` lists staged deployments (`-Promoted`: the promoted ones, newest first);
        `Remove-MzDeployment` drops a staged one.
        """,
        "Create {0} with New-MzProject");
}
