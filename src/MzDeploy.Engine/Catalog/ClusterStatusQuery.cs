using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// Readiness of the staging clusters of any number of deployments, in ONE catalog query (mz-deploy's wait
/// statuses). It reads only the <c>public</c> views (all a monitor may read). Unlike mz-deploy, clusters are found
/// from what the deployment recorded (<c>deployment_clusters</c>: production cluster → staging name
/// <c>&lt;cluster&gt;_&lt;id&gt;</c>; <c>missing_clusters</c>: recorded clusters that are gone), never by a name-suffix LIKE, so
/// deploy id <c>a</c> never picks up the clusters of <c>b_a</c>; a cluster that hosts nothing counts 0/0 objects
/// (ready), not mz-deploy's 0/1; a recorded cluster that is gone is failing, not silently skipped.
/// </summary>
internal static class ClusterStatusQuery
{
    // $1: deploy ids as one text parameter (array literal); $2: allowed lag in seconds.
    internal static readonly string Sql =
        "WITH staged AS ("
        // MzDeploy's rows: clusters by name, so a deployment whose production cluster another promote replaced
        // still shows its staging clone by name (failing: production_cluster_missing).
        + " SELECT n.deploy_id, n.cluster_name AS production_name, n.cluster_name || '_' || n.deploy_id AS cluster_name,"
        + " pc.id IS NULL AS production_missing"
        + $" FROM {TrackingSchema.View(TrackingSchema.ClusterNames)} n LEFT JOIN mz_catalog.mz_clusters pc ON pc.id = n.cluster_id"
        + " WHERE n.deploy_id = ANY($1::text::text[])"
        // mz-deploy's rows (ids only): the name a recorded id carries now, or the bare id when it is gone.
        + " UNION ALL SELECT deploy_id, name, name || '_' || deploy_id, false"
        + $" FROM {TrackingSchema.View(TrackingSchema.DeploymentClusters)} dc WHERE deploy_id = ANY($1::text::text[]) AND {TrackingSchema.HasNoClusterNames("dc.deploy_id")}"
        + " UNION ALL SELECT deploy_id, NULL::text, cluster_id, true"
        + $" FROM {TrackingSchema.View(TrackingSchema.MissingClusters)} mc WHERE deploy_id = ANY($1::text::text[]) AND {TrackingSchema.HasNoClusterNames("mc.deploy_id")}),"
        + " problematic_replicas AS ("
        + " SELECT replica_id FROM mz_internal.mz_cluster_replica_status_history"
        + " WHERE occurred_at + INTERVAL '24 hours' > mz_now() AND reason = 'oom-killed' GROUP BY replica_id HAVING COUNT(*) >= 3),"
        // The latest OOM kill per replica (the freshness gate's timer restarts at it), from the same history.
        + " last_oom AS ("
        + " SELECT replica_id, MAX(occurred_at) AS at FROM mz_internal.mz_cluster_replica_status_history"
        + " WHERE occurred_at + INTERVAL '24 hours' > mz_now() AND reason = 'oom-killed' GROUP BY replica_id),"
        + " health AS ("
        + " SELECT st.deploy_id, st.production_missing, st.production_name, st.cluster_name, c.id AS cluster_id,"
        + " COUNT(r.id) AS replicas, COUNT(pr.replica_id) AS problematic, MAX(lo.at) AS last_oom"
        + " FROM staged st LEFT JOIN mz_catalog.mz_clusters c ON c.name = st.cluster_name"
        + " LEFT JOIN mz_catalog.mz_cluster_replicas r ON r.cluster_id = c.id"
        + " LEFT JOIN problematic_replicas pr ON pr.replica_id = r.id"
        + " LEFT JOIN last_oom lo ON lo.replica_id = r.id"
        + " GROUP BY st.deploy_id, st.production_missing, st.production_name, st.cluster_name, c.id),"
        + " per_replica AS ("
        + " SELECT r.cluster_id, r.id AS replica_id, COUNT(hs.object_id) FILTER (WHERE hs.hydrated) AS hydrated, COUNT(hs.object_id) AS total"
        + " FROM mz_catalog.mz_cluster_replicas r JOIN (SELECT DISTINCT cluster_id FROM health) hc ON hc.cluster_id = r.cluster_id"
        + " LEFT JOIN mz_internal.mz_hydration_statuses hs ON hs.replica_id = r.id GROUP BY r.cluster_id, r.id),"
        + " best AS (SELECT cluster_id, MAX(hydrated) AS hydrated, MAX(total) AS total FROM per_replica GROUP BY cluster_id),"
        + " lag AS ("
        + " SELECT r.cluster_id, MAX(EXTRACT(EPOCH FROM wl.lag)) AS lag_seconds"
        + " FROM mz_catalog.mz_cluster_replicas r JOIN (SELECT DISTINCT cluster_id FROM health) hc ON hc.cluster_id = r.cluster_id"
        + " JOIN mz_internal.mz_hydration_statuses hs ON hs.replica_id = r.id"
        + " JOIN mz_internal.mz_wallclock_global_lag wl ON wl.object_id = hs.object_id GROUP BY r.cluster_id)"
        + " SELECT h.deploy_id, h.cluster_name AS cluster, h.production_name,"
        + " CASE WHEN h.production_missing OR h.cluster_id IS NULL OR h.replicas = 0 OR h.replicas = h.problematic THEN 'failing'"
        + " WHEN coalesce(b.hydrated, 0) < coalesce(b.total, 0) THEN 'hydrating'"
        + " WHEN coalesce(l.lag_seconds, 0) > $2 THEN 'lagging' ELSE 'ready' END AS status,"
        + " CASE WHEN h.production_missing THEN 'production_cluster_missing' WHEN h.cluster_id IS NULL THEN 'cluster_missing'"
        + " WHEN h.replicas = 0 THEN 'no_replicas' WHEN h.replicas = h.problematic THEN 'all_replicas_problematic' END AS failure_reason,"
        + " coalesce(b.hydrated, 0)::bigint, coalesce(b.total, 0)::bigint, ceil(l.lag_seconds)::bigint, h.replicas::bigint, h.problematic::bigint,"
        + " floor(EXTRACT(EPOCH FROM (now() - h.last_oom)))::bigint AS seconds_since_oom, h.last_oom"
        + " FROM health h LEFT JOIN best b ON b.cluster_id = h.cluster_id LEFT JOIN lag l ON l.cluster_id = h.cluster_id"
        + " ORDER BY h.deploy_id, 2";

