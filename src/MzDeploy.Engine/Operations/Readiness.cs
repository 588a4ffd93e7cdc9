using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Operations;

/// <summary>
/// The one definition of "ready to promote", shared by wait and promote's readiness check
/// (mz-deploy's <c>wait --once</c>): the deployment must be staged (exists, not promoted), and every one of its
/// staging clusters must be ready. A failing cluster is an error of its own, with the reason, because waiting
/// longer will not fix it.
/// </summary>
public static class Readiness
{
    /// <summary>
    /// The recorded deployment, which must exist and not be promoted.
    /// </summary>
    /// <exception cref="MzDeployException"><c>DeploymentNotFound</c>, <c>DeploymentAlreadyPromoted</c>.</exception>
    public static async Task<RecordedDeployment> RequireStagedAsync(CatalogSession session, string deployId, CancellationToken cancellationToken)
    {
        // Wait takes the ID as typed: one that is no valid deploy ID names no deployment MzDeploy could have staged.
        var deployment = (DeployId.TryParse(deployId, out var id)
                             ? await StageRecorder.ReadDeploymentAsync(session, id, cancellationToken).ConfigureAwait(false)
                             : null)
                         ?? throw DeploymentQueries.NotFound(deployId);
        if (deployment.Promoted)
        {
            throw AlreadyPromoted(deployId);
        }

        return deployment;
    }

    /// <summary>The <c>DeploymentAlreadyPromoted</c> error for a command that needs a staged deployment.</summary>
    public static MzDeployException AlreadyPromoted(string deployId) =>
        new(ErrorIds.DeploymentAlreadyPromoted, $"deployment '{deployId}' has already been promoted", deployId,
            new StageNewDeployment());

    /// <summary>
    /// Null when every cluster is ready (or the deployment has no clusters); otherwise the error to report:
    /// <c>DeploymentFailing</c> when any cluster fails, else <c>ClustersNotReady</c> naming the clusters still
    /// hydrating or lagging.
    /// </summary>
    public static MzDeployException? Evaluate(string deployId, IReadOnlyList<ClusterStatusInfo> clusters, int allowedLagSeconds)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        var failing = clusters.Where(c => c.State == ClusterState.Failing).ToList();
        if (failing.Count > 0)
        {
            return new MzDeployException(ErrorIds.DeploymentFailing,
                $"deployment '{deployId}' has failing cluster(s): {string.Join("; ", failing.Select(c => Describe(c)))}", deployId,
                new Restage(deployId, Alternative: "Fix the cluster (add a replica, a larger size)"));
        }

        var waiting = clusters.Where(c => c.State != ClusterState.Ready).ToList();
        if (waiting.Count > 0)
        {
            return new MzDeployException(ErrorIds.ClustersNotReady,
                $"deployment '{deployId}' is not ready: {string.Join("; ", waiting.Select(c => Describe(c, allowedLagSeconds)))}", deployId,
                new WaitForDeployment(deployId));
        }

        return null;
    }

    /// <summary>One cluster's status in words, e.g. <c>c_abc: hydrating 3/5 objects</c>.</summary>
    public static string Describe(ClusterStatusInfo cluster, int allowedLagSeconds = ClusterLag.DefaultAllowedSeconds)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return $"{cluster.Cluster}: {DescribeState(cluster, allowedLagSeconds)}";
    }

    /// <summary>
    /// <see cref="Describe"/> without the cluster's name (<c>hydrating 3/5 objects</c>), for a display that shows the name
    /// already (a progress bar per cluster).
    /// </summary>
    public static string DescribeState(ClusterStatusInfo cluster, int allowedLagSeconds = ClusterLag.DefaultAllowedSeconds)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.State switch
        {
            ClusterState.Ready => $"ready ({cluster.HydratedObjects}/{cluster.TotalObjects} objects)",
            ClusterState.Hydrating => $"hydrating {cluster.HydratedObjects}/{cluster.TotalObjects} objects",
            ClusterState.Lagging => $"lagging {cluster.LagSeconds}s (allowed {allowedLagSeconds}s)",
            _ => $"failing ({FailureText(cluster)})",
        };
    }

    /// <summary>A failure reason as a sentence fragment.</summary>
    public static string FailureText(ClusterStatusInfo cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.FailureReason switch
        {
            "no_replicas" => "no replicas configured",
            "all_replicas_problematic" => $"all {cluster.ProblematicReplicas} of {cluster.Replicas} replicas OOM-looping (3+ crashes in 24h)",
            "cluster_missing" => "the staging cluster no longer exists",
            "production_cluster_missing" => "the production cluster recorded at stage time was dropped or recreated",
            { } other => other,
            null => "unknown reason",
        };
    }
}
