namespace MzDeploy.Engine.Model;

/// <summary>What production holds for one schema: how it was last deployed and by which deployment.</summary>
internal sealed record ProductionSchema(DeploymentKind Kind, string DeployId);

/// <summary>One row of <c>_mz_deploy.public.objects</c> joined to <c>public.production</c> (production names).</summary>
internal sealed record ProductionObjectRow(string Database, string Schema, string Object, string Hash, string Kind, string DeployId);

/// <summary>
/// The production side of a diff, in project names: for each object the hash recorded by the latest promoted
/// deployment of its schema, and for each schema its kind and that deployment. Empty on a first deploy.
/// </summary>
internal sealed class ProductionSnapshot
{
    public static readonly ProductionSnapshot Empty = new(new Dictionary<ObjectId, string>(), new Dictionary<SchemaId, ProductionSchema>());

    public ProductionSnapshot(IReadOnlyDictionary<ObjectId, string> hashes, IReadOnlyDictionary<SchemaId, ProductionSchema> schemas)
    {
        Hashes = hashes;
        Schemas = schemas;
    }

    /// <summary>Object → <c>sha256:…</c> hash.</summary>
    public IReadOnlyDictionary<ObjectId, string> Hashes { get; }

    /// <summary>Schema → kind and the deployment that last promoted it.</summary>
    public IReadOnlyDictionary<SchemaId, ProductionSchema> Schemas { get; }

    public bool IsEmpty => Hashes.Count == 0 && Schemas.Count == 0;

    /// <summary>The recorded kind of a schema, or null when production has no record of it.</summary>
    public DeploymentKind? KindOf(SchemaId schema) => Schemas.TryGetValue(schema, out var s) ? s.Kind : null;

    /// <summary>
    /// Builds the snapshot from tracking rows (production names). Databases are mapped back to project names
    /// with the profile suffix; rows of databases without that suffix belong to another
    /// profile and are left out. The first kind seen for a schema wins, as in mz-deploy.
    /// </summary>
    public static ProductionSnapshot FromRows(IEnumerable<ProductionObjectRow> rows, string? profileSuffix)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var hashes = new Dictionary<ObjectId, string>();
        var schemas = new Dictionary<SchemaId, ProductionSchema>();
        foreach (var row in rows)
        {
            var database = StagingNames.ProjectDatabaseOf(row.Database, profileSuffix);
            if (database is null)
            {
                continue;
            }

            hashes[new ObjectId(database, row.Schema, row.Object)] = row.Hash;
            schemas.TryAdd(new SchemaId(database, row.Schema),
                new ProductionSchema(DeploymentKinds.FromTrackingValue(row.Kind), row.DeployId));
        }

        return new ProductionSnapshot(hashes, schemas);
    }
}
