using MzDeploy.Engine.Planning;

namespace MzDeploy;

/// <summary>What Remove-MzDeployment -Previous -PassThru dropped: the previous version one promote kept, before its window ended.</summary>
public sealed class MzPreviousVersionRemoval
{
    internal MzPreviousVersionRemoval(PreviousVersionPlan plan)
    {
        DeployId = plan.Kept.DeployId.Value;
        KeptUntil = plan.Kept.ExpiresAt;
        DroppedResources = plan.DroppedResources.ToArray();
        Statements = PasteableSql.Terminate(plan.Statements.Select(s => s.Display));
    }

    /// <summary>The promoted deployment whose kept previous version was dropped (it can no longer be undone).</summary>
    public string DeployId { get; }

    /// <summary>When the rollback window would have ended (server time).</summary>
    public DateTimeOffset KeptUntil { get; }

    /// <summary>The kept copies dropped, as they were named (<c>schema db.s_id</c>, <c>cluster c_id</c>).</summary>
    public string[] DroppedResources { get; }

    /// <summary>Every statement run, in order.</summary>
    public string[] Statements { get; }

    public override string ToString() => DeployId;
}
