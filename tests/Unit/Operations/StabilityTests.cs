using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;

namespace MzDeploy.Tests.Unit.Operations;

/// <summary>The freshness gate: the stability rule alone, then the wait loop with it on a clock that advances only when the loop sleeps.</summary>
public class StabilityTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);

    private static readonly DateTimeOffset ServerStart = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A ready cluster; <paramref name="oomSecondsAgo"/> with <paramref name="killedAt"/> (server seconds) is its last OOM kill.</summary>
    private static ClusterStatusInfo Ready(long? oomSecondsAgo = null, string name = "orders_v1", int killedAt = 0) =>
        new("v1", name, "orders", ClusterState.Ready, null, 2, 2, 1, 1, 0)
        {
            SecondsSinceOomKill = oomSecondsAgo,
            LastOomKillAt = oomSecondsAgo is null ? null : ServerStart.AddSeconds(killedAt),
        };

    private static ClusterStatusInfo Lagging(long lag = 30) => new("v1", "orders_v1", "orders", ClusterState.Lagging, null, 2, 2, lag, 1, 0);

    private static TimeSpan S(int seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Stable_once_every_cluster_has_been_ready_at_every_poll_for_the_required_time()
    {
        var timer = new StabilityTimer(Minute);

        var first = timer.Observe(S(10), [Ready(), Ready(name: "b_v1")], 5);
        var middle = timer.Observe(S(40), [Ready(), Ready(name: "b_v1")], 5);
        var last = timer.Observe(S(70), [Ready(), Ready(name: "b_v1")], 5);

        Assert.Equal((TimeSpan.Zero, Minute, false), (first.StableFor, first.Remaining, first.Stable));
        Assert.Equal((S(30), S(30), false), (middle.StableFor, middle.Remaining, middle.Stable));
        Assert.Equal((Minute, TimeSpan.Zero, true), (last.StableFor, last.Remaining, last.Stable));
        Assert.All(new[] { first, middle, last }, s => Assert.Null(s.Restarted));
    }

    [Fact]
    public void A_poll_that_finds_a_cluster_lagging_restarts_the_timer_and_says_why()
    {
        var timer = new StabilityTimer(Minute);
        timer.Observe(S(0), [Ready()], 5);
        timer.Observe(S(50), [Ready()], 5);

        var lagging = timer.Observe(S(55), [Lagging()], 5);
        var again = timer.Observe(S(60), [Ready()], 5);
        var later = timer.Observe(S(110), [Ready()], 5);

        Assert.Equal(TimeSpan.Zero, lagging.StableFor);
        Assert.Equal("orders_v1: lagging 30s (allowed 5s)", lagging.Restarted);
        Assert.Equal((TimeSpan.Zero, (string?)null), (again.StableFor, again.Restarted));
        Assert.Equal((S(50), false), (later.StableFor, later.Stable));
    }

    [Fact]
    public void Not_ready_before_it_ever_was_is_no_restart()
    {
        var timer = new StabilityTimer(Minute);

        Assert.Null(timer.Observe(S(0), [Lagging()], 5).Restarted);
    }

    [Fact]
    public void An_oom_kill_inside_the_window_moves_its_start_to_the_kill_and_one_before_the_watch_began_does_not()
    {
        var timer = new StabilityTimer(Minute);
        // Killed at server second 0, 300 s before the first poll that found everything ready: not what the wait vouches for.
        Assert.Equal(TimeSpan.Zero, timer.Observe(S(10), [Ready(300, killedAt: 0)], 5).StableFor);
        Assert.Equal(S(30), timer.Observe(S(40), [Ready(330, killedAt: 0)], 5).StableFor);

        var killed = timer.Observe(S(50), [Ready(2, killedAt: 338), Ready(5, "b_v1", killedAt: 335)], 5);

        Assert.Equal(S(2), killed.StableFor);
        Assert.Equal("orders_v1: a replica was OOM-killed 2s ago", killed.Restarted);
        // The same kills seen again later are no new restart: the window just counts from the later one.
        var next = timer.Observe(S(60), [Ready(12, killedAt: 338), Ready(15, "b_v1", killedAt: 335)], 5);
        Assert.Equal((S(12), (string?)null), (next.StableFor, next.Restarted));
    }

    [Fact]
    public void A_kill_just_before_the_watch_began_is_not_taken_for_a_new_one_when_the_rounded_age_lags_a_poll_behind()
    {
        var timer = new StabilityTimer(Minute);
        // Killed 1.9 s before the first poll: the server says 1 s, and at the next poll (1.05 s later) 2 s.
        timer.Observe(S(10), [Ready(1, killedAt: 100)], 5);

        var next = timer.Observe(TimeSpan.FromSeconds(11.05), [Ready(2, killedAt: 100)], 5);

        Assert.Null(next.Restarted);
        Assert.Equal(TimeSpan.FromSeconds(1.05), next.StableFor);
    }

    [Fact]
    public void A_kill_the_rounded_age_places_before_the_poll_that_missed_it_restarts_the_timer_at_that_poll()
    {
        var timer = new StabilityTimer(Minute);
        timer.Observe(S(10), [Ready()], 5);
        timer.Observe(S(20), [Ready()], 5);

        // Killed between the polls at 20 and 30; the query ran a moment before 30 and says 11 s ago.
        var killed = timer.Observe(S(30), [Ready(11, killedAt: 200)], 5);

        Assert.Equal(S(10), killed.StableFor);
        Assert.NotNull(killed.Restarted);
    }

    private sealed class Script(params IReadOnlyList<ClusterStatusInfo>[] polls)
    {
        public int Reads { get; private set; }

        public Task<IReadOnlyList<ClusterStatusInfo>> ReadAsync(CancellationToken cancellationToken) =>
            Task.FromResult(polls[Math.Min(Reads++, polls.Length - 1)]);
    }

    private sealed class FakeClock : IWaitClock
    {
        public TimeSpan Elapsed { get; private set; }

        public List<TimeSpan> Delays { get; } = [];

        public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            Delays.Add(delay);
            Elapsed += delay;
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task The_wait_returns_only_once_stable_polling_right_when_the_gate_can_open_and_reports_what_is_left()
    {
        var script = new Script([Ready()], [Ready()], [Lagging()], [Ready()]);
        var clock = new FakeClock();
        var seen = new List<WaitPoll>();

        var result = await WaitOperation.PollAsync("v1", new WaitOptions(AllowedLagSeconds: 5, PollInterval: S(25), StableFor: S(30)),
            script.ReadAsync, clock, seen.Add, CancellationToken.None);

        Assert.True(result.AllReady);
        // 0 ready (start), 25 ready (5 s left: the next poll comes at 30, not 50), 30 lagging (restart), 55 ready (start),
        // 80 ready, then 85: exactly 30 s after the start.
        Assert.Equal([S(25), S(5), S(25), S(25), S(5)], clock.Delays);
        Assert.Equal([S(30), S(5), S(30), S(30), S(5), S(0)], seen.Select(p => p.Stability!.Remaining));
        Assert.Equal("orders_v1: lagging 30s (allowed 5s)", seen[2].Stability!.Restarted);
    }

    [Fact]
    public async Task A_timeout_while_ready_but_not_yet_stable_says_how_long_it_was_stable()
    {
        var clock = new FakeClock();

        var error = await Assert.ThrowsAsync<MzDeployException>(() => WaitOperation.PollAsync("v1",
            new WaitOptions(PollInterval: S(10), Timeout: S(20), StableFor: Minute), new Script([Ready()]).ReadAsync, clock, null,
            CancellationToken.None));

        Assert.Equal(ErrorIds.WaitTimeout.Id, error.ErrorId);
        Assert.Equal("deployment 'v1' is not ready after 20s: ready, but stable for only 20s of the required 1m 0s", error.Message);
    }

    [Fact]
    public async Task A_promote_gate_refuses_at_once_when_not_ready_and_when_the_timer_restarts()
    {
        var gate = new WaitOptions(AllowedLagSeconds: 5, PollInterval: S(10), Timeout: S(90), StableFor: Minute, RefuseUnstable: true);

        var notReady = await Assert.ThrowsAsync<MzDeployException>(() =>
            WaitOperation.PollAsync("v1", gate, new Script([Lagging()]).ReadAsync, new FakeClock(), null, CancellationToken.None));
        Assert.Equal(ErrorIds.ClustersNotReady.Id, notReady.ErrorId);

        var oom = await Assert.ThrowsAsync<MzDeployException>(() => WaitOperation.PollAsync("v1", gate,
            new Script([Ready()], [Ready(oomSecondsAgo: 3)]).ReadAsync, new FakeClock(), null, CancellationToken.None));
        Assert.Equal(ErrorIds.DeploymentNotStable.Id, oom.ErrorId);
        Assert.Equal("deployment 'v1' did not stay ready for 1m 0s: after 10s of watching, orders_v1: a replica was OOM-killed 3s ago", oom.Message);
        Assert.Equal(new WaitForStableDeployment("v1", 60), oom.Remedy);

        var lag = await Assert.ThrowsAsync<MzDeployException>(() => WaitOperation.PollAsync("v1", gate,
            new Script([Ready()], [Ready()], [Lagging()]).ReadAsync, new FakeClock(), null, CancellationToken.None));
        Assert.Contains("after 20s of watching, orders_v1: lagging 30s (allowed 5s)", lag.Message);

        var stable = await WaitOperation.PollAsync("v1", gate, new Script([Ready()]).ReadAsync, new FakeClock(), null, CancellationToken.None);
        Assert.Equal(7, stable.Polls);
    }
}
