using System.Text;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// Reads and writes the tracking rows of one deployment: the production snapshot a stage diffs against, whether a
/// deploy ID is taken, the recorded deployment abort removes, and the rows a stage writes (multi-row constant
/// INSERTs, at most <see cref="RowsPerStatement"/> rows each, so recording costs a handful of round trips whatever
/// the size of the deployment) and deletes.
/// </summary>
internal static class StageRecorder
{
    /// <summary>Rows per INSERT statement.</summary>
    public const int RowsPerStatement = 500;

    // Every object recorded by the latest promoted deployment of each schema (mz-deploy's production snapshot).
    internal static readonly string ProductionSnapshotQuery =
        "SELECT o.database, o.schema, o.object, o.hash, p.kind, p.deploy_id "
        + $"FROM {TrackingSchema.View(TrackingSchema.ObjectsTable)} o JOIN {TrackingSchema.View(TrackingSchema.Production)} p "
        + "ON p.deploy_id = o.deploy_id AND p.database = o.database AND p.schema = o.schema "
        + "ORDER BY o.database, o.schema, o.object";

    internal static readonly string DeploymentQuery =
        $"SELECT database, schema, kind, deployed_at, promoted_at FROM {TrackingSchema.View(TrackingSchema.Deployments)} "
        + "WHERE deploy_id = $1 ORDER BY database, schema";

    // The production cluster names recorded by MzDeploy; for a deployment mz-deploy staged (no such rows), the names
    // its recorded ids carry now (mz-deploy's deployment_clusters view).
    internal static readonly string DeploymentClustersQuery =
        $"SELECT cluster_name FROM {TrackingSchema.View(TrackingSchema.ClusterNames)} WHERE deploy_id = $1 "
        + $"UNION ALL SELECT name FROM {TrackingSchema.View(TrackingSchema.DeploymentClusters)} WHERE deploy_id = $1 "
        + $"AND {TrackingSchema.HasNoClusterNames("$1")} ORDER BY 1";

    // $1: the schema names to look for in _mz_deploy (promote markers).
    internal const string MarkerQuery =
        "SELECT s.name FROM mz_catalog.mz_schemas s JOIN mz_catalog.mz_databases d ON d.id = s.database_id "
        + "WHERE d.name = '" + TrackingSchema.Database + "' AND s.name = $1";

    // $1: the staging schemas as 'db.schema' texts, $2: the staging clusters (one text parameter each).
    internal const string TakenNamesQuery =
        "SELECT 'schema', d.name || '.' || s.name FROM mz_catalog.mz_schemas s JOIN mz_catalog.mz_databases d ON d.id = s.database_id "
        + "WHERE (d.name || '.' || s.name) = ANY($1::text::text[]) "
        + "UNION ALL SELECT 'cluster', name FROM mz_catalog.mz_clusters WHERE name = ANY($2::text::text[])";

    private static readonly string[] OwnTables =
    [
        TrackingSchema.Clusters, TrackingSchema.ClusterNames, TrackingSchema.PendingStatements, TrackingSchema.ReplacementMvs,
        TrackingSchema.Deployments, TrackingSchema.ObjectsTable,
    ];

