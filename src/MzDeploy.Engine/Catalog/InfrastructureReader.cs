using System.Globalization;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// Reads the <see cref="InfrastructureSnapshot"/> an apply plans against: databases, schemas, clusters and
/// replicas, roles with their members and session defaults, secrets, connections, sources, tables with their
/// columns, every privilege on them and every comment — as ONE statement (a union of uniform text rows), so an
/// apply that changes nothing costs one catalog round trip. Network policies are part of that statement; where
/// the server has no network-policy catalog (older Materialize, the emulator until it grows one) the statement
/// is read again without them and the snapshot says so (<see cref="InfrastructureSnapshot.NetworkPolicies"/> null).
/// </summary>
internal static class InfrastructureReader
{
    // Every part yields (kind, id, name, db, schema, a, b, c, d, e), all text, so the parts union into one result.
    private const string Columns = "kind, id, name, db, sch, a, b, c, d, e";

    private static readonly string[] CoreParts =
    [
        "SELECT 'database', d.id, d.name, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text "
        + "FROM mz_catalog.mz_databases d WHERE d.id LIKE 'u%'",

        "SELECT 'schema', s.id, s.name, d.name, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text "
        + "FROM mz_catalog.mz_schemas s JOIN mz_catalog.mz_databases d ON d.id = s.database_id WHERE s.id LIKE 'u%'",

        "SELECT 'cluster', c.id, c.name, NULL::text, NULL::text, c.managed::text, c.size, c.replication_factor::text, "
        + "c.introspection_debugging::text, c.introspection_interval::text FROM mz_catalog.mz_clusters c WHERE c.id LIKE 'u%'",

        "SELECT 'replica', r.cluster_id, r.name, NULL::text, NULL::text, r.size, r.availability_zone, NULL::text, NULL::text, NULL::text "
        + "FROM mz_catalog.mz_cluster_replicas r WHERE r.cluster_id LIKE 'u%'",

        "SELECT 'role', r.id, r.name, NULL::text, NULL::text, r.inherit::text, r.rolcanlogin::text, r.rolsuper::text, NULL::text, NULL::text "
        + "FROM mz_catalog.mz_roles r WHERE r.id LIKE 'u%'",

        "SELECT 'member', m.role_id, g.name, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text "
        + "FROM mz_catalog.mz_role_members m JOIN mz_catalog.mz_roles g ON g.id = m.member WHERE m.role_id LIKE 'u%'",

        "SELECT 'parameter', p.role_id, p.parameter_name, NULL::text, NULL::text, p.parameter_value, NULL::text, NULL::text, NULL::text, NULL::text "
        + "FROM mz_catalog.mz_role_parameters p WHERE p.role_id LIKE 'u%'",

        "SELECT o.kind, o.id, o.name, d.name, s.name, o.type, o.create_sql, o.source_id, NULL::text, NULL::text FROM ("
        + "SELECT 'secret' AS kind, id, name, schema_id, NULL::text AS type, NULL::text AS create_sql, NULL::text AS source_id FROM mz_catalog.mz_secrets "
        + "UNION ALL SELECT 'connection', id, name, schema_id, type, create_sql, NULL::text FROM mz_catalog.mz_connections "
        + "UNION ALL SELECT 'source', id, name, schema_id, type, NULL::text, NULL::text FROM mz_catalog.mz_sources "
        + "UNION ALL SELECT 'table', id, name, schema_id, NULL::text, NULL::text, source_id FROM mz_catalog.mz_tables) o "
        + "JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id JOIN mz_catalog.mz_databases d ON d.id = s.database_id WHERE o.id LIKE 'u%'",

        "SELECT 'column', c.id, c.name, NULL::text, NULL::text, c.position::text, c.type, c.nullable::text, NULL::text, NULL::text "
        + "FROM mz_catalog.mz_columns c JOIN mz_catalog.mz_tables t ON t.id = c.id WHERE t.id LIKE 'u%'",

        // Privileges held by roles other than the owner; PUBLIC has no mz_roles row (grantee 'p').
        "SELECT 'grant', x.id, coalesce(g.name, CASE WHEN a.grantee = 'p' THEN 'PUBLIC' END), NULL::text, NULL::text, a.privilege_type, "
        + "NULL::text, NULL::text, NULL::text, NULL::text FROM ("
        + "SELECT id, owner_id, privileges FROM mz_catalog.mz_clusters "
        + "UNION ALL SELECT id, owner_id, privileges FROM mz_catalog.mz_secrets "
        + "UNION ALL SELECT id, owner_id, privileges FROM mz_catalog.mz_connections "
        + "UNION ALL SELECT id, owner_id, privileges FROM mz_catalog.mz_sources "
        + "UNION ALL SELECT id, owner_id, privileges FROM mz_catalog.mz_tables) x "
        + "CROSS JOIN mz_internal.mz_aclexplode(x.privileges) a LEFT JOIN mz_catalog.mz_roles g ON g.id = a.grantee "
        + "WHERE x.id LIKE 'u%' AND a.grantee <> x.owner_id AND a.grantee NOT IN ('s1', 's2')",

        "SELECT 'comment', m.id, NULL::text, NULL::text, NULL::text, m.object_sub_id::text, m.comment, NULL::text, NULL::text, NULL::text "
        + "FROM mz_internal.mz_comments m WHERE m.id LIKE 'u%'",
    ];

