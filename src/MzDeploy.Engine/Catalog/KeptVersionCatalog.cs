using System.Globalization;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// The reads and tracking statements of the hot rollback window: the kept previous versions (with the server's verdict
/// on their expiry, so no client clock decides), the deployment in production per schema, the statements a promote
/// records a keep with, those an undo records its rollback with, and those that forget a kept version.
/// </summary>
internal static class KeptVersionCatalog
{
    /// <summary>The <c>mode</c> of the deployment rows an undo writes (MzDeploy's stage writes <c>stage</c>).</summary>
    public const string RollbackMode = "rollback";

    internal static readonly string KeptQuery =
        "SELECT k.deploy_id, k.kind, k.database, k.name, k.staging_name, k.previous_deploy_id, k.epoch, k.kept_at, k.expires_at, "
        + "k.expires_at <= now(), "
        + $"EXISTS (SELECT 1 FROM {TrackingSchema.View(TrackingSchema.Deployments)} d WHERE d.deploy_id = k.deploy_id AND d.promoted_at IS NOT NULL) "
        + $"FROM {TrackingSchema.View(TrackingSchema.KeptVersions)} k ORDER BY k.kept_at DESC, k.deploy_id, k.kind DESC, k.database, k.name";

    internal static readonly string ForgetSql = $"DELETE FROM {TrackingSchema.Table(TrackingSchema.KeptVersions)} WHERE deploy_id = $1";

    internal static readonly string RecordSql =
        $"INSERT INTO {TrackingSchema.Table(TrackingSchema.KeptVersions)} "
        + "(deploy_id, kind, database, name, staging_name, previous_deploy_id, epoch, kept_at, expires_at) "
        + "VALUES ($1, $2, $3::text, $4, $5, $6::text, $7, now(), now() + $8::text::interval)";

    internal static readonly string ForgetRollbackSql =
        $"DELETE FROM {TrackingSchema.Table(TrackingSchema.Deployments)} WHERE deploy_id = $1 AND mode = '{RollbackMode}'";

    internal static readonly string ForgetRollbackObjectsSql =
        $"DELETE FROM {TrackingSchema.Table(TrackingSchema.ObjectsTable)} WHERE deploy_id = $1";

    // One deployments row per restored schema: the previous deployment's commit and kind, promoted now, mode rollback.
    internal static readonly string RecordRollbackFromPreviousSql =
        $"INSERT INTO {TrackingSchema.Table(TrackingSchema.Deployments)} "
        + "(deploy_id, deployed_at, promoted_at, database, schema, deployed_by, commit, kind, mode) "
        + $"SELECT $1, now(), now(), database, schema, $2, commit, kind, '{RollbackMode}' FROM {TrackingSchema.Table(TrackingSchema.Deployments)} "
        + "WHERE deploy_id = $3 AND database = $4 AND schema = $5";

    // A restored schema no deployment had recorded: it held nothing the project manages.
    internal static readonly string RecordRollbackBareSql =
        $"INSERT INTO {TrackingSchema.Table(TrackingSchema.Deployments)} "
        + "(deploy_id, deployed_at, promoted_at, database, schema, deployed_by, commit, kind, mode) "
        + $"VALUES ($1, now(), now(), $2, $3, $4, NULL, 'objects', '{RollbackMode}')";

    // The restored schema's objects, as the previous deployment recorded them: the production snapshot reads them.
    internal static readonly string RecordRollbackObjectsSql =
        $"INSERT INTO {TrackingSchema.Table(TrackingSchema.ObjectsTable)} (deploy_id, database, schema, object, hash) "
        + $"SELECT $1, database, schema, object, hash FROM {TrackingSchema.Table(TrackingSchema.ObjectsTable)} "
        + "WHERE deploy_id = $2 AND database = $3 AND schema = $4";

    internal static readonly string DeploymentExistsQuery =
        $"SELECT EXISTS (SELECT 1 FROM {TrackingSchema.View(TrackingSchema.Deployments)} WHERE deploy_id = $1)";

    /// <summary>Every kept version, latest first; with <paramref name="deployId"/>, only its own.</summary>
    public static async Task<IReadOnlyList<KeptVersion>> ReadAsync(CatalogSession session, DeployId? deployId, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(KeptQuery, r => (
            DeployId: r.GetString(0),
            Resource: new KeptResource(r.GetString(1) == "cluster" ? KeptResourceKind.Cluster : KeptResourceKind.Schema,
                r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt64(6)),
            KeptAt: r.GetFieldValue<DateTimeOffset>(7),
            ExpiresAt: r.GetFieldValue<DateTimeOffset>(8),
            Expired: r.GetBoolean(9),
            Promoted: r.GetBoolean(10)), cancellationToken).ConfigureAwait(false);
        return rows.Where(r => deployId is null || r.DeployId == deployId.Value.Value)
            .GroupBy(r => r.DeployId, StringComparer.Ordinal)
            .Where(g => Model.DeployId.IsValid(g.Key))
            .Select(g => new KeptVersion(Model.DeployId.Parse(g.Key), g.Select(r => r.Resource).ToList(), g.Max(r => r.KeptAt), g.Min(r => r.ExpiresAt),
                g.Any(r => r.Expired), g.First().Promoted))
            .OrderByDescending(k => k.KeptAt)
            .ToList();
    }

