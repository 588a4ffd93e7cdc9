namespace MzDeploy.Engine.Model;

/// <summary>A row for <c>_mz_deploy.tables.objects</c>: an object the deployment records, production name and hash.</summary>
public sealed record DeployedObjectRecord(string Database, string Schema, string Object, string Hash);

/// <summary>
/// A row for <c>_mz_deploy.tables.pending_statements</c>: a statement promote runs later. Kind <c>sink</c>: a deferred
/// sink, run after the swap. Kind <c>rename</c>: part of the swap transaction (moves a re-created index's name).
/// </summary>
public sealed record PendingStatementRecord(int SequenceNumber, string Database, string Schema, string Object, string ObjectHash,
    string Sql, string StatementKind)
{
    public const string SinkKind = "sink";
    public const string RenameKind = "rename";
}

/// <summary>A row for <c>_mz_deploy.tables.replacement_mvs</c>: a materialized view replaced in place at promote.</summary>
public sealed record ReplacementRecord(string TargetDatabase, string TargetSchema, string TargetName, string ReplacementSchema);

/// <summary>The tracking rows a stage writes (before creating anything, so abort can always clean up). Data, not SQL.</summary>
/// <param name="Schemas">One <c>deployments</c> row per schema.</param>
/// <param name="Objects">One <c>objects</c> row per recorded object (the whole content of each schema touched).</param>
/// <param name="Clusters">Production cluster names; the caller records their <c>mz_clusters</c> ids.</param>
/// <param name="PendingStatements">Deferred statements, in sequence order.</param>
/// <param name="Replacements">Materialized views replaced in place.</param>
public sealed record StageRecords(
    IReadOnlyList<RecordedSchema> Schemas,
    IReadOnlyList<DeployedObjectRecord> Objects,
    IReadOnlyList<string> Clusters,
    IReadOnlyList<PendingStatementRecord> PendingStatements,
    IReadOnlyList<ReplacementRecord> Replacements);
