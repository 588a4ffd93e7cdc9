using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Tests.Unit.Planning;

/// <summary>The repository's examples/order-monitoring, planned as the demo deploys it.</summary>
public class ExampleProjectPlanTests
{
    private static Dictionary<string, string> ExampleFiles()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MzDeploy.sln")))
        {
            directory = directory.Parent;
        }

        var root = Path.Combine(directory!.FullName, "examples", "order-monitoring");
        return Directory.EnumerateFiles(root, "*.sql", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText);
    }

    [Fact]
    public void Changing_the_stalled_interval_of_the_example_redeploys_the_monitoring_schema_and_orders_cluster_only()
    {
        var files = ExampleFiles();
        var before = OrderMonitoring.Compile(files);
        var first = Plans.Stage(before, ProductionSnapshot.Empty, "v1", null, [OrderMonitoring.OrdersCluster]);
        Assert.Equal(new[] { "materialize.monitoring.stalled_orders", "materialize.monitoring.stalled_orders_by_customer" },
            first.Objects.Select(o => o.ToString()));

        const string path = "models/materialize/monitoring/stalled_orders.sql";
        Assert.Contains("INTERVAL '30 minutes'", files[path]);
        files[path] = files[path].Replace("INTERVAL '30 minutes'", "INTERVAL '45 minutes'");
        var after = OrderMonitoring.Compile(files);

        var plan = Plans.Stage(after, OrderMonitoring.ProductionOf(before, "v1"), "v2", null, [OrderMonitoring.OrdersCluster]);

        Assert.Equal(new[] { "materialize.monitoring.stalled_orders", "materialize.monitoring.stalled_orders_by_customer" },
            plan.Objects.Select(o => o.ToString()));
        Assert.Equal(new[] { "materialize.monitoring → materialize.monitoring_v2" }, plan.Schemas.Select(s => $"{s.Production} → {s.Staging}"));
        Assert.Equal(new[] { new ClusterMapping("orders", "orders_v2") }, plan.Clusters);
        Assert.Empty(plan.Changes.SkippedApplyManaged);
        Assert.DoesNotContain(plan.Statements, s => s.Target.Contains("sales", StringComparison.Ordinal));
        Assert.Equal(new[] { "changed", "depends on materialize.monitoring.stalled_orders" }, plan.Changes.Dirty.Select(d => d.Description));
    }
}
