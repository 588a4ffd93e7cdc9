namespace MzDeploy.Engine.Model;

/// <summary>
/// The names one deployment uses. Project names (as written under <c>models/</c> and in <c>IN CLUSTER</c>) become
/// production names by appending the profile suffix to databases and clusters (<c>foo</c> → <c>foo_staging</c>);
/// staging names append <c>_&lt;deploy id&gt;</c> to the production schema or cluster
/// (<c>foo_staging</c> → <c>foo_staging_&lt;id&gt;</c>). Schemas carry no profile suffix. Every staging name is
/// checked against Materialize's identifier length limit. An operation builds one and hands it to its planners.
/// </summary>
public sealed class StagingNames
{
    /// <param name="deployId">The deployment.</param>
    /// <param name="profileSuffix">The active profile's <c>profile_suffix</c> (e.g. <c>_staging</c>), or null.</param>
    public StagingNames(DeployId deployId, string? profileSuffix = null)
    {
        DeployId = deployId;
        ProfileSuffix = string.IsNullOrEmpty(profileSuffix) ? null : profileSuffix;
    }

    public DeployId DeployId { get; }

    public string? ProfileSuffix { get; }

    /// <summary><c>_&lt;deploy id&gt;</c>.</summary>
    public string Suffix => "_" + DeployId;

    /// <summary>The production name of a project database: the profile suffix appended.</summary>
    public string ProductionDatabase(string projectDatabase) => projectDatabase + ProfileSuffix;

    /// <summary>The production name of a cluster named in the project: the profile suffix appended.</summary>
    public string ProductionCluster(string projectCluster) => projectCluster + ProfileSuffix;

    /// <summary>The production schema of a project schema (database suffixed, schema as written).</summary>
    public SchemaId ProductionSchema(SchemaId projectSchema) =>
        new(ProductionDatabase(projectSchema.Database), projectSchema.Schema);

    /// <summary>The production name of a project object.</summary>
    public ObjectId Production(ObjectId projectObject) =>
        projectObject with { Database = ProductionDatabase(projectObject.Database) };

    /// <summary><c>&lt;schema&gt;_&lt;id&gt;</c>: the staging copy of a schema, in the same database.</summary>
    public string StagingSchemaName(string schema) => DeployIdName(schema + Suffix);

    /// <summary>The staging copy of a project schema, in the production database.</summary>
    public SchemaId StagingSchema(SchemaId projectSchema) =>
        new(ProductionDatabase(projectSchema.Database), StagingSchemaName(projectSchema.Schema));

    /// <summary>Where a project object is created while staged.</summary>
    public ObjectId Staging(ObjectId projectObject) =>
        new(ProductionDatabase(projectObject.Database), StagingSchemaName(projectObject.Schema), projectObject.Name);

    /// <summary><c>&lt;cluster&gt;&lt;profile suffix&gt;_&lt;id&gt;</c>: the staging clone of a project cluster.</summary>
    public string StagingCluster(string projectCluster) => StagingClusterOfProduction(ProductionCluster(projectCluster));

    /// <summary><c>&lt;production cluster&gt;_&lt;id&gt;</c>.</summary>
    public string StagingClusterOfProduction(string productionCluster) => DeployIdName(productionCluster + Suffix);

    /// <summary>The staging schema of a production schema (same database).</summary>
    public SchemaId StagingSchemaOfProduction(SchemaId productionSchema) =>
        productionSchema with { Schema = StagingSchemaName(productionSchema.Schema) };

    /// <summary>
    /// The production name a staging name was made from: the suffix stripped exactly once
    /// (<c>analytics_prod_prod</c> with ID <c>prod</c> → <c>analytics_prod</c>); null when it does not end with it.
    /// </summary>
    public string? ProductionNameOf(string stagingName) =>
        stagingName.Length > Suffix.Length && stagingName.EndsWith(Suffix, StringComparison.Ordinal)
            ? stagingName[..^Suffix.Length]
            : null;

    /// <summary>
    /// The project name of a production database, or null when the database does not carry the profile
    /// suffix (it belongs to another profile sharing the environment).
    /// </summary>
    public static string? ProjectDatabaseOf(string productionDatabase, string? profileSuffix) =>
        string.IsNullOrEmpty(profileSuffix) ? productionDatabase
        : productionDatabase.Length > profileSuffix.Length && productionDatabase.EndsWith(profileSuffix, StringComparison.Ordinal)
            ? productionDatabase[..^profileSuffix.Length]
            : null;

    /// <summary>The promote progress marker before the swap: <c>_mz_deploy.deploy_&lt;id&gt;_pending</c> (see <see cref="PromotionMarker"/>).</summary>
    public string PendingMarker => PromotionMarker.PendingName(DeployId);

    /// <summary>The promote progress marker once the swap committed: <c>_mz_deploy.deploy_&lt;id&gt;_swapped</c>.</summary>
    public string SwappedMarker => PromotionMarker.SwappedName(DeployId);

    /// <summary>The name of a per-deployment object of its own (marker schemas, renamed indexes), length-checked.</summary>
    internal string DeployIdName(string name) => DeployId.CheckLength(name);
}
