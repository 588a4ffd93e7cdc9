using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// The reads behind <see cref="OwnershipCheck"/>: what the catalog holds in given schemas and on given clusters, which
/// objects the project manages (from the tracking rows), and the promotion record of objects dropped on purpose
/// (opted in by the request). Lists travel as one text parameter each.
/// </summary>
internal static class OwnershipCatalog
{
    // $1: 'db.schema' texts; $2: cluster names. Every user object in those schemas or on those clusters.
    internal const string ItemsQuery =
        "SELECT d.name, s.name, o.name, o.type, coalesce(r.name, o.owner_id), c.name, io.name "
        + "FROM mz_catalog.mz_objects o "
        + "JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id JOIN mz_catalog.mz_databases d ON d.id = s.database_id "
        + "LEFT JOIN mz_catalog.mz_roles r ON r.id = o.owner_id "
        + "LEFT JOIN mz_catalog.mz_clusters c ON c.id = o.cluster_id "
        + "LEFT JOIN mz_catalog.mz_indexes i ON i.id = o.id LEFT JOIN mz_catalog.mz_objects io ON io.id = i.on_id "
        + "WHERE (d.name || '.' || s.name) = ANY($1::text::text[]) OR c.name = ANY($2::text::text[]) "
        + "ORDER BY 1, 2, 3";

    // $1: the deployment. Its own recorded objects and those of the latest promoted deployment of every schema.
    internal static readonly string ManagedQuery =
        $"SELECT database, schema, object FROM {TrackingSchema.View(TrackingSchema.ObjectsTable)} WHERE deploy_id = $1 "
        + $"UNION SELECT o.database, o.schema, o.object FROM {TrackingSchema.View(TrackingSchema.ObjectsTable)} o "
        + $"JOIN {TrackingSchema.View(TrackingSchema.Production)} p "
        + "ON p.deploy_id = o.deploy_id AND p.database = o.database AND p.schema = o.schema";

    internal static readonly string DroppedQuery =
        $"SELECT deploy_id, kind, object, owner FROM {TrackingSchema.View(TrackingSchema.UnmanagedDrops)} ORDER BY deploy_id, object";

    /// <summary>What the catalog holds in <paramref name="schemas"/> and on <paramref name="clusters"/>.</summary>
    public static async Task<IReadOnlyList<CatalogItem>> ItemsAsync(CatalogSession session, IReadOnlyCollection<SchemaId> schemas,
        IReadOnlyCollection<string> clusters, CancellationToken cancellationToken)
    {
        if (schemas.Count == 0 && clusters.Count == 0)
        {
            return [];
        }

        return await session.QueryAsync(ItemsQuery, r => new CatalogItem(
                new ObjectId(r.GetString(0), r.GetString(1), r.GetString(2)), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)),
            cancellationToken, CatalogSession.TextArray(schemas.Select(s => $"{s.Database}.{s.Schema}")), CatalogSession.TextArray(clusters))
            .ConfigureAwait(false);
    }

    /// <summary>The objects the project manages: <paramref name="deployId"/>'s recorded objects and every promoted deployment's.</summary>
    public static async Task<IReadOnlySet<ObjectId>> ManagedAsync(CatalogSession session, DeployId deployId, CancellationToken cancellationToken) =>
        (await session.QueryAsync(ManagedQuery, r => new ObjectId(r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken, deployId.Value)
            .ConfigureAwait(false)).ToHashSet();

    /// <summary>
    /// What a swap (or drop) of <paramref name="schemas"/> and <paramref name="clusters"/> would destroy that the project
    /// does not manage: the catalog read and <see cref="OwnershipCheck.Find"/> in one. <paramref name="managed"/> adjusts
    /// the managed set read for <paramref name="deployId"/> (this stage's own objects, the old copies' staging names).
    /// </summary>
    public static async Task<IReadOnlyList<UnmanagedObject>> FindUnmanagedAsync(CatalogSession session, DeployId deployId,
        IReadOnlyCollection<SchemaId> schemas, IReadOnlyCollection<string> clusters, Func<IReadOnlySet<ObjectId>, IReadOnlySet<ObjectId>>? managed,
        CancellationToken cancellationToken)
    {
        var items = await ItemsAsync(session, schemas, clusters, cancellationToken).ConfigureAwait(false);
        var recorded = await ManagedAsync(session, deployId, cancellationToken).ConfigureAwait(false);
        return OwnershipCheck.Find(items, managed is null ? recorded : managed(recorded), schemas, clusters);
    }

    /// <summary>Records, before the drop that destroys them, the objects a promote drops on purpose.</summary>
    public static async Task RecordDropsAsync(CatalogSession session, DeployId deployId, IReadOnlyList<UnmanagedObject> dropped,
        CancellationToken cancellationToken)
    {
        foreach (var item in dropped)
        {
            await session.ExecuteAsync(
                $"INSERT INTO {TrackingSchema.Table(TrackingSchema.UnmanagedDrops)} (deploy_id, kind, object, owner, dropped_at) "
                + "VALUES ($1, $2, $3, $4, now())",
                cancellationToken, deployId.Value, item.Kind, item.Name.ToString(), item.Owner).ConfigureAwait(false);
        }
    }

    /// <summary>What promotes dropped on purpose, per deploy ID (<c>kind name (owner …)</c>).</summary>
    public static async Task<ILookup<string, string>> DroppedAsync(CatalogSession session, CancellationToken cancellationToken) =>
        (await session.QueryAsync(DroppedQuery, r => (Id: r.GetString(0), Text: $"{r.GetString(1)} {r.GetString(2)} (owner {r.GetString(3)})"),
            cancellationToken).ConfigureAwait(false)).ToLookup(r => r.Id, r => r.Text, StringComparer.Ordinal);
}
