using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;

namespace MzDeploy.Tests.Unit.Cmdlets;

public class WaitStatusLinesTests
{
    private static ClusterStatusInfo Cluster(string name, ClusterState state, long hydrated) =>
        new("r1", name, "orders", state, null, hydrated, 2, state == ClusterState.Lagging ? 90 : 0, 1, 0);

    private static WaitPoll Poll(int seconds, params ClusterStatusInfo[] clusters) =>
        new("r1", seconds, TimeSpan.FromSeconds(seconds), clusters);

    [Fact]
    public void Every_cluster_gets_a_line_on_the_first_poll_then_only_when_its_state_changes()
    {
        var lines = new WaitStatusLines(60);

        Assert.Equal(2, lines.Update(Poll(0, Cluster("a_r1", ClusterState.Hydrating, 0), Cluster("b_r1", ClusterState.Hydrating, 1))).Count);
        Assert.Empty(lines.Update(Poll(5, Cluster("a_r1", ClusterState.Hydrating, 1), Cluster("b_r1", ClusterState.Hydrating, 1))));
        var changed = lines.Update(Poll(65, Cluster("a_r1", ClusterState.Ready, 2), Cluster("b_r1", ClusterState.Hydrating, 1)));

        Assert.Equal("[1m 5s] r1: a_r1: ready (2/2 objects)", Assert.Single(changed));
    }
}
