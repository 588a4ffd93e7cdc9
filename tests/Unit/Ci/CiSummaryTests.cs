using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.PowerShell.Infrastructure.Ci;
using MzDeploy.Tests.Unit.Planning;

namespace MzDeploy.Tests.Unit.Ci;

public class CiSummaryTests
{
    private static Dictionary<string, string> FilesWithASecretLiteral()
    {
        var files = OrderMonitoring.Files();
        files["models/materialize/monitoring/tokens.sql"] = "CREATE VIEW tokens AS SELECT 'hunter2-do-not-print' AS token;";
        return files;
    }

    [Fact]
    public void The_stage_summary_says_what_is_staged_and_why_and_never_the_sql()
    {
        var project = OrderMonitoring.Compile(FilesWithASecretLiteral());
        var plan = Plans.Stage(project, ProductionSnapshot.Empty, "r1", null, [OrderMonitoring.OrdersCluster]);

        var markdown = CiSummaries.Stage(plan, staged: false);

        Assert.StartsWith("### MzDeploy: stage plan for `r1`\n", markdown);
        Assert.Contains("1 schema(s), 1 cluster(s), 3 object(s); nothing was created (plan only).", markdown);
        Assert.Contains("| `materialize.monitoring` | `materialize.monitoring_r1` |", markdown);
        Assert.Contains("| `orders` | `orders_r1` |", markdown);
        Assert.Contains("| `materialize.monitoring.stalled_orders` | new |", markdown);
        Assert.DoesNotContain("hunter2", markdown);
        Assert.DoesNotContain("CREATE", markdown);
        Assert.StartsWith("### MzDeploy: staged deployment `r1`\n", CiSummaries.Stage(plan, staged: true));
    }

    [Fact]
    public void An_empty_stage_says_there_is_nothing_to_stage()
    {
        var project = OrderMonitoring.Compile(OrderMonitoring.Files());
        var plan = Plans.Stage(project, OrderMonitoring.ProductionOf(project), "r2", null, [OrderMonitoring.OrdersCluster]);

        Assert.Equal("### MzDeploy: nothing to stage for `r2`\n\nNo changes compared to production.\n\n", CiSummaries.Stage(plan, staged: false));
    }

    [Fact]
    public void The_hydration_summary_has_a_row_per_cluster()
    {
        var result = new WaitResult("r1",
        [
            new ClusterStatusInfo("r1", "orders_r1", "orders", ClusterState.Ready, null, 4, 4, 0, 1, 0),
            new ClusterStatusInfo("r1", "etl_r1", null, ClusterState.Failing, "no_replicas", 0, 2, null, 0, 0),
        ], 3, TimeSpan.FromSeconds(42), null);

        var markdown = CiSummaries.Hydration("r1", result);

        Assert.StartsWith("### MzDeploy: `r1` is not ready yet\n", markdown);
        Assert.Contains("| `orders_r1` | `orders` | Ready | 4/4 | 0 | 1 |", markdown);
        Assert.Contains("| `etl_r1` | — | Failing (no_replicas) | 0/2 | — | 0 |", markdown);
        Assert.StartsWith("### MzDeploy: waiting for `r1` failed\n", CiSummaries.Hydration("r1", null));
    }

    [Fact]
    public void The_promotion_summary_lists_the_swaps_and_what_was_dropped_but_no_statements()
    {
        var promotion = new MzPromotion("r1", DateTimeOffset.UnixEpoch, false,
            [new MzStagingName("materialize.monitoring", "materialize.monitoring_r1")], [new MzStagingName("orders", "orders_r1")],
            ["materialize.sinks.out"], [], [], ["schema materialize.monitoring_r1", "cluster orders_r1"], [], 1,
            ["BEGIN", "CREATE SECRET s AS 'hunter2'", "COMMIT"], []);

        var markdown = CiSummaries.Promotion(promotion);

        Assert.StartsWith("### MzDeploy: promoted `r1`\n\n1 schema(s) and 1 cluster(s) swapped into production.\n", markdown);
        Assert.Contains("| `orders` | `orders_r1` |", markdown);
        Assert.Contains("**Sinks created** (1)\n\n- `materialize.sinks.out`\n", markdown);
        Assert.Contains("**Previous production version dropped** (2)\n\n- `schema materialize.monitoring_r1`\n- `cluster orders_r1`\n", markdown);
        Assert.DoesNotContain("hunter2", markdown);
        Assert.DoesNotContain("Conflicts", markdown);
    }

    [Theory]
    [InlineData("plain", "`plain`")]
    [InlineData("a|b", "`a\\|b`")]
    [InlineData("x`y", "``x`y``")]
    [InlineData("`q`", "`` `q` ``")]
    [InlineData("two\nlines", "`two lines`")]
    public void Names_are_code_spans_that_survive_any_character(string name, string expected)
    {
        Assert.Equal(expected, Markdown.Code(name));
    }
}
