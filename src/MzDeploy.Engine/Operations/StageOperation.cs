using System.Security.Cryptography;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Git;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine.Planning.Review;

namespace MzDeploy.Engine.Operations;

/// <summary>What to stage.</summary>
/// <param name="ProjectRoot">The project folder.</param>
/// <param name="DeployId">The deploy ID, or null for the first 7 characters of HEAD (or a random one outside git).</param>
/// <param name="AllowDirty">Stage even when the git working tree has uncommitted changes.</param>
/// <param name="NoRollback">Leave what a failed stage created (and its tracking rows) for removing the deployment.</param>
/// <param name="RedeploySchemas"><c>database.schema</c> names whose every object is redeployed; an entry may be a comma list
/// (mz-deploy's <c>--redeploy-schema a.b,c.d</c>).</param>
/// <param name="RedeployAll">Redeploy every schema.</param>
/// <param name="DropUnmanagedObjects">Stage even though a schema or cluster it swaps holds objects the project does not own
/// (warns instead of refusing; the promote must opt in again to drop them).</param>
public sealed record StageRequest(string ProjectRoot, string? DeployId = null, bool AllowDirty = false, bool NoRollback = false,
    IReadOnlyList<string>? RedeploySchemas = null, bool RedeployAll = false, bool DropUnmanagedObjects = false);

/// <summary>How far a stage is: <paramref name="Done"/> of <paramref name="Total"/> statements ran; <paramref name="Next"/> runs now.</summary>
public readonly record struct StageProgress(int Done, int Total, PlannedStatement Next);

/// <summary>
/// mz-deploy <c>stage</c>, in two steps on one verified session: <see cref="PrepareAsync"/> reads and plans (git
/// check, deploy ID, setup and deployer role, ID not taken, compile, production snapshot and clusters, staging names
/// free); <see cref="ExecuteAsync"/> writes the tracking rows, then runs the plan one statement per round trip, and
/// on failure removes exactly what the deployment recorded (unless <see cref="StageRequest.NoRollback"/>). Between
/// the two, the caller shows the plan (a dry run or preview) or stops. Not thread-safe.
/// </summary>
public sealed class StageOperation : IAsyncDisposable
{
    private readonly ConnectionTarget _target;
    private readonly VerifiedSession _verified;
    private readonly StageRequest _request;
    private readonly IReadOnlyDictionary<string, string> _clusterIds;
    private Task<DeploymentInfo>? _running;

    /// <summary>How long a rollback may take.</summary>
    private static readonly TimeSpan RollbackTimeout = TimeSpan.FromSeconds(60);

    private StageOperation(ConnectionTarget target, VerifiedSession verified, StageRequest request, StagePlan plan, string? commit,
        IReadOnlyDictionary<string, string> clusterIds, IReadOnlyList<Diagnostic> compileWarnings, StageFingerprint fingerprint)
    {
        CompileWarnings = compileWarnings;
        Fingerprint = fingerprint;
        _target = target;
        _verified = verified;
        _request = request;
        Plan = plan;
        Commit = commit;
        _clusterIds = clusterIds;
    }

    /// <summary>What the stage will do; empty when nothing changed.</summary>
    public StagePlan Plan { get; }

    /// <summary>The HEAD commit recorded with the deployment (null outside git).</summary>
    public string? Commit { get; }

    /// <summary>The state the plan was computed from (the commit and what was read from production), to save with a reviewed plan.</summary>
    public StageFingerprint Fingerprint { get; }

    /// <summary>What compiling the project warned about (it compiled: these do not stop the stage).</summary>
    public IReadOnlyList<Diagnostic> CompileWarnings { get; }