    public static async Task<ProductionSnapshot> ReadProductionAsync(CatalogSession session, string? profileSuffix,
        CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(ProductionSnapshotQuery, r => new ProductionObjectRow(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)), cancellationToken).ConfigureAwait(false);
        return ProductionSnapshot.FromRows(rows, profileSuffix);
    }

    /// <summary>The deployment's tracking rows, or null when the deploy ID has none.</summary>
    public static async Task<RecordedDeployment?> ReadDeploymentAsync(CatalogSession session, DeployId deployId, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(DeploymentQuery, r => (
            Schema: new RecordedSchema(new SchemaId(r.GetString(0), r.GetString(1)), DeploymentKinds.FromTrackingValue(r.GetString(2))),
            DeployedAt: r.GetFieldValue<DateTimeOffset>(3),
            Promoted: !r.IsDBNull(4)), cancellationToken, deployId.Value).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        var clusters = await session.QueryAsync(DeploymentClustersQuery, r => r.GetString(0), cancellationToken, deployId.Value).ConfigureAwait(false);
        return new RecordedDeployment(deployId, rows[0].DeployedAt, rows.Select(r => r.Schema).ToList(), clusters)
        {
            Promoted = rows.Any(r => r.Promoted),
        };
    }

    /// <summary>Whether <c>_mz_deploy.&lt;marker&gt;</c> exists.</summary>
    public static async Task<bool> MarkerExistsAsync(CatalogSession session, string marker, CancellationToken cancellationToken) =>
        (await session.QueryAsync(MarkerQuery, r => r.GetString(0), cancellationToken, marker).ConfigureAwait(false)).Count > 0;

    /// <summary>Which of the given staging schemas (<c>db.schema</c>) and clusters already exist.</summary>
    public static Task<IReadOnlyList<string>> TakenNamesAsync(CatalogSession session, IEnumerable<SchemaId> schemas, IEnumerable<string> clusters,
        CancellationToken cancellationToken) =>
        session.QueryAsync(TakenNamesQuery, r => $"{r.GetString(0)} {r.GetString(1)}", cancellationToken,
            CatalogSession.TextArray(schemas.Select(s => $"{s.Database}.{s.Schema}")), CatalogSession.TextArray(clusters));

    /// <summary>Writes every tracking row of a stage. <paramref name="clusterIds"/>: production cluster name → <c>mz_clusters.id</c>.</summary>
    public static async Task WriteAsync(CatalogSession session, StagePlan plan, DateTimeOffset deployedAt, string deployedBy, string? commit,
        IReadOnlyDictionary<string, string> clusterIds, CancellationToken cancellationToken)
    {
        var id = plan.DeployId.Value;
        var records = plan.Records;
        await InsertAsync(session, TrackingSchema.Deployments,
            "deploy_id, deployed_at, promoted_at, database, schema, deployed_by, commit, kind, mode",
            records.Schemas.Select(s => new object?[] { id, deployedAt, null, s.Schema.Database, s.Schema.Schema, deployedBy, commit, s.Kind.ToTrackingValue(), "stage" }),
            cancellationToken).ConfigureAwait(false);
        await InsertAsync(session, TrackingSchema.ObjectsTable, "deploy_id, database, schema, object, hash",
            records.Objects.Select(o => new object?[] { id, o.Database, o.Schema, o.Object, o.Hash }), cancellationToken).ConfigureAwait(false);
        await InsertAsync(session, TrackingSchema.Clusters, "deploy_id, cluster_id",
            records.Clusters.Select(c => new object?[] { id, clusterIds[c] }), cancellationToken).ConfigureAwait(false);
        await InsertAsync(session, TrackingSchema.ClusterNames, "deploy_id, cluster_name, cluster_id",
            records.Clusters.Select(c => new object?[] { id, c, clusterIds[c] }), cancellationToken).ConfigureAwait(false);
        await InsertAsync(session, TrackingSchema.PendingStatements,
            "deploy_id, sequence_num, database, schema, object, object_hash, statement_sql, statement_kind, executed_at",
            records.PendingStatements.Select(p => new object?[] { id, p.SequenceNumber, p.Database, p.Schema, p.Object, p.ObjectHash, p.Sql, p.StatementKind, null }),
            cancellationToken).ConfigureAwait(false);
        await InsertAsync(session, TrackingSchema.ReplacementMvs, "deploy_id, target_database, target_schema, target_name, replacement_schema",
            records.Replacements.Select(r => new object?[] { id, r.TargetDatabase, r.TargetSchema, r.TargetName, r.ReplacementSchema }),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The statements that delete every tracking row of the deployment (cluster mappings and pending rows first, the deployment rows last).</summary>
    public static IReadOnlyList<PlannedStatement> DeleteStatements(DeployId deployId) => DeleteStatements(deployId, OwnTables);

    /// <summary>The statements that delete the deployment's rows from <paramref name="tables"/>, in that order.</summary>
    public static IReadOnlyList<PlannedStatement> DeleteStatements(DeployId deployId, IEnumerable<string> tables) =>
        tables.Select(table => new PlannedStatement(PlannedStatementKind.TrackingRows, $"{TrackingSchema.Database}.{TrackingSchema.TablesSchema}.{table}",
                $"DELETE FROM {TrackingSchema.Table(table)} WHERE deploy_id = $1")
        { Parameters = [deployId.Value] })
            .ToList();

    /// <summary>Deletes every tracking row of the deployment (<see cref="DeleteStatements(DeployId)"/>).</summary>
    public static async Task DeleteAsync(CatalogSession session, DeployId deployId, CancellationToken cancellationToken)
    {
        foreach (var statement in DeleteStatements(deployId))
        {
            await session.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task InsertAsync(CatalogSession session, string table, string columns, IEnumerable<object?[]> rows,
        CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var sql = new StringBuilder($"INSERT INTO {TrackingSchema.Table(table)} ({columns}) VALUES ");
            var parameters = new List<object?>();
            for (var row = 0; row < chunk.Length; row++)
            {
                sql.Append(row == 0 ? "(" : ", (");
                for (var column = 0; column < chunk[row].Length; column++)
                {
                    parameters.Add(chunk[row][column]);
                    sql.Append(column == 0 ? "$" : ", $").Append(parameters.Count);
                    if (chunk[row][column] is null)
                    {
                        // An untyped NULL parameter: give the server its column's type.
                        sql.Append(columns.Split(", ")[column] is "promoted_at" or "executed_at" ? "::timestamptz" : "::text");
                    }
                }

                sql.Append(')');
            }

            await session.ExecuteAsync(sql.ToString(), cancellationToken, parameters.ToArray()).ConfigureAwait(false);
        }
    }
}
