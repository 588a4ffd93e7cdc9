using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations.Compare;

namespace MzDeploy.Engine.Operations;

/// <summary>What to compare: a staged deployment, how many differing rows to sample, and optionally on which cluster.</summary>
/// <param name="DeployId">The deployment, as typed.</param>
/// <param name="SampleSize">At most this many differing rows per side and object.</param>
/// <param name="Cluster">The cluster the SELECTs run on; null: the deployment's first staging cluster.</param>
public sealed record CompareRequest(string DeployId, int SampleSize = ResultComparer.DefaultSampleSize, string? Cluster = null);

/// <summary>
/// Compares a staged deployment's results with production's, on one verified session (any mz-deploy role: it reads only).
/// PrepareAsync reads the deployment's tracking rows, the views and materialized views of its staging schemas and of the
/// production schemas they replace, and their columns, and plans one SELECT per staged object with a production counterpart
/// (<see cref="DeploymentComparisonPlanner"/>); <see cref="ExecuteAsync"/> runs them. Each SELECT reads both versions at one
/// timestamp (<see cref="RelationComparisonQuery"/>), so both versions are computed: the cost is a full read of each.
/// Not thread-safe.
/// </summary>
public sealed class CompareOperation : PlannedOperation<DeploymentComparisonPlan>
{
    private CompareOperation(VerifiedSession verified, DeploymentComparisonPlan plan)
        : base(verified, plan)
    {
    }

    /// <summary>Reads and plans; sends no SELECT of user data.</summary>
    /// <exception cref="MzDeployException"><c>InvalidDeployId</c>, <c>DeploymentNotFound</c>, <c>DeploymentAlreadyPromoted</c>,
    /// setup and role errors.</exception>
    public static async Task<CompareOperation> PrepareAsync(ConnectionTarget target, CompareRequest request, IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentOutOfRangeException.ThrowIfNegative(request.SampleSize);
        var names = new StagingNames(Model.DeployId.Parse(request.DeployId));
        return await PrepareOnAsync(target, RoleRequirement.AnyRole, log, cancellationToken, async verified =>
        {
            var session = verified.Session;
            var deployment = await StageRecorder.ReadDeploymentAsync(session, names.DeployId, cancellationToken).ConfigureAwait(false)
                ?? throw DeploymentQueries.NotFound(names.DeployId);
            if (deployment.Promoted)
            {
                throw new MzDeployException(ErrorIds.DeploymentAlreadyPromoted,
                    $"deployment '{names.DeployId}' has already been promoted: production holds its objects, there is nothing to compare",
                    names.DeployId, new StageNewDeployment());
            }

            var schemas = deployment.StagedSchemas;
            var relations = await DeploymentComparisonCatalog.RelationsAsync(session,
                schemas.Concat(schemas.Select(names.StagingSchemaOfProduction)).ToList(), cancellationToken).ConfigureAwait(false);
            var (pairs, uncompared) = DeploymentComparisonPlanner.Pair(names, schemas, relations);
            var columns = new Dictionary<ObjectId, IReadOnlyList<string>>();
            foreach (var id in pairs.SelectMany(p => new[] { p.Staging, p.Production }))
            {
                columns[id] = await ResultComparer.ColumnsAsync(session, id, cancellationToken).ConfigureAwait(false);
            }

            // The comparison computes both versions: on a staging cluster of the deployment, never on production's or the
            // tracking server's. A deployment without clusters of its own runs on the session's.
            var cluster = request.Cluster ?? deployment.Clusters.Order(StringComparer.Ordinal).Select(names.StagingClusterOfProduction).FirstOrDefault();
            var plan = DeploymentComparisonPlanner.Plan(names.DeployId, cluster, pairs, uncompared, columns, request.SampleSize);
            log.Verbose($"Deployment '{names.DeployId}': {plan.Objects.Count} object(s) to compare"
                        + (plan.Cluster is null ? "" : $" on cluster {plan.Cluster}")
                        + (uncompared.Count == 0 ? "." : $"; {uncompared.Count} new object(s) without a production counterpart."));
            return new CompareOperation(verified, plan);
        }).ConfigureAwait(false);
    }

    /// <summary>Runs the plan's SELECTs, one per object, in order.</summary>
    /// <param name="log">Verbose messages: each statement and its counts.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <param name="compared">Called with each comparison as it is done, from the operation's thread.</param>
    public async Task<IReadOnlyList<DeploymentComparison>> ExecuteAsync(IOperationLog log, CancellationToken cancellationToken,
        Action<DeploymentComparison>? compared = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var session = Verified.Session;
        var results = new List<DeploymentComparison>();
        if (Plan.Cluster is not null)
        {
            var use = RelationComparisonQuery.UseClusterSql(Plan.Cluster);
            log.Verbose(use);
            await session.ExecuteAsync(use, cancellationToken).ConfigureAwait(false);
        }

        foreach (var o in Plan.Objects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            log.Verbose(o.Comparison.Sql);
            var result = await ResultComparer.RunAsync(session, o.Comparison, cancellationToken).ConfigureAwait(false);
            log.Verbose($"Compared {o.Staging} with {o.Production}: {result.LeftCount} against {result.RightCount} row(s), "
                        + $"{result.OnlyLeftCount} only in staging, {result.OnlyRightCount} only in production.");
            var comparison = new DeploymentComparison(o, result);
            results.Add(comparison);
            compared?.Invoke(comparison);
        }

        return results;
    }

    /// <summary>
    /// Prepares and runs a comparison without samples, then refuses (<c>ChangedRowsExceeded</c>) when an object's changed
    /// rows exceed <paramref name="maxChangedRows"/>. Reads only: nothing changes, whatever the outcome.
    /// </summary>
    public static async Task<IReadOnlyList<DeploymentComparison>> CheckChangedRowsAsync(ConnectionTarget target, string deployId,
        long maxChangedRows, IOperationLog log, CancellationToken cancellationToken)
    {
        await using var operation = await PrepareAsync(target, new CompareRequest(deployId, SampleSize: 0), log, cancellationToken)
            .ConfigureAwait(false);
        var results = await operation.ExecuteAsync(log, cancellationToken).ConfigureAwait(false);
        ChangedRowsLimit.Check(operation.Plan.DeployId, results, maxChangedRows);
        return results;
    }
}
