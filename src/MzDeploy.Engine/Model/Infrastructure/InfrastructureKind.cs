namespace MzDeploy.Engine.Model;

/// <summary>
/// The durable kinds apply manages, in the order it converges them: a role may be granted privileges on
/// anything after it, a connection may read a secret, a source a connection, a table a source.
/// </summary>
public enum InfrastructureKind
{
    Role,
    Cluster,
    NetworkPolicy,
    Secret,
    Connection,
    Source,

    /// <summary>A table or a table fed by a source (<c>CREATE TABLE … FROM SOURCE</c>).</summary>
    Table,
}

public static class InfrastructureKinds
{
    /// <summary>The object type as SQL writes it after GRANT … ON or COMMENT ON.</summary>
    public static string SqlType(this InfrastructureKind kind) => kind switch
    {
        InfrastructureKind.Role => "ROLE",
        InfrastructureKind.Cluster => "CLUSTER",
        InfrastructureKind.NetworkPolicy => "NETWORK POLICY",
        InfrastructureKind.Secret => "SECRET",
        InfrastructureKind.Connection => "CONNECTION",
        InfrastructureKind.Source => "SOURCE",
        _ => "TABLE",
    };

    /// <summary>The privileges <c>ALL</c> stands for on an object of this kind (Materialize's privilege table).</summary>
    public static IReadOnlyList<string> AllPrivileges(this InfrastructureKind kind) => kind switch
    {
        InfrastructureKind.Cluster => ["USAGE", "CREATE"],
        InfrastructureKind.Table => ["SELECT", "INSERT", "UPDATE", "DELETE"],
        InfrastructureKind.Source => ["SELECT"],
        InfrastructureKind.Role => [],
        _ => ["USAGE"],
    };

    /// <summary>The kind a schema object of a project is applied as, or null when apply does not manage it (views, sinks).</summary>
    public static InfrastructureKind? FromObjectKind(ObjectKind kind) => kind switch
    {
        ObjectKind.Secret => InfrastructureKind.Secret,
        ObjectKind.Connection => InfrastructureKind.Connection,
        ObjectKind.Source => InfrastructureKind.Source,
        ObjectKind.Table or ObjectKind.TableFromSource => InfrastructureKind.Table,
        _ => null,
    };
}
