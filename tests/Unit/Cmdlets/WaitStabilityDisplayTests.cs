using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;

namespace MzDeploy.Tests.Unit.Cmdlets;

/// <summary>What a wait with the freshness gate shows: the time left on the parent bar, a log line when the timer starts or restarts.</summary>
public class WaitStabilityDisplayTests
{
    private static ClusterStatusInfo Cluster(ClusterState state) =>
        new("r1", "a_r1", "orders", state, null, 2, 2, state == ClusterState.Lagging ? 90 : 0, 1, 0);

    private static WaitPoll Poll(int seconds, ClusterState state, int stableFor, string? restarted = null) =>
        new("r1", seconds, TimeSpan.FromSeconds(seconds), [Cluster(state)])
        {
            Stability = new StabilityStatus(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(stableFor), restarted),
        };

    [Fact]
    public void The_parent_bar_says_how_long_is_left_while_everything_is_ready_and_nothing_otherwise()
    {
        var progress = new WaitProgress(60);

        Assert.EndsWith("1/1 ready · stable 20s, 40s left", progress.Update(Poll(30, ClusterState.Ready, 20))[0].StatusDescription);
        Assert.EndsWith("0/1 ready · 1 lagging", progress.Update(Poll(31, ClusterState.Lagging, 0))[0].StatusDescription);
        Assert.EndsWith("1/1 ready", progress.Update(Poll(90, ClusterState.Ready, 60))[0].StatusDescription);
    }

    [Fact]
    public void A_log_line_when_the_countdown_starts_and_one_when_the_timer_restarts()
    {
        var lines = new WaitStatusLines(60);

        Assert.Equal(["[0s] r1: a_r1: ready (2/2 objects)", "[0s] r1: ready; stable in 1m 0s unless it changes"],
            lines.Update(Poll(0, ClusterState.Ready, 0)));
        Assert.Empty(lines.Update(Poll(10, ClusterState.Ready, 10)));
        Assert.Equal(["[20s] r1: a_r1: lagging 90s (allowed 60s)", "[20s] r1: not stable (a_r1: lagging 90s (allowed 60s)); the 1m 0s timer restarts"],
            lines.Update(Poll(20, ClusterState.Lagging, 0, "a_r1: lagging 90s (allowed 60s)")));
    }
}
