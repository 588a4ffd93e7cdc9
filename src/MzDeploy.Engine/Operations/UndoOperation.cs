using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Operations;

/// <summary>What an undo did (or, in a preview, would do).</summary>
/// <param name="DeployId">The deployment rolled back.</param>
/// <param name="RollbackId">The promotion the rollback is recorded as in the history.</param>
/// <param name="StartedFrom"><see cref="PromoteState.Swapped"/> when it finished an interrupted undo.</param>
/// <param name="SchemaSwaps">Production schema ↔ kept copy.</param>
/// <param name="ClusterSwaps">Production cluster ↔ kept copy.</param>
/// <param name="RepointedSinks">Sinks moved back onto the restored objects (<c>sink -> object</c>).</param>
/// <param name="DroppedResources">The rolled-back version, dropped after the swap (<c>schema db.s_id</c>, <c>cluster c_id</c>).</param>
/// <param name="Statements">Every statement that changed the database (or would), in order.</param>
/// <param name="Attempts">Swap transactions tried.</param>
public sealed record UndoResult(string DeployId, string RollbackId, PromoteState StartedFrom, IReadOnlyList<SchemaMapping> SchemaSwaps,
    IReadOnlyList<ClusterMapping> ClusterSwaps, IReadOnlyList<string> RepointedSinks, IReadOnlyList<string> DroppedResources,
    IReadOnlyList<string> Statements, int Attempts);

/// <summary>
/// Swaps a kept previous version back into production: the promote's own plan (<see cref="PromotePlanner"/>) over the kept
/// copies, under the undo's progress markers (<c>undo_&lt;id&gt;_pending</c> → <c>undo_&lt;id&gt;_swapped</c>), so it has the
/// promote's compare-and-swap (every resource's epoch marker renamed inside the one transaction) and its resumability (the
/// swapped marker says the swap committed; running again finishes). Refuses once the window ended or a later promote moved
/// any resource's epoch. After the swap: sinks back onto the restored objects, the rollback recorded as a promotion,
/// the rolled-back version dropped (ownership proven first), the keep record forgotten, the marker dropped.
/// </summary>
public sealed class UndoOperation : PlannedOperation<UndoResult>
{
    private readonly UndoRun _run;

    private UndoOperation(VerifiedSession verified, UndoResult plan, UndoRun run)
        : base(verified, plan) => _run = run;

