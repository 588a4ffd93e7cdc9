using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Operations;

/// <summary>Which deployments to read.</summary>
public enum DeploymentScope
{
    /// <summary>Staged, not yet promoted (mz-deploy <c>list</c>).</summary>
    Staging,

    /// <summary>Staged and promoted (mz-deploy <c>describe</c>).</summary>
    All,

    /// <summary>Promoted only.</summary>
    Promoted,
}

/// <summary>The read-only deployment commands: list / describe (<see cref="GetAsync"/>) and log (<see cref="HistoryAsync"/>).</summary>
public static class DeploymentQueries
{
    /// <summary>
    /// Deployments in <paramref name="scope"/> whose id satisfies <paramref name="match"/> (all when null), ordered by
    /// deploy id (promoted ones by promotion time, newest first, as the history lists them), with their objects; staged ones with the live status of their clusters (one catalog query for all).
    /// Needs any mz-deploy role.
    /// </summary>
    public static async Task<IReadOnlyList<DeploymentInfo>> GetAsync(ConnectionTarget target, DeploymentScope scope,
        Func<string, bool>? match, int allowedLagSeconds, IOperationLog log, CancellationToken cancellationToken)
    {
        await using var verified = await VerifiedSession.OpenAsync(target, RoleRequirement.AnyRole, log, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(verified.Session, scope, match, allowedLagSeconds, log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The staged deployments, ordered by deploy id, for a listing a person is waiting on (tab completion): one session
    /// that gives up connecting and querying after <paramref name="timeout"/>, one query, no setup or role pre-flight
    /// (a server without the tracking views fails the query instead) and no cluster status.
    /// </summary>
    public static async Task<IReadOnlyList<StagedDeploymentSummary>> ListStagedAsync(ConnectionTarget target, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        ConnectionTarget quick = target.Factory.WithTimeout(Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)));
        await using var session = await quick.Factory.OpenAsync(limit.Token).ConfigureAwait(false);
        var rows = await DeploymentReader.ReadAsync(session, DeploymentReader.StagingQuery, limit.Token).ConfigureAwait(false);
        return rows
            .GroupBy(r => r.DeployId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new StagedDeploymentSummary(g.Key, g.First().DeployedAt, g.First().DeployedBy, g.First().Commit))
            .ToList();
    }

    /// <summary>The deployments <paramref name="deployIds"/> (staged or promoted) on an open session, as <see cref="GetAsync"/> reads them.</summary>
    internal static Task<IReadOnlyList<DeploymentInfo>> ReadAsync(CatalogSession session, IReadOnlyCollection<string> deployIds,
        int allowedLagSeconds, CancellationToken cancellationToken) =>
        ReadAsync(session, DeploymentScope.All, deployIds.Contains, allowedLagSeconds, NullOperationLog.Instance, cancellationToken);

    private static async Task<IReadOnlyList<DeploymentInfo>> ReadAsync(CatalogSession session, DeploymentScope scope,
        Func<string, bool>? match, int allowedLagSeconds, IOperationLog log, CancellationToken cancellationToken)
    {
        var query = scope switch
        {
            DeploymentScope.Staging => DeploymentReader.StagingQuery,
            DeploymentScope.Promoted => DeploymentReader.PromotedQuery,
            _ => DeploymentReader.AllQuery,
        };
        var groups = (await DeploymentReader.ReadAsync(session, query, cancellationToken).ConfigureAwait(false))
            .Where(r => match is null || match(r.DeployId))
            .GroupBy(r => r.DeployId, StringComparer.Ordinal)
            .OrderByDescending(g => scope == DeploymentScope.Promoted ? g.Max(r => r.PromotedAt) : null)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        if (groups.Count == 0)
        {
            return [];
        }

        var ids = groups.Select(g => g.Key).ToList();
        var objects = await DeploymentReader.ReadObjectsAsync(session, ids, cancellationToken).ConfigureAwait(false);
        var stagingIds = groups.Where(g => g.All(r => r.PromotedAt is null)).Select(g => g.Key).ToList();
        var clusters = (await ClusterStatusQuery.ReadAsync(session, stagingIds, allowedLagSeconds, cancellationToken).ConfigureAwait(false))
            .ToLookup(c => c.DeployId, StringComparer.Ordinal);
        log.Verbose($"Read {groups.Count} deployment(s); cluster status of {stagingIds.Count} staged one(s) with allowed lag {allowedLagSeconds}s.");

        return groups.Select(g =>
        {
            var first = g.First();
            var promotedAt = g.Max(r => r.PromotedAt);
            var deploymentClusters = clusters[g.Key].ToList();
            return new DeploymentInfo(
                g.Key,
                promotedAt is null ? ClusterStatusQuery.Combine(deploymentClusters) : DeploymentState.Promoted,
                Kinds(g),
                first.DeployedAt,
                first.DeployedBy,
                first.Commit,
                promotedAt,
                g.Select(r => $"{r.Database}.{r.Schema}").Distinct(StringComparer.Ordinal).ToList(),
                deploymentClusters,
                objects[g.Key].ToList());
        }).ToList();
    }

    /// <summary>
    /// Promotions, newest first (mz-deploy <c>log</c>): deployments whose id satisfies <paramref name="match"/>, at most
    /// <paramref name="first"/> of them when given. Needs any mz-deploy role.
    /// </summary>
    public static async Task<IReadOnlyList<PromotionInfo>> HistoryAsync(ConnectionTarget target, Func<string, bool>? match,
        int? first, IOperationLog log, CancellationToken cancellationToken)
    {
        await using var verified = await VerifiedSession.OpenAsync(target, RoleRequirement.AnyRole, log, cancellationToken).ConfigureAwait(false);
        var rows = await DeploymentReader.ReadAsync(verified.Session, DeploymentReader.PromotedQuery, cancellationToken).ConfigureAwait(false);
        var dropped = await OwnershipCatalog.DroppedAsync(verified.Session, cancellationToken).ConfigureAwait(false);
        // Rows come newest first; a deployment's rows share promoted_at, so grouping keeps that order.
        var history = rows
            .Where(r => match is null || match(r.DeployId))
            .GroupBy(r => r.DeployId, StringComparer.Ordinal)
            .Select(g => new PromotionInfo(g.Key, g.First().PromotedAt!.Value, g.First().DeployedBy, g.First().Commit, Kinds(g),
                g.Select(r => $"{r.Database}.{r.Schema}").Distinct(StringComparer.Ordinal).ToList())
            {
                DroppedUnmanagedObjects = dropped[g.Key].ToList(),
            });
        return (first is { } limit ? history.Take(limit) : history).ToList();
    }

    /// <summary>
    /// Every kind a deployment's schema rows record, distinct and sorted: a deployment that staged one schema and
    /// changed sinks in another is both <c>objects</c> and <c>sinks</c> (mz-deploy shows only the first row's).
    /// </summary>
    private static IReadOnlyList<string> Kinds(IEnumerable<DeploymentRow> rows) =>
        rows.Select(r => r.Kind).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The <c>DeploymentNotFound</c> error for <paramref name="deployId"/>.</summary>
    public static MzDeployException NotFound(string deployId) =>
        new(ErrorIds.DeploymentNotFound, $"deployment '{deployId}' not found", deployId,
            new ListDeployments(deployId));
}
