using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// The catalog reads and tracking writes of a promote: the deployment's deferred statements and replacements, the
/// promotion markers in <c>_mz_deploy</c>, the latest promotion per schema (for conflicts), recorded clusters that are
/// gone, sinks reading from schemas about to be swapped, which objects exist, and the rows a promote updates and
/// deletes. Every list travels as one text parameter (<c>$n::text::text[]</c>).
/// </summary>
internal static class PromoteCatalog
{
    internal static readonly string PendingStatementsQuery =
        "SELECT sequence_num, database, schema, object, object_hash, statement_sql, statement_kind "
        + $"FROM {TrackingSchema.View(TrackingSchema.PendingStatements)} WHERE deploy_id = $1 ORDER BY sequence_num";

    internal static readonly string ReplacementsQuery =
        "SELECT target_database, target_schema, target_name, replacement_schema "
        + $"FROM {TrackingSchema.View(TrackingSchema.ReplacementMvs)} WHERE deploy_id = $1 ORDER BY target_database, target_schema, target_name";

    // Recorded production clusters whose stage-time id is gone, by name (MzDeploy's rows) or by id (mz-deploy's).
    internal static readonly string MissingClustersQuery =
        $"SELECT n.cluster_name FROM {TrackingSchema.View(TrackingSchema.ClusterNames)} n "
        + "LEFT JOIN mz_catalog.mz_clusters c ON c.id = n.cluster_id WHERE n.deploy_id = $1 AND c.id IS NULL "
        + $"UNION ALL SELECT cluster_id FROM {TrackingSchema.View(TrackingSchema.MissingClusters)} mc WHERE deploy_id = $1 "
        + $"AND {TrackingSchema.HasNoClusterNames("mc.deploy_id")} ORDER BY 1";

    internal const string MarkerNamesQuery =
        "SELECT s.name FROM mz_catalog.mz_schemas s JOIN mz_catalog.mz_databases d ON d.id = s.database_id "
        + "WHERE d.name = '" + TrackingSchema.Database + "' ORDER BY s.name";

    internal static readonly string ProductionQuery =
        $"SELECT database, schema, deploy_id, promoted_at FROM {TrackingSchema.View(TrackingSchema.Production)} ORDER BY database, schema";

    // $1: 'db.schema' texts. Sinks (outside those schemas) that read a table, source or materialized view in them.
    internal const string DependentSinksQuery =
        "SELECT DISTINCT sd.name, ss.name, k.name, od.name, os.name, o.name "
        + "FROM mz_catalog.mz_sinks k "
        + "JOIN mz_catalog.mz_schemas ss ON ss.id = k.schema_id JOIN mz_catalog.mz_databases sd ON sd.id = ss.database_id "
        + "JOIN mz_internal.mz_object_dependencies dep ON dep.object_id = k.id "
        + "JOIN mz_catalog.mz_objects o ON o.id = dep.referenced_object_id "
        + "JOIN mz_catalog.mz_schemas os ON os.id = o.schema_id JOIN mz_catalog.mz_databases od ON od.id = os.database_id "
        + "WHERE (od.name || '.' || os.name) = ANY($1::text::text[]) AND NOT (sd.name || '.' || ss.name) = ANY($1::text::text[]) "
        + "AND o.type IN ('table', 'source', 'materialized-view') "
        + "ORDER BY 1, 2, 3";

    // $1: 'db.schema.name' texts; returns those that exist (any object type).
    internal const string ExistingObjectsQuery =
        "SELECT d.name || '.' || s.name || '.' || o.name FROM mz_catalog.mz_objects o "
        + "JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id JOIN mz_catalog.mz_databases d ON d.id = s.database_id "
        + "WHERE (d.name || '.' || s.name || '.' || o.name) = ANY($1::text::text[])";

    internal static readonly string MarkSinkExecutedSql =
        $"UPDATE {TrackingSchema.Table(TrackingSchema.PendingStatements)} SET executed_at = now() WHERE deploy_id = $1 AND sequence_num = $2";

    internal static readonly string MarkPromotedSql =
        $"UPDATE {TrackingSchema.Table(TrackingSchema.Deployments)} SET promoted_at = now() WHERE deploy_id = $1 AND promoted_at IS NULL";

    internal static readonly string PromotedAtQuery =
        $"SELECT max(promoted_at) FROM {TrackingSchema.View(TrackingSchema.Deployments)} WHERE deploy_id = $1";

    /// <summary>The tables whose rows of a deployment a finished promote deletes (deployments and objects stay: they are the history).</summary>
    internal static readonly IReadOnlyList<string> TransientTables =
        [TrackingSchema.PendingStatements, TrackingSchema.ReplacementMvs, TrackingSchema.Clusters, TrackingSchema.ClusterNames];