    /// <summary>Reads, checks and plans; changes nothing. <paramref name="deployId"/> null: the latest kept version.</summary>
    public static async Task<UndoOperation> PrepareAsync(ConnectionTarget target, string? deployId, IOperationLog log, CancellationToken cancellationToken)
    {
        var id = deployId is null ? (DeployId?)null : Model.DeployId.Parse(deployId);
        var statements = new StatementLog();
        var verified = await VerifiedSession.OpenAsync(target, RoleRequirement.Deployer, log, cancellationToken, statements,
            dropExpiredKeptVersions: false).ConfigureAwait(false);
        try
        {
            id ??= (await KeptVersionCatalog.ReadAsync(verified.Session, null, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(k => k.Promoted)?.DeployId ?? throw KeptVersionPlanner.NothingKept(null, "no promote kept its previous version");
            var run = new UndoRun(verified, new StagingNames(id.Value), statements, log, cancellationToken);
            var preview = await run.PreviewAsync().ConfigureAwait(false);
            return new UndoOperation(verified, preview, run);
        }
        catch
        {
            await verified.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Undoes: checks again, swaps back, finishes.</summary>
    /// <remarks>Logs to, and is cancelled by, what <see cref="PrepareAsync"/> was given (one cmdlet invocation).</remarks>
    public Task<UndoResult> ExecuteAsync() => _run.ExecuteAsync(Plan.StartedFrom);

    private sealed class UndoRun(VerifiedSession verified, StagingNames names, StatementLog statements, IOperationLog log, CancellationToken cancellationToken)
    {
        private readonly ProgressMarkers _markers = new(PromotionMarker.UndoPendingName(names.DeployId), PromotionMarker.UndoSwappedName(names.DeployId));
        private CatalogSession Session => verified.Session;

        public DeployId RollbackId => KeptVersionPlanner.RollbackId(names.DeployId);

        public async Task<UndoResult> PreviewAsync()
        {
            var (state, plan, script) = await PlanAsync(check: true).ConfigureAwait(false);
            return Result(state, plan, script.RepointedSinks, script.Statements.Select(s => s.Display).ToList(), 0);
        }

        public async Task<UndoResult> ExecuteAsync(PromoteState preparedFrom)
        {
            var (state, plan, _) = await PlanAsync(check: true).ConfigureAwait(false);
            if (state == PromoteState.Swapped && preparedFrom == PromoteState.NotStarted)
            {
                throw new MzDeployException(ErrorIds.UndoIncomplete,
                    $"another undo of deployment '{names.DeployId}' swapped it back since this one read the state; this one changed nothing",
                    names.DeployId, new RerunUndo(names.DeployId, First: "If that undo stopped", Effect: "it finishes the undo."));
            }

            var attempts = 0;
            if (state == PromoteState.NotStarted)
            {
                attempts = await SwapAsync(plan).ConfigureAwait(false);
            }
            else
            {
                log.Warning(new($"An undo of deployment '{names.DeployId}' swapped the previous version back and did not finish: finishing it."));
            }

            try
            {
                var (_, finish, script) = await PlanAsync(check: false).ConfigureAwait(false);
                await SwapScriptRunner.RunAsync(Session, script.Statements, script.Existing, () => CheckRolledBackCopiesAsync(finish),
                    statement => new MzDeployException(ErrorIds.UndoIncomplete,
                        $"sink {statement.Target} cannot be moved back: {statement.GuardObject} does not exist in the previous version", statement.Target,
                        new RerunUndo(names.DeployId, First: "Drop or change the sink (ALTER SINK … SET FROM)", Effect: "it drops the rolled-back version.")),
                    log, cancellationToken).ConfigureAwait(false);
                return Result(state, finish, script.RepointedSinks, statements.Statements, attempts) with
                {
                    SchemaSwaps = plan.SchemaSwaps,
                    ClusterSwaps = plan.ClusterSwaps,
                    DroppedResources = plan.DroppedResources.Count > 0 ? plan.DroppedResources : finish.DroppedResources,
                };
            }
            catch (MzDeployException e) when (e.ErrorId != ErrorIds.UndoIncomplete.Id)
            {
                throw new MzDeployException(ErrorIds.UndoIncomplete,
                    $"the previous version of deployment '{names.DeployId}' is back in production, but finishing the undo failed: {e.Message}",
                    names.DeployId, new RerunUndo(names.DeployId, First: "Fix the cause",
                        Effect: "it resumes where this stopped (moving sinks back, dropping the rolled-back version)."), e)
                { SqlState = e.SqlState };
            }
        }

        private UndoResult Result(PromoteState state, PromotePlan plan, IReadOnlyList<string> repointed, IReadOnlyList<string> run, int attempts) =>
            new(names.DeployId, RollbackId, state, plan.SchemaSwaps, plan.ClusterSwaps, repointed, plan.DroppedResources, run, attempts);

        /// <summary>Reads the state and the keep record, checks (before the swap) and plans the swap back.</summary>
        private async Task<(PromoteState State, PromotePlan Plan, PromoteScript Script)> PlanAsync(bool check)
        {
            var markers = await PromoteCatalog.MarkerNamesAsync(Session, cancellationToken).ConfigureAwait(false);
            var state = markers.Contains(_markers.Swapped, StringComparer.Ordinal) ? PromoteState.Swapped : PromoteState.NotStarted;
            var kept = (await KeptVersionCatalog.ReadAsync(Session, names.DeployId, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            if (kept is null && state == PromoteState.NotStarted)
            {
                throw KeptVersionPlanner.NothingKept(names.DeployId,
                    "its promote did not keep it, it was dropped (window ended, or dropped on request), or an undo used it");
            }

            var epochs = PromotionMarker.EpochsFromSchemaNames(markers);
            var resources = kept?.Resources ?? [];
            var deployment = KeptVersionPlanner.UndoDeployment(names.DeployId, resources, kept?.KeptAt ?? DateTimeOffset.MinValue);
            if (state == PromoteState.NotStarted && check)
            {
                await CheckAsync(kept!, epochs, markers, deployment).ConfigureAwait(false);
            }

            var plan = PromotePlanner.Plan(new PromoteInput(deployment, names)
            {
                State = state,
                Markers = _markers,
                MarkerEpochs = epochs,
                StaleMarkers = PromotionMarker.StaleEpochMarkers(markers),
                SinksToRepoint = await SinksAsync(deployment, state).ConfigureAwait(false),
                CreateClaimMarker = state == PromoteState.NotStarted && !markers.Contains(_markers.Pending, StringComparer.Ordinal),
            });
            var guarded = plan.PostSwap.Where(s => s.GuardObject is not null).Select(s => s.GuardObject!).ToList();
            var existing = await PromoteCatalog.ExistingAsync(Session, guarded, cancellationToken).ConfigureAwait(false);
            var tracking = KeptVersionCatalog.UndoTracking(names.DeployId, RollbackId, resources, verified.Role.User);
            return (state, plan, PromoteScript.Build(plan, tracking, existing));
        }

        /// <summary>Everything that can stop an undo before it swaps: the window, later promotes, the copies, ownership, sinks.</summary>
        private async Task CheckAsync(KeptVersion kept, IReadOnlyDictionary<string, long> epochs, IReadOnlyList<string> markers,
            RecordedDeployment deployment)
        {
            if (markers.Contains(names.SwappedMarker, StringComparer.Ordinal))
            {
                throw new MzDeployException(ErrorIds.DeploymentPartiallyPromoted,
                    $"deployment '{names.DeployId}' is still being promoted: its promote swapped and did not finish", names.DeployId,
                    new RerunPromote(names.DeployId, Effect: "it finishes the promote; then undo it."));
            }

            KeptVersionPlanner.CheckUndoable(kept, epochs);
            var present = (await StageRecorder.TakenNamesAsync(Session, kept.Resources.Where(r => r.Kind == KeptResourceKind.Schema).Select(r => r.StagingSchema),
                kept.Resources.Where(r => r.Kind == KeptResourceKind.Cluster).Select(r => r.StagingName), cancellationToken).ConfigureAwait(false)).ToHashSet();
            var missing = kept.Resources.Select(r => r.Kept).Where(k => !present.Contains(k)).ToList();
            if (missing.Count > 0)
            {
                throw KeptVersionPlanner.NothingKept(names.DeployId, $"its kept copies are gone ({string.Join(", ", missing)})");
            }

            if (await KeptVersionCatalog.DeploymentExistsAsync(Session, RollbackId, cancellationToken).ConfigureAwait(false))
            {
                throw KeptVersionPlanner.NothingKept(names.DeployId, $"the rollback record '{RollbackId}' exists already: it was undone before");
            }

            var unmanaged = await OwnershipCatalog.FindUnmanagedAsync(Session, names.DeployId, deployment.SwappedSchemas, deployment.Clusters, null,
                cancellationToken).ConfigureAwait(false);
            if (unmanaged.Count > 0)
            {
                throw OwnershipCheck.Refusal(names.DeployId, unmanaged, "cannot be undone: the swap back");
            }

            var sinks = await SinksAsync(deployment, PromoteState.NotStarted).ConfigureAwait(false);
            var staged = sinks.Select(s => s.Dependency with { Schema = names.StagingSchemaName(s.Dependency.Schema) }).ToList();
            var existing = await PromoteCatalog.ExistingAsync(Session, staged, cancellationToken).ConfigureAwait(false);
            var orphaned = sinks.Where(s => !existing.Contains(s.Dependency with { Schema = names.StagingSchemaName(s.Dependency.Schema) }))
                .Select(s => $"{s.Sink} reads {s.Dependency}").ToList();
            if (orphaned.Count > 0)
            {
                throw new MzDeployException(ErrorIds.SinkSourceRemoved,
                    $"deployment '{names.DeployId}' cannot be undone: sinks read objects its previous version does not have: {string.Join("; ", orphaned)}",
                    names.DeployId, new Advice("Drop or change those sinks first (ALTER SINK … SET FROM), then undo."));
            }
        }

        /// <summary>Sinks outside the swapped schemas reading the version the undo takes out (production names before the swap, staging names after).</summary>
        private async Task<IReadOnlyList<SinkToRepoint>> SinksAsync(RecordedDeployment deployment, PromoteState state)
        {
            var production = deployment.SwappedSchemas;
            var readFrom = state == PromoteState.Swapped ? production.Select(names.StagingSchemaOfProduction).ToList() : production;
            var sinks = await PromoteCatalog.DependentSinksAsync(Session, readFrom, cancellationToken).ConfigureAwait(false);
            return sinks.Select(s => new SinkToRepoint(s.Sink,
                    state == PromoteState.Swapped ? s.Dependency with { Schema = names.ProductionNameOf(s.Dependency.Schema) ?? s.Dependency.Schema } : s.Dependency))
                .ToList();
        }

        /// <summary>The swap transaction; a Materialize race (40001) is retried, a moved epoch means a later promote won: refuse.</summary>
        private async Task<int> SwapAsync(PromotePlan plan)
        {
            for (var attempt = 1; ; attempt++)
            {
                foreach (var statement in plan.PreSwap)
                {
                    await Session.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    log.Verbose($"Swapping {plan.SchemaSwaps.Count} schema(s) and {plan.ClusterSwaps.Count} cluster(s) back in one transaction.");
                    await Session.ExecuteTransactionAsync(plan.SwapTransaction.Select(s => s.Sql).ToList(), cancellationToken).ConfigureAwait(false);
                    return attempt;
                }
                catch (MzDeployException e) when (e.ErrorId == ErrorIds.ConnectionFailed.Id)
                {
                    throw new MzDeployException(ErrorIds.UndoInterrupted,
                        $"the connection was lost during the swap transaction of the undo of deployment '{names.DeployId}': {e.Message}", names.DeployId,
                        new RerunUndo(names.DeployId, Effect: "it finds out whether the swap committed, then finishes or swaps again."), e);
                }
                catch (MzDeployException e) when (e.SqlState == "40001" && attempt < PromoteOperation.MaxAttempts)
                {
                    log.Warning(new($"A concurrent change of the catalog (attempt {attempt} of {PromoteOperation.MaxAttempts}): nothing was swapped; trying again."));
                    (_, plan, _) = await PlanAsync(check: true).ConfigureAwait(false);
                }
                catch (MzDeployException)
                {
                    // A later promote that renamed an epoch marker first makes the rename fail: say that, when it is so.
                    (_, plan, _) = await PlanAsync(check: true).ConfigureAwait(false);
                    throw;
                }
            }
        }

        /// <summary>The last proof before the drops: the rolled-back version (staging names now) holds only what the deployment owns.</summary>
        private async Task CheckRolledBackCopiesAsync(PromotePlan plan)
        {
            var swapped = plan.SchemaSwaps.Select(s => s.Production).ToList();
            var unmanaged = await OwnershipCatalog.FindUnmanagedAsync(Session, names.DeployId, plan.SchemaSwaps.Select(s => s.Staging).ToList(),
                plan.ClusterSwaps.Select(c => c.Staging).ToList(), recorded => OwnershipCheck.WithStagingCopies(recorded, names, swapped),
                cancellationToken).ConfigureAwait(false);
            if (unmanaged.Count > 0)
            {
                throw OwnershipCheck.Refusal(names.DeployId, unmanaged, "is rolled back, but dropping the rolled-back version");
            }
        }
    }
}
