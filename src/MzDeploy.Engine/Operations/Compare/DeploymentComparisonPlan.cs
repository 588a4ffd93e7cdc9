using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Operations.Compare;

/// <summary>One staged view or materialized view and its production counterpart, with the comparison planned.</summary>
/// <param name="Production">The production object (what a promote replaces).</param>
/// <param name="Staging">The staged object (what a promote swaps in).</param>
/// <param name="Kind">The staged object's kind.</param>
/// <param name="Comparison">The planned comparison: left is the staged object, right the production one.</param>
public sealed record PlannedObjectComparison(ObjectId Production, ObjectId Staging, ObjectKind Kind, PlannedComparison Comparison);

/// <summary>
/// What comparing a deployment with production reads: on which cluster, and one SELECT per staged view or materialized
/// view that has a production counterpart. Reads only; nothing in it changes the environment.
/// </summary>
/// <param name="DeployId">The deployment.</param>
/// <param name="Cluster">The cluster the SELECTs run on (a staging cluster of the deployment), or null for the session's.</param>
/// <param name="Objects">The comparisons, ordered by production name.</param>
/// <param name="Uncompared">Staged views and materialized views without a production counterpart (new objects).</param>
public sealed record DeploymentComparisonPlan(DeployId DeployId, string? Cluster, IReadOnlyList<PlannedObjectComparison> Objects,
    IReadOnlyList<ObjectId> Uncompared)
{
    /// <summary>Every statement the comparison sends, in order: the cluster choice, then each SELECT.</summary>
    public IReadOnlyList<string> Statements =>
        (Cluster is null ? [] : new[] { RelationComparisonQuery.UseClusterSql(Cluster) }).Concat(Objects.Select(o => o.Comparison.Sql)).ToList();
}

/// <summary>A staged object compared with production: the plan item and what the SELECT read.</summary>
public sealed record DeploymentComparison(PlannedObjectComparison Object, RelationComparison Result)
{
    /// <summary>Rows (with repeats) only one side holds: what a promote would change in this object's results.</summary>
    public long ChangedRows => Result.OnlyLeftCount + Result.OnlyRightCount;
}
