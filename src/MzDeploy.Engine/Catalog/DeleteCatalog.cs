using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning.Delete;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// The reads a delete plans from: whether the object exists (or what else holds its name) and what would stop a drop
/// without CASCADE — for a secret, connection, source or table the objects that depend on it (indexes on it, and a
/// source's own subsources, go with it); for a cluster the objects on it; for a role the objects it owns; for a network
/// policy the system setting that applies it.
/// </summary>
internal static class DeleteCatalog
{
    // "db.schema.name" of any object in mz_object_fully_qualified_names f (system objects have no database).
    private const string FullName = "coalesce(f.database_name || '.', '') || f.schema_name || '.' || f.name";

    internal const string SchemaObjectQuery =
        "SELECT f.id, f.object_type FROM mz_internal.mz_object_fully_qualified_names f "
        + "WHERE f.database_name = $1 AND f.schema_name = $2 AND f.name = $3";

    internal const string ClusterQuery = "SELECT id FROM mz_catalog.mz_clusters WHERE name = $1";

    internal const string RoleQuery = "SELECT id FROM mz_catalog.mz_roles WHERE name = $1";

    internal const string NetworkPolicyQuery = "SELECT id FROM mz_internal.mz_network_policies WHERE name = $1";

    // The object and its parts (a source's subsources and progress relation, which DROP SOURCE removes with it); what
    // depends on any of them, other than the parts and the indexes (dropped with what they index), stops the drop.
    internal const string ItemDependentsQuery =
        "WITH parts AS (SELECT $1::text AS id UNION ALL SELECT s.id FROM mz_catalog.mz_sources s "
        + "JOIN mz_internal.mz_object_dependencies p ON p.object_id = s.id "
        + "WHERE p.referenced_object_id = $1 AND s.type IN ('subsource', 'progress')) "
        + $"SELECT DISTINCT {FullName}, f.object_type FROM mz_internal.mz_object_dependencies d "
        + "JOIN mz_internal.mz_object_fully_qualified_names f ON f.id = d.object_id "
        + "WHERE d.referenced_object_id IN (SELECT id FROM parts) AND d.object_id NOT IN (SELECT id FROM parts) "
        + "AND f.object_type <> 'index'";

    internal const string ClusterDependentsQuery =
        $"SELECT DISTINCT {FullName}, f.object_type FROM mz_internal.mz_object_fully_qualified_names f WHERE f.cluster_id = $1";

    internal const string RoleDependentsQuery =
        $"SELECT {FullName}, 'owned ' || f.object_type FROM mz_catalog.mz_objects o "
        + "JOIN mz_internal.mz_object_fully_qualified_names f ON f.id = o.id WHERE o.owner_id = $1 "
        + "UNION ALL SELECT name, 'owned cluster' FROM mz_catalog.mz_clusters WHERE owner_id = $1 "
        + "UNION ALL SELECT name, 'owned database' FROM mz_catalog.mz_databases WHERE owner_id = $1 "
        + "UNION ALL SELECT d.name || '.' || s.name, 'owned schema' FROM mz_catalog.mz_schemas s "
        + "JOIN mz_catalog.mz_databases d ON d.id = s.database_id WHERE s.owner_id = $1";

    // What uses a network policy: Materialize applies policies region-wide only, through the system's network_policy
    // setting (default 'default'); no role or object can name one. $1: the policy's name.
    internal const string NetworkPolicyDependentsQuery =
        "SELECT 'network_policy', 'system setting' WHERE coalesce(mz_catalog.current_setting('network_policy', true), 'default') = $1";

    /// <summary>The catalog id of the target when an object of its kind and name exists; else the kind holding the name, if any.</summary>
    public static async Task<(string? Id, string? OtherKind)> FindAsync(CatalogSession session, DeleteTarget target,
        CancellationToken cancellationToken)
    {
        if (target.Object is { } id)
        {
            var rows = await session.QueryAsync(SchemaObjectQuery, r => (Id: r.GetString(0), Type: r.GetString(1)), cancellationToken,
                id.Database, id.Schema, id.Name).ConfigureAwait(false);
            var wanted = CatalogType(target.Kind);
            var match = rows.FirstOrDefault(r => r.Type == wanted);
            return match.Id is not null ? (match.Id, null) : (null, rows.Select(r => r.Type.Replace('-', ' ')).FirstOrDefault());
        }

        var query = target.Kind switch
        {
            InfrastructureKind.Cluster => ClusterQuery,
            InfrastructureKind.Role => RoleQuery,
            _ => NetworkPolicyQuery,
        };
        var ids = await session.QueryAsync(query, r => r.GetString(0), cancellationToken, target.Name).ConfigureAwait(false);
        return (ids.FirstOrDefault(), null);
    }

    /// <summary>What would stop dropping the object with catalog id <paramref name="id"/>, in name order.</summary>
    public static async Task<IReadOnlyList<ObjectDependent>> DependentsAsync(CatalogSession session, DeleteTarget target, string id,
        CancellationToken cancellationToken)
    {
        var query = target.Kind switch
        {
            InfrastructureKind.Cluster => ClusterDependentsQuery,
            InfrastructureKind.Role => RoleDependentsQuery,
            InfrastructureKind.NetworkPolicy => NetworkPolicyDependentsQuery,
            _ => ItemDependentsQuery,
        };
        var key = target.Kind == InfrastructureKind.NetworkPolicy ? target.Name : id;
        var rows = await session.QueryAsync(query, r => new ObjectDependent(r.GetString(0), r.GetString(1).Replace('-', ' ')), cancellationToken, key)
            .ConfigureAwait(false);
        return rows.Distinct().OrderBy(d => d.Name, StringComparer.Ordinal).ThenBy(d => d.Kind, StringComparer.Ordinal).ToList();
    }

    /// <summary>The <c>mz_objects.type</c> of a schema object kind.</summary>
    internal static string CatalogType(InfrastructureKind kind) => kind switch
    {
        InfrastructureKind.Secret => "secret",
        InfrastructureKind.Connection => "connection",
        InfrastructureKind.Source => "source",
        _ => "table",
    };
}
