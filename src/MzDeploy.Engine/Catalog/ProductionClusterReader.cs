using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Catalog;

/// <summary>A production cluster as read for cloning, with its catalog id (recorded in <c>tables.clusters</c>).</summary>
internal sealed record ProductionClusterInfo(string Id, ProductionCluster Cluster);

/// <summary>
/// Reads the production clusters a stage clones: configuration and replicas from <c>mz_clusters</c> /
/// <c>mz_cluster_replicas</c> (one query for all), grants from <c>mz_aclexplode</c> (one query for all), and, for
/// managed clusters, every further option from <c>SHOW CREATE CLUSTER</c> (one round trip per managed cluster), so
/// options MzDeploy does not know are cloned too.
/// </summary>
internal static class ProductionClusterReader
{
    // $1: the production cluster names (one text parameter).
    internal const string ClustersQuery =
        "SELECT c.id, c.name, c.managed, c.size, c.replication_factor::text, r.name, r.size, r.availability_zone "
        + "FROM mz_catalog.mz_clusters c LEFT JOIN mz_catalog.mz_cluster_replicas r ON r.cluster_id = c.id "
        + "WHERE c.name = ANY($1::text::text[]) ORDER BY c.name, r.name";

    // Privileges granted to roles other than the owner and the system roles; PUBLIC has no mz_roles row and is left out.
    internal const string GrantsQuery =
        "SELECT c.name, a.privilege_type, g.name FROM mz_catalog.mz_clusters c "
        + "CROSS JOIN mz_internal.mz_aclexplode(c.privileges) a JOIN mz_catalog.mz_roles g ON g.id = a.grantee "
        + "WHERE c.name = ANY($1::text::text[]) AND a.grantee <> c.owner_id AND g.name NOT IN ('mz_system', 'mz_support') "
        + "ORDER BY c.name, g.name, a.privilege_type";

    private static readonly HashSet<string> TypedOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        "MANAGED", "SIZE", "REPLICATION FACTOR", "REPLICAS",
    };

    /// <summary>The clusters among <paramref name="names"/> that exist (missing ones are simply absent).</summary>
    public static async Task<IReadOnlyList<ProductionClusterInfo>> ReadAsync(CatalogSession session, IReadOnlyCollection<string> names,
        CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return [];
        }

        var list = CatalogSession.TextArray(names);
        var rows = await session.QueryAsync(ClustersQuery, r => (
                Id: r.GetString(0), Name: r.GetString(1), Managed: r.GetBoolean(2), Size: r.IsDBNull(3) ? null : r.GetString(3),
                Factor: r.IsDBNull(4) ? (int?)null : int.Parse(r.GetString(4), System.Globalization.CultureInfo.InvariantCulture),
                Replica: r.IsDBNull(5) ? null : r.GetString(5), ReplicaSize: r.IsDBNull(6) ? null : r.GetString(6),
                Zone: r.IsDBNull(7) ? null : r.GetString(7)),
            cancellationToken, list).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return [];
        }

        var grants = (await session.QueryAsync(GrantsQuery, r => (Cluster: r.GetString(0), Grant: new ClusterGrant(r.GetString(1), r.GetString(2))),
                cancellationToken, list).ConfigureAwait(false))
            .ToLookup(g => g.Cluster, g => g.Grant, StringComparer.Ordinal);
        var result = new List<ProductionClusterInfo>();
        foreach (var cluster in rows.GroupBy(r => r.Name, StringComparer.Ordinal))
        {
            var first = cluster.First();
            var options = Array.Empty<KeyValuePair<string, string>>() as IReadOnlyList<KeyValuePair<string, string>>;
            if (first.Managed)
            {
                var create = await session.QuerySingleAsync($"SHOW CREATE CLUSTER {SqlIdentifier.QuoteIfNeeded(first.Name)}",
                    r => r.GetString(1), cancellationToken).ConfigureAwait(false);
                options = ExtraOptions(create);
            }

            result.Add(new ProductionClusterInfo(first.Id, new ProductionCluster(first.Name, first.Managed)
            {
                Size = first.Size,
                ReplicationFactor = first.Factor,
                Options = options,
                Replicas = first.Managed
                    ? []
                    : cluster.Where(r => r.Replica is not null).Select(r => new ProductionClusterReplica(r.Replica!, r.ReplicaSize ?? "", r.Zone)).ToList(),
                Grants = grants[first.Name].ToList(),
            }));
        }

        return result;
    }

    /// <summary>
    /// The options of a <c>CREATE CLUSTER name (…)</c> statement other than MANAGED, SIZE, REPLICATION FACTOR and
    /// REPLICAS, name upper-cased and value verbatim, in order.
    /// </summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> ExtraOptions(string createSql)
    {
        var open = OpeningParenthesis(createSql);
        var close = createSql.LastIndexOf(')');
        if (open < 0 || close <= open)
        {
            return [];
        }

        var options = new List<KeyValuePair<string, string>>();
        foreach (var item in SplitTopLevel(createSql[(open + 1)..close]))
        {
            var equals = item.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var key = string.Join(' ', item[..equals].Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
            if (!TypedOptions.Contains(key))
            {
                options.Add(new(key, item[(equals + 1)..].Trim()));
            }
        }

        return options;
    }

    // The parenthesis that opens the option list: the first one outside the (possibly quoted) cluster name.
    private static int OpeningParenthesis(string sql)
    {
        var quoted = false;
        for (var i = 0; i < sql.Length; i++)
        {
            if (sql[i] == '"')
            {
                quoted = !quoted;
            }
            else if (sql[i] == '(' && !quoted)
            {
                return i;
            }
        }

        return -1;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var quote = '\0';
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                yield return text[start..i].Trim();
                start = i + 1;
            }
        }

        if (start < text.Length && text[start..].Trim() is { Length: > 0 } last)
        {
            yield return last;
        }
    }
}
