namespace MzDeploy.Engine.Errors;

/// <summary>
/// What the user can do about an error or a warning: WHAT to do, as a value. The caller (the PowerShell layer)
/// renders it in its own words, naming its own commands and parameters; the engine names none. The set is closed
/// (only this assembly derives from it), so a renderer can handle every kind.
/// </summary>
public abstract record Remedy
{
    private protected Remedy()
    {
    }
}

/// <summary>Advice that involves no MzDeploy command: fix a file, check the server, run a SQL statement.</summary>
public sealed record Advice(string Text) : Remedy;

/// <summary>The server rejected the user or password of <paramref name="Profile"/>: check them, or supply other credentials.</summary>
public sealed record CheckCredentials(string Profile) : Remedy;

/// <summary>
/// The connected user holds the wrong mz-deploy role: use a profile whose user holds <paramref name="Role"/>, or have an
/// administrator grant it to <paramref name="Grantee"/> (a quoted SQL identifier). <paramref name="DeployerWantsDevelopment"/>:
/// a deployer asked for a developer's command (deployers change production by staging).
/// </summary>
public sealed record SwitchRole(string Role, string Grantee, bool DeployerWantsDevelopment) : Remedy;

/// <summary>Connect as an administrator and run setup, to initialize or repair the installation.</summary>
public sealed record RunSetup : Remedy;

/// <summary>Run setup as a superuser: it creates roles and grants system privileges.</summary>
public sealed record RunSetupAsSuperuser : Remedy;

/// <summary>Run setup as <paramref name="Owner"/>, or first hand the tracking database over with <paramref name="TransferSql"/>.</summary>
public sealed record RunSetupAsOwner(string Owner, string TransferSql) : Remedy;

/// <summary>No profile is selected: select one (for the command, for the session, or for the project folder).</summary>
public sealed record SelectProfile : Remedy;

/// <summary>Set the password variable of <paramref name="Profile"/> (or its override), or supply credentials.</summary>
public sealed record SetPasswordVariable(string Profile, string Variable, string OverrideVariable) : Remedy;

/// <summary>Add a username to <paramref name="Profile"/> in <paramref name="File"/>, or supply credentials.</summary>
public sealed record AddProfileUsername(string Profile, string File) : Remedy;

/// <summary>No project.toml where the command looked: run from a project folder, point the command at one, or create one.</summary>
public sealed record OpenOrCreateProject : Remedy;

/// <summary>The project folder does not exist: point the command at the folder that holds project.toml.</summary>
public sealed record PointAtProject : Remedy;

/// <summary>Compilation failed: fix the errors reported and build again.</summary>
public sealed record RebuildProject : Remedy;

/// <summary>Working-tree changes: commit or stash them, or stage the working tree as it is on purpose.</summary>
public sealed record CommitOrAllowDirty : Remedy;

/// <summary>The deploy ID is not valid: pick a valid one, or let the commit's short hash be used.</summary>
public sealed record PickValidDeployId : Remedy;

/// <summary>What already holds a deploy ID (see <see cref="PickAnotherDeployId"/>).</summary>
public enum DeployIdHolder
{
    /// <summary>A deployment with this ID exists (it could be removed first).</summary>
    Deployment,

    /// <summary>Schemas or clusters with this ID's staging names exist, not created by MzDeploy.</summary>
    StagingNames,

    /// <summary>A stage's claim on the ID exists: a stage is running, or a crashed one left it (removing the deployment clears it).</summary>
    StageClaim,
}

/// <summary>The deploy ID <paramref name="DeployId"/> is taken by <paramref name="HeldBy"/>: pick another.</summary>
public sealed record PickAnotherDeployId(string DeployId, DeployIdHolder HeldBy) : Remedy;

/// <summary>
/// Production lacks what a stage needs. <paramref name="ByApply"/>: what the project defines (applying the project's
/// infrastructure creates it); <paramref name="Elsewhere"/>: what it does not define (external dependencies, clusters
/// without a file), to be created outside the project or the reference corrected.
/// </summary>
public sealed record CreatePrerequisites(IReadOnlyList<string> ByApply, IReadOnlyList<string> Elsewhere) : Remedy;

/// <summary>Objects the deployment does not own are in the way: move them, add them to the project, or allow dropping them.</summary>
public sealed record AllowDropUnmanaged(IReadOnlyList<string> Objects) : Remedy;

/// <summary>Production changed since <paramref name="DeployId"/> was staged: abort and stage again, or promote overwriting the conflicts.</summary>
public sealed record OverwriteConflicts(string DeployId) : Remedy;

/// <summary>The staging clusters of <paramref name="DeployId"/> are not ready: wait for them, or promote without the readiness check.</summary>
public sealed record WaitForDeployment(string DeployId) : Remedy;

/// <summary>A wait timed out: wait longer, give the clusters more resources, or look at the deployment.</summary>
public sealed record WaitLonger(string DeployId) : Remedy;

/// <summary>
/// Promote <paramref name="DeployId"/> again. <paramref name="First"/>: what to do before (engine words, no command);
/// <paramref name="Effect"/>: what the rerun does (engine words, no command).
/// </summary>
public sealed record RerunPromote(string DeployId, string? Effect = null, string? First = null) : Remedy;

/// <summary>
/// Remove (abort) <paramref name="DeployId"/> and stage again; <paramref name="Alternative"/> (engine words) is the
/// other way out, when there is one.
/// </summary>
public sealed record Restage(string DeployId, string? Alternative = null) : Remedy;

