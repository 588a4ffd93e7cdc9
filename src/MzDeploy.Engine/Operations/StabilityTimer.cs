using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Operations;

/// <summary>Where the freshness gate stands after one poll.</summary>
/// <param name="Required">How long the deployment must stay ready.</param>
/// <param name="StableFor">How long it has been ready without a break (zero while not ready).</param>
/// <param name="Restarted">Why the timer started over at this poll (a cluster stopped being ready, a replica was OOM-killed); null otherwise.</param>
public sealed record StabilityStatus(TimeSpan Required, TimeSpan StableFor, string? Restarted)
{
    /// <summary>How long is left before the deployment counts as stable.</summary>
    public TimeSpan Remaining => Required > StableFor ? Required - StableFor : TimeSpan.Zero;

    /// <summary>Ready, without a break, for the whole required time.</summary>
    public bool Stable => StableFor >= Required;
}

/// <summary>
/// The freshness gate's rule, fed one poll at a time: a deployment is stable once every staging cluster has been ready
/// (every object hydrated, lag within the allowed lag) at every poll for the required time, and no replica of them was
/// OOM-killed in that time. A poll that finds a cluster not ready restarts the timer. A kill newer than the last one
/// known when the timer started (or at the poll before) restarts it at the kill, placed on the wait's clock by how long
/// ago the server says it was (so client and server clocks never mix) and never before the poll that did not see it yet.
/// The time counts from the first poll that found everything ready: what happened before the wait watched is not
/// vouched for. Pure; not thread-safe.
/// </summary>
internal sealed class StabilityTimer(TimeSpan required)
{
    private TimeSpan? _since;
    private TimeSpan _previousPoll;
    private Dictionary<string, DateTimeOffset?> _knownKills = new(StringComparer.Ordinal);

    /// <summary>The verdict after a poll at <paramref name="elapsed"/> (the wait's clock) that read <paramref name="clusters"/>.</summary>
    public StabilityStatus Observe(TimeSpan elapsed, IReadOnlyList<ClusterStatusInfo> clusters, int allowedLagSeconds)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        var previousPoll = _previousPoll;
        _previousPoll = elapsed;
        var kills = clusters.ToDictionary(c => c.Cluster, c => c.LastOomKillAt, StringComparer.Ordinal);
        var known = _knownKills;
        _knownKills = kills;
        var notReady = clusters.Where(c => c.State != ClusterState.Ready).ToList();
        if (notReady.Count > 0)
        {
            var was = _since;
            _since = null;
            return new StabilityStatus(required, TimeSpan.Zero,
                was is null ? null : string.Join("; ", notReady.Select(c => Readiness.Describe(c, allowedLagSeconds))));
        }

        if (_since is not { } since)
        {
            _since = elapsed;
            return new StabilityStatus(required, TimeSpan.Zero, null);
        }

        string? restarted = null;
        foreach (var cluster in clusters.Where(c => c.LastOomKillAt is { } at && (known.GetValueOrDefault(c.Cluster) is not { } seen || at > seen)))
        {
            var killedAt = elapsed - TimeSpan.FromSeconds(cluster.SecondsSinceOomKill ?? 0);
            killedAt = killedAt > previousPoll ? killedAt : previousPoll;
            if (killedAt >= since)
            {
                since = killedAt;
                restarted = $"{cluster.Cluster}: a replica was OOM-killed {cluster.SecondsSinceOomKill ?? 0}s ago";
            }
        }

        _since = since;
        return new StabilityStatus(required, elapsed - since, restarted);
    }
}