    private static readonly string[] NetworkPolicyParts =
    [
        "SELECT 'policy', p.id, p.name, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text "
        + "FROM mz_internal.mz_network_policies p",

        "SELECT 'rule', r.policy_id, r.name, NULL::text, NULL::text, r.action, r.direction, r.address, NULL::text, NULL::text "
        + "FROM mz_internal.mz_network_policy_rules r",

        "SELECT 'grant', p.id, coalesce(g.name, CASE WHEN a.grantee = 'p' THEN 'PUBLIC' END), NULL::text, NULL::text, a.privilege_type, "
        + "NULL::text, NULL::text, NULL::text, NULL::text FROM mz_internal.mz_network_policies p "
        + "CROSS JOIN mz_internal.mz_aclexplode(p.privileges) a LEFT JOIN mz_catalog.mz_roles g ON g.id = a.grantee "
        + "WHERE a.grantee <> p.owner_id AND a.grantee NOT IN ('s1', 's2')",
    ];

    /// <summary>The statement with network policies.</summary>
    internal static readonly string Query = Compose(CoreParts.Concat(NetworkPolicyParts));

    /// <summary>The statement for servers without a network-policy catalog.</summary>
    internal static readonly string QueryWithoutNetworkPolicies = Compose(CoreParts);

    /// <summary>SQLSTATE of a relation the server does not know.</summary>
    private const string UndefinedTable = "42P01";

    public static async Task<InfrastructureSnapshot> ReadAsync(CatalogSession session, CancellationToken cancellationToken)
    {
        IReadOnlyList<Row> rows;
        var withPolicies = true;
        try
        {
            rows = await session.QueryAsync(Query, Map, cancellationToken).ConfigureAwait(false);
        }
        catch (MzDeployException e) when (MissesNetworkPolicies(e))
        {
            withPolicies = false;
            rows = await session.QueryAsync(QueryWithoutNetworkPolicies, Map, cancellationToken).ConfigureAwait(false);
        }

        return Assemble(rows, withPolicies);
    }

    /// <summary>One row of the union; columns a–e mean what the row's kind says.</summary>
    internal sealed record Row(string Kind, string Id, string? Name, string? Database, string? Schema,
        string? A, string? B, string? C, string? D, string? E);

    private static Row Map(System.Data.Common.DbDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new Row(r.GetString(0), r.GetString(1), Text(2), Text(3), Text(4), Text(5), Text(6), Text(7), Text(8), Text(9));
    }

    private static string Compose(IEnumerable<string> parts) =>
        $"SELECT {Columns} FROM ({string.Join(" UNION ALL ", parts)}) AS infrastructure ({Columns})";

