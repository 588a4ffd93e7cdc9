using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning;

/// <summary>A schema of a deployment that another deployment promoted after this one was staged.</summary>
/// <param name="Schema">The schema.</param>
/// <param name="PromotedBy">The other deployment.</param>
/// <param name="PromotedAt">When it was promoted; null while its promote is still running (swapped, not finished).</param>
public sealed record DeploymentConflict(SchemaId Schema, string PromotedBy, DateTimeOffset? PromotedAt)
{
    public override string ToString() => PromotedAt is { } at
        ? $"{Schema} (last promoted by '{PromotedBy}' at {at:u})"
        : $"{Schema} (last promoted by '{PromotedBy}', whose promote is finishing now)";
}

/// <summary>
/// mz-deploy's git-merge-style conflict rule: promoting would overwrite a schema that someone else promoted after
/// this deployment was staged (its staging copy was built from older production). Promotes that have swapped but not
/// yet recorded <c>promoted_at</c> count too: their swap marker appears in the same commit as their swap, so a promote
/// that lost the swap race to them always sees them when it checks again.
/// </summary>
internal static class ConflictCheck
{
    /// <summary>The conflicts of <paramref name="deployment"/>, ordinal by schema.</summary>
    /// <param name="deployment">The deployment to promote.</param>
    /// <param name="production">The latest promotion of each schema.</param>
    /// <param name="inFlight">Other deployments whose swap committed but whose promote has not finished.</param>
    public static IReadOnlyList<DeploymentConflict> Find(RecordedDeployment deployment, IEnumerable<ProductionPromotion> production,
        IEnumerable<RecordedDeployment>? inFlight = null)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(production);
        var schemas = deployment.Schemas.Select(s => s.Schema).ToHashSet();
        var conflicts = new Dictionary<SchemaId, DeploymentConflict>();
        foreach (var p in production.Where(p => schemas.Contains(p.Schema) && p.PromotedAt > deployment.DeployedAt &&
                                                 !string.Equals(p.DeployId, deployment.DeployId, StringComparison.Ordinal)))
        {
            conflicts[p.Schema] = new DeploymentConflict(p.Schema, p.DeployId, p.PromotedAt);
        }

        foreach (var other in (inFlight ?? []).Where(o => !string.Equals(o.DeployId, deployment.DeployId, StringComparison.Ordinal)))
        {
            foreach (var schema in other.Schemas.Select(s => s.Schema).Where(schemas.Contains))
            {
                conflicts[schema] = new DeploymentConflict(schema, other.DeployId, null);
            }
        }

        return conflicts.Values.OrderBy(c => c.Schema, SchemaId.Ordinal).ToList();
    }
}
