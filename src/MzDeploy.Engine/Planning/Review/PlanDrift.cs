namespace MzDeploy.Engine.Planning.Review;

/// <summary>What moved between the state a reviewed plan was computed from and the state it is about to run against.</summary>
public enum PlanDriftKind
{
    /// <summary>HEAD is another commit (or the repository has none, or has one now).</summary>
    CommitMoved,

    /// <summary>Another deployment was promoted into schemas production held when the plan was reviewed.</summary>
    DeploymentPromoted,

    /// <summary>A schema production recorded is no longer recorded.</summary>
    SchemaRemoved,

    /// <summary>An object production recorded has another hash.</summary>
    ObjectChanged,

    /// <summary>Production records an object it did not record.</summary>
    ObjectAdded,

    /// <summary>Production no longer records an object.</summary>
    ObjectRemoved,

    /// <summary>A cluster the plan clones has another configuration (size, options, replicas, grants, id).</summary>
    ClusterChanged,

    /// <summary>A cluster the plan clones does not exist any more.</summary>
    ClusterRemoved,

    /// <summary>A cluster the plan needed did not exist when it was reviewed, and exists now.</summary>
    ClusterAdded,
}

/// <summary>
/// One difference between a reviewed plan's <see cref="StageFingerprint"/> and the state now: what kind, what it concerns
/// (<paramref name="Subject"/>: a deployment, schema, object or cluster; empty for the commit), and its value then and now.
/// </summary>
/// <param name="Kind">What kind of change.</param>
/// <param name="Subject">What it concerns.</param>
/// <param name="Reviewed">The value the plan was computed from, or null when there was none.</param>
/// <param name="Now">The value now, or null when there is none.</param>
public sealed record PlanDrift(PlanDriftKind Kind, string Subject, string? Reviewed, string? Now)
{
    /// <summary>The difference in words, for an error message.</summary>
    public string Description => Kind switch
    {
        PlanDriftKind.CommitMoved => $"the commit moved from {Reviewed ?? "(no commit)"} to {Now ?? "(no commit)"}",
        PlanDriftKind.DeploymentPromoted => $"deployment '{Subject}' was promoted into {Now}"
                                           + (Reviewed is null ? "" : $" (reviewed against {Reviewed})"),
        PlanDriftKind.SchemaRemoved => $"schema {Subject} is no longer recorded in production (was deployment '{Reviewed}')",
        PlanDriftKind.ObjectChanged => $"the hash of {Subject} changed from {Reviewed} to {Now}",
        PlanDriftKind.ObjectAdded => $"production now records {Subject} ({Now})",
        PlanDriftKind.ObjectRemoved => $"production no longer records {Subject}",
        PlanDriftKind.ClusterChanged => $"cluster {Subject} changed from {Reviewed} to {Now}",
        PlanDriftKind.ClusterRemoved => $"cluster {Subject} no longer exists",
        PlanDriftKind.ClusterAdded => $"cluster {Subject} exists now ({Now})",
        _ => $"{Kind} {Subject}",
    };

    public override string ToString() => Description;
}
