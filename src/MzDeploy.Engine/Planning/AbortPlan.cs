using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning;

/// <summary>
/// What aborting one deployment drops: exactly the staging schemas and clusters its tracking rows record (never
/// anything found by a name pattern), and its promote progress marker. The caller then deletes its rows.
/// </summary>
public sealed record AbortPlan(string DeployId, IReadOnlyList<SchemaId> Schemas, IReadOnlyList<string> Clusters,
    IReadOnlyList<PlannedStatement> Statements);

public static class AbortPlanner
{
    /// <exception cref="MzDeployException"><c>DeploymentAlreadyPromoted</c>, or <c>DeploymentPartiallyPromoted</c> when a
    /// promote swapped it but did not finish (its staging names then hold the old production objects).</exception>
    public static AbortPlan Plan(RecordedDeployment deployment, PromoteState state = PromoteState.NotStarted)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.Promoted && state != PromoteState.Swapped)
        {
            throw new MzDeployException(PlanErrors.DeploymentAlreadyPromoted, ErrorKind.InvalidOperation,
                $"deployment '{deployment.DeployId}' has already been promoted and cannot be aborted", deployment.DeployId,
                "Stage a new deployment to change production.");
        }

        if (state == PromoteState.Swapped)
        {
            throw new MzDeployException(PlanErrors.DeploymentPartiallyPromoted, ErrorKind.InvalidOperation,
                $"deployment '{deployment.DeployId}' was swapped into production by a promote that did not finish", deployment.DeployId,
                "Run Publish-MzDeployment again to finish the promote.");
        }

        var names = new StagingNames(deployment.DeployId);
        var schemas = deployment.StagedSchemas.Select(names.StagingSchemaOfProduction).ToList();
        var clusters = deployment.Clusters.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(names.StagingClusterOfProduction).ToList();
        var statements = new List<PlannedStatement>();
        statements.AddRange(schemas.Select(s =>
            new PlannedStatement(PlannedStatementKind.DropSchema, s.ToString(), $"DROP SCHEMA IF EXISTS {s.ToSql()} CASCADE")));
        statements.AddRange(clusters.Select(c =>
            new PlannedStatement(PlannedStatementKind.DropCluster, c, $"DROP CLUSTER IF EXISTS {SqlIdentifier.QuoteIfNeeded(c)} CASCADE")));
        var pending = PromotionMarker.PendingName(deployment.DeployId);
        statements.Add(new PlannedStatement(PlannedStatementKind.DropMarker, $"{PromotionMarker.Database}.{pending}",
            $"DROP SCHEMA IF EXISTS {PromotionMarker.Sql(pending)}"));
        return new AbortPlan(deployment.DeployId, schemas, clusters, statements);
    }
}
