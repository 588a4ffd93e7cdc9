using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Operations;

/// <summary>What an abort removed.</summary>
/// <param name="DeployId">The deployment.</param>
/// <param name="Schemas">The staging schemas dropped (<c>db.schema</c>).</param>
/// <param name="Clusters">The staging clusters dropped.</param>
/// <param name="Statements">Every statement run, in order (parameters shown as a trailing comment).</param>
public sealed record AbortResult(string DeployId, IReadOnlyList<string> Schemas, IReadOnlyList<string> Clusters,
    IReadOnlyList<string> Statements);

/// <summary>
/// mz-deploy <c>abort</c>, in two steps on one verified session: <see cref="PrepareAsync"/> reads the deployment and
/// plans (exactly the staging schemas and clusters it recorded, never anything found by a name pattern; its promote
/// marker; its tracking rows); <see cref="ExecuteAsync"/> runs that plan. Between the two, the caller shows the plan
/// (a preview) or asks. Refuses a promoted deployment and an unknown deploy ID. Stage's rollback uses
/// <see cref="RemoveAsync"/>. Not thread-safe.
/// </summary>
public sealed class AbortOperation : PlannedOperation<AbortPlan>
{
    private AbortOperation(VerifiedSession verified, AbortPlan plan)
        : base(verified, plan)
    {
    }

    /// <summary>Reads the deployment and plans its removal; changes nothing.</summary>
    /// <exception cref="MzDeployException"><c>InvalidDeployId</c>, <c>DeploymentNotFound</c>, <c>DeploymentAlreadyPromoted</c>,
    /// <c>DeploymentPartiallyPromoted</c>, setup and role errors.</exception>
    public static async Task<AbortOperation> PrepareAsync(ConnectionTarget target, string deployId, IOperationLog log,
        CancellationToken cancellationToken)
    {
        var names = new StagingNames(Model.DeployId.Parse(deployId));
        return await PrepareOnAsync(target, RoleRequirement.Deployer, log, cancellationToken, async verified =>
        {
            var plan = await PlanAsync(verified.Session, names, cancellationToken).ConfigureAwait(false);
            return new AbortOperation(verified, plan);
        }).ConfigureAwait(false);
    }

    /// <summary><see cref="PrepareAsync"/> then <see cref="ExecuteAsync"/>, for callers that show nothing in between.</summary>
    public static async Task<AbortResult> RunAsync(ConnectionTarget target, string deployId, IOperationLog log,
        CancellationToken cancellationToken)
    {
        await using var operation = await PrepareAsync(target, deployId, log, cancellationToken).ConfigureAwait(false);
        return await operation.ExecuteAsync(log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the plan, one statement per round trip, in order.</summary>
    public async Task<AbortResult> ExecuteAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        await RunPlanAsync(Verified.Session, Plan, cancellationToken).ConfigureAwait(false);
        log.Verbose(Plan.ReleasesClaimOnly
            ? $"Released the claim of deploy ID '{Plan.DeployId}' left by a stage that did not record it."
            : $"Removed deployment '{Plan.DeployId}': {Plan.Schemas.Count} schema(s), {Plan.Clusters.Count} cluster(s).");
        return new AbortResult(Plan.DeployId, Plan.Schemas.Select(s => s.ToString()).ToList(), Plan.Clusters,
            Plan.AllStatements.Select(s => s.Display).ToList());
    }

    /// <summary>Removes a deployment known to be staged (stage's rollback): drops what it records, deletes its rows.</summary>
    internal static async Task<AbortPlan> RemoveAsync(CatalogSession session, RecordedDeployment deployment, StagingNames names,
        CancellationToken cancellationToken)
    {
        var plan = AbortPlanner.Plan(deployment, names) with { TrackingRows = StageRecorder.DeleteStatements(deployment.DeployId) };
        await RunPlanAsync(session, plan, cancellationToken).ConfigureAwait(false);
        return plan;
    }

    private static async Task<AbortPlan> PlanAsync(CatalogSession session, StagingNames names, CancellationToken cancellationToken)
    {
        var deployId = names.DeployId;
        var deployment = await StageRecorder.ReadDeploymentAsync(session, deployId, cancellationToken).ConfigureAwait(false);
        if (deployment is null)
        {
            // A stage that crashed between claiming its ID and recording it leaves only the claim: release it.
            return await StageRecorder.MarkerExistsAsync(session, names.PendingMarker, cancellationToken).ConfigureAwait(false)
                ? AbortPlan.ReleaseClaim(names)
                : throw DeploymentQueries.NotFound(deployId);
        }

        var swapped = await StageRecorder.MarkerExistsAsync(session, names.SwappedMarker, cancellationToken).ConfigureAwait(false);
        return AbortPlanner.Plan(deployment, names, PromoteStates.From(swapped, deployment.Promoted)) with
        {
            TrackingRows = StageRecorder.DeleteStatements(deployId),
        };
    }

    private static async Task RunPlanAsync(CatalogSession session, AbortPlan plan, CancellationToken cancellationToken)
    {
        foreach (var statement in plan.AllStatements)
        {
            await session.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        }
    }
}
