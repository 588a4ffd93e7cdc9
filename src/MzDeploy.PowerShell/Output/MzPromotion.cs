namespace MzDeploy;

/// <summary>What Publish-MzDeployment did: the cutover, what it created and repointed, what it dropped.</summary>
public sealed class MzPromotion
{
    internal MzPromotion(string deployId, DateTimeOffset? promotedAt, bool resumed, MzStagingName[] swappedSchemas, MzStagingName[] swappedClusters,
        string[] createdSinks, string[] repointedSinks, string[] replacedMaterializedViews, string[] droppedResources, string[] conflicts,
        int attempts, string[] statements, string[] droppedUnmanagedObjects)
    {
        DroppedUnmanagedObjects = droppedUnmanagedObjects;
        DeployId = deployId;
        PromotedAt = promotedAt;
        Resumed = resumed;
        SwappedSchemas = swappedSchemas;
        SwappedClusters = swappedClusters;
        CreatedSinks = createdSinks;
        RepointedSinks = repointedSinks;
        ReplacedMaterializedViews = replacedMaterializedViews;
        DroppedResources = droppedResources;
        Conflicts = conflicts;
        Attempts = attempts;
        Statements = statements;
    }

    public string DeployId { get; }

    /// <summary>When the deployment went live (server time).</summary>
    public DateTimeOffset? PromotedAt { get; }

    /// <summary>True when this run finished a promote that an earlier run had swapped but not completed.</summary>
    public bool Resumed { get; }

    /// <summary>Production schema ↔ staging schema, swapped in one transaction.</summary>
    public MzStagingName[] SwappedSchemas { get; }

    /// <summary>Production cluster ↔ staging cluster, swapped in the same transaction.</summary>
    public MzStagingName[] SwappedClusters { get; }

    /// <summary>Deferred sinks created after the swap (<c>db.schema.name</c>).</summary>
    public string[] CreatedSinks { get; }

    /// <summary>Existing sinks moved onto the new objects (<c>sink -> object</c>).</summary>
    public string[] RepointedSinks { get; }

    /// <summary>Materialized views of stable schemas replaced in place.</summary>
    public string[] ReplacedMaterializedViews { get; }

    /// <summary>The old copies dropped (<c>schema db.s_id</c>, <c>cluster c_id</c>).</summary>
    public string[] DroppedResources { get; }

    /// <summary>
    /// <see cref="DroppedResources"/> said as what they held: the previous production version of each swapped schema and
    /// cluster (<c>schema db.s (previous production version, named db.s_id by the swap)</c>).
    /// </summary>
    public string[] DroppedPreviousVersion => PreviousVersion.Describe(SwappedSchemas, SwappedClusters, DroppedResources);

    /// <summary>Conflicts overridden with -OverwriteConflicts.</summary>
    public string[] Conflicts { get; }

    /// <summary>Objects the project does not own that -DropUnmanagedObjects dropped (<c>kind name (owner …, in …)</c>); also in the promotion record.</summary>
    public string[] DroppedUnmanagedObjects { get; }

    /// <summary>Swap transactions tried (more than 1 when a concurrent promote won a race first).</summary>
    public int Attempts { get; }

    /// <summary>Every statement that changed the database, in order (BEGIN and COMMIT included).</summary>
    public string[] Statements { get; }

    /// <summary>
    /// The previous production version kept by -KeepPrevious instead of dropped, as it is named now
    /// (<c>schema db.s_id</c>, <c>cluster c_id</c>). Its clusters keep running, and costing, until the window ends.
    /// </summary>
    public string[] KeptPreviousVersion { get; internal init; } = [];

    /// <summary>When the rollback window ends (server time); null when nothing is kept, and in a plan (it starts at the swap).</summary>
    public DateTimeOffset? KeptUntil { get; internal init; }

    public override string ToString() => DeployId;
}

/// <summary>What Publish-MzDeployment -DryRun would do: the swaps, the post-swap steps, the drops and the exact SQL, in order.</summary>
public sealed class MzPromotePlan
{
    internal MzPromotePlan(string deployId, bool resume, MzStagingName[] schemas, MzStagingName[] clusters, string[] sinks, string[] repointedSinks,
        string[] replacedMaterializedViews, string[] droppedResources, string[] conflicts, string[] statements, string[] droppedUnmanagedObjects)
    {
        DroppedUnmanagedObjects = droppedUnmanagedObjects;
        DeployId = deployId;
        Resume = resume;
        Schemas = schemas;
        Clusters = clusters;
        Sinks = sinks;
        RepointedSinks = repointedSinks;
        ReplacedMaterializedViews = replacedMaterializedViews;
        DroppedResources = droppedResources;
        Conflicts = conflicts;
        Statements = statements;
    }

    public string DeployId { get; }

    /// <summary>True when the swap already happened and only the rest of an interrupted promote would run.</summary>
    public bool Resume { get; }

    /// <summary>Production schema ↔ staging schema.</summary>
    public MzStagingName[] Schemas { get; }

    /// <summary>Production cluster ↔ staging cluster.</summary>
    public MzStagingName[] Clusters { get; }

    /// <summary>Deferred sinks to create.</summary>
    public string[] Sinks { get; }

    /// <summary>Sinks to move onto the new objects.</summary>
    public string[] RepointedSinks { get; }

    /// <summary>Materialized views to replace in place.</summary>
    public string[] ReplacedMaterializedViews { get; }

    /// <summary>The old copies to drop.</summary>
    public string[] DroppedResources { get; }

    /// <summary>
    /// <see cref="DroppedResources"/> said as what they will hold: the previous production version of each schema and
    /// cluster the swap exchanges (<c>schema db.s (previous production version, named db.s_id by the swap)</c>).
    /// </summary>
    public string[] DroppedPreviousVersion => PreviousVersion.Describe(Schemas, Clusters, DroppedResources);

    /// <summary>Conflicts that -OverwriteConflicts would override.</summary>
    public string[] Conflicts { get; }

    /// <summary>Objects the project does not own that -DropUnmanagedObjects would drop.</summary>
    public string[] DroppedUnmanagedObjects { get; }

    /// <summary>The exact SQL, in execution order, the transaction's BEGIN and COMMIT included.</summary>
    public string[] Statements { get; }

    /// <summary>
    /// The previous production version kept by -KeepPrevious instead of dropped, as it is named now
    /// (<c>schema db.s_id</c>, <c>cluster c_id</c>). Its clusters keep running, and costing, until the window ends.
    /// </summary>
    public string[] KeptPreviousVersion { get; internal init; } = [];

    /// <summary>When the rollback window ends (server time); null when nothing is kept, and in a plan (it starts at the swap).</summary>
    public DateTimeOffset? KeptUntil { get; internal init; }

    public override string ToString() => DeployId;
}
