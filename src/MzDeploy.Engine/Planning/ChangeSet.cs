using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning;

/// <summary>How an object differs from production.</summary>
public enum ChangeKind
{
    /// <summary>Not in production.</summary>
    Added,

    /// <summary>In production with another hash.</summary>
    Modified,

    /// <summary>In production but no longer in the project.</summary>
    Deleted,
}

/// <summary>An object whose hash differs from production (views, materialized views and sinks only).</summary>
public sealed record ObjectChange(ObjectId Id, ChangeKind Kind);

/// <summary>Why an object is redeployed.</summary>
public enum DirtyReason
{
    Changed,
    ForcedSchema,
    ForcedAll,
    SharesCluster,
    DependsOn,
    SameSchema,
}

/// <summary>
/// One object the change set redeploys (or, for sinks, re-creates; for apply-managed objects, skips), with the
/// first reason found for it.
/// </summary>
/// <param name="Id">The object (project names).</param>
/// <param name="Kind">Its kind, or null for an object deleted from the project.</param>
/// <param name="Reason">The rule that made it dirty.</param>
/// <param name="Cause">The object that made it dirty (for <see cref="DirtyReason.DependsOn"/>, <see cref="DirtyReason.SameSchema"/>, <see cref="DirtyReason.SharesCluster"/>).</param>
/// <param name="Cluster">The shared cluster, for <see cref="DirtyReason.SharesCluster"/>.</param>
/// <param name="Change">For <see cref="DirtyReason.Changed"/>: added, modified or deleted.</param>
/// <param name="CauseChanged">For <see cref="DirtyReason.SharesCluster"/>: whether the cause itself changed.</param>
public sealed record DirtyObject(ObjectId Id, ObjectKind? Kind, DirtyReason Reason, ObjectId? Cause = null, string? Cluster = null,
    ChangeKind? Change = null, bool CauseChanged = false)
{
    /// <summary>The reason in words: "changed", "depends on db.s.x", "shares cluster c with changed db.s.y", ….</summary>
    public string Description => Reason switch
    {
        DirtyReason.Changed => Change switch
        {
            ChangeKind.Added => "new",
            ChangeKind.Deleted => "deleted",
            _ => "changed",
        },
        DirtyReason.ForcedSchema => "forced: its schema was named for redeploy",
        DirtyReason.ForcedAll => "forced: every schema was asked to redeploy",
        DirtyReason.SharesCluster => $"shares cluster {Cluster} with {(CauseChanged ? "changed" : "redeployed")} {Cause}",
        DirtyReason.DependsOn => $"depends on {Cause}",
        DirtyReason.SameSchema => $"same schema as {Cause}",
        _ => Reason.ToString(),
    };

    public override string ToString() => $"{Id}: {Description}";
}

/// <summary>What to redeploy, forced by which rules. A change set is empty when nothing needs staging.</summary>
internal sealed record ChangeSetOptions
{
    public static readonly ChangeSetOptions None = new();

    /// <summary>Schemas (project names) whose every object is redeployed.</summary>
    public IReadOnlyCollection<SchemaId> RedeploySchemas { get; init; } = Array.Empty<SchemaId>();

    /// <summary>Redeploy every schema.</summary>
    public bool RedeployAll { get; init; }
}

/// <summary>
/// The result of diffing a compiled project against production (mz-deploy's change set rules, computed in C#).
/// All names are project names; <see cref="StagingNames"/> turns them into production and staging names.
/// </summary>
public sealed class ChangeSet
{
    internal ChangeSet(bool isFirstDeploy, IReadOnlyList<ObjectChange> changes, IReadOnlyList<DirtyObject> dirty,
        IReadOnlyList<CompiledObject> objects, IReadOnlyList<CompiledObject> sinks, IReadOnlyList<CompiledObject> replacements,
        IReadOnlyList<CompiledObject> skipped, IReadOnlyList<SchemaId> schemas, IReadOnlyList<string> clusters,
        IReadOnlySet<SchemaId> stableSchemas)
    {
        IsFirstDeploy = isFirstDeploy;
        Changes = changes;
        Dirty = dirty;
        Objects = objects;
        Sinks = sinks;
        ReplacementMaterializedViews = replacements;
        SkippedApplyManaged = skipped;
        Schemas = schemas;
        Clusters = clusters;
        StableSchemas = stableSchemas;
    }

    /// <summary>
    /// The change set of a reviewed plan read back from its file: why each object is redeployed, nothing else (what to
    /// create is in the plan's statements; a reviewed plan is never planned again).
    /// </summary>
    internal static ChangeSet ReasonsOnly(IReadOnlyList<DirtyObject> dirty) =>
        new(false, [], dirty, [], [], [], [], [], [], new HashSet<SchemaId>());

    /// <summary>Production had no recorded objects: everything is new.</summary>
    public bool IsFirstDeploy { get; }

    /// <summary>Objects whose hash differs from production (added, modified or deleted), ordinal order.</summary>
    public IReadOnlyList<ObjectChange> Changes { get; }

    /// <summary>Every dirty object with its reason, ordinal order.</summary>
    public IReadOnlyList<DirtyObject> Dirty { get; }

    /// <summary>Views and materialized views to create in staging schemas, dependencies first.</summary>
    public IReadOnlyList<CompiledObject> Objects { get; }

    /// <summary>Sinks to create after the swap (deferred), dependencies first.</summary>
    public IReadOnlyList<CompiledObject> Sinks { get; }

    /// <summary>Materialized views of stable-API schemas replaced in place (<c>APPLY REPLACEMENT</c>).</summary>
    public IReadOnlyList<CompiledObject> ReplacementMaterializedViews { get; }

    /// <summary>Dirty tables, sources, secrets and connections: never staged (apply owns them).</summary>
    public IReadOnlyList<CompiledObject> SkippedApplyManaged { get; }

    /// <summary>Schemas that get a staging copy, ordinal order.</summary>
    public IReadOnlyList<SchemaId> Schemas { get; }

    /// <summary>Clusters (as named in the project) that get a staging clone, ordinal order.</summary>
    public IReadOnlyList<string> Clusters { get; }

    /// <summary>Schemas the project declares stable (<c>SET api = stable</c>).</summary>
    public IReadOnlySet<SchemaId> StableSchemas { get; }

    /// <summary>Nothing to stage: no objects, sinks or replacements.</summary>
    public bool IsEmpty => Objects.Count == 0 && Sinks.Count == 0 && ReplacementMaterializedViews.Count == 0;

    /// <summary>Why <paramref name="id"/> is dirty, or null when it is not.</summary>
    public DirtyObject? ReasonFor(ObjectId id) => Dirty.FirstOrDefault(d => d.Id.Equals(id));
}
