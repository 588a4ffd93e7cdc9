namespace MzDeploy.Engine.Model;

/// <summary>A row for <c>_mz_deploy.tables.deployments</c>: a schema the deployment touches (production name) and its kind.</summary>
public sealed record RecordedSchema(SchemaId Schema, DeploymentKind Kind);

/// <summary>
/// A staged deployment as its tracking rows describe it (production names): what promote swaps, creates and
/// drops, and what abort removes. The caller reads it from <c>_mz_deploy</c>.
/// </summary>
/// <param name="DeployId">The deployment.</param>
/// <param name="DeployedAt">When it was staged (<c>deployments.deployed_at</c>).</param>
/// <param name="Schemas">Its <c>deployments</c> rows.</param>
/// <param name="Clusters">The production names of its recorded clusters (<c>deployment_clusters</c>).</param>
public sealed record RecordedDeployment(DeployId DeployId, DateTimeOffset DeployedAt, IReadOnlyList<RecordedSchema> Schemas,
    IReadOnlyList<string> Clusters)
{
    /// <summary>Its <c>pending_statements</c> rows, in sequence order.</summary>
    public IReadOnlyList<PendingStatementRecord> PendingStatements { get; init; } = Array.Empty<PendingStatementRecord>();

    /// <summary>Its <c>replacement_mvs</c> rows.</summary>
    public IReadOnlyList<ReplacementRecord> Replacements { get; init; } = Array.Empty<ReplacementRecord>();

    /// <summary>Whether <c>promoted_at</c> is set.</summary>
    public bool Promoted { get; init; }

    /// <summary>
    /// The schemas that have a staging copy to swap: kind <c>objects</c>, and kind <c>replacement</c> when the
    /// deployment replaces nothing in place there (a stable schema's first deploy). Derived from the deployment's
    /// own rows, so a resumed promote computes the same set before and after <c>promoted_at</c> is set.
    /// </summary>
    public IReadOnlyList<SchemaId> SwappedSchemas =>
        Schemas
            .Where(s => s.Kind == DeploymentKind.Objects ||
                        (s.Kind == DeploymentKind.Replacement && !Replacements.Any(r => ReplacesIn(r, s.Schema))))
            .Select(s => s.Schema)
            .Distinct()
            .Order(SchemaId.Ordinal)
            .ToList();

    /// <summary>Schemas whose materialized views are replaced in place (not swapped).</summary>
    public IReadOnlyList<SchemaId> ReplacedSchemas =>
        Replacements.Select(r => new SchemaId(r.TargetDatabase, r.TargetSchema)).Distinct().Order(SchemaId.Ordinal).ToList();

    /// <summary>Schemas that got a staging copy at stage (everything but sink-only schemas).</summary>
    public IReadOnlyList<SchemaId> StagedSchemas =>
        Schemas.Where(s => s.Kind is DeploymentKind.Objects or DeploymentKind.Replacement).Select(s => s.Schema)
            .Distinct().Order(SchemaId.Ordinal).ToList();

    private static bool ReplacesIn(ReplacementRecord r, SchemaId schema) =>
        r.TargetDatabase == schema.Database && r.TargetSchema == schema.Schema;
}
