using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine.Planning.DevOverlay;

namespace MzDeploy.Tests.Unit.Planning.DevOverlay;

public class DevOverlayPlannerTests
{
    private const string Report = """
        CREATE VIEW big_stalled AS
        SELECT s.customer, s.amount, o.status
        FROM materialize.monitoring.stalled_orders AS s
        JOIN materialize.sales.orders AS o ON o.id = s.id
        WHERE s.amount > 100;
        """;

    private static readonly DevOverlayTracking Tracking = new(
        db => new PlannedStatement(PlannedStatementKind.TrackingRows, db, "RECORD " + db),
        new PlannedStatement(PlannedStatementKind.TrackingRows, "alice/shop", "FORGET"));

    private static readonly DevOverlayLeftovers Nothing = new([], []);

    private static Dictionary<string, string> Files()
    {
        var files = OrderMonitoring.Files();
        files["models/materialize/reports/big_stalled.sql"] = Report;
        return files;
    }

    private static DevOverlayPlan Plan(CompiledProject project, ProductionSnapshot production, DevOverlayLeftovers? leftovers = null,
        string profile = "alice", string cluster = "dev")
    {
        var names = new DevOverlayNames(profile, project.Config.GetProfileSettings(project.Profile)?.ProfileSuffix);
        return DevOverlayPlanner.Plan(project, ChangeDetector.Compute(project, production), production, names, "shop", cluster,
            leftovers ?? Nothing, Tracking);
    }

    private static string[] Sql(IEnumerable<PlannedStatement> statements) => statements.Select(s => s.Sql).ToArray();

    [Fact]
    public void A_changed_view_is_overlaid_alone_and_reads_clean_objects_and_tables_from_production()
    {
        var production = OrderMonitoring.ProductionOf(OrderMonitoring.Compile(Files()));
        var files = Files();
        files["models/materialize/reports/big_stalled.sql"] = Report.Replace("> 100", "> 500");

        var plan = Plan(OrderMonitoring.Compile(files), production);

        Assert.Empty(plan.Teardown);
        Assert.Equal(new[]
        {
            "CREATE DATABASE materialize__alice",
            "RECORD materialize__alice",
            "CREATE SCHEMA IF NOT EXISTS materialize__alice.reports",
            """
            CREATE VIEW materialize__alice.reports.big_stalled AS
            SELECT s.customer, s.amount, o.status
            FROM materialize.monitoring.stalled_orders AS s
            JOIN materialize.sales.orders AS o ON o.id = s.id
            WHERE s.amount > 500
            """,
        }, Sql(plan.Build));
        var overlaid = Assert.Single(plan.Objects);
        Assert.Equal(new ObjectId("materialize__alice", "reports", "big_stalled"), overlaid.Overlay);
        Assert.Equal(new ObjectId("materialize", "reports", "big_stalled"), overlaid.Production);
        Assert.Equal("changed", overlaid.Reason);
        Assert.Equal(new[] { new DevOverlayDatabase("materialize", "materialize__alice") }, plan.Databases);
        Assert.Equal("dev", plan.Cluster);
        Assert.Empty(plan.Skipped);
    }

