namespace MzDeploy.Engine.Planning;

/// <summary>A row of <c>_mz_deploy.public.production</c>: the latest promotion of one schema (production names).</summary>
public sealed record ProductionPromotion(SchemaId Schema, string DeployId, DateTimeOffset PromotedAt);

/// <summary>A schema of a deployment that another deployment promoted after this one was staged.</summary>
public sealed record DeploymentConflict(SchemaId Schema, string PromotedBy, DateTimeOffset PromotedAt)
{
    public override string ToString() => $"{Schema} (last promoted by '{PromotedBy}' at {PromotedAt:u})";
}

/// <summary>
/// mz-deploy's git-merge-style conflict rule: promoting would overwrite a schema that someone else promoted after
/// this deployment was staged (its staging copy was built from older production).
/// </summary>
public static class ConflictCheck
{
    /// <summary>The conflicts of <paramref name="deployment"/> against <paramref name="production"/>, ordinal by schema.</summary>
    public static IReadOnlyList<DeploymentConflict> Find(RecordedDeployment deployment, IEnumerable<ProductionPromotion> production)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(production);
        var schemas = deployment.Schemas.Select(s => s.Schema).ToHashSet();
        return production
            .Where(p => schemas.Contains(p.Schema) && p.PromotedAt > deployment.DeployedAt &&
                        !string.Equals(p.DeployId, deployment.DeployId, StringComparison.Ordinal))
            .OrderBy(p => p.Schema, SchemaId.Ordinal)
            .Select(p => new DeploymentConflict(p.Schema, p.DeployId, p.PromotedAt))
            .ToList();
    }
}
