using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning.DevOverlay;

namespace MzDeploy.Engine.Catalog;

/// <summary>A promoted schema with an object on a cluster: what runs there, and since when.</summary>
/// <param name="Schema">The production schema (production names).</param>
/// <param name="Object">The object on the cluster (a materialized view, or an index on an object of the schema).</param>
/// <param name="PromotedAt">When the schema's current deployment was promoted.</param>
internal sealed record ProductionResident(SchemaId Schema, string Object, DateTimeOffset PromotedAt);

/// <summary>
/// The reads a dev overlay plans from — the manifest rows of this profile and project, the overlay names that exist, the
/// developer's cluster and what production runs on it, the CREATEDB privilege — and the manifest rows it writes
/// (<c>_mz_deploy.tables.dev_overlays</c>).
/// </summary>
internal static class DevOverlayCatalog
{
    internal static readonly string RecordedQuery =
        $"SELECT DISTINCT overlay_db FROM {TrackingSchema.Table(TrackingSchema.DevOverlays)} WHERE profile = $1 AND project = $2 ORDER BY 1";

    // $1: candidate database names as one text array parameter.
    internal const string ExistingDatabasesQuery =
        "SELECT name FROM mz_catalog.mz_databases WHERE name = ANY($1::text::text[]) ORDER BY 1";

    internal const string ClusterExistsQuery = "SELECT count(*) FROM mz_catalog.mz_clusters WHERE name = $1";

    // Materialized views on the cluster, and indexes on it of objects, in schemas whose latest deployment is promoted.
    internal static readonly string ProductionResidentsQuery =
        "WITH resident AS (SELECT mv.schema_id, mv.name, mv.cluster_id FROM mz_catalog.mz_materialized_views mv "
        + "UNION ALL SELECT o.schema_id, i.name, i.cluster_id FROM mz_catalog.mz_indexes i JOIN mz_catalog.mz_objects o ON o.id = i.on_id) "
        + "SELECT p.database, p.schema, r.name, p.promoted_at FROM resident r "
        + "JOIN mz_catalog.mz_clusters c ON c.id = r.cluster_id "
        + "JOIN mz_catalog.mz_schemas s ON s.id = r.schema_id JOIN mz_catalog.mz_databases d ON d.id = s.database_id "
        + $"JOIN {TrackingSchema.View(TrackingSchema.Production)} p ON p.database = d.name AND p.schema = s.name "
        + "WHERE c.name = $1 ORDER BY p.promoted_at DESC, p.database, p.schema, r.name";

    internal const string CreateDbQuery = "SELECT mz_catalog.has_system_privilege('CREATEDB')";

    internal static readonly string RecordSql =
        $"INSERT INTO {TrackingSchema.Table(TrackingSchema.DevOverlays)} (profile, project, overlay_db, created_at) VALUES ($1, $2, $3, now())";

    internal static readonly string ForgetSql =
        $"DELETE FROM {TrackingSchema.Table(TrackingSchema.DevOverlays)} WHERE profile = $1 AND project = $2";

    /// <summary>The manifest statements of one profile and project.</summary>
    public static DevOverlayTracking Tracking(string profile, string project) => new(
        database => new PlannedStatement(PlannedStatementKind.TrackingRows, database, RecordSql) { Parameters = [profile, project, database] },
        new PlannedStatement(PlannedStatementKind.TrackingRows, $"{profile}/{project}", ForgetSql) { Parameters = [profile, project] });

    /// <summary>What earlier runs left: recorded overlay databases, and candidate names that exist without a record.</summary>
    public static async Task<DevOverlayLeftovers> ReadLeftoversAsync(CatalogSession session, string profile, string project,
        IReadOnlyList<string> candidates, CancellationToken cancellationToken)
    {
        var recorded = await session.QueryAsync(RecordedQuery, r => r.GetString(0), cancellationToken, profile, project).ConfigureAwait(false);
        var existing = await session.QueryAsync(ExistingDatabasesQuery, r => r.GetString(0), cancellationToken,
            CatalogSession.TextArray(candidates)).ConfigureAwait(false);
        return new DevOverlayLeftovers(recorded, existing.Where(e => !recorded.Contains(e, StringComparer.Ordinal)).ToList());
    }

    public static async Task<bool> ClusterExistsAsync(CatalogSession session, string cluster, CancellationToken cancellationToken) =>
        await session.QuerySingleAsync(ClusterExistsQuery, r => r.GetInt64(0), cancellationToken, cluster).ConfigureAwait(false) > 0;

    /// <summary>Production's objects on <paramref name="cluster"/>, latest promotion first.</summary>
    public static Task<IReadOnlyList<ProductionResident>> ProductionResidentsAsync(CatalogSession session, string cluster,
        CancellationToken cancellationToken) =>
        session.QueryAsync(ProductionResidentsQuery,
            r => new ProductionResident(new SchemaId(r.GetString(0), r.GetString(1)), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3)),
            cancellationToken, cluster);

    /// <summary>Whether the connected role may create databases (the system privilege, directly or through a role).</summary>
    public static Task<bool> CanCreateDatabasesAsync(CatalogSession session, CancellationToken cancellationToken) =>
        session.QuerySingleAsync(CreateDbQuery, r => r.GetBoolean(0), cancellationToken);
}
