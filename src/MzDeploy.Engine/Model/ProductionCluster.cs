using System.Text;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Model;

/// <summary>A replica of an unmanaged cluster, as <c>mz_cluster_replicas</c> reports it.</summary>
public sealed record ProductionClusterReplica(string Name, string Size, string? AvailabilityZone = null);

/// <summary>A privilege granted on a cluster (from <c>mz_aclexplode</c>), re-granted on its staging clone.</summary>
public sealed record ClusterGrant(string Privilege, string Grantee);

/// <summary>
/// A production cluster as the catalog reports it, to clone as a staging cluster. The caller fills it from
/// <c>mz_clusters</c>, <c>mz_cluster_replicas</c> and <c>SHOW CREATE CLUSTER</c>.
/// </summary>
/// <param name="Name">The production name (profile suffix included).</param>
/// <param name="Managed">Whether the cluster is managed (has SIZE and REPLICATION FACTOR).</param>
public sealed record ProductionCluster(string Name, bool Managed)
{
    /// <summary>Managed: the replica size (<c>25cc</c>).</summary>
    public string? Size { get; init; }

    /// <summary>Managed: the replication factor.</summary>
    public int? ReplicationFactor { get; init; }

    /// <summary>
    /// Managed: every other option of the <c>SHOW CREATE CLUSTER</c> list, name and SQL value verbatim
    /// (<c>("SCHEDULE", "MANUAL")</c>, <c>("AVAILABILITY ZONES", "('use1-az1')")</c>), cloned as written.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options { get; init; } = Array.Empty<KeyValuePair<string, string>>();

    /// <summary>Unmanaged: its replicas.</summary>
    public IReadOnlyList<ProductionClusterReplica> Replicas { get; init; } = Array.Empty<ProductionClusterReplica>();

    /// <summary>Privileges granted on the cluster to roles other than its owner.</summary>
    public IReadOnlyList<ClusterGrant> Grants { get; init; } = Array.Empty<ClusterGrant>();

    /// <summary>
    /// <c>CREATE CLUSTER</c> for a clone named <paramref name="cloneName"/>: the same size, replication factor and options
    /// (managed), or the same replicas (unmanaged, one statement so a failure leaves no half-built cluster).
    /// </summary>
    public string CreateCloneSql(string cloneName)
    {
        var sql = new StringBuilder("CREATE CLUSTER ").Append(SqlIdentifier.QuoteIfNeeded(cloneName));
        if (!Managed)
        {
            var replicas = Replicas.Select(r =>
                $"{SqlIdentifier.QuoteIfNeeded(r.Name)} (SIZE = {SqlLiteral.Quote(r.Size)}" +
                (r.AvailabilityZone is { } az ? $", AVAILABILITY ZONE = {SqlLiteral.Quote(az)})" : ")"));
            return sql.Append(" REPLICAS (").Append(string.Join(", ", replicas)).Append(')').ToString();
        }

        if (Size is null)
        {
            throw new ArgumentException($"managed cluster '{Name}' has no size to clone");
        }

        var options = new List<string>();
        if (Size is { } size)
        {
            options.Add($"SIZE = {SqlLiteral.Quote(size)}");
        }

        if (ReplicationFactor is { } factor)
        {
            options.Add($"REPLICATION FACTOR = {factor}");
        }

        options.AddRange(Options.Select(o => $"{Keyword(o.Key)} = {o.Value}"));
        return sql.Append(" (").Append(string.Join(", ", options)).Append(')').ToString();
    }

    /// <summary><c>GRANT … ON CLUSTER</c> statements re-granting <see cref="Grants"/> on the clone.</summary>
    public IEnumerable<string> GrantSql(string cloneName) =>
        Grants.Select(g => $"GRANT {Keyword(g.Privilege)} ON CLUSTER {SqlIdentifier.QuoteIfNeeded(cloneName)} TO {SqlIdentifier.QuoteIfNeeded(g.Grantee)}");

    // Option names and privileges are written as keywords, so they must be words: nothing from the catalog can
    // smuggle other SQL into the statement through them.
    private static string Keyword(string words) =>
        words.Length > 0 && words.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or ' ' or '_')
            ? words
            : throw new ArgumentException($"'{words}' is not an option or privilege name");
}
