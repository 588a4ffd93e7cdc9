using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning;

namespace MzDeploy;

/// <summary>Stage plans and abort results → public output types.</summary>
internal static class StageMapper
{
    public static MzStagePlan ToOutput(StagePlan plan) => new(
        plan.DeployId,
        plan.Schemas.Select(s => new MzStagingName(s.Production.ToString(), s.Staging.ToString())).ToArray(),
        plan.Clusters.Select(c => new MzStagingName(c.Production, c.Staging)).ToArray(),
        plan.Objects.Select(o => o.ToString()).ToArray(),
        plan.Sinks.Select(o => o.ToString()).ToArray(),
        plan.ReplacementMaterializedViews.Select(o => o.ToString()).ToArray(),
        PasteableSql.Terminate(plan.Statements.Select(s => s.Sql)),
        plan.Changes.Dirty.Select(d => $"{d.Id}: {Reason(d)}").ToArray());

    /// <summary>Why an object is redeployed; a forced one names the parameter that forced it.</summary>
    internal static string Reason(DirtyObject d) => d.Reason switch
    {
        DirtyReason.ForcedSchema => "forced by -RedeploySchema",
        DirtyReason.ForcedAll => "forced by -RedeployAll",
        _ => d.Description,
    };

    public static MzAbortResult ToOutput(AbortResult result) =>
        new(result.DeployId, result.Schemas.ToArray(), result.Clusters.ToArray());
}
