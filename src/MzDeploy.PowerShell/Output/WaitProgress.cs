using System.Management.Automation;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;

namespace MzDeploy;

/// <summary>
/// The progress bars of <c>Wait-MzDeployment</c>: one parent bar per deployment ("Waiting for 'id'", elapsed time
/// and how many clusters are in each state) with one child bar per staging cluster (hydrated / total objects, its status in
/// <see cref="Readiness.DescribeState"/>'s words). Builds records only; the cmdlet writes them on the pipeline thread.
/// </summary>
internal sealed class WaitProgress
{
    private readonly int _allowedLagSeconds;
    private readonly int _parentId;
    private readonly Dictionary<string, int> _clusterIds = new(StringComparer.Ordinal);
    private string _activity = "Waiting for deployment";

    /// <param name="allowedLagSeconds">The lag threshold shown in a lagging cluster's status.</param>
    /// <param name="parentId">The parent bar's ActivityId; the clusters' bars take the ids after it.</param>
    public WaitProgress(int allowedLagSeconds, int parentId = 1)
    {
        _allowedLagSeconds = allowedLagSeconds;
        _parentId = parentId;
    }

    /// <summary>The records that show <paramref name="poll"/>: the parent bar first, then one per cluster.</summary>
    public IReadOnlyList<ProgressRecord> Update(WaitPoll poll)
    {
        ArgumentNullException.ThrowIfNull(poll);
        // Short, so that the activity, the bar and the status fit one 80-column line.
        _activity = $"Waiting for '{poll.DeployId}'";
        var clusters = poll.Clusters;
        int Count(ClusterState state) => clusters.Count(c => c.State == state);
        var summary = clusters.Count == 0
            ? "no staging clusters"
            // Only the states some cluster is in: with the activity before it the line fits 80 columns.
            : string.Join(" · ", new[] { $"{Count(ClusterState.Ready)}/{clusters.Count} ready" }.Concat(
                new[] { (ClusterState.Hydrating, "hydrating"), (ClusterState.Lagging, "lagging"), (ClusterState.Failing, "failing") }
                    .Where(s => Count(s.Item1) > 0).Select(s => $"{Count(s.Item1)} {s.Item2}")));
        var records = new List<ProgressRecord>(clusters.Count + 1)
        {
            new(_parentId, _activity, $"{WaitOperation.FormatElapsed(poll.Elapsed)} elapsed · {summary}" + Stability(poll))
            {
                PercentComplete = Percent(clusters.Sum(c => c.HydratedObjects), clusters.Sum(c => c.TotalObjects)),
            },
        };
        foreach (var cluster in clusters)
        {
            if (!_clusterIds.TryGetValue(cluster.Cluster, out var id))
            {
                id = _parentId + 1 + _clusterIds.Count;
                _clusterIds.Add(cluster.Cluster, id);
            }

            // The bar's activity is the cluster's name: the status line says only the state, so it is not cut at 80 columns.
            records.Add(new ProgressRecord(id, cluster.Cluster, Readiness.DescribeState(cluster, _allowedLagSeconds))
            {
                ParentActivityId = _parentId,
                PercentComplete = Percent(cluster.HydratedObjects, cluster.TotalObjects),
            });
        }

        return records;
    }

    /// <summary>
    /// The parent bar while the wait reconnects after a dropped connection: when it tries again (the reason goes to the
    /// verbose stream, so the line fits 80 columns); the clusters' bars stay as last read.
    /// </summary>
    public ProgressRecord Retrying(WaitRetry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        _activity = $"Waiting for '{retry.DeployId}'";
        return new ProgressRecord(_parentId, _activity,
            $"{WaitOperation.FormatElapsed(retry.Elapsed)} elapsed · connection lost, retry {retry.Attempt} in {WaitOperation.FormatElapsed(retry.Delay)}");
    }

    /// <summary>Records that close every bar shown so far (children first, then the parent).</summary>
    public IReadOnlyList<ProgressRecord> Complete()
    {
        var records = _clusterIds
            .Select(pair => new ProgressRecord(pair.Value, pair.Key, "done") { ParentActivityId = _parentId, RecordType = ProgressRecordType.Completed })
            .ToList();
        records.Add(new ProgressRecord(_parentId, _activity, "done") { RecordType = ProgressRecordType.Completed });
        return records;
    }

    /// <summary>
    /// The freshness gate's part of the parent bar while every cluster is ready: how long is left (<c> · stable 20s, 40s left</c>).
    /// </summary>
    internal static string Stability(WaitPoll poll) =>
        poll.Stability is { Stable: false } s && poll.Clusters.All(c => c.State == ClusterState.Ready)
            ? $" · stable {WaitOperation.FormatElapsed(s.StableFor)}, {WaitOperation.FormatElapsed(s.Remaining)} left"
            : "";

    /// <summary>Hydrated share in percent; a cluster that hosts nothing (0/0) is complete.</summary>
    private static int Percent(long hydrated, long total) =>
        total <= 0 ? 100 : (int)Math.Clamp(hydrated * 100 / total, 0, 100);
}
