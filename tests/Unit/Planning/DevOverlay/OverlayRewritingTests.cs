using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine.Planning.DevOverlay;

namespace MzDeploy.Tests.Unit.Planning.DevOverlay;

/// <summary>The statement rewriter as a dev overlay drives it: overlaid objects by overlay name, clusters placed explicitly.</summary>
public class OverlayRewritingTests
{
    private static string RewriteObject(Dictionary<string, string> files, string name, bool withIndexes = false)
    {
        var project = OrderMonitoring.Compile(files);
        var names = new DevOverlayNames("alice", null);
        var all = project.Objects.Select(o => o.Id).ToHashSet();
        var overlaid = project.Objects.Where(o => o.Kind is ObjectKind.View or ObjectKind.MaterializedView).Select(o => o.Id).ToHashSet();
        var rewriter = new StatementRewriter(names.Production, names.Overlay, all, overlaid);
        var o = project.Objects.Single(x => x.Id.Name == name);
        var statement = withIndexes ? o.Indexes.Single() : o.Statement;
        return rewriter.Rewrite(o, statement, withIndexes ? null : "NEW", _ => "dev", "dev");
    }

    [Fact]
    public void A_materialized_view_without_in_cluster_gets_one_before_as()
    {
        var files = OrderMonitoring.Files();
        files["models/materialize/monitoring/stalled_orders.sql"] = "CREATE MATERIALIZED VIEW stalled_orders AS SELECT id FROM materialize.sales.orders;";

        Assert.Equal("CREATE MATERIALIZED VIEW NEW IN CLUSTER dev AS SELECT id FROM materialize.sales.orders",
            RewriteObject(files, "stalled_orders"));
    }

    [Fact]
    public void A_materialized_view_with_a_column_list_gets_in_cluster_after_it()
    {
        var files = OrderMonitoring.Files();
        files["models/materialize/monitoring/stalled_orders.sql"] =
            "CREATE MATERIALIZED VIEW stalled_orders (id, customer) AS SELECT id, customer FROM materialize.sales.orders;";

        Assert.Equal("CREATE MATERIALIZED VIEW NEW (id, customer) IN CLUSTER dev AS SELECT id, customer FROM materialize.sales.orders",
            RewriteObject(files, "stalled_orders"));
    }

    [Fact]
    public void An_index_without_in_cluster_gets_one_before_on()
    {
        var files = OrderMonitoring.Files();
        files["models/materialize/monitoring/stalled_orders_by_customer.sql"] = """
            CREATE VIEW stalled_orders_by_customer AS SELECT customer FROM materialize.monitoring.stalled_orders;
            CREATE INDEX by_customer ON stalled_orders_by_customer (customer);
            """;

        Assert.Equal("CREATE INDEX by_customer IN CLUSTER dev ON materialize__alice.monitoring.stalled_orders_by_customer (customer)",
            RewriteObject(files, "stalled_orders_by_customer", withIndexes: true));
    }

    [Fact]
    public void A_view_gets_no_cluster()
    {
        var files = OrderMonitoring.Files();

        Assert.Equal("""
            CREATE VIEW NEW AS
            SELECT customer, count(*) AS stalled_count
            FROM materialize__alice.monitoring.stalled_orders
            GROUP BY customer
            """.ReplaceLineEndings("\n"), RewriteObject(files, "stalled_orders_by_customer").ReplaceLineEndings("\n"));
    }
}
