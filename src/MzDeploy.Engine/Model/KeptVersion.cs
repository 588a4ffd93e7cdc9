namespace MzDeploy.Engine.Model;

/// <summary>Whether a kept resource is a schema or a cluster (the <c>kept_versions.kind</c> value).</summary>
public enum KeptResourceKind
{
    Schema,
    Cluster,
}

/// <summary>
/// One schema or cluster of a previous production version that a promote kept instead of dropping: its production name,
/// the staging name it carries since the swap, the deployment that had put it in production (schemas), and the epoch
/// the promote moved the resource's marker to. A later promote of the resource moves the marker on, which is how an
/// undo knows it is too late.
/// </summary>
/// <param name="Kind">Schema or cluster.</param>
/// <param name="Database">The schema's database; null for a cluster.</param>
/// <param name="Name">The production schema or cluster name.</param>
/// <param name="StagingName">The name the previous version carries now (<c>&lt;name&gt;_&lt;id&gt;</c>).</param>
/// <param name="PreviousDeployId">The deployment that had promoted the schema before (null for a cluster, or a schema no deployment recorded).</param>
/// <param name="Epoch">The resource's promotion epoch right after the promote that kept it.</param>
public sealed record KeptResource(KeptResourceKind Kind, string? Database, string Name, string StagingName, string? PreviousDeployId, long Epoch)
{
    /// <summary>The production schema (schemas only).</summary>
    public SchemaId ProductionSchema => new(Database ?? throw new InvalidOperationException("a cluster has no schema"), Name);

    /// <summary>The kept copy's schema (schemas only).</summary>
    public SchemaId StagingSchema => new(Database ?? throw new InvalidOperationException("a cluster has no schema"), StagingName);

    /// <summary>The epoch marker key of the production resource.</summary>
    public string MarkerKey => Kind == KeptResourceKind.Schema ? PromotionMarker.KeyOf(ProductionSchema) : PromotionMarker.KeyOfCluster(Name);

    /// <summary>Display form: <c>schema db.s_id</c>, <c>cluster c_id</c> (what is kept, as it is named now).</summary>
    public string Kept => Kind == KeptResourceKind.Schema ? $"schema {Database}.{StagingName}" : $"cluster {StagingName}";

    /// <summary>Display form of the production resource: <c>schema db.s</c>, <c>cluster c</c>.</summary>
    public string Production => Kind == KeptResourceKind.Schema ? $"schema {Database}.{Name}" : $"cluster {Name}";
}

/// <summary>The previous production version one promote kept: its resources and its window.</summary>
/// <param name="DeployId">The promoted deployment that replaced it.</param>
/// <param name="Resources">What is kept.</param>
/// <param name="KeptAt">When the promote recorded it (server time).</param>
/// <param name="ExpiresAt">When the window ends (server time).</param>
/// <param name="Expired">Whether the window has ended, by the server's clock when it was read.</param>
/// <param name="Promoted">Whether the deployment's promote has set <c>promoted_at</c> (a promote records the keep before it swaps).</param>
public sealed record KeptVersion(DeployId DeployId, IReadOnlyList<KeptResource> Resources, DateTimeOffset KeptAt, DateTimeOffset ExpiresAt,
    bool Expired, bool Promoted);
