using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning.Review;

/// <summary>
/// <c>PlanStale</c>: a reviewed plan was not run because the state it was computed from moved. <see cref="Drift"/> lists
/// each change as data (the message says the same in words), so a script can show or branch on them.
/// </summary>
public sealed class PlanStaleException : MzDeployException
{
    internal PlanStaleException(DeployId deployId, IReadOnlyList<PlanDrift> drift)
        : base(ErrorIds.PlanStale,
            $"the reviewed plan of deployment '{deployId}' is stale: {string.Join("; ", drift.Select(d => d.Description))}",
            deployId, new ReviewPlanAgain(deployId))
    {
        Drift = drift;
    }

    /// <summary>What moved since the review, at least one item.</summary>
    public IReadOnlyList<PlanDrift> Drift { get; }
}
