using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Project;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// The engine's remedies and warnings in this module's words: the cmdlets and parameters a user types. The engine says
/// WHAT to do; only this class says HOW, so a renamed cmdlet or parameter changes here and nowhere else.
/// </summary>
internal static class RemedyText
{
    /// <summary>The remedy as a recommended action (one or two sentences naming this module's cmdlets).</summary>
    public static string Render(Remedy remedy) => remedy switch
    {
        Advice a => a.Text,
        CheckCredentials c => $"Check the user and password of profile '{c.Profile}' (or pass -Credential).",
        SwitchRole s => (s.DeployerWantsDevelopment
                ? "Deployers change production through Invoke-MzStage; use a developer profile for dev overlays, or "
                : "Switch to a profile whose user holds that role, or ")
            + $"ask an administrator to run: GRANT {s.Role} TO {s.Grantee}",
        RunSetup => "Run Initialize-MzDeploy as an administrator (a superuser, or a role with CREATECLUSTER, CREATEDB and CREATEROLE) "
            + "to initialize or repair the installation.",
        RunSetupAsSuperuser => "Run Initialize-MzDeploy with a profile or -Credential of a superuser (or the owner of an existing "
            + "_mz_deploy who is a superuser); it creates roles and grants system privileges, which only superusers may do.",
        RunSetupAsOwner o => $"Run Initialize-MzDeploy as '{o.Owner}', or first: {o.TransferSql}",
        SelectProfile => $"Use -Profile {ConnectionProfile.EmulatorName} for the local emulator, "
            + $"set $env:{ProfileResolver.ProfileVariable} = '<name>', or run: Set-Content {ProfileResolver.ProjectProfileFile} <name>",
        SetPasswordVariable p => $"Set $env:{p.Variable} (or $env:{p.OverrideVariable}) to the password, or pass -Credential.",
        AddProfileUsername u => $"Add username = \"<user>\" to [{u.Profile}] in {u.File}, or pass -Credential.",
        OpenOrCreateProject => "Run the command from a project folder or pass -Path, or create a project with New-MzProject.",
        PointAtProject => "Pass -Path with the folder that holds project.toml.",
        RebuildProject => "Fix the errors and run Build-MzProject to check the project again.",
        CommitOrAllowDirty => "Commit or stash the changes (untracked files count too), or pass -AllowDirty to stage the working tree as it is.",
        PickValidDeployId => "Pick an ID such as 'release-42' or omit -DeployId to use the commit's short hash.",
        PickAnotherDeployId p => p.HeldBy switch
        {
            DeployIdHolder.Deployment => $"Pick another -DeployId, or remove the staged one first: {Remove(p.DeployId)}",
            DeployIdHolder.StageClaim => $"Pick another -DeployId. If no stage of '{p.DeployId}' is running, a crashed stage left "
                + $"its claim behind: {Remove(p.DeployId)} removes it.",
            _ => "Pick another -DeployId; MzDeploy never adopts a schema or cluster it did not create.",
        },
        CreatePrerequisites p => CreatePrerequisites(p),
        AllowDropUnmanaged => "Move each object out of the swapped schema or cluster (re-create it elsewhere, or ALTER … SET CLUSTER), "
            + "add it to the project, or pass -DropUnmanagedObjects to drop them on purpose (the promotion record lists what was dropped).",
        OverwriteConflicts o => $"Abort this deployment and stage again from the current production ({Remove(o.DeployId)}, then "
            + "Invoke-MzStage), or promote with -OverwriteConflicts to overwrite them.",
        WaitForDeployment => "Wait for it with Wait-MzDeployment, or promote anyway with -NoReadyCheck.",
        WaitLonger => "Wait longer (a larger -Timeout), give the staging clusters more resources, or check them with Get-MzDeployment.",
        RerunPromote r => (r.First is null ? "Run" : $"{r.First}, then run") + $" Publish-MzDeployment -DeployId {r.DeployId} again"
            + (r.Effect is null ? "." : $": {r.Effect}"),
        Restage r => r.Alternative is null
            ? $"{Remove(r.DeployId)}, then stage again."
            : $"{r.Alternative} or abort the deployment with {Remove(r.DeployId)} and stage again.",
        RemoveDeployment r => $"Clean up with: {Remove(r.DeployId)}",
        ShowDeployment s => $"Get-MzDeployment -DeployId {s.DeployId} shows it.",
        ListDeployments => "Get-MzDeployment lists staged deployments, Get-MzDeployment -DeployId * every deployment, "
            + "Get-MzDeploymentHistory the promoted ones.",
        StageNewDeployment => "Get-MzDeploymentHistory lists promotions; stage a new deployment to change production.",
        DropDependentsFirst => "Drop the objects that depend on it first (or change them so they no longer use it), then run "
            + "Remove-MzObject again; it never drops with CASCADE. Dependents a deployment manages go by staging and promoting a project without them.",
        CheckObjectName c => "Check -Type and -Name: production names (with the profile's suffix), secrets, connections, sources and tables "
            + "as database.schema.name; Invoke-MzApply -DryRun lists what production holds."
            + (c.ProjectFile is null ? "" : $" The project still defines it in {c.ProjectFile}: delete that file if it should go."),
        ResolveRefusedObjects => "Set the environment variables the secrets read, or pass their values with "
            + "-SecretValue @{ 'db.schema.name' = <SecureString> }; or leave secrets out with -SkipSecrets, or apply other kinds with -Type.",
        RerunUndo u => (u.First is null ? "Run" : $"{u.First}, then run") + $" Undo-MzDeployment -DeployId {u.DeployId} again"
            + (u.Effect is null ? "." : $": {u.Effect}"),
        RollForwardInstead r => "To go back now, stage the earlier commit and promote it (Invoke-MzStage, Publish-MzDeployment); "
            + $"Remove-MzDeployment -Previous -DeployId {r.DeployId} drops the kept copies at once instead of at the next command.",
        KeepPreviousNextTime => "Undo-MzDeployment without -DeployId picks the latest promote that kept its previous version; promote with "
            + "Publish-MzDeployment -KeepPrevious <seconds> to be able to undo.",
        UseDevCluster u => $"Build the overlay on a dedicated dev cluster, e.g. CREATE CLUSTER {u.Example} (SIZE = '25cc'), "
            + $"then: New-MzDevOverlay -Cluster {u.Example}",
        CreateDevCluster c => $"Create it first, e.g. CREATE CLUSTER {c.QuotedCluster} (SIZE = '25cc'), "
            + "or pass -Cluster with an existing cluster of your own.",
        ProvideSecretValue p => "Read the value from an environment variable with env_var('NAME'), or write a placeholder "
            + $"such as 'unset' and pass the real value when applying: Invoke-MzApply -SecretValue @{{ '{p.Secret}' = <SecureString> }} "
            + "(from Get-Secret or a CI secret variable).",
        ReviewPlanAgain => "Make the plan again from the current state (Invoke-MzStage -DryRun -PlanPath <file>), review it again, "
            + "then run the new one with Invoke-MzStage -PlanPath <file>.",
        ReviewResultDifferences r => $"Review the differences with Compare-MzDeployment -DeployId {r.DeployId}; if they are intended, "
            + $"promote with a higher -MaxChangedRows (now {r.MaxChangedRows}), otherwise fix the project and stage again.",
        WaitForStableDeployment w => $"Wait until it has been stable that long, then promote: Wait-MzDeployment -DeployId {w.DeployId} "
            + $"-StableFor {w.Seconds} | Publish-MzDeployment (the wait restarts its timer instead of giving up).",
        // The packages each platform's package manager offers today (Homebrew and winget carry 16 as their current line).
        InstallPostgres i => $"Install PostgreSQL {i.MinimumMajorVersion} or newer (Debian/Ubuntu: sudo apt install postgresql-{i.MinimumMajorVersion}; "
            + "macOS: brew install postgresql@16; Windows: winget install PostgreSQL.PostgreSQL.16) and open a new "
            + "session (or set $env:MZ_DEPLOY_POSTGRES_FOLDERS to the folder holding its initdb, pg_ctl and postgres), "
            + "or pass -Profile to run against a Materialize of your own instead of the local sandbox.",
        RegenerateTypeLock => "Fix types.lock, or delete it and run Update-MzTypeLock to write it again from the server.",
        LockExistingDependencies => "Create the missing objects, correct 'dependencies' in project.toml, or pass -Profile naming the "
            + "environment that has them; then run Update-MzTypeLock again.",
        LockDependencies => "Declare it in project.toml (dependencies = [\"db.schema.object\"]) if it is not, then run Update-MzTypeLock "
            + "with a profile of the environment that has it, and commit types.lock.",
        DeclareDependency d => $"Check the name, add {d.File}, or declare it in project.toml: dependencies = [\"{d.Name}\"], "
            + "then run Update-MzTypeLock to lock its columns for Build-MzProject -TypeCheck.",
        _ => throw new ArgumentOutOfRangeException(nameof(remedy), remedy.GetType().Name, "a remedy without text"),
    };

