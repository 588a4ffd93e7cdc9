using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;

namespace MzDeploy;

/// <summary>Engine records → public output types (engine types never reach the pipeline).</summary>
internal static class DeploymentMapper
{
    public static MzDeployment ToOutput(DeploymentInfo d) => new(
        d.DeployId,
        Status(d.State),
        d.Kinds.ToArray(),
        d.DeployedAt,
        d.DeployedBy,
        d.Commit,
        d.PromotedAt,
        d.Schemas.ToArray(),
        d.Clusters.Select(ToOutput).ToArray(),
        d.Objects.Select(o => new MzDeployedObject(o.Database, o.Schema, o.Name, o.Hash)).ToArray());

    public static MzClusterStatus ToOutput(ClusterStatusInfo c) => new(
        c.DeployId,
        c.Cluster,
        c.ProductionCluster,
        Status(c.State),
        c.FailureReason,
        Clamp(c.HydratedObjects),
        Clamp(c.TotalObjects),
        c.LagSeconds is { } lag ? Clamp(lag) : null,
        Clamp(c.Replicas),
        Clamp(c.ProblematicReplicas));

    public static MzPromotionRecord ToOutput(PromotionInfo p) =>
        new(p.DeployId, p.PromotedAt, p.DeployedBy, p.Commit, p.Kinds.ToArray(), p.Schemas.ToArray(), p.DroppedUnmanagedObjects.ToArray());

    public static MzSetupResult ToOutput(SetupResult r) =>
        new(r.Profile, r.Server, r.User, r.RbacActive, r.Created.ToArray(), r.AlreadyPresent.ToArray(), r.Grants.ToArray(), PasteableSql.Terminate(r.Statements));

    private static MzDeploymentStatus Status(DeploymentState state) => state switch
    {
        DeploymentState.Ready => MzDeploymentStatus.Ready,
        DeploymentState.Hydrating => MzDeploymentStatus.Hydrating,
        DeploymentState.Lagging => MzDeploymentStatus.Lagging,
        DeploymentState.Failing => MzDeploymentStatus.Failing,
        _ => MzDeploymentStatus.Promoted,
    };

    private static MzDeploymentStatus Status(ClusterState state) => state switch
    {
        ClusterState.Ready => MzDeploymentStatus.Ready,
        ClusterState.Hydrating => MzDeploymentStatus.Hydrating,
        ClusterState.Lagging => MzDeploymentStatus.Lagging,
        _ => MzDeploymentStatus.Failing,
    };

    private static int Clamp(long value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);
}
