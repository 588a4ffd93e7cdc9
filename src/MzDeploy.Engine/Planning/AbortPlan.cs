using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning;

/// <summary>
/// What aborting one deployment drops: exactly the staging schemas and clusters its tracking rows record (never
/// anything found by a name pattern), and its promote progress marker (<see cref="Statements"/>); then the deletes of
/// its tracking rows (<see cref="TrackingRows"/>, supplied by whoever knows the tracking schema). A value: a preview
/// shows it, the executor runs it, one statement per round trip, in order.
/// </summary>
public sealed record AbortPlan(DeployId DeployId, IReadOnlyList<SchemaId> Schemas, IReadOnlyList<string> Clusters,
    IReadOnlyList<PlannedStatement> Statements)
{
    /// <summary>The deletes of the deployment's tracking rows, after <see cref="Statements"/>.</summary>
    public IReadOnlyList<PlannedStatement> TrackingRows { get; init; } = [];

    /// <summary>Everything, in execution order.</summary>
    public IEnumerable<PlannedStatement> AllStatements => Statements.Concat(TrackingRows);

    /// <summary>
    /// A stage crashed between claiming its deploy ID and recording it: only the claim (the pending marker) is left,
    /// and releasing it is all there is to do.
    /// </summary>
    public static AbortPlan ReleaseClaim(StagingNames names) => new(names.DeployId, [], [], [ClaimStatements.Release(names)]);

    /// <summary>Whether this plan only releases a stage's claim (see <see cref="ReleaseClaim"/>).</summary>
    public bool ReleasesClaimOnly => Schemas.Count == 0 && Clusters.Count == 0 && TrackingRows.Count == 0;
}

internal static class AbortPlanner
{
    /// <exception cref="MzDeployException"><c>DeploymentAlreadyPromoted</c>, or <c>DeploymentPartiallyPromoted</c> when a
    /// promote swapped it but did not finish (its staging names then hold the old production objects).</exception>
    /// <param name="deployment">The deployment as its tracking rows describe it.</param>
    /// <param name="names">Its names (<see cref="StagingNames.DeployId"/> is the deployment's).</param>
    /// <param name="state">How far a promote of it got.</param>
    public static AbortPlan Plan(RecordedDeployment deployment, StagingNames names, PromoteState state = PromoteState.NotStarted)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(names);
        if (deployment.Promoted && state != PromoteState.Swapped)
        {
            throw new MzDeployException(ErrorIds.DeploymentAlreadyPromoted,
                $"deployment '{deployment.DeployId}' has already been promoted and cannot be aborted", deployment.DeployId,
                new StageNewDeployment());
        }

        if (state == PromoteState.Swapped)
        {
            throw new MzDeployException(ErrorIds.DeploymentPartiallyPromoted,
                $"deployment '{deployment.DeployId}' was swapped into production by a promote that did not finish", deployment.DeployId,
                new RerunPromote(deployment.DeployId, Effect: "it finishes the promote."));
        }

        var schemas = deployment.StagedSchemas.Select(names.StagingSchemaOfProduction).ToList();
        var clusters = deployment.Clusters.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(names.StagingClusterOfProduction).ToList();
        var statements = new List<PlannedStatement>();
        statements.AddRange(schemas.Select(s =>
            new PlannedStatement(PlannedStatementKind.DropSchema, s.ToString(), $"DROP SCHEMA IF EXISTS {s.ToSql()} CASCADE")));
        statements.AddRange(clusters.Select(c =>
            new PlannedStatement(PlannedStatementKind.DropCluster, c, $"DROP CLUSTER IF EXISTS {SqlIdentifier.QuoteIfNeeded(c)} CASCADE")));
        statements.Add(ClaimStatements.Release(names));
        return new AbortPlan(deployment.DeployId, schemas, clusters, statements);
    }
}
