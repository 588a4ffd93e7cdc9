using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning;

/// <summary>A production schema and its staging copy (production names), with how the deployment records it.</summary>
public sealed record SchemaMapping(SchemaId Production, SchemaId Staging, DeploymentKind Kind);

/// <summary>A production cluster and its staging clone.</summary>
public sealed record ClusterMapping(string Production, string Staging);

/// <summary>
/// Everything one stage does, as a value: the change set that motivated it, the names it uses, the exact SQL in
/// execution order (one statement per round trip), and the tracking rows to record. A preview
/// and the executor all read this. To execute: check that no staging schema or cluster of <see cref="Schemas"/> and
/// <see cref="Clusters"/> exists yet (a name taken by something else must never be adopted, because abort drops
/// what is recorded), write <see cref="Records"/>, then run <see cref="Statements"/> one per round trip, in order. On
/// failure, <see cref="AbortPlanner"/> over the recorded deployment removes exactly what this stage created.
/// </summary>
public sealed class StagePlan
{
    internal StagePlan(StagingNames names, ChangeSet changes, IReadOnlyList<SchemaMapping> schemas, IReadOnlyList<ClusterMapping> clusters,
        IReadOnlyList<ObjectId> objects, IReadOnlyList<ObjectId> sinks, IReadOnlyList<ObjectId> replacements,
        IReadOnlyList<PlannedStatement> statements, StageRecords records)
    {
        Names = names;
        Changes = changes;
        Schemas = schemas;
        Clusters = clusters;
        Objects = objects;
        Sinks = sinks;
        ReplacementMaterializedViews = replacements;
        Statements = statements;
        Records = records;
    }

    public DeployId DeployId => Names.DeployId;

    /// <summary>The names the plan uses (deploy ID, profile suffix).</summary>
    public StagingNames Names { get; }

    public ChangeSet Changes { get; }

    /// <summary>Production schema → staging schema, for every schema that gets a staging copy.</summary>
    public IReadOnlyList<SchemaMapping> Schemas { get; }

    /// <summary>Production cluster → staging clone.</summary>
    public IReadOnlyList<ClusterMapping> Clusters { get; }

    /// <summary>Views and materialized views created in staging schemas (production names), dependencies first.</summary>
    public IReadOnlyList<ObjectId> Objects { get; }

    /// <summary>Sinks created at promote (production names).</summary>
    public IReadOnlyList<ObjectId> Sinks { get; }

    /// <summary>Materialized views replaced in place at promote (production names).</summary>
    public IReadOnlyList<ObjectId> ReplacementMaterializedViews { get; }

    /// <summary>Objects this stage creates a staging copy of: <see cref="Objects"/> and <see cref="ReplacementMaterializedViews"/>.</summary>
    public int StagedObjectCount => Objects.Count + ReplacementMaterializedViews.Count;

    /// <summary>The claim of the deploy ID, run before the tracking rows are written (<see cref="ClaimStatements.Claim(StagingNames)"/>).</summary>
    public PlannedStatement Claim => ClaimStatements.Claim(Names);

    /// <summary>The exact SQL, in execution order.</summary>
    public IReadOnlyList<PlannedStatement> Statements { get; }

    public StageRecords Records { get; }

    /// <summary>The deployment this plan records, as promote and abort will read it back.</summary>
    public RecordedDeployment AsRecorded(DateTimeOffset deployedAt) =>
        new(DeployId, deployedAt, Records.Schemas, Records.Clusters)
        {
            PendingStatements = Records.PendingStatements,
            Replacements = Records.Replacements,
        };

    /// <summary>Nothing to stage: no objects, sinks or replacements (for a planned stage, exactly when its change set is empty).</summary>
    public bool IsEmpty => Objects.Count == 0 && Sinks.Count == 0 && ReplacementMaterializedViews.Count == 0;

    /// <summary>
    /// A plan as a review saved it (the statements and records it holds run as they are; nothing is planned again). Its
    /// change set carries only the reasons (<see cref="ChangeSet.Dirty"/>): the compiled objects stayed with the review.
    /// </summary>
    public static StagePlan Reviewed(StagingNames names, IReadOnlyList<DirtyObject> reasons, IReadOnlyList<SchemaMapping> schemas,
        IReadOnlyList<ClusterMapping> clusters, IReadOnlyList<ObjectId> objects, IReadOnlyList<ObjectId> sinks, IReadOnlyList<ObjectId> replacements,
        IReadOnlyList<PlannedStatement> statements, StageRecords records) =>
        new(names, ChangeSet.ReasonsOnly(reasons), schemas, clusters, objects, sinks, replacements, statements, records);
}
