using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning;

/// <summary>A sink outside the swapped schemas that reads an object about to be swapped out, and what it must read after.</summary>
/// <param name="Sink">The sink (production name).</param>
/// <param name="Dependency">The production name of the object it must read after the swap (the new copy).</param>
internal sealed record SinkToRepoint(ObjectId Sink, ObjectId Dependency);

/// <summary>What a promote starts from. Everything but <see cref="Deployment"/> and its <see cref="Names"/> is optional.</summary>
/// <param name="Deployment">The deployment as its tracking rows describe it.</param>
/// <param name="Names">Its names, built once by the operation.</param>
internal sealed record PromoteInput(RecordedDeployment Deployment, StagingNames Names)
{
    /// <summary>How far an earlier promote of this deployment got.</summary>
    public PromoteState State { get; init; } = PromoteState.NotStarted;

    /// <summary>Current epoch per marker key (<see cref="PromotionMarker.EpochsFromSchemaNames"/>); a missing key has no marker yet.</summary>
    public IReadOnlyDictionary<string, long> MarkerEpochs { get; init; } = new Dictionary<string, long>();

    /// <summary>Conflicts found by <see cref="ConflictCheck.Find"/>.</summary>
    public IReadOnlyList<DeploymentConflict> Conflicts { get; init; } = Array.Empty<DeploymentConflict>();

    /// <summary>Sinks to move onto the new objects after the swap.</summary>
    public IReadOnlyList<SinkToRepoint> SinksToRepoint { get; init; } = Array.Empty<SinkToRepoint>();

    /// <summary>Epoch marker names to drop at cleanup (<see cref="PromotionMarker.StaleEpochMarkers"/>).</summary>
    public IReadOnlyList<string> StaleMarkers { get; init; } = Array.Empty<string>();

    /// <summary>Promote despite conflicts (the request opted in).</summary>
    public bool OverwriteConflicts { get; init; }

    /// <summary>
    /// The deployment has no claim marker (<c>deploy_&lt;id&gt;_pending</c>) although nothing swapped it: it was staged
    /// before stages claimed their ID, so the promote creates the marker first. Otherwise the promote never creates it:
    /// its rename inside the swap transaction is what makes a second promote of the same deployment fail.
    /// </summary>
    public bool CreateClaimMarker { get; init; }

    /// <summary>
    /// The progress markers (claim, then swapped) the swap transaction renames; a promote's own by default. An undo swaps
    /// with this same plan under markers of its own, so a promote and an undo of one deployment never read each other's.
    /// </summary>
    public ProgressMarkers? Markers { get; init; }

    /// <summary>
    /// Keep the previous production version (the schemas and clusters the swap moves under the staging names) instead of
    /// dropping it at cleanup: <see cref="KeptVersionPlanner.Keep"/> says what, and <see cref="KeepRecord"/> records it.
    /// </summary>
    public IReadOnlyList<KeptResource> Keep { get; init; } = Array.Empty<KeptResource>();

    /// <summary>
    /// The tracking statements (from the catalog layer) that record <see cref="Keep"/> (or, with nothing to keep, forget an
    /// earlier attempt's record), run before the swap so that a promote resumed after a crash still keeps what was asked.
    /// </summary>
    public IReadOnlyList<PlannedStatement> KeepRecord { get; init; } = Array.Empty<PlannedStatement>();
}

/// <summary>The progress markers of one swap: created (or claimed) before it, renamed to <paramref name="Swapped"/> inside it.</summary>
/// <param name="Pending">The claim marker's name in <c>_mz_deploy</c>.</param>
/// <param name="Swapped">Its name once the swap committed; dropped last.</param>
internal sealed record ProgressMarkers(string Pending, string Swapped)
{
    /// <summary>A promote's markers: <c>deploy_&lt;id&gt;_pending</c> and <c>deploy_&lt;id&gt;_swapped</c>.</summary>
    public static ProgressMarkers Promote(StagingNames names) => new(names.PendingMarker, names.SwappedMarker);
}

