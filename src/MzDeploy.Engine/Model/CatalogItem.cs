namespace MzDeploy.Engine.Model;

/// <summary>An object the catalog shows in a schema or on a cluster a deployment swaps (and later drops the old copy of).</summary>
/// <param name="Name">Its full name.</param>
/// <param name="Kind">Its <c>mz_objects.type</c> (<c>table</c>, <c>source</c>, <c>sink</c>, <c>materialized-view</c>, <c>index</c>, …).</param>
/// <param name="Owner">The owning role's name (its id when the role is gone).</param>
/// <param name="Cluster">The cluster it runs on, or null.</param>
/// <param name="IndexedObject">For an index: the name of the object it indexes (same schema), else null.</param>
public sealed record CatalogItem(ObjectId Name, string Kind, string Owner, string? Cluster, string? IndexedObject = null)
{
    /// <summary>Sources and sinks: they hold ingestion or export state that no re-deploy brings back.</summary>
    public bool IsStorage => Kind is "source" or "sink";
}

/// <summary>An object a promote would destroy although the deployment does not own it.</summary>
/// <param name="Name">Its full name (production names).</param>
/// <param name="Kind">Its <c>mz_objects.type</c>.</param>
/// <param name="Owner">The owning role.</param>
/// <param name="Where">Why it is at risk: <c>schema db.s</c> or <c>cluster c</c> (production names).</param>
public sealed record UnmanagedObject(ObjectId Name, string Kind, string Owner, string Where)
{
    /// <summary><c>source app.ingest.pg_source (owner alice, on cluster compute)</c>.</summary>
    public override string ToString() => $"{Kind} {Name} (owner {Owner}, {(Where.StartsWith("cluster ", StringComparison.Ordinal) ? "on" : "in")} {Where})";
}