    /// <summary>Reads and plans; changes nothing.</summary>
    /// <exception cref="MzDeployException"><c>GitDirty</c>, <c>InvalidDeployId</c>, setup and role errors, <c>DeploymentExists</c>,
    /// <c>CompilationFailed</c>, <c>StagingNameTaken</c>, <c>PrerequisitesMissing</c>, change set errors.</exception>
    public static async Task<StageOperation> PrepareAsync(ConnectionTarget target, StageRequest request, IOperationLog log,
        CancellationToken cancellationToken)
    {
        var git = OpenRepository(request, log);
        var deployId = Model.DeployId.Parse(request.DeployId ?? DefaultDeployId(git));
        log.Verbose($"Deploy ID '{deployId}'{(request.DeployId is null ? (git?.HeadSha is null ? " (random: no commit)" : " (from HEAD)") : "")}.");

        // Compile before connecting: a broken project is the user's to fix whatever the server's state, and says so
        // without a connection (or a round trip) first.
        var project = ProjectCompiler.Compile(request.ProjectRoot, target.ProfileName).EnsureSucceeded();
        log.Verbose($"Compiled {project.Objects.Count} object(s) with profile '{target.ProfileName}'.");

        var verified = await VerifiedSession.OpenAsync(target, RoleRequirement.Deployer, log, cancellationToken).ConfigureAwait(false);
        try
        {
            var session = verified.Session;
            if (await StageRecorder.ReadDeploymentAsync(session, deployId, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new MzDeployException(ErrorIds.DeploymentExists,
                    $"deployment '{deployId}' already exists", deployId,
                    new PickAnotherDeployId(deployId, DeployIdHolder.Deployment));
            }

            var suffix = project.ProfileSuffix;
            var production = await StageRecorder.ReadProductionAsync(session, suffix, cancellationToken).ConfigureAwait(false);
            log.Verbose(production.IsEmpty
                ? "Production has no recorded objects: everything is new."
                : $"Production snapshot: {production.Hashes.Count} object(s) in {production.Schemas.Count} schema(s).");

            var changeOptions = new ChangeSetOptions
            {
                RedeployAll = request.RedeployAll,
                RedeploySchemas = ParseRedeploySchemas(request.RedeploySchemas),
            };
            var changes = ChangeDetector.Compute(project, production, changeOptions);
            var names = new StagingNames(deployId, suffix);
            // Everything the stage needs from production is checked before planning, so one error lists all that is missing.
            var prerequisites = StagePrerequisites.Of(project, changes, names);
            var clusters = await ProductionClusterReader.ReadAsync(session,
                prerequisites.Clusters.Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false);
            var existing = await ExistingObjectReader.ReadAsync(session, prerequisites.Objects, cancellationToken).ConfigureAwait(false);
            prerequisites.EnsureSatisfied(clusters.Select(c => c.Cluster.Name), existing);
            var plan = StagePlanner.Plan(project, changes, names, clusters.Select(c => c.Cluster));
            foreach (var dirty in plan.Changes.Dirty)
            {
                log.Verbose($"Redeploy {dirty}");
            }

            if (!plan.IsEmpty)
            {
                await CheckNamesAndOwnershipAsync(session, plan, request.DropUnmanagedObjects, log, cancellationToken).ConfigureAwait(false);
            }

            return new StageOperation(target, verified, request, plan, git?.HeadSha,
                clusters.ToDictionary(c => c.Cluster.Name, c => c.Id, StringComparer.Ordinal), project.Warnings,
                StageFingerprint.Of(git?.HeadSha, production, clusters.Select(c => (c.Id, c.Cluster))));
        }
        catch
        {
            await verified.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Prepares a reviewed plan to run as it is: reads the state its fingerprint covers again (the commit, production's
    /// promoted deployments and hashes, the clusters it clones), refuses when any of it moved, and checks what every stage
    /// checks (deploy ID and staging names free, ownership). Nothing is compiled or planned: <see cref="Plan"/> is the
    /// reviewed plan.
    /// </summary>
    /// <param name="target">Where to connect.</param>
    /// <param name="reviewed">The plan as reviewed, with the fingerprint of the state it was computed from.</param>
    /// <param name="log">Verbose and warning messages.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <param name="request">The project folder and the execution options (<see cref="StageRequest.AllowDirty"/>,
    /// <see cref="StageRequest.NoRollback"/>, <see cref="StageRequest.DropUnmanagedObjects"/>); its deploy ID and redeploy
    /// options are the plan's.</param>
    /// <exception cref="MzDeployException"><c>PlanStale</c> naming each change; <c>GitDirty</c>, setup and role errors,
    /// <c>DeploymentExists</c>, <c>StagingNameTaken</c>, <c>UnmanagedObjects</c>.</exception>
    public static async Task<StageOperation> PrepareReviewedAsync(ConnectionTarget target, StageRequest request, ReviewedStagePlan reviewed,
        IOperationLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reviewed);
        var git = OpenRepository(request, log);
        var plan = reviewed.Plan;
        var verified = await VerifiedSession.OpenAsync(target, RoleRequirement.Deployer, log, cancellationToken).ConfigureAwait(false);
        try
        {
            var session = verified.Session;
            if (await StageRecorder.ReadDeploymentAsync(session, plan.DeployId, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new MzDeployException(ErrorIds.DeploymentExists,
                    $"deployment '{plan.DeployId}' already exists", plan.DeployId,
                    new PickAnotherDeployId(plan.DeployId, DeployIdHolder.Deployment));
            }

            var production = await StageRecorder.ReadProductionAsync(session, plan.Names.ProfileSuffix, cancellationToken).ConfigureAwait(false);
            var clusters = await ProductionClusterReader.ReadAsync(session,
                reviewed.Fingerprint.Clusters.Select(c => c.Name).ToList(), cancellationToken).ConfigureAwait(false);
            var now = StageFingerprint.Of(git?.HeadSha, production, clusters.Select(c => (c.Id, c.Cluster)));
            var drift = reviewed.Fingerprint.Compare(now);
            if (drift.Count > 0)
            {
                throw new PlanStaleException(plan.DeployId, drift);
            }

            log.Verbose($"Production and the commit match the reviewed plan ({reviewed.Fingerprint.Digest}).");
            if (!plan.IsEmpty)
            {
                await CheckNamesAndOwnershipAsync(session, plan, request.DropUnmanagedObjects, log, cancellationToken).ConfigureAwait(false);
            }

            return new StageOperation(target, verified, request, plan, git?.HeadSha,
                clusters.ToDictionary(c => c.Cluster.Name, c => c.Id, StringComparer.Ordinal), [], now);
        }
        catch
        {
            await verified.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The project's git repository (null outside git), refusing uncommitted changes unless the request allows them.</summary>
    private static GitRepository? OpenRepository(StageRequest request, IOperationLog log)
    {
        var git = GitRepository.TryOpen(request.ProjectRoot);
        if (git is null)
        {
            log.Verbose($"{request.ProjectRoot} is not in a git repository: no dirty check, no commit recorded.");
        }
        else if (git.IsDirty && !request.AllowDirty)
        {
            throw new MzDeployException(ErrorIds.GitDirty,
                $"the git repository at {git.WorkingDirectory} has uncommitted changes", git.WorkingDirectory,
                new CommitOrAllowDirty());
        }

        return git;
    }

    /// <summary>
    /// Refuses staging names that exist (a name taken by somebody else must never be adopted: abort would drop it) and,
    /// unless allowed, objects the project does not own in what the deployment swaps.
    /// </summary>
    private static async Task CheckNamesAndOwnershipAsync(CatalogSession session, StagePlan plan, bool dropUnmanaged, IOperationLog log,
        CancellationToken cancellationToken)
    {
        var taken = await StageRecorder.TakenNamesAsync(session, plan.Schemas.Select(s => s.Staging), plan.Clusters.Select(c => c.Staging),
            cancellationToken).ConfigureAwait(false);
        if (taken.Count > 0)
        {
            throw new MzDeployException(ErrorIds.StagingNameTaken,
                $"staging names of deployment '{plan.DeployId}' already exist: {string.Join(", ", taken)}", plan.DeployId,
                new PickAnotherDeployId(plan.DeployId, DeployIdHolder.StagingNames));
        }

        await CheckOwnershipAsync(session, plan, dropUnmanaged, log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the deployment, then creates its staging schemas, clusters and objects. On failure (or Ctrl+C) removes
    /// what it recorded unless <see cref="StageRequest.NoRollback"/>, then rethrows. Returns the deployment as
    /// the deployment listing reads it.
    /// </summary>
    /// <param name="log">Verbose and warning messages.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <param name="progress">Called before each statement of the plan, from the operation's thread.</param>
    public Task<DeploymentInfo> ExecuteAsync(IOperationLog log, CancellationToken cancellationToken, Action<StageProgress>? progress = null)
    {
        if (Plan.IsEmpty)
        {
            throw new InvalidOperationException("nothing to stage");
        }

        _running = ExecuteCoreAsync(log, progress, cancellationToken);
        return _running;
    }

    private async Task<DeploymentInfo> ExecuteCoreAsync(IOperationLog log, Action<StageProgress>? progress, CancellationToken cancellationToken)
    {

        var session = _verified.Session;
        await ClaimAsync(session, cancellationToken).ConfigureAwait(false);
        var deployedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var recorded = false;
        var ran = 0;
        try
        {
            await StageRecorder.WriteAsync(session, Plan, deployedAt, _verified.Role.User, Commit, _clusterIds, cancellationToken).ConfigureAwait(false);
            recorded = true;
            log.Verbose($"Recorded deployment '{Plan.DeployId}': {Plan.Records.Schemas.Count} schema(s), {Plan.Records.Objects.Count} object(s), "
                        + $"{Plan.Records.Clusters.Count} cluster(s).");
            foreach (var statement in Plan.Statements)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(new StageProgress(ran, Plan.Statements.Count, statement));
                log.Verbose($"{statement.Kind} {statement.Target}");
                await session.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
                ran++;
            }
        }
        catch (Exception e) when (e is MzDeployException or OperationCanceledException)
        {
            await FailAsync(e, recorded, ran, log).ConfigureAwait(false);
            throw;
        }

        log.Verbose($"Staged {Plan.StagedObjectCount} object(s) as deployment '{Plan.DeployId}' ({ran} statement(s)).");
        try
        {
            return (await DeploymentQueries.ReadAsync(session, [Plan.DeployId.Value], ClusterLag.DefaultAllowedSeconds, cancellationToken)
                .ConfigureAwait(false)).Single();
        }
        catch (MzDeployException e)
        {
            // The deployment is staged and recorded: failing now would report an error for finished work (and a re-run
            // would say DeploymentExists). Describe it from the plan instead.
            log.Warning(new($"Deployment '{Plan.DeployId}' is staged; reading its status back failed: {e.Message}.",
                new ShowDeployment(Plan.DeployId)));
            return new DeploymentInfo(Plan.DeployId, DeploymentState.Hydrating,
                Plan.Records.Schemas.Select(s => s.Kind.ToTrackingValue()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), deployedAt, _verified.Role.User, Commit, null,
                Plan.Records.Schemas.Select(s => s.Schema.ToString()).Distinct(StringComparer.Ordinal).ToList(), [],
                Plan.Records.Objects.Select(o => new DeployedObjectInfo(o.Database, o.Schema, o.Object, o.Hash)).ToList());
        }
    }

    /// <summary>
    /// Claims the deploy ID (<see cref="StagePlan.Claim"/>, see <see cref="ClaimStatements"/>): of two stages of one ID
    /// racing past the existence check, the second fails here, before it records or creates anything.
    /// </summary>
    private async Task ClaimAsync(CatalogSession session, CancellationToken cancellationToken)
    {
        var marker = Plan.Names.PendingMarker;
        try
        {
            await session.ExecuteAsync(Plan.Claim, cancellationToken).ConfigureAwait(false);
        }
        catch (MzDeployException e) when (e.SqlState == "42P06")
        {
            throw new MzDeployException(ErrorIds.DeploymentExists,
                $"deployment '{Plan.DeployId}' already exists or is being staged right now ({PromotionMarker.Database}.{marker} exists)", Plan.DeployId,
                new PickAnotherDeployId(Plan.DeployId, DeployIdHolder.StageClaim), e);
        }
    }

    private async Task FailAsync(Exception error, bool recorded, int ran, IOperationLog log)
    {
        var where = recorded ? $"after {ran} of {Plan.Statements.Count} statement(s)" : "while recording it";
        if (_request.NoRollback)
        {
            log.Warning(new($"Staging '{Plan.DeployId}' failed {where}; what it created is left in place.",
                new RemoveDeployment(Plan.DeployId), RequestOption.NoRollback));
            return;
        }

        log.Warning(new($"Staging '{Plan.DeployId}' failed {where}: {error.Message}. Rolling back."));
        // A fresh session: the failure may have closed this one. Bounded, and not tied to Ctrl+C, so a cancelled
        // stage still cleans up after itself.
        using var timeout = new CancellationTokenSource(RollbackTimeout);
        try
        {
            await using var session = await _target.Factory.OpenAsync(timeout.Token).ConfigureAwait(false);
            var result = await AbortOperation.RemoveAsync(session, Plan.AsRecorded(DateTimeOffset.UtcNow), Plan.Names, timeout.Token)
                .ConfigureAwait(false);
            log.Warning(new($"Rolled back '{Plan.DeployId}': dropped {result.Schemas.Count} schema(s) and {result.Clusters.Count} cluster(s), deleted its tracking rows."));
        }
        catch (Exception rollback) when (rollback is MzDeployException or OperationCanceledException)
        {
            log.Warning(new($"Rolling back '{Plan.DeployId}' failed: {rollback.Message}.", new RemoveDeployment(Plan.DeployId)));
        }
    }

    /// <summary>
    /// Pre-flight of promote's ownership guard: the user hears about objects the promote would destroy before anything
    /// is built. Promote checks again (objects can appear between stage and promote).
    /// </summary>
    private static async Task CheckOwnershipAsync(CatalogSession session, StagePlan plan, bool dropUnmanaged, IOperationLog log,
        CancellationToken cancellationToken)
    {
        var schemas = plan.AsRecorded(DateTimeOffset.UtcNow).SwappedSchemas;
        var clusters = plan.Clusters.Select(c => c.Production).ToList();
        var unmanaged = await OwnershipCatalog.FindUnmanagedAsync(session, plan.DeployId, schemas, clusters,
            recorded => recorded.Concat(plan.Records.Objects.Select(o => new ObjectId(o.Database, o.Schema, o.Object))).ToHashSet(),
            cancellationToken).ConfigureAwait(false);
        if (unmanaged.Count == 0)
        {
            return;
        }

        if (!dropUnmanaged)
        {
            throw OwnershipCheck.Refusal(plan.DeployId, unmanaged, "once promoted");
        }

        log.Warning(new($"promoting '{plan.DeployId}' will drop {unmanaged.Count} object(s) the project does not own: "
                        + string.Join("; ", unmanaged), Because: RequestOption.DropUnmanagedObjects));
    }

    /// <summary>
    /// The schemas to redeploy as the request names them: each entry split on commas (mz-deploy takes one comma list,
    /// a caller may pass an array; both work, also mixed), trimmed, empty parts ignored.
    /// </summary>
    /// <exception cref="MzDeployException"><c>InvalidRedeploySchema</c> naming the first part that is not <c>database.schema</c>.</exception>
    internal static IReadOnlyList<SchemaId> ParseRedeploySchemas(IEnumerable<string>? entries) =>
        (entries ?? [])
        .SelectMany(e => e.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        .Select(ParseSchema)
        .ToList();

    private static SchemaId ParseSchema(string text) =>
        SchemaId.TryParse(text) ?? throw new MzDeployException(ErrorIds.InvalidRedeploySchema,
            $"invalid schema to redeploy '{text}': expected a qualified 'database.schema' name", text);

    /// <summary>The first 7 characters of HEAD, else 7 random hex digits.</summary>
    private static string DefaultDeployId(GitRepository? git) =>
        git?.HeadSha is { } sha ? sha[..7] : Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()[..7];

    /// <summary>
    /// Waits for a running <see cref="ExecuteAsync"/> to finish (its rollback included, so Ctrl+C never leaves a
    /// half-staged deployment behind while the prompt comes back), then closes the session.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_running is { IsCompleted: false } running)
        {
            await Task.WhenAny(running, Task.Delay(RollbackTimeout * 2)).ConfigureAwait(false);
        }

        await _verified.DisposeAsync().ConfigureAwait(false);
    }
}
