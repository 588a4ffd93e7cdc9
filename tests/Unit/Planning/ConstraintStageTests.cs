using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Tests.Unit.Planning;

/// <summary>An enforced constraint's companion materialized view is staged, recorded and redeployed like any object.</summary>
public class ConstraintStageTests
{
    private static readonly ProductionCluster[] Clusters =
    [
        new("app", Managed: true) { Size = "25cc", ReplicationFactor = 1 },
        new("checks", Managed: true) { Size = "25cc", ReplicationFactor = 1 },
    ];

    private static Dictionary<string, string> Files(string totals = "sum(amount)") => new()
    {
        ["models/shop/raw/orders.sql"] = "CREATE TABLE orders (id int, customer int, amount numeric);",
        ["models/shop/raw/customers.sql"] = "CREATE TABLE customers (id int);",
        ["models/shop/app/totals.sql"] = $"""
            CREATE MATERIALIZED VIEW totals IN CLUSTER app AS SELECT customer, {totals} AS total FROM raw.orders GROUP BY customer;
            CREATE PRIMARY KEY IN CLUSTER checks ON totals (customer);
            CREATE FOREIGN KEY totals_customer_fk IN CLUSTER checks ON totals (customer) REFERENCES raw.customers (id);
            CREATE UNIQUE CONSTRAINT NOT ENFORCED ON totals (total);
            """,
    };

    [Fact]
    public void A_first_stage_creates_each_companion_in_the_staging_schema_on_the_staging_cluster()
    {
        var project = OrderMonitoring.Compile(Files(), "# test\n", null);
        var plan = Plans.Stage(project, ProductionSnapshot.Empty, "c1", null, Clusters);

        Assert.Equal(new[] { "shop.app.totals", "shop.app.totals_customer_fk", "shop.app.totals_customer_pk" },
            plan.Objects.Select(o => o.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "app", "checks" }, plan.Clusters.Select(c => c.Production).Order(StringComparer.Ordinal));
        var sql = plan.Statements.Select(s => s.Sql).ToList();
        Assert.Contains("""
            CREATE MATERIALIZED VIEW shop.app_c1.totals_customer_pk
            IN CLUSTER checks_c1
            AS
            SELECT customer, count(*) AS row_count
            FROM shop.app_c1.totals
            GROUP BY customer
            HAVING count(*) > 1 OR customer IS NULL
            """.ReplaceLineEndings("\n"), sql);
        Assert.Contains("""
            CREATE MATERIALIZED VIEW shop.app_c1.totals_customer_fk
            IN CLUSTER checks_c1
            AS
            SELECT constrained.*
            FROM shop.app_c1.totals AS constrained
            WHERE constrained.customer IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM shop.raw.customers AS referenced WHERE referenced.id = constrained.customer)
            """.ReplaceLineEndings("\n"), sql);
        var targets = plan.Statements.Where(s => s.Kind == PlannedStatementKind.CreateObject).Select(s => s.Target).ToList();
        Assert.True(targets.IndexOf("shop.app_c1.totals") < targets.IndexOf("shop.app_c1.totals_customer_pk"), "the constrained object is created first");
        Assert.DoesNotContain(sql, s => s.Contains("UNIQUE", StringComparison.Ordinal) || s.Contains("totals_total_unique", StringComparison.Ordinal));
        Assert.Equal(new[] { "totals", "totals_customer_fk", "totals_customer_pk" },
            plan.Records.Objects.Where(o => o.Schema == "app").Select(o => o.Object));
    }

    [Fact]
    public void Changing_the_constrained_object_redeploys_its_companions()
    {
        var before = OrderMonitoring.Compile(Files(), "# test\n", null);
        var after = OrderMonitoring.Compile(Files("max(amount)"), "# test\n", null);

        var plan = Plans.Stage(after, OrderMonitoring.ProductionOf(before), "c2", null, Clusters);

        Assert.Contains(new ObjectId("shop", "app", "totals_customer_pk"), plan.Objects);
        Assert.Contains(new ObjectId("shop", "app", "totals_customer_fk"), plan.Objects);
    }

    [Fact]
    public void Changing_only_a_not_enforced_constraint_plans_nothing()
    {
        var before = OrderMonitoring.Compile(Files(), "# test\n", null);
        var files = Files();
        files["models/shop/app/totals.sql"] = files["models/shop/app/totals.sql"].Replace("ON totals (total)", "ON totals (customer, total)");
        var plan = Plans.Stage(OrderMonitoring.Compile(files, "# test\n", null), OrderMonitoring.ProductionOf(before), "c3", null, Clusters);

        Assert.True(plan.IsEmpty);
    }
}
