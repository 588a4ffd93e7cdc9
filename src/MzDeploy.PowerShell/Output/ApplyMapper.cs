using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning.Apply;

namespace MzDeploy;

/// <summary>Apply items and kinds ↔ public output types.</summary>
internal static class ApplyMapper
{
    public static MzApplyResult ToOutput(ApplyItem item, bool dryRun) => new(
        ToOutput(item.Type),
        item.Name,
        item.Action switch
        {
            ApplyAction.Created => MzApplyAction.Created,
            ApplyAction.Altered => MzApplyAction.Altered,
            ApplyAction.Unchanged => MzApplyAction.Unchanged,
            ApplyAction.Drifted => MzApplyAction.Drifted,
            ApplyAction.Unmanaged => MzApplyAction.Unmanaged,
            _ => MzApplyAction.Refused,
        },
        item.Reason,
        // Sql is the display text: a secret's value is already masked there.
        item.Statements.Select(s => s.Sql).ToArray(),
        dryRun);

    public static MzInfrastructureKind ToOutput(InfrastructureKind kind) => kind switch
    {
        InfrastructureKind.Role => MzInfrastructureKind.Role,
        InfrastructureKind.Cluster => MzInfrastructureKind.Cluster,
        InfrastructureKind.NetworkPolicy => MzInfrastructureKind.NetworkPolicy,
        InfrastructureKind.Secret => MzInfrastructureKind.Secret,
        InfrastructureKind.Connection => MzInfrastructureKind.Connection,
        InfrastructureKind.Source => MzInfrastructureKind.Source,
        _ => MzInfrastructureKind.Table,
    };

    public static InfrastructureKind ToEngine(MzInfrastructureKind kind) => kind switch
    {
        MzInfrastructureKind.Role => InfrastructureKind.Role,
        MzInfrastructureKind.Cluster => InfrastructureKind.Cluster,
        MzInfrastructureKind.NetworkPolicy => InfrastructureKind.NetworkPolicy,
        MzInfrastructureKind.Secret => InfrastructureKind.Secret,
        MzInfrastructureKind.Connection => InfrastructureKind.Connection,
        MzInfrastructureKind.Source => InfrastructureKind.Source,
        _ => InfrastructureKind.Table,
    };
}