/// <summary>
/// Everything one promote does, as a value. Run <see cref="PreSwap"/> one statement at a time, then
/// <see cref="SwapTransaction"/> between <c>BEGIN</c> and <c>COMMIT</c> (only SWAP and RENAME statements), then
/// <see cref="PostSwap"/> one at a time (honouring each statement's guard), then set <c>promoted_at</c>, then
/// <see cref="Cleanup"/>, then delete the deployment's pending statement, replacement and cluster rows, then
/// <see cref="Finish"/> (the progress marker goes last, so a crash before it resumes the cleanup). Re-planning
/// after a crash at any point (with the state read again) resumes correctly. When <c>COMMIT</c> fails (a marker
/// rename lost a race, or Materialize reports DDLTransactionRace), nothing was swapped: read the epochs and conflicts
/// again and re-plan, a bounded number of times.
/// </summary>
internal sealed class PromotePlan
{
    internal PromotePlan(DeployId deployId, PromoteState state, IReadOnlyList<SchemaMapping> schemaSwaps, IReadOnlyList<ClusterMapping> clusterSwaps,
        IReadOnlyList<DeploymentConflict> conflicts, IReadOnlyList<PlannedStatement> preSwap, IReadOnlyList<PlannedStatement> swap,
        IReadOnlyList<PlannedStatement> postSwap, IReadOnlyList<PlannedStatement> cleanup, IReadOnlyList<PlannedStatement> finish,
        IReadOnlyDictionary<string, long> nextEpochs, IReadOnlyList<KeptResource> kept)
    {
        Kept = kept;
        DeployId = deployId;
        State = state;
        SchemaSwaps = schemaSwaps;
        ClusterSwaps = clusterSwaps;
        Conflicts = conflicts;
        PreSwap = preSwap;
        SwapTransaction = swap;
        PostSwap = postSwap;
        Cleanup = cleanup;
        Finish = finish;
        NextEpochs = nextEpochs;
    }

    public DeployId DeployId { get; }

    /// <summary>The state the plan starts from.</summary>
    public PromoteState State { get; }

    /// <summary>Production schema ↔ staging schema.</summary>
    public IReadOnlyList<SchemaMapping> SchemaSwaps { get; }

    /// <summary>Production cluster ↔ staging cluster.</summary>
    public IReadOnlyList<ClusterMapping> ClusterSwaps { get; }

    /// <summary>Conflicts the request opted to overwrite.</summary>
    public IReadOnlyList<DeploymentConflict> Conflicts { get; }

    /// <summary>Marker schemas to create before the transaction (idempotent).</summary>
    public IReadOnlyList<PlannedStatement> PreSwap { get; }

    /// <summary>The statements of the swap transaction, in order. Empty when the swap already happened.</summary>
    public IReadOnlyList<PlannedStatement> SwapTransaction { get; }

    /// <summary>Deferred sinks, in-place replacements and sink repointing, after the swap.</summary>
    public IReadOnlyList<PlannedStatement> PostSwap { get; }

    /// <summary>Drops of exactly the recorded old copies and of stale epoch markers; after <c>promoted_at</c> is set.</summary>
    public IReadOnlyList<PlannedStatement> Cleanup { get; }

    /// <summary>The drop of the progress marker, after the tracking rows are deleted: the promote is then complete.</summary>
    public IReadOnlyList<PlannedStatement> Finish { get; }

    /// <summary>The previous production version kept instead of dropped (empty unless the promote keeps it).</summary>
    public IReadOnlyList<KeptResource> Kept { get; }

    /// <summary>Each marker key's epoch once the swap commits.</summary>
    public IReadOnlyDictionary<string, long> NextEpochs { get; }

    /// <summary>What <see cref="Cleanup"/> drops, display form (<c>schema db.s_id</c>, <c>cluster c_id</c>).</summary>
    public IReadOnlyList<string> DroppedResources =>
        Cleanup.Where(s => s.Kind is PlannedStatementKind.DropSchema or PlannedStatementKind.DropCluster)
            .Select(s => (s.Kind == PlannedStatementKind.DropSchema ? "schema " : "cluster ") + s.Target)
            .ToList();

    /// <summary>Every statement in execution order (for display; the transaction boundary is not shown).</summary>
    public IEnumerable<PlannedStatement> Statements => PreSwap.Concat(SwapTransaction).Concat(PostSwap).Concat(Cleanup).Concat(Finish);

    /// <summary>Nothing left to run.</summary>
    public bool IsComplete => !Statements.Any();
}