    /// <summary>
    /// A warning as one line: the option it follows from (<c>-OverwriteConflicts: …</c>), what happened, what to do.
    /// </summary>
    public static string Render(OperationWarning warning)
    {
        ArgumentNullException.ThrowIfNull(warning);
        var text = warning.Because is { } option ? $"-{Parameter(option)}: {warning.Message}" : warning.Message;
        return warning.Remedy is null ? text : $"{text} {Render(warning.Remedy)}";
    }

    /// <summary>The switch of a cmdlet that asks for <paramref name="option"/>.</summary>
    public static string Parameter(RequestOption option) => option switch
    {
        RequestOption.OverwriteConflicts => "OverwriteConflicts",
        RequestOption.DropUnmanagedObjects => "DropUnmanagedObjects",
        RequestOption.NoRollback => "NoRollback",
        _ => throw new ArgumentOutOfRangeException(nameof(option), option, null),
    };

    private static string CreatePrerequisites(CreatePrerequisites p)
    {
        var byApply = p.ByApply.Count == 0 ? ""
            : $"Run Invoke-MzApply to create {string.Join(", ", p.ByApply)} from the project's files "
              + "(Invoke-MzApply -DryRun shows its statements first), then stage again.";
        var elsewhere = p.Elsewhere.Count == 0 ? ""
            : $"The project does not define {string.Join(", ", p.Elsewhere)}: create "
              + (p.Elsewhere.Count == 1 ? "it" : "them")
              + " outside MzDeploy, or correct the IN CLUSTER clause or project.toml's dependencies.";
        var text = string.Join(" ", new[] { byApply, elsewhere }.Where(t => t.Length > 0));
        return text.Length > 0 ? text : "Run Invoke-MzApply to create the project's infrastructure, then stage again.";
    }

    private static string Remove(string deployId) => $"Remove-MzDeployment -DeployId {deployId}";
}
