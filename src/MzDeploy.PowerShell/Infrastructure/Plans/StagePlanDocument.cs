namespace MzDeploy.PowerShell.Infrastructure.Plans;

// The JSON shape of a stage plan file (docs/plan-file.md), one record per object of the file. Property names are the
// file's (camelCase by the serializer options); every list is written in the engine's order. A field added later must
// be optional, or the format number goes up.

/// <summary>The whole file. <see cref="Checksum"/> is the SHA-256 of the file written with it null.</summary>
internal sealed record StagePlanDocument(
    string? Kind,
    int? Format,
    string? CreatedAt,
    string? Profile,
    string? Server,
    string? DeployId,
    string? ProfileSuffix,
    FingerprintDocument? Fingerprint,
    IReadOnlyList<SchemaMappingDocument>? Schemas,
    IReadOnlyList<ClusterMappingDocument>? Clusters,
    IReadOnlyList<ObjectDocument>? Objects,
    IReadOnlyList<ObjectDocument>? Sinks,
    IReadOnlyList<ObjectDocument>? Replacements,
    IReadOnlyList<ReasonDocument>? Reasons,
    IReadOnlyList<StatementDocument>? Statements,
    RecordsDocument? Records,
    string? Checksum);

internal sealed record ObjectDocument(string Database, string Schema, string Name);

internal sealed record SchemaDocument(string Database, string Schema);

internal sealed record FingerprintDocument(
    string Digest,
    string? Commit,
    IReadOnlyList<PromotedSchemaDocument> Schemas,
    IReadOnlyList<ObjectHashDocument> Objects,
    IReadOnlyList<ClusterConfigurationDocument> Clusters);

internal sealed record PromotedSchemaDocument(string Database, string Schema, string DeployId, string Kind);

internal sealed record ObjectHashDocument(string Database, string Schema, string Name, string Hash);

internal sealed record ClusterConfigurationDocument(string Name, string Configuration);

internal sealed record SchemaMappingDocument(SchemaDocument Production, SchemaDocument Staging, string Kind);

internal sealed record ClusterMappingDocument(string Production, string Staging);

/// <summary>Why an object is redeployed: the engine's reason fields, and the words a review reads.</summary>
internal sealed record ReasonDocument(ObjectDocument Object, string? ObjectKind, string Reason, ObjectDocument? Cause, string? Cluster,
    string? Change, bool CauseChanged, string Description);

internal sealed record StatementDocument(string Kind, string Target, string Sql);

internal sealed record RecordsDocument(
    IReadOnlyList<RecordedSchemaDocument> Schemas,
    IReadOnlyList<RecordedObjectDocument> Objects,
    IReadOnlyList<string> Clusters,
    IReadOnlyList<PendingStatementDocument> PendingStatements,
    IReadOnlyList<ReplacementDocument> Replacements);

internal sealed record RecordedSchemaDocument(string Database, string Schema, string Kind);

internal sealed record RecordedObjectDocument(string Database, string Schema, string Object, string Hash);

internal sealed record PendingStatementDocument(int SequenceNumber, string Database, string Schema, string Object, string ObjectHash,
    string Sql, string StatementKind);

internal sealed record ReplacementDocument(string TargetDatabase, string TargetSchema, string TargetName, string ReplacementSchema);
