namespace MzDeploy.Engine.Model;

/// <summary>A cluster as production holds it (<c>mz_clusters</c>, <c>mz_cluster_replicas</c>).</summary>
/// <param name="Name">The production name (profile suffix included).</param>
/// <param name="Managed">Whether Materialize manages its replicas (SIZE and REPLICATION FACTOR).</param>
public sealed record InfrastructureCluster(string Name, bool Managed)
{
    /// <summary>Managed: the replica size.</summary>
    public string? Size { get; init; }

    /// <summary>Managed: the replication factor.</summary>
    public int? ReplicationFactor { get; init; }

    /// <summary>Managed: whether introspection debugging is on, when the catalog says.</summary>
    public bool? IntrospectionDebugging { get; init; }

    /// <summary>Managed: the introspection interval as the catalog prints it (<c>00:00:01</c>), when it says.</summary>
    public string? IntrospectionInterval { get; init; }

    /// <summary>Unmanaged: the replicas.</summary>
    public IReadOnlyList<ProductionClusterReplica> Replicas { get; init; } = [];

    /// <summary>Privileges held by roles other than the owner.</summary>
    public IReadOnlyList<InfrastructureGrant> Grants { get; init; } = [];

    public string? Comment { get; init; }
}