    // Only a missing network-policy relation falls back; any other failure is the caller's.
    private static bool MissesNetworkPolicies(MzDeployException e)
    {
        var text = e.ToString();
        return (text.Contains(UndefinedTable, StringComparison.Ordinal) || text.Contains("unknown catalog item", StringComparison.OrdinalIgnoreCase)
                || text.Contains("does not exist", StringComparison.OrdinalIgnoreCase))
            && text.Contains("mz_network_polic", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Builds the snapshot from the rows (pure; unit-testable without a server).</summary>
    internal static InfrastructureSnapshot Assemble(IReadOnlyList<Row> rows, bool withNetworkPolicies)
    {
        var byKind = rows.ToLookup(r => r.Kind, StringComparer.Ordinal);
        var grants = byKind["grant"].Where(r => r.Name is not null && r.A is not null)
            .ToLookup(r => r.Id, r => new InfrastructureGrant(r.A!.ToUpperInvariant(), r.Name!), StringComparer.Ordinal);
        var comments = byKind["comment"].Where(r => r.B is not null).ToList();
        var objectComments = comments.Where(r => r.A is null).GroupBy(r => r.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().B!, StringComparer.Ordinal);

        IReadOnlyList<InfrastructureGrant> GrantsOf(string id) =>
            grants[id].Distinct().OrderBy(g => g.Grantee, StringComparer.Ordinal).ThenBy(g => g.Privilege, StringComparer.Ordinal).ToList();
        string? CommentOf(string id) => objectComments.GetValueOrDefault(id);

        var replicas = byKind["replica"].ToLookup(r => r.Id, StringComparer.Ordinal);
        var clusters = new Dictionary<string, InfrastructureCluster>(StringComparer.Ordinal);
        foreach (var c in byKind["cluster"])
        {
            var managed = Bool(c.A) ?? true;
            clusters[c.Name!] = new InfrastructureCluster(c.Name!, managed)
            {
                Size = c.B,
                ReplicationFactor = c.C is null ? null : int.Parse(c.C, CultureInfo.InvariantCulture),
                IntrospectionDebugging = Bool(c.D),
                IntrospectionInterval = c.E,
                Replicas = managed ? [] : replicas[c.Id].OrderBy(r => r.Name, StringComparer.Ordinal)
                    .Select(r => new ProductionClusterReplica(r.Name!, r.A ?? "", r.B)).ToList(),
                Grants = GrantsOf(c.Id),
                Comment = CommentOf(c.Id),
            };
        }

        var members = byKind["member"].Where(r => r.Name is not null).ToLookup(r => r.Id, r => r.Name!, StringComparer.Ordinal);
        var parameters = byKind["parameter"].Where(r => r.Name is not null).ToLookup(r => r.Id, StringComparer.Ordinal);
        var roles = new Dictionary<string, InfrastructureRole>(StringComparer.Ordinal);
        foreach (var r in byKind["role"])
        {
            roles[r.Name!] = new InfrastructureRole(r.Name!)
            {
                Inherit = Bool(r.A) ?? true,
                Login = Bool(r.B),
                Superuser = Bool(r.C),
                Members = members[r.Id].Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                Parameters = parameters[r.Id].GroupBy(p => p.Name!.ToLowerInvariant(), StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.First().A ?? "", StringComparer.Ordinal),
                Comment = CommentOf(r.Id),
            };
        }

        Dictionary<string, InfrastructureNetworkPolicy>? policies = null;
        if (withNetworkPolicies)
        {
            var rules = byKind["rule"].ToLookup(r => r.Id, StringComparer.Ordinal);
            policies = byKind["policy"].ToDictionary(p => p.Name!, p => new InfrastructureNetworkPolicy(p.Name!)
            {
                Rules = rules[p.Id].Select(r => new NetworkPolicyRule(r.Name!, (r.A ?? "").ToLowerInvariant(),
                        (r.B ?? "").ToLowerInvariant(), r.C ?? ""))
                    .OrderBy(r => r.Name, StringComparer.Ordinal).ToList(),
                Grants = GrantsOf(p.Id),
                Comment = CommentOf(p.Id),
            }, StringComparer.Ordinal);
        }

        var columns = byKind["column"].ToLookup(r => r.Id, StringComparer.Ordinal);
        var schemaObjects = new[] { "secret", "connection", "source", "table" }.SelectMany(k => byKind[k])
            .Where(o => o.Name is not null && o.Database is not null && o.Schema is not null).ToList();
        var idToName = schemaObjects.ToDictionary(o => o.Id, o => new ObjectId(o.Database!, o.Schema!, o.Name!), StringComparer.Ordinal);
        var objects = new Dictionary<ObjectId, InfrastructureObject>();
        foreach (var o in schemaObjects)
        {
            var kind = o.Kind switch
            {
                "secret" => InfrastructureKind.Secret,
                "connection" => InfrastructureKind.Connection,
                "source" => InfrastructureKind.Source,
                _ => InfrastructureKind.Table,
            };
            var tableColumns = columns[o.Id]
                .Select(c => (Position: int.Parse(c.A ?? "0", CultureInfo.InvariantCulture), Column: new InfrastructureColumn(c.Name!, c.B ?? "", Bool(c.C) ?? true)))
                .OrderBy(c => c.Position).ToList();
            var columnComments = comments.Where(c => c.Id == o.Id && c.A is not null)
                .Select(c => (Position: int.Parse(c.A!, CultureInfo.InvariantCulture), Text: c.B!))
                .Select(c => (Column: tableColumns.FirstOrDefault(t => t.Position == c.Position).Column, c.Text))
                .Where(c => c.Column is not null)
                .ToDictionary(c => c.Column!.Name, c => c.Text, StringComparer.Ordinal);
            var id = idToName[o.Id];
            objects[id] = new InfrastructureObject(id, kind)
            {
                Type = o.A?.ToLowerInvariant(),
                CreateSql = o.B,
                Source = o.C is not null && idToName.TryGetValue(o.C, out var source) ? source : null,
                Columns = tableColumns.Select(c => c.Column).ToList(),
                Grants = GrantsOf(o.Id),
                Comment = CommentOf(o.Id),
                ColumnComments = columnComments,
            };
        }

        return new InfrastructureSnapshot
        {
            Databases = byKind["database"].Select(d => d.Name!).ToHashSet(StringComparer.Ordinal),
            Schemas = byKind["schema"].Where(s => s.Database is not null).Select(s => new SchemaId(s.Database!, s.Name!)).ToHashSet(),
            Clusters = clusters,
            Roles = roles,
            NetworkPolicies = policies,
            Objects = objects,
        };
    }

    private static bool? Bool(string? text) => text switch
    {
        null => null,
        "t" or "true" or "on" => true,
        "f" or "false" or "off" => false,
        _ => null,
    };
}