    [Fact]
    public void A_changed_materialized_view_and_its_index_run_on_the_dev_cluster_and_its_dependents_read_the_overlay()
    {
        var production = OrderMonitoring.ProductionOf(OrderMonitoring.Compile(Files()));
        var files = Files();
        files["models/materialize/monitoring/stalled_orders.sql"] = OrderMonitoring.StalledOrders.Replace("30 minutes", "1 hour");

        var plan = Plan(OrderMonitoring.Compile(files), production, cluster: "alice dev");

        var build = Sql(plan.Build);
        Assert.Equal(new[] { "CREATE DATABASE materialize__alice", "RECORD materialize__alice" }, build[..2]);
        Assert.Equal(new[] { "CREATE SCHEMA IF NOT EXISTS materialize__alice.monitoring", "CREATE SCHEMA IF NOT EXISTS materialize__alice.reports" },
            build[2..4]);
        Assert.Contains("CREATE MATERIALIZED VIEW materialize__alice.monitoring.stalled_orders\nIN CLUSTER \"alice dev\"\nAS", build[4].ReplaceLineEndings("\n"));
        Assert.Contains("FROM materialize.sales.orders AS o", build[4]);
        Assert.Contains("FROM materialize__alice.monitoring.stalled_orders", build[5]);
        Assert.Contains("FROM materialize__alice.monitoring.stalled_orders AS s", build[6]);
        Assert.Equal("""
            CREATE INDEX stalled_orders_by_customer_idx
            IN CLUSTER "alice dev"
            ON materialize__alice.monitoring.stalled_orders_by_customer (customer)
            """.ReplaceLineEndings("\n"), build[7].ReplaceLineEndings("\n"));
        Assert.Equal(8, build.Length);
        Assert.DoesNotContain(build, s => s.Contains("COMMENT", StringComparison.Ordinal));
        Assert.Equal(new[] { "stalled_orders", "stalled_orders_by_customer", "big_stalled" }, plan.Objects.Select(o => o.Id.Name));
        Assert.Equal(new[] { "changed", "depends on materialize.monitoring.stalled_orders", "depends on materialize.monitoring.stalled_orders" },
            plan.Objects.Select(o => o.Reason));
    }

    [Fact]
    public void Production_names_carry_the_profile_suffix_and_overlay_names_the_profile()
    {
        var toml = "[staging]\nprofile_suffix = \"_stg\"\n";
        var production = OrderMonitoring.ProductionOf(OrderMonitoring.Compile(Files(), toml, "staging"));
        var files = Files();
        files["models/materialize/reports/big_stalled.sql"] = Report.Replace("> 100", "> 500");

        var plan = Plan(OrderMonitoring.Compile(files, toml, "staging"), production, profile: "staging");

        Assert.Contains("FROM materialize_stg.monitoring.stalled_orders AS s", plan.Build[^1].Sql);
        Assert.Contains("JOIN materialize_stg.sales.orders AS o", plan.Build[^1].Sql);
        Assert.StartsWith("CREATE VIEW materialize__staging.reports.big_stalled AS", plan.Build[^1].Sql);
        Assert.Equal(new ObjectId("materialize_stg", "reports", "big_stalled"), plan.Objects.Single().Production);
    }