    /// <summary>The deployment in production per schema (the <c>production</c> view).</summary>
    public static async Task<IReadOnlyDictionary<SchemaId, string>> ProductionDeploymentsAsync(CatalogSession session, CancellationToken cancellationToken) =>
        (await PromoteCatalog.ProductionAsync(session, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Schema, p => p.DeployId);

    /// <summary>Whether any deployment row carries <paramref name="deployId"/>.</summary>
    public static Task<bool> DeploymentExistsAsync(CatalogSession session, DeployId deployId, CancellationToken cancellationToken) =>
        session.QuerySingleAsync(DeploymentExistsQuery, r => r.GetBoolean(0), cancellationToken, deployId.Value);

    /// <summary>
    /// The statements a promote of <paramref name="deployId"/> runs before its swap: forget an earlier attempt's record, then
    /// record each of <paramref name="kept"/> with the window ending <paramref name="window"/> from now (server time).
    /// </summary>
    public static IReadOnlyList<PlannedStatement> RecordStatements(DeployId deployId, IReadOnlyList<KeptResource> kept, TimeSpan window)
    {
        var statements = new List<PlannedStatement> { Forget(deployId) };
        var seconds = ((long)Math.Ceiling(window.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + " seconds";
        statements.AddRange(kept.Select(r => new PlannedStatement(PlannedStatementKind.TrackingRows, r.Kept, RecordSql)
        {
            Parameters = [deployId.Value, r.Kind == KeptResourceKind.Cluster ? "cluster" : "schema", r.Database, r.Name, r.StagingName,
                r.PreviousDeployId, r.Epoch, seconds],
        }));
        return statements;
    }

    /// <summary>Deletes the kept-version record of <paramref name="deployId"/>.</summary>
    public static PlannedStatement Forget(DeployId deployId) =>
        new(PlannedStatementKind.TrackingRows, $"{TrackingSchema.Database}.{TrackingSchema.TablesSchema}.{TrackingSchema.KeptVersions}", ForgetSql)
        {
            Parameters = [deployId.Value],
        };

    /// <summary>
    /// The tracking statements of an undo of <paramref name="deployId"/>, as <see cref="PromoteScript"/> runs them: the
    /// rollback recorded as the promotion <paramref name="rollbackId"/> of the restored schemas (mode <c>rollback</c>, the
    /// previous deployments' commits, kinds and objects: the production snapshot and the history read it), written again
    /// whole when an interrupted undo resumes; then the kept-version record forgotten. With nothing kept left (an undo
    /// resumed after it forgot the record) only the record's absence remains to confirm: nothing is written.
    /// </summary>
    public static PromoteTracking UndoTracking(DeployId deployId, DeployId rollbackId, IReadOnlyList<KeptResource> kept, string user)
    {
        var record = new List<PlannedStatement>();
        if (kept.Count > 0)
        {
            record.Add(new PlannedStatement(PlannedStatementKind.TrackingRows, rollbackId.Value, ForgetRollbackSql) { Parameters = [rollbackId.Value] });
            record.Add(new PlannedStatement(PlannedStatementKind.TrackingRows, rollbackId.Value, ForgetRollbackObjectsSql) { Parameters = [rollbackId.Value] });
            foreach (var schema in kept.Where(r => r.Kind == KeptResourceKind.Schema))
            {
                if (schema.PreviousDeployId is { } previous)
                {
                    record.Add(new PlannedStatement(PlannedStatementKind.TrackingRows, schema.ProductionSchema.ToString(), RecordRollbackFromPreviousSql)
                    {
                        Parameters = [rollbackId.Value, user, previous, schema.Database, schema.Name],
                    });
                    record.Add(new PlannedStatement(PlannedStatementKind.TrackingRows, schema.ProductionSchema.ToString(), RecordRollbackObjectsSql)
                    {
                        Parameters = [rollbackId.Value, previous, schema.Database, schema.Name],
                    });
                }
                else
                {
                    record.Add(new PlannedStatement(PlannedStatementKind.TrackingRows, schema.ProductionSchema.ToString(), RecordRollbackBareSql)
                    {
                        Parameters = [rollbackId.Value, schema.Database, schema.Name, user],
                    });
                }
            }
        }

        return new PromoteTracking(
            (sink, _) => throw new InvalidOperationException($"an undo creates no deferred sink ({sink})"),
            record,
            kept.Count > 0 ? [Forget(deployId)] : []);
    }
}
