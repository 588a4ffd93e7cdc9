using System.Management.Automation;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning.DevOverlay;

namespace MzDeploy;

/// <summary>Dev overlay plans and comparisons → public output types.</summary>
internal static class DevOverlayMapper
{
    public static MzDevOverlay ToOutput(DevOverlayPlan plan, bool dryRun) => new(
        plan.Profile,
        plan.Project,
        plan.Cluster ?? string.Empty,
        plan.Databases.Select(d => d.Name).ToArray(),
        plan.Objects.Select(ToOutput).ToArray(),
        plan.Skipped.Select(s => $"{s.Kind?.ToString() ?? "Deleted"} {s.Id}: {s.Reason}").ToArray(),
        plan.Dropped.ToArray(),
        plan.Statements.Select(s => s.Display).ToArray(),
        dryRun);

    public static MzDevOverlayObject ToOutput(DevOverlayObject o) =>
        new(o.Id.ToString(), o.Kind.ToString(), o.Overlay.ToString(), o.Production?.ToString(), o.Reason);

    public static MzDevOverlayRemoval ToRemoval(DevOverlayPlan plan) =>
        new(plan.Profile, plan.Project, plan.Dropped.ToArray(), plan.Statements.Select(s => s.Display).ToArray());

    public static MzDevOverlayComparison ToOutput(DevOverlayComparison result)
    {
        var c = result.Comparison;
        return new MzDevOverlayComparison(result.Object.Id.ToString(), c.Left.ToString(), c.Right.ToString(), c.LeftCount, c.RightCount,
            c.OnlyLeftCount, c.OnlyRightCount, c.OnlyLeft.Select(ToRow).ToArray(), c.OnlyRight.Select(ToRow).ToArray(),
            c.Columns.ToArray(), c.LeftOnlyColumns.ToArray(), c.RightOnlyColumns.ToArray());
    }

    private static PSObject ToRow(ComparedRow row) => ComparedRows.ToObject(row);
}