    [Fact]
    public void An_empty_production_overlays_every_view_and_materialized_view_without_counterparts_and_skips_the_rest()
    {
        var files = Files();
        files["models/materialize/exports/stalled_sink.sql"] =
            "CREATE SINK stalled_sink IN CLUSTER orders FROM materialize.monitoring.stalled_orders "
            + "INTO KAFKA CONNECTION materialize.conns.kafka (TOPIC 'stalled') FORMAT JSON ENVELOPE DEBEZIUM;";

        var plan = Plan(OrderMonitoring.Compile(files, "dependencies = [\"materialize.conns.kafka\"]\n"), ProductionSnapshot.Empty);

        Assert.Equal(new[] { "stalled_orders", "stalled_orders_by_customer", "big_stalled" }, plan.Objects.Select(o => o.Id.Name));
        Assert.All(plan.Objects, o => Assert.Null(o.Production));
        var skipped = Assert.Single(plan.Skipped);
        Assert.Equal(new ObjectId("materialize", "exports", "stalled_sink"), skipped.Id);
        Assert.Equal(ObjectKind.Sink, skipped.Kind);
        Assert.DoesNotContain(plan.Build, s => s.Sql.Contains("SINK", StringComparison.Ordinal) || s.Sql.Contains("TABLE", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_changed_builds_nothing_but_still_tears_the_old_overlay_down()
    {
        var project = OrderMonitoring.Compile(Files());

        var plan = Plan(project, OrderMonitoring.ProductionOf(project), new DevOverlayLeftovers(["materialize__alice"], []));

        Assert.Empty(plan.Build);
        Assert.Empty(plan.Objects);
        Assert.Equal(new[] { "DROP DATABASE IF EXISTS materialize__alice CASCADE", "FORGET" }, Sql(plan.Teardown));
    }

    [Fact]
    public void The_teardown_drops_recorded_databases_then_forgets_them_then_drops_strays_once_each()
    {
        var project = OrderMonitoring.Compile(Files());
        var leftovers = new DevOverlayLeftovers(["old__alice", "materialize__alice", "old__alice"], ["materialize__alice", "analytics__alice"]);

        var plan = Plan(project, ProductionSnapshot.Empty, leftovers);

        Assert.Equal(new[]
        {
            "DROP DATABASE IF EXISTS materialize__alice CASCADE",
            "DROP DATABASE IF EXISTS old__alice CASCADE",
            "FORGET",
            "DROP DATABASE IF EXISTS analytics__alice CASCADE",
        }, Sql(plan.Teardown));
        Assert.Equal(new[] { "analytics__alice", "materialize__alice", "old__alice" }, plan.Dropped);
        Assert.Equal(PlannedStatementKind.DropDatabase, plan.Teardown[0].Kind);
        Assert.Equal("CREATE DATABASE materialize__alice", plan.Build[0].Sql);
        Assert.Equal(plan.Teardown.Concat(plan.Build), plan.Statements);
    }

    [Fact]
    public void Strays_alone_are_dropped_without_touching_the_manifest()
    {
        var names = new DevOverlayNames("alice", null);

        var plan = DevOverlayPlanner.Remove(names, "shop", new DevOverlayLeftovers([], ["materialize__alice"]), Tracking);

        Assert.Equal(new[] { "DROP DATABASE IF EXISTS materialize__alice CASCADE" }, Sql(plan.Statements));
        Assert.Null(plan.Cluster);
        Assert.Empty(plan.Build);
    }

    [Fact]
    public void A_removal_of_nothing_is_empty()
    {
        var plan = DevOverlayPlanner.Remove(new DevOverlayNames("alice", null), "shop", Nothing, Tracking);

        Assert.Empty(plan.Statements);
        Assert.Empty(plan.Dropped);
    }

    [Fact]
    public void Stray_candidates_are_the_overlay_names_of_every_project_database()
    {
        var files = Files();
        files["models/analytics/daily/totals.sql"] = "CREATE VIEW totals AS SELECT count(*) AS n FROM materialize.sales.orders;";
        var project = OrderMonitoring.Compile(files);

        Assert.Equal(new[] { "analytics__bob", "materialize__bob" }, DevOverlayPlanner.CandidateNames(project, new DevOverlayNames("bob", "_x")));
    }

    [Fact]
    public void Two_databases_get_one_overlay_each_each_recorded_right_after_it_is_created()
    {
        var files = Files();
        files["models/analytics/daily/totals.sql"] = "CREATE VIEW totals AS SELECT count(*) AS n FROM materialize.reports.big_stalled;";
        var before = OrderMonitoring.Compile(files);
        files["models/materialize/reports/big_stalled.sql"] = Report.Replace("> 100", "> 500");

        var plan = Plan(OrderMonitoring.Compile(files), OrderMonitoring.ProductionOf(before));

        Assert.Equal(new[]
        {
            "CREATE DATABASE analytics__alice", "RECORD analytics__alice", "CREATE SCHEMA IF NOT EXISTS analytics__alice.daily",
            "CREATE DATABASE materialize__alice", "RECORD materialize__alice", "CREATE SCHEMA IF NOT EXISTS materialize__alice.reports",
        }, Sql(plan.Build)[..6]);
        Assert.Equal("CREATE VIEW analytics__alice.daily.totals AS SELECT count(*) AS n FROM materialize__alice.reports.big_stalled", plan.Build[^1].Sql);
    }

    [Theory]
    [InlineData("ar", "alice")]
    [InlineData("x/y/shop", "shop")]
    [InlineData("x/y/shop/", "shop")]
    public void The_project_name_is_its_folder_name(string folder, string expected)
    {
        Assert.Equal(expected == "alice" ? "ar" : expected, DevOverlayNames.ProjectName(Path.Combine(Path.GetTempPath(), folder)));
    }

    [Fact]
    public void A_root_folder_has_no_project_name()
    {
        Assert.Null(DevOverlayNames.ProjectName(Path.GetPathRoot(Path.GetTempPath())!));
    }
}
