using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Operations;

/// <summary>What to promote.</summary>
/// <param name="DeployId">The staged deployment.</param>
/// <param name="OverwriteConflicts">Promote even when another deployment promoted one of its schemas after it was staged.</param>
/// <param name="NoReadyCheck">Skip the check that every staging cluster is ready.</param>
/// <param name="AllowedLagSeconds">The lag up to which a hydrated cluster counts as ready.</param>
/// <param name="DropUnmanagedObjects">Drop, and record in the promotion record, objects the deployment does not own that sit
/// in a schema or on a cluster it swaps; without it the promote refuses (<see cref="ErrorIds.UnmanagedObjects"/>).</param>
/// <param name="KeepPrevious">Keep the previous production version (under the staging names, still running) for this long
/// instead of dropping it, so an undo can swap it back; null drops it as usual.</param>
public sealed record PromoteRequest(string DeployId, bool OverwriteConflicts = false, bool NoReadyCheck = false,
    int AllowedLagSeconds = ClusterLag.DefaultAllowedSeconds, bool DropUnmanagedObjects = false, TimeSpan? KeepPrevious = null);

/// <summary>What a promote did (or, in a dry run, would do).</summary>
/// <param name="DeployId">The deployment.</param>
/// <param name="StartedFrom">Where it started: <see cref="PromoteState.Swapped"/> when it finished an interrupted promote.</param>
/// <param name="PromotedAt">When it was promoted (server time); null in a dry run.</param>
/// <param name="SchemaSwaps">Production schema ↔ staging schema.</param>
/// <param name="ClusterSwaps">Production cluster ↔ staging cluster.</param>
/// <param name="Sinks">Deferred sinks created (<c>db.schema.name</c>).</param>
/// <param name="RepointedSinks">Sinks moved onto the new objects (<c>sink -> object</c>).</param>
/// <param name="Replacements">Materialized views replaced in place.</param>
/// <param name="DroppedResources">Old copies dropped (<c>schema db.s_id</c>, <c>cluster c_id</c>).</param>
/// <param name="Conflicts">Conflicts overridden with OverwriteConflicts.</param>
/// <param name="Statements">Every statement that changed the database (or would), in order, BEGIN and COMMIT included.</param>
/// <param name="Attempts">Swap transactions tried (more than one when a concurrent promote won a race).</param>
/// <param name="DroppedUnmanaged">Objects the deployment does not own that it dropped (or, in a dry run, would drop) with
/// <see cref="PromoteRequest.DropUnmanagedObjects"/>: <c>kind name (owner …, in …)</c>.</param>
public sealed record PromoteResult(string DeployId, PromoteState StartedFrom, DateTimeOffset? PromotedAt, IReadOnlyList<SchemaMapping> SchemaSwaps,
    IReadOnlyList<ClusterMapping> ClusterSwaps, IReadOnlyList<string> Sinks, IReadOnlyList<string> RepointedSinks,
    IReadOnlyList<string> Replacements, IReadOnlyList<string> DroppedResources, IReadOnlyList<DeploymentConflict> Conflicts,
    IReadOnlyList<string> Statements, int Attempts, IReadOnlyList<string> DroppedUnmanaged)
{
    /// <summary>The previous production version kept instead of dropped (<c>schema db.s_id</c>, <c>cluster c_id</c>); empty unless kept.</summary>
    public IReadOnlyList<KeptResource> Kept { get; init; } = [];

    /// <summary>When the rollback window ends (server time); null when nothing is kept, or in a preview (it starts at the swap).</summary>
    public DateTimeOffset? KeptUntil { get; init; }
}

/// <summary>
/// mz-deploy <c>promote</c>, race-free and resumable. Pre-flight (deployer role, the deployment staged, its clusters
/// ready unless skipped, its recorded clusters and staging copies present, no conflict unless forced, no sink left
/// reading an object the deployment removes); then the swap transaction of <see cref="PromotePlan"/>, retried a
/// bounded number of times when a concurrent promote won the race (the retry re-checks conflicts, so the loser of
/// an overlapping race stops with <c>DeploymentConflict</c>); then, re-planned from what the catalog shows, the
/// post-swap steps, <c>promoted_at</c>, the drops of the old copies and the tracking-row cleanup. Running it again
/// after a crash anywhere finishes the job.
/// In two steps on one verified session: <see cref="PrepareAsync"/> reads and plans (everything but the readiness
/// check) and holds the plan as a value, <see cref="Preview"/>, with every statement it would run; the caller shows it
/// (a dry run or preview) or asks; <see cref="ExecuteAsync"/> then promotes, checking everything again (time
/// passes while a user answers). Nothing branches on a dry-run flag. Not thread-safe.
/// </summary>
public sealed class PromoteOperation : IAsyncDisposable
{
    /// <summary>Swap transactions tried before giving up on a busy catalog.</summary>
    public const int MaxAttempts = 5;

