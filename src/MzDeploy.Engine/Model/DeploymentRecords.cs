namespace MzDeploy.Engine.Model;

/// <summary>Readiness of one staging cluster (mz-deploy's wait statuses).</summary>
public enum ClusterState
{
    /// <summary>Every object hydrated, lag within the allowed lag, at least one healthy replica.</summary>
    Ready,

    /// <summary>Objects still hydrating.</summary>
    Hydrating,

    /// <summary>Hydrated, but lagging more than the allowed lag.</summary>
    Lagging,

    /// <summary>No replicas, every replica OOM-looping (3+ OOM kills in 24 h), or the cluster is gone.</summary>
    Failing,
}

/// <summary>The state of a deployment as a whole.</summary>
public enum DeploymentState
{
    Ready,
    Hydrating,
    Lagging,
    Failing,
    Promoted,
}

/// <summary>Status of one staging cluster of a deployment.</summary>
/// <param name="DeployId">The deployment.</param>
/// <param name="Cluster">The staging cluster's name (<c>&lt;cluster&gt;_&lt;id&gt;</c>), or the recorded production cluster id when that cluster is gone.</param>
/// <param name="ProductionCluster">The production cluster it replaces, when it still exists.</param>
/// <param name="State">Ready, hydrating, lagging or failing.</param>
/// <param name="FailureReason"><c>no_replicas</c>, <c>all_replicas_problematic</c>, <c>cluster_missing</c>, <c>production_cluster_missing</c>, or null.</param>
/// <param name="HydratedObjects">Hydrated objects on the best replica.</param>
/// <param name="TotalObjects">Objects on the best replica.</param>
/// <param name="LagSeconds">Largest wallclock lag of its objects, or null when nothing reports lag.</param>
/// <param name="Replicas">Number of replicas.</param>
/// <param name="ProblematicReplicas">Replicas OOM-killed 3+ times in the last 24 hours.</param>
public sealed record ClusterStatusInfo(string DeployId, string Cluster, string? ProductionCluster, ClusterState State, string? FailureReason,
    long HydratedObjects, long TotalObjects, long? LagSeconds, long Replicas, long ProblematicReplicas)
{
    /// <summary>
    /// Whole seconds since a replica of the cluster was last OOM-killed (server clock, last 24 hours), or null when none
    /// was: the freshness gate restarts its timer at such a kill.
    /// </summary>
    public long? SecondsSinceOomKill { get; init; }

    /// <summary>
    /// When a replica of the cluster was last OOM-killed (server time), or null: tells a kill seen before from a new one,
    /// which the rounded <see cref="SecondsSinceOomKill"/> alone cannot.
    /// </summary>
    public DateTimeOffset? LastOomKillAt { get; init; }
}

/// <summary>One object recorded by a deployment.</summary>
public sealed record DeployedObjectInfo(string Database, string Schema, string Name, string Hash);

/// <summary>One deployment as the tracking tables record it, with live cluster status when it is staged.</summary>
/// <remarks><c>Kinds</c>: the distinct <c>kind</c> values of its schema rows (<c>objects</c>, <c>replacement</c>, <c>sinks</c>), sorted.</remarks>
public sealed record DeploymentInfo(
    string DeployId,
    DeploymentState State,
    IReadOnlyList<string> Kinds,
    DateTimeOffset DeployedAt,
    string DeployedBy,
    string? Commit,
    DateTimeOffset? PromotedAt,
    IReadOnlyList<string> Schemas,
    IReadOnlyList<ClusterStatusInfo> Clusters,
    IReadOnlyList<DeployedObjectInfo> Objects);

/// <summary>One promotion, as the history lists it.</summary>
/// <param name="DeployId">The deployment.</param>
/// <param name="PromotedAt">When it was promoted (server time).</param>
/// <param name="Commit">The git commit it was staged from, if recorded.</param>
/// <param name="Kinds">The distinct kinds of its schemas (<c>objects</c>, <c>replacement</c>, <c>sinks</c>), sorted.</param>
/// <param name="Schemas">The <c>db.schema</c>s it swapped.</param>
/// <param name="DeployedBy">The user who staged it (mz-deploy's "Promoted by" shows the same column).</param>
public sealed record PromotionInfo(string DeployId, DateTimeOffset PromotedAt, string DeployedBy, string? Commit, IReadOnlyList<string> Kinds,
    IReadOnlyList<string> Schemas)
{
    /// <summary>Objects the project did not own that the promote dropped on purpose (<c>kind name (owner …)</c>).</summary>
    public IReadOnlyList<string> DroppedUnmanagedObjects { get; init; } = [];
}

/// <summary>A staged deployment as a quick listing names it: no cluster status, no objects.</summary>
/// <param name="DeployId">The deployment.</param>
/// <param name="DeployedAt">When it was staged (server time).</param>
/// <param name="DeployedBy">The user who staged it.</param>
/// <param name="Commit">The git commit it was staged from, if recorded.</param>
public sealed record StagedDeploymentSummary(string DeployId, DateTimeOffset DeployedAt, string DeployedBy, string? Commit);
