using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;

namespace MzDeploy;

/// <summary>
/// The wait's log for a run nobody watches a progress bar in (output redirected, as in CI): a line each time a cluster's
/// state changes, so a long wait shows it is alive instead of looking hung.
/// </summary>
internal sealed class WaitStatusLines(int allowedLagSeconds)
{
    private readonly Dictionary<string, ClusterState> _last = new(StringComparer.Ordinal);

    /// <summary>The lines for the clusters whose state <paramref name="poll"/> shows changed (all of them on the first poll).</summary>
    public IReadOnlyList<string> Update(WaitPoll poll)
    {
        ArgumentNullException.ThrowIfNull(poll);
        var lines = new List<string>();
        foreach (var cluster in poll.Clusters)
        {
            if (_last.TryGetValue(cluster.Cluster, out var state) && state == cluster.State)
            {
                continue;
            }

            _last[cluster.Cluster] = cluster.State;
            lines.Add($"[{WaitOperation.FormatElapsed(poll.Elapsed)}] {poll.DeployId}: {Readiness.Describe(cluster, allowedLagSeconds)}");
        }

        // The freshness gate: a restart, and the moment everything is ready and the countdown starts, each get a line.
        if (poll.Stability is { Restarted: { } why })
        {
            lines.Add($"[{WaitOperation.FormatElapsed(poll.Elapsed)}] {poll.DeployId}: not stable ({why}); the {WaitOperation.FormatElapsed(poll.Stability.Required)} timer restarts");
        }
        else if (poll.Stability is { Stable: false } s && lines.Count > 0 && WaitProgress.Stability(poll) is { Length: > 0 })
        {
            lines.Add($"[{WaitOperation.FormatElapsed(poll.Elapsed)}] {poll.DeployId}: ready; stable in {WaitOperation.FormatElapsed(s.Remaining)} unless it changes");
        }

        return lines;
    }

    /// <summary>The line for a reconnection attempt after a dropped connection.</summary>
    public static string Retrying(WaitRetry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        return $"[{WaitOperation.FormatElapsed(retry.Elapsed)}] {retry.DeployId}: connection lost ({retry.Reason}); "
               + $"reconnecting in {WaitOperation.FormatElapsed(retry.Delay)} (retry {retry.Attempt})";
    }
}