    /// <summary>The tracking-row statements of a promote of <paramref name="deployId"/> (see <see cref="PromoteScript"/>).</summary>
    public static PromoteTracking Tracking(DeployId deployId) => new(
        (sink, sequence) => new PlannedStatement(PlannedStatementKind.TrackingRows, sink, MarkSinkExecutedSql) { Parameters = [deployId.Value, sequence] },
        [new PlannedStatement(PlannedStatementKind.TrackingRows, deployId.Value, MarkPromotedSql) { Parameters = [deployId.Value] }],
        StageRecorder.DeleteStatements(deployId, TransientTables));

    /// <summary>
    /// The deployment with its deferred statements and replacements. <paramref name="swapped"/>: the swap has
    /// committed, so the recorded clusters carry their staging names and are mapped back to production names.
    /// </summary>
    public static async Task<RecordedDeployment?> ReadDeploymentAsync(CatalogSession session, StagingNames names, bool swapped,
        CancellationToken cancellationToken)
    {
        var deployment = await StageRecorder.ReadDeploymentAsync(session, names.DeployId, cancellationToken).ConfigureAwait(false);
        if (deployment is null)
        {
            return null;
        }

        var pending = await session.QueryAsync(PendingStatementsQuery, r => new PendingStatementRecord(
            r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6)),
            cancellationToken, names.DeployId.Value).ConfigureAwait(false);
        var replacements = await session.QueryAsync(ReplacementsQuery, r => new ReplacementRecord(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)), cancellationToken, names.DeployId.Value).ConfigureAwait(false);
        var clusters = deployment.Clusters;
        if (swapped)
        {
            // MzDeploy records production cluster names, which need no mapping. mz-deploy records only the production
            // cluster's id: ALTER CLUSTER … SWAP swaps names and ids stay, so after the swap those ids carry the staging
            // names (stripping the suffix leaves a production name as it is).
            clusters = clusters.Select(c => names.ProductionNameOf(c) ?? c).ToList();
        }

        return deployment with { Clusters = clusters, PendingStatements = pending, Replacements = replacements };
    }

    /// <summary>Recorded production clusters (names; ids for deployments mz-deploy staged) that no longer exist (dropped or replaced since the stage).</summary>
    public static Task<IReadOnlyList<string>> MissingClustersAsync(CatalogSession session, DeployId deployId, CancellationToken cancellationToken) =>
        session.QueryAsync(MissingClustersQuery, r => r.GetString(0), cancellationToken, deployId.Value);

    /// <summary>Every schema name in <c>_mz_deploy</c> (the promotion markers among them).</summary>
    public static Task<IReadOnlyList<string>> MarkerNamesAsync(CatalogSession session, CancellationToken cancellationToken) =>
        session.QueryAsync(MarkerNamesQuery, r => r.GetString(0), cancellationToken);

    /// <summary>The latest promotion of every schema that exists.</summary>
    public static Task<IReadOnlyList<ProductionPromotion>> ProductionAsync(CatalogSession session, CancellationToken cancellationToken) =>
        session.QueryAsync(ProductionQuery, r => new ProductionPromotion(
            new SchemaId(r.GetString(0), r.GetString(1)), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3)), cancellationToken);

    /// <summary>Sinks outside <paramref name="schemas"/> reading a table, source or materialized view inside them.</summary>
    public static async Task<IReadOnlyList<(ObjectId Sink, ObjectId Dependency)>> DependentSinksAsync(CatalogSession session,
        IReadOnlyCollection<SchemaId> schemas, CancellationToken cancellationToken)
    {
        if (schemas.Count == 0)
        {
            return [];
        }

        return await session.QueryAsync(DependentSinksQuery,
            r => (new ObjectId(r.GetString(0), r.GetString(1), r.GetString(2)), new ObjectId(r.GetString(3), r.GetString(4), r.GetString(5))),
            cancellationToken, CatalogSession.TextArray(schemas.Select(s => $"{s.Database}.{s.Schema}"))).ConfigureAwait(false);
    }

    /// <summary>Which of <paramref name="objects"/> exist.</summary>
    public static async Task<IReadOnlySet<ObjectId>> ExistingAsync(CatalogSession session, IReadOnlyCollection<ObjectId> objects,
        CancellationToken cancellationToken)
    {
        if (objects.Count == 0)
        {
            return new HashSet<ObjectId>();
        }

        var byName = objects.Distinct().ToDictionary(o => $"{o.Database}.{o.Schema}.{o.Name}", StringComparer.Ordinal);
        var found = await session.QueryAsync(ExistingObjectsQuery, r => r.GetString(0), cancellationToken, CatalogSession.TextArray(byName.Keys))
            .ConfigureAwait(false);
        return found.Where(byName.ContainsKey).Select(n => byName[n]).ToHashSet();
    }

    /// <summary>When the deployment was promoted (server time), or null.</summary>
    public static async Task<DateTimeOffset?> PromotedAtAsync(CatalogSession session, DeployId deployId, CancellationToken cancellationToken) =>
        (await session.QueryAsync(PromotedAtQuery, r => r.IsDBNull(0) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(0),
            cancellationToken, deployId.Value).ConfigureAwait(false)).FirstOrDefault();
}
