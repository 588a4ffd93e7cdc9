using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Operations;

/// <summary>What an abort removed.</summary>
/// <param name="DeployId">The deployment.</param>
/// <param name="Schemas">The staging schemas dropped (<c>db.schema</c>).</param>
/// <param name="Clusters">The staging clusters dropped.</param>
/// <param name="Statements">Every statement run (or, in a dry run, that would run), in order.</param>
public sealed record AbortResult(string DeployId, IReadOnlyList<string> Schemas, IReadOnlyList<string> Clusters,
    IReadOnlyList<string> Statements);

/// <summary>
/// mz-deploy <c>abort</c>: drops exactly the staging schemas and clusters a staged deployment recorded (never anything
/// found by a name pattern), its promote marker, then deletes its tracking rows. Refuses a promoted deployment and an
/// unknown deploy ID. Stage's rollback uses <see cref="RemoveAsync"/> too.
/// </summary>
public static class AbortOperation
{
    /// <summary>Reads the deployment and removes it (with <paramref name="dryRun"/>: only lists the statements).</summary>
    /// <exception cref="MzDeployException"><c>DeploymentNotFound</c>, <c>DeploymentAlreadyPromoted</c>, <c>DeploymentPartiallyPromoted</c>,
    /// setup and role errors.</exception>
    public static async Task<AbortResult> RunAsync(CatalogConnectionFactory factory, string deployId, bool dryRun, IOperationLog log,
        CancellationToken cancellationToken)
    {
        deployId = Planning.DeployId.Validate(deployId);
        var statements = new StatementLog();
        await using var verified = await VerifiedSession.OpenAsync(factory, RoleRequirement.Deployer, log, cancellationToken, statements, dryRun)
            .ConfigureAwait(false);
        var session = verified.Session;
        var deployment = await StageRecorder.ReadDeploymentAsync(session, deployId, cancellationToken).ConfigureAwait(false);
        if (deployment is null)
        {
            // A stage that crashed between claiming its ID and recording it leaves only the claim: release it.
            var pending = PromotionMarker.PendingName(deployId);
            if (!await StageRecorder.MarkerExistsAsync(session, pending, cancellationToken).ConfigureAwait(false))
            {
                throw DeploymentQueries.NotFound(deployId);
            }

            await session.ExecuteAsync($"DROP SCHEMA IF EXISTS {PromotionMarker.Sql(pending)}", cancellationToken).ConfigureAwait(false);
            log.Verbose($"{(dryRun ? "Would release" : "Released")} the claim of deploy ID '{deployId}' left by a stage that did not record it.");
            return new AbortResult(deployId, [], [], statements.Statements);
        }

        var swapped = await StageRecorder.MarkerExistsAsync(session, PromotionMarker.SwappedName(deployId), cancellationToken).ConfigureAwait(false);
        var plan = AbortPlanner.Plan(deployment, PromoteStates.From(swapped, deployment.Promoted));
        await ExecuteAsync(session, plan, cancellationToken).ConfigureAwait(false);
        log.Verbose($"{(dryRun ? "Would remove" : "Removed")} deployment '{deployId}': {plan.Schemas.Count} schema(s), {plan.Clusters.Count} cluster(s).");
        return new AbortResult(deployId, plan.Schemas.Select(s => s.ToString()).ToList(), plan.Clusters, statements.Statements);
    }

    /// <summary>Removes a deployment known to be staged (stage's rollback): drops what it records, deletes its rows.</summary>
    internal static async Task<AbortPlan> RemoveAsync(CatalogSession session, RecordedDeployment deployment, CancellationToken cancellationToken)
    {
        var plan = AbortPlanner.Plan(deployment);
        await ExecuteAsync(session, plan, cancellationToken).ConfigureAwait(false);
        return plan;
    }

    private static async Task ExecuteAsync(CatalogSession session, AbortPlan plan, CancellationToken cancellationToken)
    {
        foreach (var statement in plan.Statements)
        {
            await session.ExecuteAsync(statement.Sql, cancellationToken).ConfigureAwait(false);
        }

        await StageRecorder.DeleteAsync(session, plan.DeployId, cancellationToken).ConfigureAwait(false);
    }
}
