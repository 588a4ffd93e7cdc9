using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Catalog;

/// <summary>One row of <c>_mz_deploy.public.deployments</c>: one (deployment, database, schema).</summary>
internal sealed record DeploymentRow(string DeployId, DateTimeOffset DeployedAt, DateTimeOffset? PromotedAt, string Database,
    string Schema, string DeployedBy, string? Commit, string Kind);

/// <summary>
/// Reads deployments from the tracking views in <c>_mz_deploy.public</c> (the only part monitors and developers
/// may read). Rows written by mz-deploy (tracking schema version 1) read the same as MzDeploy's own.
/// </summary>
internal static class DeploymentReader
{
    private const string Columns = "deploy_id, deployed_at, promoted_at, database, schema, deployed_by, commit, kind";

    internal static readonly string AllQuery =
        $"SELECT {Columns} FROM {TrackingSchema.View(TrackingSchema.Deployments)} ORDER BY deploy_id, database, schema";

    internal static readonly string StagingQuery =
        $"SELECT {Columns} FROM {TrackingSchema.View(TrackingSchema.Deployments)} WHERE promoted_at IS NULL ORDER BY deploy_id, database, schema";

    internal static readonly string PromotedQuery =
        $"SELECT {Columns} FROM {TrackingSchema.View(TrackingSchema.Deployments)} WHERE promoted_at IS NOT NULL "
        + "ORDER BY promoted_at DESC, deploy_id, database, schema";

    // $1: deploy ids as one text parameter.
    internal static readonly string ObjectsQuery =
        $"SELECT deploy_id, database, schema, object, hash FROM {TrackingSchema.View(TrackingSchema.ObjectsTable)} "
        + "WHERE deploy_id = ANY($1::text::text[]) ORDER BY deploy_id, database, schema, object";

    public static Task<IReadOnlyList<DeploymentRow>> ReadAsync(CatalogSession session, string query, CancellationToken cancellationToken) =>
        session.QueryAsync(query, r => new DeploymentRow(
            r.GetString(0),
            r.GetFieldValue<DateTimeOffset>(1),
            r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2),
            r.GetString(3),
            r.GetString(4),
            r.GetString(5),
            r.IsDBNull(6) ? null : r.GetString(6),
            r.GetString(7)), cancellationToken);

    public static async Task<ILookup<string, DeployedObjectInfo>> ReadObjectsAsync(CatalogSession session, IReadOnlyCollection<string> deployIds,
        CancellationToken cancellationToken)
    {
        if (deployIds.Count == 0)
        {
            return Array.Empty<(string, DeployedObjectInfo)>().ToLookup(x => x.Item1, x => x.Item2);
        }

        var rows = await session.QueryAsync(ObjectsQuery,
            r => (DeployId: r.GetString(0), Object: new DeployedObjectInfo(r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4))),
            cancellationToken, CatalogSession.TextArray(deployIds)).ConfigureAwait(false);
        return rows.ToLookup(r => r.DeployId, r => r.Object, StringComparer.Ordinal);
    }
}
