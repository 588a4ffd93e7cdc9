namespace MzDeploy.Engine.Model;

/// <summary>
/// What production holds of the durable kinds apply manages, read in one go before planning: the planner
/// compares the project against it and never reads the catalog itself.
/// </summary>
public sealed class InfrastructureSnapshot
{
    public static InfrastructureSnapshot Empty { get; } = new();

    /// <summary>User clusters by production name.</summary>
    public IReadOnlyDictionary<string, InfrastructureCluster> Clusters { get; init; } = new Dictionary<string, InfrastructureCluster>(StringComparer.Ordinal);

    /// <summary>User roles by name (system and predefined roles left out).</summary>
    public IReadOnlyDictionary<string, InfrastructureRole> Roles { get; init; } = new Dictionary<string, InfrastructureRole>(StringComparer.Ordinal);

    /// <summary>
    /// Network policies by name, or null when the server has no network-policy catalog to read (then the planner
    /// reports project network policies as Drifted instead of creating what may already exist).
    /// </summary>
    public IReadOnlyDictionary<string, InfrastructureNetworkPolicy>? NetworkPolicies { get; init; } =
        new Dictionary<string, InfrastructureNetworkPolicy>(StringComparer.Ordinal);

    /// <summary>Secrets, connections, sources and tables in user databases, by production name.</summary>
    public IReadOnlyDictionary<ObjectId, InfrastructureObject> Objects { get; init; } = new Dictionary<ObjectId, InfrastructureObject>();

    /// <summary>Every user schema as <c>(database, schema)</c>.</summary>
    public IReadOnlySet<SchemaId> Schemas { get; init; } = new HashSet<SchemaId>();

    /// <summary>Every user database.</summary>
    public IReadOnlySet<string> Databases { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