    private readonly VerifiedSession _verified;
    private readonly StagingNames _names;
    private readonly PromoteRequest _request;
    private readonly bool _createClaimMarker;
    private readonly StatementLog _statements;

    private PromoteOperation(VerifiedSession verified, StagingNames names, PromoteRequest request, StatementLog statements, PromoteResult preview,
        bool createClaimMarker)
    {
        _createClaimMarker = createClaimMarker;
        _verified = verified;
        _names = names;
        _request = request;
        _statements = statements;
        Preview = preview;
    }

    /// <summary>
    /// What the promote will do, as planned from the state <see cref="PrepareAsync"/> read: the swaps, the sinks, the
    /// drops and every statement in order (BEGIN and COMMIT included, parameters as trailing comments). PromotedAt is
    /// null and Attempts 0.
    /// </summary>
    public PromoteResult Preview { get; }

    /// <summary>Reads and plans; changes nothing. The readiness check waits for <see cref="ExecuteAsync"/>.</summary>
    /// <exception cref="MzDeployException"><c>DeploymentNotFound</c>, <c>DeploymentAlreadyPromoted</c>, <c>DeploymentConflict</c>,
    /// <c>UnmanagedObjects</c>, and the error IDs declared here; setup and role errors.</exception>
    public static async Task<PromoteOperation> PrepareAsync(ConnectionTarget factory, PromoteRequest request, IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var names = new StagingNames(Model.DeployId.Parse(request.DeployId));
        var statements = new StatementLog();
        var verified = await VerifiedSession.OpenAsync(factory, RoleRequirement.Deployer, log, cancellationToken, statements).ConfigureAwait(false);
        try
        {
            var run = new PromoteRun(verified.Session, names, request, log, cancellationToken);
            var preview = await run.PreviewAsync().ConfigureAwait(false);
            return new PromoteOperation(verified, names, request, statements, preview, run.CreateClaimMarker);
        }
        catch
        {
            await verified.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary><see cref="PrepareAsync"/> then <see cref="ExecuteAsync"/>, for callers that show nothing in between.</summary>
    public static async Task<PromoteResult> RunAsync(ConnectionTarget factory, PromoteRequest request, IOperationLog log,
        CancellationToken cancellationToken)
    {
        await using var operation = await PrepareAsync(factory, request, log, cancellationToken).ConfigureAwait(false);
        return await operation.ExecuteAsync(log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Promotes: the pre-flight again (readiness included), the swap, the finishing steps.</summary>
    /// <exception cref="MzDeployException"><c>ClustersNotReady</c>, <c>DeploymentFailing</c>, everything <see cref="PrepareAsync"/>
    /// reports (the state may have changed since), and the error IDs declared here.</exception>
    public Task<PromoteResult> ExecuteAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        return new PromoteRun(_verified.Session, _names, _request, log, cancellationToken)
            .ExecuteAsync(_statements, Preview.StartedFrom, _createClaimMarker);
    }

    public ValueTask DisposeAsync() => _verified.DisposeAsync();

    /// <summary>One promote (or its preview) on one session.</summary>
    private sealed class PromoteRun(CatalogSession session, StagingNames names, PromoteRequest request, IOperationLog log,
        CancellationToken cancellationToken)
    {
        private readonly PromoteTracking _tracking = PromoteCatalog.Tracking(names.DeployId);
        private readonly List<string> _sinks = [];
        private readonly List<string> _repointed = [];
        private readonly List<string> _replacements = [];
        private readonly List<string> _droppedUnmanaged = [];
        private IReadOnlyList<DeploymentConflict> _overridden = [];
        private IReadOnlyDictionary<string, long> _epochsAtPlan = new Dictionary<string, long>();
        private KeptVersion? _kept;

        /// <summary>Whether the plan creates the claim marker: only for a deployment staged before stages claimed their ID.</summary>
        public bool CreateClaimMarker { get; private set; }

        /// <summary>Reads, checks (all but readiness) and plans, then lists what would run, guards evaluated against the catalog now.</summary>
        public async Task<PromoteResult> PreviewAsync()
        {
            var swappedMarker = await StageRecorder.MarkerExistsAsync(session, names.SwappedMarker, cancellationToken).ConfigureAwait(false);
            var deployment = await ReadDeploymentAsync(swappedMarker).ConfigureAwait(false);
            var state = PromoteStates.From(swappedMarker, deployment.Promoted);
            if (state == PromoteState.Finished)
            {
                throw Readiness.AlreadyPromoted(names.DeployId);
            }

            PromotePlan plan;
            if (state == PromoteState.NotStarted)
            {
                CreateClaimMarker = !await StageRecorder.MarkerExistsAsync(session, names.PendingMarker, cancellationToken).ConfigureAwait(false);
                await PreflightAsync(deployment, checkReadiness: false).ConfigureAwait(false);
                plan = await PlanAsync(deployment, PromoteState.NotStarted).ConfigureAwait(false);
                _overridden = plan.Conflicts;
                WarnAboutOverriddenConflicts(plan);
                await CheckSinksAsync(plan, refuse: false).ConfigureAwait(false);
                _droppedUnmanaged.AddRange((await CheckOwnershipAsync(deployment, plan).ConfigureAwait(false)).Select(u => u.ToString()));
            }
            else
            {
                log.Warning(new($"Deployment '{names.DeployId}' was swapped into production by a promote that did not finish: finishing it."));
                plan = await PlanAsync(deployment, PromoteState.Swapped).ConfigureAwait(false);
            }

            var guarded = plan.PostSwap.Where(s => s.GuardObject is not null).Select(s => s.GuardObject!).ToList();
            var script = PromoteScript.Build(plan, _tracking,
                await PromoteCatalog.ExistingAsync(session, guarded, cancellationToken).ConfigureAwait(false));
            log.Verbose($"Planned: {script.Statements.Count} statement(s) would run.");
            return new PromoteResult(names.DeployId, state, null, plan.SchemaSwaps, plan.ClusterSwaps, script.CreatedSinks, script.RepointedSinks,
                script.Replacements, plan.DroppedResources, _overridden, script.Statements.Select(s => s.Display).ToList(), 0, _droppedUnmanaged)
            {
                Kept = plan.Kept,
            };
        }

        /// <param name="statements">Where each statement run is recorded.</param>
        /// <param name="preparedFrom">The state the preview was planned from.</param>
        /// <param name="createClaimMarker">The preview found no claim marker on a deployment nothing had swapped.</param>
        public async Task<PromoteResult> ExecuteAsync(StatementLog statements, PromoteState preparedFrom, bool createClaimMarker)
        {
            CreateClaimMarker = createClaimMarker;
            var swappedMarker = await StageRecorder.MarkerExistsAsync(session, names.SwappedMarker, cancellationToken).ConfigureAwait(false);
            var deployment = await ReadDeploymentAsync(swappedMarker).ConfigureAwait(false);
            var state = PromoteStates.From(swappedMarker, deployment.Promoted);
            if (state == PromoteState.Finished)
            {
                throw Readiness.AlreadyPromoted(names.DeployId);
            }

            if (state == PromoteState.Swapped && preparedFrom == PromoteState.NotStarted)
            {
                // Swapped since this promote read the state: another promote of this deployment is running (or stopped
                // right after its swap). Finishing it at the same time would race it; say what happened instead.
                throw SwappedByAnother(null);
            }

            var attempts = 0;
            var plan = default(PromotePlan);
            if (state == PromoteState.NotStarted)
            {
                try
                {
                    await PreflightAsync(deployment).ConfigureAwait(false);
                }
                catch (MzDeployException e) when (e.ErrorId != ErrorIds.ConnectionFailed.Id)
                {
                    // A twin promote that swapped and finished meanwhile dropped the staging copies this pre-flight
                    // looks for: report that, not the missing copies.
                    await StopIfPromotedConcurrentlyAsync(e).ConfigureAwait(false);
                    throw;
                }

                (plan, attempts) = await SwapAsync(deployment).ConfigureAwait(false);
            }
            else
            {
                log.Warning(new($"Deployment '{names.DeployId}' was swapped into production by a promote that did not finish: finishing it."));
            }

            // From here on the swap has committed: whatever fails, production runs the new version, and the error must
            // say so and how to finish.
            try
            {
                // Re-plan from what the catalog now shows, exactly as a resumed promote would.
                deployment = plan is null ? deployment : await ReadDeploymentAsync(swapped: true).ConfigureAwait(false);
                plan = await PlanAsync(deployment, PromoteState.Swapped).ConfigureAwait(false);
                await FinishAsync(plan, deployment).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                log.Warning(new($"Stopped after the swap: deployment '{names.DeployId}' is live in production.",
                    new RerunPromote(names.DeployId, Effect: "it creates and repoints sinks and drops the old copies.")));
                throw;
            }
            catch (MzDeployException e)
            {
                throw new MzDeployException(ErrorIds.PromoteIncomplete,
                    $"deployment '{names.DeployId}' is live in production, but finishing its promote failed: {e.Message}", names.DeployId,
                    new RerunPromote(names.DeployId, First: "Fix the cause",
                        Effect: "it resumes where this stopped (creating sinks, repointing sinks, dropping the old copies)."), e)
                { SqlState = e.SqlState };
            }

            var promotedAt = await ReadPromotedAtAsync().ConfigureAwait(false);
            log.Verbose($"Promoted '{names.DeployId}' at {promotedAt:u} ({statements.Statements.Count} statement(s), {Math.Max(attempts, 1)} attempt(s)).");
            return new PromoteResult(names.DeployId, state, promotedAt, plan.SchemaSwaps, plan.ClusterSwaps, _sinks, _repointed, _replacements,
                plan.DroppedResources, _overridden, statements.Statements, attempts, _droppedUnmanaged)
            {
                Kept = plan.Kept,
                KeptUntil = _kept?.ExpiresAt,
            };
        }

        /// <summary>The promotion time; the promote is complete by now, so a failed read is a warning, not an error.</summary>
        private async Task<DateTimeOffset?> ReadPromotedAtAsync()
        {
            try
            {
                return await PromoteCatalog.PromotedAtAsync(session, names.DeployId, cancellationToken).ConfigureAwait(false);
            }
            catch (MzDeployException e)
            {
                log.Warning(new($"Deployment '{names.DeployId}' is promoted and its promote is complete; reading its promotion time failed: {e.Message}"));
                return null;
            }
        }

        private async Task<RecordedDeployment> ReadDeploymentAsync(bool swapped) =>
            await PromoteCatalog.ReadDeploymentAsync(session, names, swapped, cancellationToken).ConfigureAwait(false)
            ?? throw DeploymentQueries.NotFound(names.DeployId);

        /// <summary>Everything that can be found wrong before the swap, so that a promote that starts also finishes.</summary>
        private async Task PreflightAsync(RecordedDeployment deployment, bool checkReadiness = true)
        {
            // Conflicts first: when another deployment promoted the same schemas, that is the news, not the clusters it
            // replaced. And again when a later check fails: a concurrent promote may have swapped in the meantime, and
            // the clusters it dropped are then only a symptom.
            await CheckConflictsAsync(deployment).ConfigureAwait(false);
            try
            {
                await CheckResourcesAsync(deployment, checkReadiness).ConfigureAwait(false);
            }
            catch (MzDeployException e) when (e.ErrorId != ErrorIds.ConnectionFailed.Id)
            {
                await CheckConflictsAsync(deployment).ConfigureAwait(false);
                throw;
            }
        }

        private async Task CheckConflictsAsync(RecordedDeployment deployment)
        {
            var conflicts = await FindConflictsAsync(deployment,
                await PromoteCatalog.MarkerNamesAsync(session, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            if (conflicts.Count > 0 && !request.OverwriteConflicts)
            {
                throw PromotePlanner.ConflictError(names.DeployId, conflicts);
            }
        }

        /// <summary>The recorded production clusters, readiness and the staging copies.</summary>
        private async Task CheckResourcesAsync(RecordedDeployment deployment, bool checkReadiness)
        {
            var missingClusters = await PromoteCatalog.MissingClustersAsync(session, names.DeployId, cancellationToken).ConfigureAwait(false);
            if (missingClusters.Count > 0)
            {
                throw new MzDeployException(ErrorIds.ProductionClusterMissing,
                    $"production cluster(s) recorded by deployment '{names.DeployId}' no longer exist ({string.Join(", ", missingClusters)}): "
                    + "they were dropped, or replaced by another promote, after it was staged", names.DeployId,
                    new Restage(names.DeployId));
            }

            if (checkReadiness && !request.NoReadyCheck)
            {
                var clusters = await ClusterStatusQuery.ReadAsync(session, [names.DeployId], request.AllowedLagSeconds, cancellationToken)
                    .ConfigureAwait(false);
                if (Readiness.Evaluate(names.DeployId, clusters, request.AllowedLagSeconds) is { } notReady)
                {
                    throw notReady;
                }

                log.Verbose($"Ready: {clusters.Count} staging cluster(s) hydrated within {request.AllowedLagSeconds}s of lag.");
            }

            var schemas = deployment.SwappedSchemas.Select(names.StagingSchemaOfProduction).ToList();
            var clustersToSwap = deployment.Clusters.Select(names.StagingClusterOfProduction).ToList();
            var present = (await StageRecorder.TakenNamesAsync(session, schemas, clustersToSwap, cancellationToken).ConfigureAwait(false)).ToHashSet();
            var missing = schemas.Select(s => $"schema {s}").Concat(clustersToSwap.Select(c => $"cluster {c}")).Where(n => !present.Contains(n)).ToList();
            if (missing.Count > 0)
            {
                throw new MzDeployException(ErrorIds.StagingResourceMissing,
                    $"deployment '{names.DeployId}' cannot be promoted: its staging copies are missing: {string.Join(", ", missing)}", names.DeployId,
                    new Restage(names.DeployId));
            }
        }

        /// <summary>
        /// The marker creations and the swap transaction, retried while a concurrent promote wins races. Returns the plan
        /// that ran and the number of attempts (0 in a dry run).
        /// </summary>
        private async Task<(PromotePlan Plan, int Attempts)> SwapAsync(RecordedDeployment deployment)
        {
            for (var attempt = 1; ; attempt++)
            {
                var plan = await PlanAsync(deployment, PromoteState.NotStarted).ConfigureAwait(false);
                _overridden = plan.Conflicts;
                if (attempt == 1)
                {
                    await CheckSinksAsync(plan, refuse: true).ConfigureAwait(false);
                    WarnAboutOverriddenConflicts(plan);
                }

                // As close to the swap as Materialize allows (a DDL transaction cannot read the catalog): objects can
                // appear in a schema or on a cluster between stage and promote. FinishAsync checks the old copies again
                // before dropping them.
                await CheckOwnershipAsync(deployment, plan).ConfigureAwait(false);
                foreach (var statement in plan.PreSwap)
                {
                    await session.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    log.Verbose($"Swapping {plan.SchemaSwaps.Count} schema(s) and {plan.ClusterSwaps.Count} cluster(s) in one transaction.");
                    await session.ExecuteTransactionAsync(plan.SwapTransaction.Select(s => s.Sql).ToList(), cancellationToken).ConfigureAwait(false);
                    return (plan, attempt);
                }
                catch (MzDeployException e) when (e.ErrorId == ErrorIds.ConnectionFailed.Id)
                {
                    throw new MzDeployException(ErrorIds.PromoteInterrupted,
                        $"the connection was lost during the swap transaction of deployment '{names.DeployId}': {e.Message}", names.DeployId,
                        new RerunPromote(names.DeployId, Effect: "it finds out whether the swap committed, then finishes or retries."), e);
                }
                catch (MzDeployException e)
                {
                    // First: a promote of this same deployment that swapped after this one's pre-flight makes this
                    // transaction fail on the names it moved (no race in the catalog's sense: the epochs were read
                    // after it committed), and this promote re-created the pending marker it had renamed.
                    await StopIfPromotedConcurrentlyAsync(e).ConfigureAwait(false);
                    if (!await LostRaceAsync(e, plan).ConfigureAwait(false))
                    {
                        throw;
                    }

                    if (attempt >= MaxAttempts)
                    {
                        throw new MzDeployException(ErrorIds.PromoteRaceLost,
                            $"deployment '{names.DeployId}' lost {attempt} swap races to concurrent catalog changes; nothing was swapped", names.DeployId,
                            new Advice("Run the promote again when the other deployments are done."), e);
                    }

                    log.Warning(new($"A concurrent promote changed the catalog (attempt {attempt} of {MaxAttempts}): nothing was swapped; checking again."));
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt + Random.Shared.Next(100)), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <summary>
        /// After a lost race: when the winner promoted this same deployment, this promote has nothing left to do. Its
        /// marker creation may have re-made the pending marker after the winner renamed it: drop that leftover, then
        /// say what happened instead of swapping again.
        /// </summary>
        private async Task StopIfPromotedConcurrentlyAsync(MzDeployException lost)
        {
            var swapped = await StageRecorder.MarkerExistsAsync(session, names.SwappedMarker, cancellationToken).ConfigureAwait(false);
            var recorded = await StageRecorder.ReadDeploymentAsync(session, names.DeployId, cancellationToken).ConfigureAwait(false);
            if (!swapped && recorded is not { Promoted: true })
            {
                return;
            }

            if (CreateClaimMarker)
            {
                // Only a promote that created the claim marker itself may have re-made it after the winner renamed it.
                await session.ExecuteAsync(ClaimStatements.Release(names), cancellationToken).ConfigureAwait(false);
            }

            throw SwappedByAnother(lost, finished: recorded is { Promoted: true });
        }

        /// <summary>The <c>DeploymentAlreadyPromoted</c> error of a promote that lost to a twin promote of the same deployment.</summary>
        private MzDeployException SwappedByAnother(Exception? lost, bool finished = false) =>
            new(ErrorIds.DeploymentAlreadyPromoted,
                $"deployment '{names.DeployId}' was promoted by another promote running at the same time, which swapped first; "
                + "this one changed nothing", names.DeployId,
                finished
                    ? new Advice("Nothing to do: the deployment is live.")
                    : new RerunPromote(names.DeployId, First: "The other promote is finishing it; if it stopped",
                        Effect: "it finishes the promote."), lost);

        /// <summary>
        /// Whether a failed swap transaction lost a race: Materialize's DDLTransactionRace (SQLSTATE 40001), or an epoch
        /// marker of this plan moved on while the transaction ran (another promote renamed it first).
        /// </summary>
        private async Task<bool> LostRaceAsync(MzDeployException error, PromotePlan plan)
        {
            if (error.SqlState == "40001")
            {
                return true;
            }

            var epochs = PromotionMarker.EpochsFromSchemaNames(
                await PromoteCatalog.MarkerNamesAsync(session, cancellationToken).ConfigureAwait(false));
            return plan.NextEpochs.Keys.Any(key => epochs.GetValueOrDefault(key, -1) != _epochsAtPlan.GetValueOrDefault(key, -1));
        }

        private async Task<PromotePlan> PlanAsync(RecordedDeployment deployment, PromoteState state)
        {
            var markers = await PromoteCatalog.MarkerNamesAsync(session, cancellationToken).ConfigureAwait(false);
            var conflicts = state == PromoteState.NotStarted
                ? await FindConflictsAsync(deployment, markers).ConfigureAwait(false)
                : [];
            _epochsAtPlan = PromotionMarker.EpochsFromSchemaNames(markers);
            var (keep, keepRecord) = await PlanKeepAsync(deployment, state).ConfigureAwait(false);
            return PromotePlanner.Plan(new PromoteInput(deployment, names)
            {
                Keep = keep,
                KeepRecord = keepRecord,
                State = state,
                MarkerEpochs = _epochsAtPlan,
                StaleMarkers = PromotionMarker.StaleEpochMarkers(markers),
                Conflicts = conflicts,
                SinksToRepoint = await SinksToRepointAsync(deployment, state).ConfigureAwait(false),
                OverwriteConflicts = request.OverwriteConflicts,
                CreateClaimMarker = CreateClaimMarker && state == PromoteState.NotStarted,
            });
        }

        /// <summary>
        /// What the promote keeps instead of dropping, and the statements recording it before the swap. Before the swap
        /// the request decides (an earlier attempt's record is replaced, or forgotten when this one keeps nothing); once
        /// swapped, the record decides, so a resumed promote keeps what the interrupted one was asked to keep.
        /// </summary>
        private async Task<(IReadOnlyList<KeptResource> Keep, IReadOnlyList<PlannedStatement> Record)> PlanKeepAsync(RecordedDeployment deployment,
            PromoteState state)
        {
            _kept = (await KeptVersionCatalog.ReadAsync(session, names.DeployId, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            if (state != PromoteState.NotStarted)
            {
                return (_kept?.Resources ?? [], []);
            }

            if (request.KeepPrevious is not { } window)
            {
                return ([], _kept is null ? [] : [KeptVersionCatalog.Forget(names.DeployId)]);
            }

            var previous = await KeptVersionCatalog.ProductionDeploymentsAsync(session, cancellationToken).ConfigureAwait(false);
            var keep = KeptVersionPlanner.Keep(deployment, names, _epochsAtPlan, previous);
            return (keep, KeptVersionCatalog.RecordStatements(names.DeployId, keep, window));
        }

        /// <summary>Promotions of this deployment's schemas since it was staged, finished or still finishing (swap marker present).</summary>
        private async Task<IReadOnlyList<DeploymentConflict>> FindConflictsAsync(RecordedDeployment deployment, IReadOnlyList<string> markers)
        {
            var production = await PromoteCatalog.ProductionAsync(session, cancellationToken).ConfigureAwait(false);
            var inFlight = new List<RecordedDeployment>();
            foreach (var other in markers.Select(PromotionMarker.SwappedDeployId).OfType<DeployId>().Where(id => id != names.DeployId))
            {
                if (await StageRecorder.ReadDeploymentAsync(session, other, cancellationToken).ConfigureAwait(false) is { } recorded)
                {
                    inFlight.Add(recorded);
                }
            }

            return ConflictCheck.Find(deployment, production, inFlight);
        }

        /// <summary>
        /// Sinks outside the deployment that read an object it swaps out. Before the swap they read the production
        /// schemas; after it, the old copies now under the staging names. Either way they must end up on the
        /// production-named object.
        /// </summary>
        private async Task<IReadOnlyList<SinkToRepoint>> SinksToRepointAsync(RecordedDeployment deployment, PromoteState state)
        {
            var production = deployment.SwappedSchemas;
            var readFrom = state == PromoteState.Swapped ? production.Select(names.StagingSchemaOfProduction).ToList() : production;
            var sinks = await PromoteCatalog.DependentSinksAsync(session, readFrom, cancellationToken).ConfigureAwait(false);
            return sinks.Select(s => new SinkToRepoint(s.Sink,
                    state == PromoteState.Swapped
                        ? s.Dependency with { Schema = names.ProductionNameOf(s.Dependency.Schema) ?? s.Dependency.Schema }
                        : s.Dependency))
                .ToList();
        }

        private void WarnAboutOverriddenConflicts(PromotePlan plan)
        {
            if (plan.Conflicts.Count > 0)
            {
                log.Warning(new($"overwriting schema(s) promoted since '{names.DeployId}' was staged: {string.Join(", ", plan.Conflicts)}",
                    Because: RequestOption.OverwriteConflicts));
            }
        }

        /// <summary>
        /// A sink reading an object the new version does not have would be dropped with the old copy: refuse before
        /// swapping (<paramref name="refuse"/>), or, in a preview, warn.
        /// </summary>
        private async Task CheckSinksAsync(PromotePlan plan, bool refuse)
        {
            var repoints = plan.PostSwap.Where(s => s.Kind == PlannedStatementKind.RepointSink).ToList();
            var staged = repoints.Select(s => StagedCopy(s.GuardObject!)).ToList();
            var existing = await PromoteCatalog.ExistingAsync(session, staged, cancellationToken).ConfigureAwait(false);
            var orphaned = repoints.Where(s => !existing.Contains(StagedCopy(s.GuardObject!))).Select(s => $"{s.Target} reads {s.GuardObject}").ToList();
            if (orphaned.Count == 0)
            {
                return;
            }

            var error = new MzDeployException(ErrorIds.SinkSourceRemoved,
                $"deployment '{names.DeployId}' removes objects that sinks outside it read: {string.Join("; ", orphaned)}. "
                + "Promoting would leave those sinks on the old copies, which the promote then drops", names.DeployId,
                new Advice("Keep the objects in the project, or drop or change the sinks first (ALTER SINK … SET FROM), then promote."));
            if (refuse)
            {
                throw error;
            }

            log.Warning(new(error.Message));
        }

        /// <summary>
        /// Refuses (or, opted in, warns) when a schema or cluster the swap moves holds objects the deployment does not own.
        /// Returns what an opted-in promote will drop.
        /// </summary>
        private async Task<IReadOnlyList<UnmanagedObject>> CheckOwnershipAsync(RecordedDeployment deployment, PromotePlan plan)
        {
            var schemas = plan.SchemaSwaps.Select(s => s.Production).ToList();
            var clusters = plan.ClusterSwaps.Select(c => c.Production).ToList();
            var unmanaged = await OwnershipCatalog.FindUnmanagedAsync(session, deployment.DeployId, schemas, clusters, null, cancellationToken)
                .ConfigureAwait(false);
            if (unmanaged.Count == 0)
            {
                return unmanaged;
            }

            if (!request.DropUnmanagedObjects)
            {
                throw OwnershipCheck.Refusal(names.DeployId, unmanaged, "cannot be promoted: the swap");
            }

            log.Warning(new($"the promote of '{names.DeployId}' drops {unmanaged.Count} object(s) the project does not own: "
                            + string.Join("; ", unmanaged), Because: RequestOption.DropUnmanagedObjects));
            return unmanaged;
        }

        /// <summary>
        /// The last proof before the drops: the old copies (staging names now) hold only what the deployment owns. Opted
        /// in, what they hold beyond that is recorded in the promotion record first; otherwise nothing is dropped and
        /// the promote stops (resumable) naming the objects.
        /// </summary>
        private async Task CheckOldCopiesAsync(PromotePlan plan, RecordedDeployment deployment)
        {
            var swapped = plan.SchemaSwaps.Select(s => s.Production).Concat(deployment.ReplacedSchemas).Distinct().ToList();
            var schemas = swapped.Select(names.StagingSchemaOfProduction).ToList();
            var clusters = plan.ClusterSwaps.Select(c => c.Staging).ToList();
            // Named as they are now (the old copies carry the staging names), so the user finds them.
            var unmanaged = await OwnershipCatalog.FindUnmanagedAsync(session, deployment.DeployId, schemas, clusters,
                recorded => OwnershipCheck.WithStagingCopies(recorded, names, swapped), cancellationToken).ConfigureAwait(false);
            if (unmanaged.Count == 0)
            {
                return;
            }

            if (!request.DropUnmanagedObjects)
            {
                throw OwnershipCheck.Refusal(names.DeployId, unmanaged, "is live, but dropping its old copies");
            }

            await OwnershipCatalog.RecordDropsAsync(session, names.DeployId, unmanaged, cancellationToken).ConfigureAwait(false);
            _droppedUnmanaged.AddRange(unmanaged.Select(u => u.ToString()));
        }

        private ObjectId StagedCopy(ObjectId production) => production with { Schema = names.StagingSchemaName(production.Schema) };

        /// <summary>
        /// The rest of the plan as <see cref="PromoteScript"/> lists it (the same list a preview shows): post-swap steps
        /// (guards evaluated now), <c>promoted_at</c>, the drops of the old copies (after proving they hold only what the
        /// deployment owns), the tracking-row cleanup, then the progress marker.
        /// </summary>
        private async Task FinishAsync(PromotePlan plan, RecordedDeployment deployment)
        {
            var guarded = plan.PostSwap.Where(s => s.GuardObject is not null).Select(s => s.GuardObject!).ToList();
            var existing = await PromoteCatalog.ExistingAsync(session, guarded, cancellationToken).ConfigureAwait(false);
            var script = PromoteScript.Build(plan, _tracking, existing);
            foreach (var skipped in plan.PostSwap.Where(s => s.Kind is PlannedStatementKind.CreateSink or PlannedStatementKind.ApplyReplacement
                                                             && !script.Statements.Contains(s)))
            {
                log.Verbose(skipped.Kind == PlannedStatementKind.CreateSink
                    ? $"Sink {skipped.Target} exists already."
                    : $"Replacement of {skipped.Target} was applied already.");
            }

            await SwapScriptRunner.RunAsync(session, script.Statements, existing, () => CheckOldCopiesAsync(plan, deployment),
                statement => new MzDeployException(ErrorIds.SinkRepointFailed,
                    $"sink {statement.Target} cannot be repointed: {statement.GuardObject} does not exist in production", statement.Target,
                    new Advice("Drop or change the sink (ALTER SINK … SET FROM), then run the promote again to drop the old copies.")),
                log, cancellationToken).ConfigureAwait(false);

            // A sink that exists already (created by an earlier, interrupted run) is not reported as created.
            _sinks.AddRange(script.CreatedSinks);
            _repointed.AddRange(script.RepointedSinks);
            _replacements.AddRange(script.Replacements);
        }
    }
}
