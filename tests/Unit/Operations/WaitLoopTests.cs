using System.Management.Automation;
using MzDeploy.Engine;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;

namespace MzDeploy.Tests.Unit.Operations;

/// <summary>The wait loop with a clock that advances only when the loop sleeps: timeouts, failures and readiness without sleeping.</summary>
public class WaitLoopTests
{
    private static ClusterStatusInfo Cluster(ClusterState state, long hydrated = 2, long total = 2, long? lag = 1, string? reason = null,
        string name = "orders_v1", long replicas = 1, long problematic = 0) =>
        new("v1", name, "orders", state, reason, hydrated, total, lag, replicas, problematic);

    /// <summary>Serves one poll's statuses per call (the last one forever), counting the calls.</summary>
    private sealed class Script(params IReadOnlyList<ClusterStatusInfo>[] polls)
    {
        public int Reads { get; private set; }

        public Task<IReadOnlyList<ClusterStatusInfo>> ReadAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(polls[Math.Min(Reads++, polls.Length - 1)]);
        }
    }

    private sealed class FakeClock : IWaitClock
    {
        public TimeSpan Elapsed { get; private set; }

        public List<TimeSpan> Delays { get; } = [];

        public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Delays.Add(delay);
            Elapsed += delay;
            return Task.CompletedTask;
        }
    }

    private static Task<WaitResult> Poll(Script script, FakeClock clock, WaitOptions? options = null, List<WaitPoll>? seen = null,
        CancellationToken cancellationToken = default) =>
        WaitOperation.PollAsync("v1", options ?? new WaitOptions(), script.ReadAsync, clock, seen is null ? null : seen.Add, cancellationToken);

    [Fact]
    public async Task Polls_once_per_interval_until_every_cluster_is_ready()
    {
        var script = new Script([Cluster(ClusterState.Hydrating, 0)], [Cluster(ClusterState.Hydrating, 1)], [Cluster(ClusterState.Ready)]);
        var clock = new FakeClock();
        var seen = new List<WaitPoll>();

        var result = await Poll(script, clock, new WaitOptions(PollInterval: TimeSpan.FromSeconds(5)), seen);

        Assert.True(result.AllReady);
        Assert.Equal(3, result.Polls);
        Assert.Equal(3, script.Reads);
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)], clock.Delays);
        Assert.Equal([1, 2, 3], seen.Select(p => p.Number));
        Assert.Equal([0L, 1L, 2L], seen.Select(p => p.Clusters[0].HydratedObjects));
        Assert.Equal(TimeSpan.FromSeconds(10), seen[^1].Elapsed);
    }

    [Fact]
    public async Task Times_out_after_a_last_poll_at_the_deadline_naming_the_clusters_not_ready()
    {
        var script = new Script([Cluster(ClusterState.Hydrating, 1, 3), Cluster(ClusterState.Ready, name: "other_v1")]);
        var clock = new FakeClock();

        var error = await Assert.ThrowsAsync<MzDeployException>(() =>
            Poll(script, clock, new WaitOptions(Timeout: TimeSpan.FromSeconds(2.5), PollInterval: TimeSpan.FromSeconds(1))));

        Assert.Equal(ErrorIds.WaitTimeout.Id, error.ErrorId);
        Assert.Equal(ErrorKind.OperationTimeout, error.Kind);
        Assert.Equal("deployment 'v1' is not ready after 2s: orders_v1: hydrating 1/3 objects", error.Message);
        Assert.Equal("v1", error.Target);
        // Polls at 0, 1, 2 and at the deadline (2.5 s), never past it.
        Assert.Equal(4, script.Reads);
        Assert.Equal(TimeSpan.FromSeconds(2.5), clock.Elapsed);
    }

    [Fact]
    public async Task A_zero_timeout_polls_once()
    {
        var script = new Script([Cluster(ClusterState.Lagging, lag: 400)]);

        var error = await Assert.ThrowsAsync<MzDeployException>(() => Poll(script, new FakeClock(), new WaitOptions(Timeout: TimeSpan.Zero)));

        Assert.Equal(ErrorIds.WaitTimeout.Id, error.ErrorId);
        Assert.EndsWith("orders_v1: lagging 400s (allowed 300s)", error.Message);
        Assert.Equal(1, script.Reads);
    }

    [Fact]
    public async Task A_failing_cluster_ends_the_wait_at_once_with_the_reason()
    {
        var script = new Script([Cluster(ClusterState.Hydrating, 0)],
            [Cluster(ClusterState.Failing, 0, reason: "all_replicas_problematic", replicas: 2, problematic: 2)]);
        var seen = new List<WaitPoll>();

        var error = await Assert.ThrowsAsync<MzDeployException>(() => Poll(script, new FakeClock(), seen: seen));

        Assert.Equal(ErrorIds.DeploymentFailing.Id, error.ErrorId);
        Assert.Contains("orders_v1: failing (all 2 of 2 replicas OOM-looping (3+ crashes in 24h))", error.Message);
        Assert.Equal(2, script.Reads);
        Assert.Equal(2, seen.Count); // the failing poll is shown too
    }

    [Fact]
    public async Task A_status_query_that_hangs_past_the_timeout_is_cancelled_and_the_wait_times_out()
    {
        var reads = 0;
        async Task<IReadOnlyList<ClusterStatusInfo>> Hang(CancellationToken token)
        {
            if (reads++ == 0)
            {
                return [Cluster(ClusterState.Hydrating, 0)];
            }

            await Task.Delay(Timeout.Infinite, token);
            return [];
        }

        var error = await Assert.ThrowsAsync<MzDeployException>(() => WaitOperation.PollAsync("v1",
            new WaitOptions(Timeout: TimeSpan.FromSeconds(1)), Hang, new FakeClock(), null, CancellationToken.None, TimeSpan.FromMilliseconds(50)));

        Assert.Equal(ErrorIds.WaitTimeout.Id, error.ErrorId);
        Assert.EndsWith("orders_v1: hydrating 0/2 objects", error.Message); // the last statuses read
        Assert.Equal(2, reads);
    }

    /// <summary>A read that fails with <paramref name="failures"/> (null: answers <paramref name="ready"/>) one call after the other.</summary>
    private static Func<CancellationToken, Task<IReadOnlyList<ClusterStatusInfo>>> Flaky(IReadOnlyList<ClusterStatusInfo> ready,
        params MzDeployException?[] failures)
    {
        var calls = 0;
        return _ =>
        {
            var failure = calls < failures.Length ? failures[calls] : null;
            calls++;
            return failure is null ? Task.FromResult(ready) : Task.FromException<IReadOnlyList<ClusterStatusInfo>>(failure);
        };
    }

    private static MzDeployException Dropped() =>
        new(ErrorIds.ConnectionFailed, "the connection to the server failed: Exception while reading from stream")
        { Statement = "SELECT internal", Transient = true };

    [Fact]
    public async Task A_dropped_connection_is_retried_with_growing_delays_and_each_retry_is_reported()
    {
        var clock = new FakeClock();
        var retries = new List<WaitRetry>();
        var seen = new List<WaitPoll>();

        var result = await WaitOperation.PollAsync("v1", new WaitOptions(Timeout: TimeSpan.FromMinutes(5)),
            Flaky([Cluster(ClusterState.Ready)], Dropped(), Dropped(), Dropped()), clock, seen.Add, CancellationToken.None, onRetry: retries.Add);

        Assert.True(result.AllReady);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], clock.Delays);
        Assert.Equal([1, 2, 3], retries.Select(r => r.Attempt));
        Assert.All(retries, r => Assert.Equal("the connection to the server failed: Exception while reading from stream", r.Reason));
        // Only the read that answered is a poll.
        Assert.Equal(1, result.Polls);
        Assert.Equal([1], seen.Select(p => p.Number));
    }

    [Fact]
    public async Task Backoff_is_capped_and_a_connection_that_stays_down_ends_the_wait_at_the_timeout_without_SQL()
    {
        var clock = new FakeClock();
        var failures = Enumerable.Range(0, 100).Select(_ => Dropped()).ToArray();

        var error = await Assert.ThrowsAsync<MzDeployException>(() => WaitOperation.PollAsync("v1",
            new WaitOptions(Timeout: TimeSpan.FromMinutes(2)), Flaky([], failures), clock, null, CancellationToken.None));

        Assert.Equal(ErrorIds.ConnectionFailed.Id, error.ErrorId);
        Assert.Equal("v1", error.Target);
        Assert.StartsWith("lost the connection to the server while waiting for deployment 'v1', and it did not come back within the timeout (2m 0s, ",
            error.Message);
        Assert.DoesNotContain("SELECT", error.Message);
        Assert.Equal(TimeSpan.FromSeconds(30), clock.Delays.Max());
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], clock.Delays.Take(7).Select(d => d.TotalSeconds));
        // The last sleep ends right at the deadline, and the wait gives up after the try made there.
        Assert.Equal(TimeSpan.FromMinutes(2), clock.Elapsed);
    }

    [Fact]
    public async Task Without_a_timeout_a_connection_that_stays_down_ends_the_wait_after_the_longest_outage()
    {
        var clock = new FakeClock();
        var failures = Enumerable.Range(0, 1000).Select(_ => Dropped()).ToArray();

        var error = await Assert.ThrowsAsync<MzDeployException>(() => WaitOperation.PollAsync("v1", new WaitOptions(),
            Flaky([], failures), clock, null, CancellationToken.None));

        Assert.Equal(ErrorIds.ConnectionFailed.Id, error.ErrorId);
        Assert.Equal(WaitOperation.MaxOutage, clock.Elapsed);
    }

    [Fact]
    public async Task A_failure_that_is_not_transient_ends_the_wait_at_once_and_so_does_any_failure_of_a_single_poll()
    {
        var refused = new MzDeployException(ErrorIds.SqlPermissionDenied, "permission denied for table x (SQLSTATE 42501)");
        var clock = new FakeClock();

        Assert.Same(refused, await Assert.ThrowsAsync<MzDeployException>(() => WaitOperation.PollAsync("v1", new WaitOptions(),
            Flaky([], refused), clock, null, CancellationToken.None)));
        var dropped = Dropped();
        Assert.Same(dropped, await Assert.ThrowsAsync<MzDeployException>(() => WaitOperation.PollAsync("v1", new WaitOptions(Once: true),
            Flaky([], dropped), clock, null, CancellationToken.None)));
        Assert.Empty(clock.Delays);
    }

    [Fact]
    public void A_retry_shows_on_the_parent_bar_and_as_a_line_that_fit_80_columns()
    {
        var retry = new WaitRetry("a_long_deploy_id", 12, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(61), "the connection to the server failed");

        var record = new WaitProgress(300).Retrying(retry);

        Assert.Equal(1, record.ActivityId);
        Assert.Equal("1h 1m elapsed · connection lost, retry 12 in 30s", record.StatusDescription);
        Assert.True(record.StatusDescription.Length <= 60);
        Assert.Equal("[1h 1m] a_long_deploy_id: connection lost (the connection to the server failed); reconnecting in 30s (retry 12)",
            WaitStatusLines.Retrying(retry));
    }

    [Fact]
    public async Task Once_returns_the_statuses_as_they_are_after_one_poll()
    {
        var script = new Script([Cluster(ClusterState.Hydrating, 0), Cluster(ClusterState.Lagging, name: "b_v1", lag: 900)]);
        var clock = new FakeClock();

        var result = await Poll(script, clock, new WaitOptions(Once: true, Timeout: TimeSpan.Zero));

        Assert.False(result.AllReady);
        Assert.Equal([ClusterState.Hydrating, ClusterState.Lagging], result.Clusters.Select(c => c.State));
        Assert.Equal(1, script.Reads);
        Assert.Empty(clock.Delays);
    }

    [Fact]
    public async Task A_deployment_without_clusters_is_ready_at_once()
    {
        var script = new Script(new List<ClusterStatusInfo>());

        var result = await Poll(script, new FakeClock());

        Assert.True(result.AllReady);
        Assert.Empty(result.Clusters);
        Assert.Equal(1, result.Polls);
    }

    [Fact]
    public async Task Cancelling_stops_the_wait()
    {
        using var cancel = new CancellationTokenSource();
        var polls = 0;
        var script = new Script([Cluster(ClusterState.Hydrating, 0)]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => WaitOperation.PollAsync("v1", new WaitOptions(), script.ReadAsync,
            new FakeClock(), _ =>
            {
                if (++polls == 3)
                {
                    cancel.Cancel();
                }
            }, cancel.Token));

        Assert.Equal(3, script.Reads);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(42.9, "42s")]
    [InlineData(185, "3m 5s")]
    [InlineData(7800, "2h 10m")]
    public void Durations_read_like_mz_deploy(double seconds, string expected) =>
        Assert.Equal(expected, WaitOperation.FormatElapsed(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Progress_has_a_parent_bar_and_one_child_bar_per_cluster()
    {
        var progress = new WaitProgress(allowedLagSeconds: 60);
        var poll = new WaitPoll("v1", 1, TimeSpan.FromSeconds(75), [
            Cluster(ClusterState.Hydrating, 1, 4, name: "a_v1"),
            Cluster(ClusterState.Lagging, lag: 90, name: "b_v1"),
            Cluster(ClusterState.Ready, 0, 0, lag: null, name: "c_v1"),
        ]);

        var records = progress.Update(poll);

        Assert.Equal("Waiting for 'v1'", records[0].Activity);
        Assert.Equal("1m 15s elapsed · 1/3 ready · 1 hydrating · 1 lagging", records[0].StatusDescription);
        // The minimal progress view draws "activity [status]" on one line.
        Assert.True($"{records[0].Activity} [{records[0].StatusDescription}]".Length <= 80, "the progress line fits 80 columns");
        Assert.Equal(-1, records[0].ParentActivityId);
        Assert.Equal(50, records[0].PercentComplete); // 3 of 6 objects hydrated
        Assert.Equal(["a_v1", "b_v1", "c_v1"], records.Skip(1).Select(r => r.Activity));
        Assert.All(records.Skip(1), r => Assert.Equal(records[0].ActivityId, r.ParentActivityId));
        Assert.Equal(4, records.Select(r => r.ActivityId).Distinct().Count());
        Assert.Equal([25, 100, 100], records.Skip(1).Select(r => r.PercentComplete));
        Assert.Equal("lagging 90s (allowed 60s)", records[2].StatusDescription);

        // The same cluster keeps its bar; completing closes every bar shown.
        var again = progress.Update(poll with { Number = 2 });
        Assert.Equal(records.Select(r => r.ActivityId), again.Select(r => r.ActivityId));
        var completed = progress.Complete();
        Assert.All(completed, r => Assert.Equal(ProgressRecordType.Completed, r.RecordType));
        Assert.Equal(records.Select(r => r.ActivityId).Order(), completed.Select(r => r.ActivityId).Order());
    }

    [Fact]
    public void A_deployment_without_clusters_shows_a_complete_bar()
    {
        var records = new WaitProgress(300).Update(new WaitPoll("v1", 1, TimeSpan.Zero, []));

        var parent = Assert.Single(records);
        Assert.Equal(100, parent.PercentComplete);
        Assert.Equal("0s elapsed · no staging clusters", parent.StatusDescription);
    }
}
