using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Tests.Unit.Planning;

/// <summary>The order-monitoring example as a test fixture: compile it as is, or with files changed.</summary>
internal static class OrderMonitoring
{
    public const string StalledOrders = """
        -- Orders that have not shipped some time after they were placed.
        CREATE MATERIALIZED VIEW stalled_orders
        IN CLUSTER orders
        AS
        SELECT o.id, o.customer, o.status, o.amount, o.created_at
        FROM materialize.sales.orders AS o
        WHERE mz_now() > o.created_at + INTERVAL '30 minutes'
          AND o.status <> 'shipped';

        COMMENT ON MATERIALIZED VIEW stalled_orders IS 'Open orders that have waited too long to ship.';
        """;

    public const string ByCustomer = """
        CREATE VIEW stalled_orders_by_customer AS
        SELECT customer, count(*) AS stalled_count
        FROM materialize.monitoring.stalled_orders
        GROUP BY customer;

        CREATE INDEX stalled_orders_by_customer_idx
        IN CLUSTER orders
        ON stalled_orders_by_customer (customer);
        """;

    public static Dictionary<string, string> Files() => new()
    {
        ["clusters/orders.sql"] = "CREATE CLUSTER orders (SIZE = '25cc');",
        ["models/materialize/sales/orders.sql"] = "CREATE TABLE orders (id bigint, customer text, status text, amount numeric, created_at timestamptz);",
        ["models/materialize/monitoring/stalled_orders.sql"] = StalledOrders,
        ["models/materialize/monitoring/stalled_orders_by_customer.sql"] = ByCustomer,
    };

    public static readonly ProductionCluster OrdersCluster = new("orders", Managed: true) { Size = "25cc", ReplicationFactor = 1 };

    public static CompiledProject Compile(Dictionary<string, string> files, string toml = "# test\n", string? profile = null)
    {
        using var project = new TempProject(files, toml);
        var compiled = ProjectCompiler.Compile(project.Root, profile);
        Assert.Empty(compiled.Diagnostics);
        return compiled;
    }

    /// <summary>A production snapshot in which every view, materialized view and sink of <paramref name="project"/> is deployed as is.</summary>
    public static ProductionSnapshot ProductionOf(CompiledProject project, string deployId = "prev", IReadOnlySet<SchemaId>? replacementSchemas = null) =>
        new(project.Objects.Where(o => o.Kind is ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.Sink).ToDictionary(o => o.Id, o => o.Hash),
            project.Objects.Where(o => o.Kind is ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.Sink)
                .Select(o => SchemaId.Of(o.Id)).Distinct()
                .ToDictionary(s => s, s => new ProductionSchema(
                    replacementSchemas?.Contains(s) == true ? DeploymentKind.Replacement
                    : project.Objects.Where(o => SchemaId.Of(o.Id).Equals(s)).All(o => o.Kind == ObjectKind.Sink) ? DeploymentKind.Sinks
                    : DeploymentKind.Objects, deployId)));
}
