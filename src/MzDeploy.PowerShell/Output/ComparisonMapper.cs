using MzDeploy.Engine.Operations.Compare;

namespace MzDeploy;

/// <summary>Deployment comparisons and their plans → public output types.</summary>
internal static class ComparisonMapper
{
    public static MzDeploymentComparisonPlan ToPlan(DeploymentComparisonPlan plan) => new(
        plan.DeployId,
        plan.Cluster,
        plan.Objects.Select(o => $"{o.Production} <- {o.Staging}").ToArray(),
        plan.Uncompared.Select(o => o.ToString()).ToArray(),
        plan.Statements.ToArray());

    public static MzDeploymentComparison ToOutput(string deployId, DeploymentComparison comparison)
    {
        var o = comparison.Object;
        var r = comparison.Result;
        // Left is the staged object, right production's (see DeploymentComparisonPlanner).
        return new MzDeploymentComparison(deployId,
            o.Production.ToString(), o.Kind.ToString(), o.Staging.ToString(), r.RightCount, r.LeftCount, r.OnlyRightCount, r.OnlyLeftCount,
            r.OnlyRight.Select(ComparedRows.ToObject).ToArray(), r.OnlyLeft.Select(ComparedRows.ToObject).ToArray(), r.Columns.ToArray(),
            r.RightOnlyColumns.ToArray(), r.LeftOnlyColumns.ToArray(), o.Comparison.Sql);
    }
}
