using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;

namespace MzDeploy;

/// <summary>Promote results → public output types.</summary>
internal static class PromoteMapper
{
    public static MzPromotion ToPromotion(PromoteResult r) => new(
        r.DeployId,
        r.PromotedAt,
        r.StartedFrom == PromoteState.Swapped,
        Schemas(r),
        Clusters(r),
        r.Sinks.ToArray(),
        r.RepointedSinks.ToArray(),
        r.Replacements.ToArray(),
        r.DroppedResources.ToArray(),
        r.Conflicts.Select(c => c.ToString()).ToArray(),
        r.Attempts,
        PasteableSql.Terminate(r.Statements),
        r.DroppedUnmanaged.ToArray())
    {
        KeptPreviousVersion = r.Kept.Select(k => k.Kept).ToArray(),
        KeptUntil = r.KeptUntil,
    };

    public static MzPromotePlan ToPlan(PromoteResult r) => new(
        r.DeployId,
        r.StartedFrom == PromoteState.Swapped,
        Schemas(r),
        Clusters(r),
        r.Sinks.ToArray(),
        r.RepointedSinks.ToArray(),
        r.Replacements.ToArray(),
        r.DroppedResources.ToArray(),
        r.Conflicts.Select(c => c.ToString()).ToArray(),
        PasteableSql.Terminate(r.Statements),
        r.DroppedUnmanaged.ToArray())
    {
        KeptPreviousVersion = r.Kept.Select(k => k.Kept).ToArray(),
    };

    private static MzStagingName[] Schemas(PromoteResult r) =>
        r.SchemaSwaps.Select(s => new MzStagingName(s.Production.ToString(), s.Staging.ToString())).ToArray();

    private static MzStagingName[] Clusters(PromoteResult r) =>
        r.ClusterSwaps.Select(c => new MzStagingName(c.Production, c.Staging)).ToArray();
}