    /// <summary>The status of every recorded staging cluster of <paramref name="deployIds"/>.</summary>
    public static async Task<IReadOnlyList<ClusterStatusInfo>> ReadAsync(CatalogSession session, IReadOnlyCollection<string> deployIds,
        int allowedLagSeconds, CancellationToken cancellationToken)
    {
        if (deployIds.Count == 0)
        {
            return [];
        }

        return await session.QueryAsync(Sql, r => new ClusterStatusInfo(
                r.GetString(0),
                r.GetString(1),
                r.IsDBNull(2) ? null : r.GetString(2),
                ParseState(r.GetString(3)),
                r.IsDBNull(4) ? null : r.GetString(4),
                r.GetInt64(5),
                r.GetInt64(6),
                r.IsDBNull(7) ? null : r.GetInt64(7),
                r.GetInt64(8),
                r.GetInt64(9))
        {
            SecondsSinceOomKill = r.IsDBNull(10) ? null : Math.Max(0, r.GetInt64(10)),
            LastOomKillAt = r.IsDBNull(11) ? null : r.GetFieldValue<DateTimeOffset>(11),
        },
            cancellationToken, CatalogSession.TextArray(deployIds), (long)allowedLagSeconds).ConfigureAwait(false);
    }

    /// <summary>A deployment is failing if any cluster fails, else hydrating if any hydrates, else lagging if any lags, else ready.</summary>
    public static DeploymentState Combine(IEnumerable<ClusterStatusInfo> clusters)
    {
        var states = clusters.Select(c => c.State).ToHashSet();
        return states.Contains(ClusterState.Failing) ? DeploymentState.Failing
            : states.Contains(ClusterState.Hydrating) ? DeploymentState.Hydrating
            : states.Contains(ClusterState.Lagging) ? DeploymentState.Lagging
            : DeploymentState.Ready;
    }

    private static ClusterState ParseState(string text) => text switch
    {
        "ready" => ClusterState.Ready,
        "hydrating" => ClusterState.Hydrating,
        "lagging" => ClusterState.Lagging,
        _ => ClusterState.Failing,
    };
}