/// <summary>Clean up what is left of <paramref name="DeployId"/> by removing the deployment.</summary>
public sealed record RemoveDeployment(string DeployId) : Remedy;

/// <summary>Look at <paramref name="DeployId"/> as the deployment listing shows it.</summary>
public sealed record ShowDeployment(string DeployId) : Remedy;

/// <summary>No deployment <paramref name="DeployId"/>: list the staged, all, or the promoted deployments to find the right ID.</summary>
public sealed record ListDeployments(string DeployId) : Remedy;

/// <summary>The deployment is already promoted: see the promotions, and stage a new deployment to change production.</summary>
public sealed record StageNewDeployment : Remedy;

/// <summary>
/// An object to drop still has <paramref name="Dependents"/> (full names with their kinds): drop or change them first,
/// then drop it again. Nothing is ever dropped with CASCADE.
/// </summary>
public sealed record DropDependentsFirst(IReadOnlyList<string> Dependents) : Remedy;

/// <summary>
/// No object of that kind and name: check both (production names; schema objects as <c>database.schema.name</c>).
/// <paramref name="ProjectFile"/>: the project file that still defines it, when one does (it can be deleted by hand).
/// </summary>
public sealed record CheckObjectName(string? ProjectFile) : Remedy;

/// <summary>
/// Objects an apply cannot plan (<paramref name="Objects"/>, each with its reason): give the secret values that are
/// missing, leave the secrets out, or narrow the apply to other kinds.
/// </summary>
public sealed record ResolveRefusedObjects(IReadOnlyList<string> Objects) : Remedy;

/// <summary>
/// Undo <paramref name="DeployId"/> again. <paramref name="First"/>: what to do before (engine words, no command);
/// <paramref name="Effect"/>: what the rerun does (engine words, no command).
/// </summary>
public sealed record RerunUndo(string DeployId, string? Effect = null, string? First = null) : Remedy;

/// <summary>
/// The kept previous version of <paramref name="DeployId"/> can no longer be swapped back: go back by staging the earlier
/// version and promoting it; its kept copies can be dropped now instead of at the end of the window.
/// </summary>
public sealed record RollForwardInstead(string DeployId) : Remedy;

/// <summary>Nothing kept to undo: list what is kept, and promote with a keep window next time to be able to undo.</summary>
public sealed record KeepPreviousNextTime(string? DeployId) : Remedy;

/// <summary>
/// A dev overlay was pointed at a cluster production runs on: build it on a cluster of its own (<paramref name="Cluster"/>
/// is the refused one; <paramref name="Example"/> a name for a new one, quoted for SQL where needed).
/// </summary>
public sealed record UseDevCluster(string Cluster, string Example) : Remedy;

/// <summary>
/// The developer's cluster <paramref name="Cluster"/> does not exist (<paramref name="QuotedCluster"/>: its name as SQL): create it
/// (a small one is enough), or name another.
/// </summary>
public sealed record CreateDevCluster(string Cluster, string QuotedCluster) : Remedy;

/// <summary>
/// A secret's value calls a provider this build lacks: read it from an environment variable instead, or write a
/// placeholder and give the real value when applying. <paramref name="Secret"/>: the secret's project name (db.schema.name).
/// </summary>
public sealed record ProvideSecretValue(string Secret) : Remedy;

/// <summary>
/// A reviewed plan of <paramref name="DeployId"/> is stale: compute the plan again from the state now, review it again, and
/// run the new one.
/// </summary>
public sealed record ReviewPlanAgain(string DeployId) : Remedy;

/// <summary>
/// A promote was refused because staged objects' results differ from production's by more than <paramref name="MaxChangedRows"/>
/// rows: review the differences of <paramref name="DeployId"/>, then fix the project and stage again, or promote with a higher limit.
/// </summary>
public sealed record ReviewResultDifferences(string DeployId, long MaxChangedRows) : Remedy;

/// <summary>
/// A promote's freshness gate saw <paramref name="DeployId"/> stop being ready: wait until it has been stable for
/// <paramref name="Seconds"/> (the wait restarts its timer instead of giving up), then promote.
/// </summary>
public sealed record WaitForStableDeployment(string DeployId, int Seconds) : Remedy;

/// <summary>
/// No PostgreSQL server of <paramref name="MinimumMajorVersion"/> or newer was found for the local sandbox: install one
/// (the package names per platform are the caller's to give), or run against a real Materialize through a profile.
/// </summary>
public sealed record InstallPostgres(int MinimumMajorVersion) : Remedy;

/// <summary>types.lock cannot be read: fix it, or delete it and lock the dependencies again.</summary>
public sealed record RegenerateTypeLock : Remedy;

/// <summary>
/// Declared external dependencies (<paramref name="Missing"/>, as written in project.toml) are not on the server: create
/// them, correct the declaration, or connect to the environment that has them; then lock again.
/// </summary>
public sealed record LockExistingDependencies(IReadOnlyList<string> Missing) : Remedy;

/// <summary>types.lock lacks declared dependencies: lock them again (they must be declared in project.toml first).</summary>
public sealed record LockDependencies : Remedy;

/// <summary>
/// An undeclared external dependency (mz-deploy's hint): check the name, define it in <paramref name="File"/>, or declare
/// <paramref name="Name"/> in project.toml's <c>dependencies = [...]</c> and lock its columns.
/// </summary>
public sealed record DeclareDependency(string Name, string File) : Remedy;
