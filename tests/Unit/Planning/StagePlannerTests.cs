using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine;

namespace MzDeploy.Tests.Unit.Planning;

public class StagePlannerTests
{
    private static readonly ProductionCluster[] Orders = [OrderMonitoring.OrdersCluster];

    private static string[] Sql(StagePlan plan) => plan.Statements.Select(s => s.Sql).ToArray();

    [Fact]
    public void A_first_deploy_of_order_monitoring_runs_exactly_these_statements()
    {
        var project = OrderMonitoring.Compile(OrderMonitoring.Files());
        var plan = Plans.Stage(project, ProductionSnapshot.Empty, "r1", null, Orders);

        Assert.Equal(new[]
        {
            "CREATE DATABASE IF NOT EXISTS materialize",
            "CREATE SCHEMA IF NOT EXISTS materialize.monitoring",
            "CREATE SCHEMA materialize.monitoring_r1",
            "CREATE CLUSTER orders_r1 (SIZE = '25cc', REPLICATION FACTOR = 1)",
            """
            CREATE MATERIALIZED VIEW materialize.monitoring_r1.stalled_orders
            IN CLUSTER orders_r1
            AS
            SELECT o.id, o.customer, o.status, o.amount, o.created_at
            FROM materialize.sales.orders AS o
            WHERE mz_now() > o.created_at + INTERVAL '30 minutes'
              AND o.status <> 'shipped'
            """,
            "COMMENT ON MATERIALIZED VIEW materialize.monitoring_r1.stalled_orders IS 'Open orders that have waited too long to ship.'",
            """
            CREATE VIEW materialize.monitoring_r1.stalled_orders_by_customer AS
            SELECT customer, count(*) AS stalled_count
            FROM materialize.monitoring_r1.stalled_orders
            GROUP BY customer
            """,
            """
            CREATE INDEX stalled_orders_by_customer_idx
            IN CLUSTER orders_r1
            ON materialize.monitoring_r1.stalled_orders_by_customer (customer)
            """,
        }, Sql(plan));
        Assert.Equal(new[]
        {
            PlannedStatementKind.CreateDatabase, PlannedStatementKind.CreateSchema, PlannedStatementKind.CreateSchema,
            PlannedStatementKind.CreateCluster, PlannedStatementKind.CreateObject, PlannedStatementKind.Comment,
            PlannedStatementKind.CreateObject, PlannedStatementKind.CreateIndex,
        }, plan.Statements.Select(s => s.Kind));
        Assert.Equal("materialize.monitoring_r1.stalled_orders", plan.Statements[4].Target);
        Assert.Equal(new[] { new SchemaMapping(new("materialize", "monitoring"), new("materialize", "monitoring_r1"), DeploymentKind.Objects) }, plan.Schemas);
        Assert.Equal(new[] { new ClusterMapping("orders", "orders_r1") }, plan.Clusters);
    }

    [Fact]
    public void The_tracking_rows_are_data_with_production_names_and_hashes()
    {
        var project = OrderMonitoring.Compile(OrderMonitoring.Files());
        var plan = Plans.Stage(project, ProductionSnapshot.Empty, "r1", null, Orders);

        Assert.Equal(new[] { new RecordedSchema(new("materialize", "monitoring"), DeploymentKind.Objects) }, plan.Records.Schemas);
        Assert.Equal(new[] { "stalled_orders", "stalled_orders_by_customer" }, plan.Records.Objects.Select(o => o.Object));
        Assert.All(plan.Records.Objects, o => Assert.StartsWith("sha256:", o.Hash));
        Assert.Equal(project.Objects.Single(o => o.Id.Name == "stalled_orders").Hash, plan.Records.Objects[0].Hash);
        Assert.Equal(new[] { "orders" }, plan.Records.Clusters);
        Assert.Empty(plan.Records.PendingStatements);
        Assert.Empty(plan.Records.Replacements);
    }

    [Fact]
    public void A_redeploy_of_one_changed_mv_leaves_the_table_schema_on_production()
    {
        var before = OrderMonitoring.Compile(OrderMonitoring.Files());
        var files = OrderMonitoring.Files();
        files["models/materialize/monitoring/stalled_orders.sql"] = OrderMonitoring.StalledOrders.Replace("30 minutes", "45 minutes");
        var after = OrderMonitoring.Compile(files);

        var plan = Plans.Stage(after, OrderMonitoring.ProductionOf(before), "r2", null, Orders);

        Assert.Equal(new[] { new ObjectId("materialize", "monitoring", "stalled_orders"), new ObjectId("materialize", "monitoring", "stalled_orders_by_customer") },
            plan.Objects);
        var mv = plan.Statements.Single(s => s.Kind == PlannedStatementKind.CreateObject && s.Target.EndsWith("stalled_orders", StringComparison.Ordinal));
        Assert.Contains("FROM materialize.sales.orders AS o", mv.Sql);
        Assert.Contains("INTERVAL '45 minutes'", mv.Sql);
        Assert.DoesNotContain(plan.Statements, s => s.Sql.Contains("sales_r2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_formatting_only_change_plans_nothing()
    {
        var before = OrderMonitoring.Compile(OrderMonitoring.Files());
        var files = OrderMonitoring.Files();
        files["models/materialize/monitoring/stalled_orders_by_customer.sql"] = "-- note\n" + OrderMonitoring.ByCustomer.Replace("GROUP BY", "group   by");
        var plan = Plans.Stage(OrderMonitoring.Compile(files), OrderMonitoring.ProductionOf(before), "r3", null, Orders);

        Assert.True(plan.IsEmpty);
        Assert.Empty(plan.Statements);
        Assert.Empty(plan.Records.Schemas);
    }

    [Fact]
    public void References_to_unchanged_objects_stay_on_production_and_short_names_are_qualified()
    {
        var files = new Dictionary<string, string>
        {
            ["models/db/core/base.sql"] = "CREATE VIEW base AS SELECT 1 AS x;",
            ["models/db/app/unchanged.sql"] = "CREATE VIEW unchanged AS SELECT 2 AS x;",
            ["models/db/app/reader.sql"] = "CREATE VIEW reader AS SELECT * FROM core.base JOIN unchanged ON true JOIN mz_catalog.mz_tables t ON true;",
        };
        var before = OrderMonitoring.Compile(files);
        files["models/db/app/reader.sql"] = files["models/db/app/reader.sql"].Replace("SELECT *", "SELECT base.x");
        var after = OrderMonitoring.Compile(files);

        var plan = Plans.Stage(after, OrderMonitoring.ProductionOf(before), "r4", null, []);

        var reader = plan.Statements.Single(s => s.Target == "db.app_r4.reader");
        Assert.Equal("CREATE VIEW db.app_r4.reader AS SELECT base.x FROM db.core.base JOIN db.app_r4.unchanged ON true JOIN mz_catalog.mz_tables t ON true", reader.Sql);
        Assert.Empty(plan.Clusters);
    }

    [Fact]
    public void Names_needing_quotes_are_quoted_everywhere()
    {
        var files = new Dictionary<string, string>
        {
            ["models/My DB/Select/Weird \"Name\".sql"] = """"
                CREATE MATERIALIZED VIEW "Weird ""Name""" IN CLUSTER "Big Cluster" AS SELECT 1 AS x;
                CREATE INDEX "My Idx" IN CLUSTER "Big Cluster" ON "Weird ""Name""" (x);
                COMMENT ON MATERIALIZED VIEW "Weird ""Name""" IS 'it''s weird';
                GRANT SELECT ON "Weird ""Name""" TO "Reader Role";
                """",
            ["models/My DB/Select/user.sql"] = "CREATE VIEW \"user\" AS SELECT x FROM \"Weird \"\"Name\"\"\";",
        };
        var project = OrderMonitoring.Compile(files);
        var cluster = new ProductionCluster("Big Cluster", Managed: true) { Size = "25cc", ReplicationFactor = 2 };

        var plan = Plans.Stage(project, ProductionSnapshot.Empty, "q-1", null, [cluster]);

        Assert.Equal(new[]
        {
            "CREATE DATABASE IF NOT EXISTS \"My DB\"",
            "CREATE SCHEMA IF NOT EXISTS \"My DB\".\"Select\"",
            "CREATE SCHEMA \"My DB\".\"Select_q-1\"",
            "CREATE CLUSTER \"Big Cluster_q-1\" (SIZE = '25cc', REPLICATION FACTOR = 2)",
            "CREATE MATERIALIZED VIEW \"My DB\".\"Select_q-1\".\"Weird \"\"Name\"\"\" IN CLUSTER \"Big Cluster_q-1\" AS SELECT 1 AS x",
            "CREATE INDEX \"My Idx\" IN CLUSTER \"Big Cluster_q-1\" ON \"My DB\".\"Select_q-1\".\"Weird \"\"Name\"\"\" (x)",
            "GRANT SELECT ON \"My DB\".\"Select_q-1\".\"Weird \"\"Name\"\"\" TO \"Reader Role\"",
            "COMMENT ON MATERIALIZED VIEW \"My DB\".\"Select_q-1\".\"Weird \"\"Name\"\"\" IS 'it''s weird'",
            "CREATE VIEW \"My DB\".\"Select_q-1\".\"user\" AS SELECT x FROM \"My DB\".\"Select_q-1\".\"Weird \"\"Name\"\"\"",
        }, Sql(plan));
    }

    [Fact]
    public void The_profile_suffix_goes_on_databases_and_clusters_before_the_deploy_id()
    {
        var project = OrderMonitoring.Compile(OrderMonitoring.Files(), "[staging]\nprofile_suffix = \"_staging\"\n", "staging");
        var plan = Plans.Stage(project, ProductionSnapshot.Empty, "r1", null,
            [OrderMonitoring.OrdersCluster with { Name = "orders_staging" }]);

        Assert.Equal(new[] { new ClusterMapping("orders_staging", "orders_staging_r1") }, plan.Clusters);
        Assert.Equal(new SchemaId("materialize_staging", "monitoring_r1"), plan.Schemas[0].Staging);
        var mv = plan.Statements.Single(s => s.Kind == PlannedStatementKind.CreateObject && s.Target == "materialize_staging.monitoring_r1.stalled_orders");
        Assert.Contains("IN CLUSTER orders_staging_r1", mv.Sql);
        Assert.Contains("FROM materialize_staging.sales.orders AS o", mv.Sql);
        Assert.Equal("CREATE DATABASE IF NOT EXISTS materialize_staging", plan.Statements[0].Sql);
        Assert.Equal("materialize_staging", plan.Records.Schemas[0].Schema.Database);
    }

    [Fact]
    public void A_missing_production_cluster_is_an_error_before_any_sql()
    {
        var project = OrderMonitoring.Compile(OrderMonitoring.Files());
        var error = Assert.Throws<MzDeployException>(() => Plans.Stage(project, ProductionSnapshot.Empty, "r1", null, []));
        Assert.Equal(ErrorIds.PrerequisitesMissing.Id, error.ErrorId);
        Assert.Equal("orders", error.Target);
    }

    [Fact]
    public void Clusters_are_cloned_with_their_options_replicas_and_grants()
    {
        var managed = new ProductionCluster("c", Managed: true)
        {
            Size = "100cc",
            ReplicationFactor = 2,
            Options = [new("SCHEDULE", "MANUAL"), new("AVAILABILITY ZONES", "('use1-az1', 'use1-az2')")],
            Grants = [new ClusterGrant("USAGE", "app reader")],
        };
        Assert.Equal("CREATE CLUSTER c_x (SIZE = '100cc', REPLICATION FACTOR = 2, SCHEDULE = MANUAL, AVAILABILITY ZONES = ('use1-az1', 'use1-az2'))",
            managed.CreateCloneSql("c_x"));
        Assert.Equal(new[] { "GRANT USAGE ON CLUSTER c_x TO \"app reader\"" }, managed.GrantSql("c_x"));

        var unmanaged = new ProductionCluster("u", Managed: false)
        {
            Replicas = [new("r1", "25cc"), new("R 2", "50cc", "use1-az1")],
        };
        Assert.Equal("CREATE CLUSTER u_x REPLICAS (r1 (SIZE = '25cc'), \"R 2\" (SIZE = '50cc', AVAILABILITY ZONE = 'use1-az1'))",
            unmanaged.CreateCloneSql("u_x"));
    }

    [Fact]
    public void Sinks_are_deferred_as_fully_qualified_production_sql_and_recorded_in_order()
    {
        var files = OrderMonitoring.Files();
        files["models/materialize/conns/kafka.sql"] = "CREATE CONNECTION kafka TO KAFKA (BROKER 'b:9092');";
        files["models/materialize/sinks/stalled_sink.sql"] =
            "CREATE SINK stalled_sink IN CLUSTER sinks FROM monitoring.stalled_orders INTO KAFKA CONNECTION conns.kafka (TOPIC 'stalled') FORMAT JSON ENVELOPE DEBEZIUM;";
        var project = OrderMonitoring.Compile(files);

        var plan = Plans.Stage(project, ProductionSnapshot.Empty, "r1", null, Orders);

        Assert.DoesNotContain(plan.Statements, s => s.Sql.Contains("SINK", StringComparison.Ordinal));
        Assert.Equal(new[] { new ObjectId("materialize", "sinks", "stalled_sink") }, plan.Sinks);
        var pending = Assert.Single(plan.Records.PendingStatements);
        Assert.Equal(0, pending.SequenceNumber);
        Assert.Equal("sink", pending.StatementKind);
        Assert.Equal(("materialize", "sinks", "stalled_sink"), (pending.Database, pending.Schema, pending.Object));
        Assert.Equal("CREATE SINK materialize.sinks.stalled_sink IN CLUSTER sinks FROM materialize.monitoring.stalled_orders INTO KAFKA CONNECTION materialize.conns.kafka (TOPIC 'stalled') FORMAT JSON ENVELOPE DEBEZIUM",
            pending.Sql);
        Assert.Contains(new RecordedSchema(new("materialize", "sinks"), DeploymentKind.Sinks), plan.Records.Schemas);
        Assert.DoesNotContain(plan.Schemas, s => s.Production.Schema == "sinks");
        Assert.Equal(new[] { "orders" }, plan.Records.Clusters);
    }

    [Fact]
    public void Apply_managed_objects_are_skipped_and_never_created()
    {
        var project = OrderMonitoring.Compile(OrderMonitoring.Files());
        var plan = Plans.Stage(project, OrderMonitoring.ProductionOf(project), "r1",
            new ChangeSetOptions { RedeployAll = true }, Orders);

        Assert.Equal(new[] { new ObjectId("materialize", "sales", "orders") }, plan.Changes.SkippedApplyManaged.Select(o => o.Id));
        Assert.DoesNotContain(plan.Statements, s => s.Sql.Contains("CREATE TABLE", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Statements, s => s.Sql.Contains("sales_r1", StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_settings_are_retargeted_to_the_staging_schema_and_SET_api_is_not_run()
    {
        var files = OrderMonitoring.Files();
        files["models/materialize/monitoring.sql"] = """
            COMMENT ON SCHEMA monitoring IS 'monitoring views';
            GRANT USAGE ON SCHEMA materialize.monitoring TO reader;
            ALTER DEFAULT PRIVILEGES FOR ROLE deployer IN SCHEMA monitoring GRANT SELECT ON TABLES TO reader;
            """;
        files["models/materialize.sql"] = "GRANT USAGE ON DATABASE materialize TO reader;";
        var project = OrderMonitoring.Compile(files, "[p]\nprofile_suffix = \"_p\"\n", "p");

        var plan = Plans.Stage(project, ProductionSnapshot.Empty, "r1", null, [OrderMonitoring.OrdersCluster with { Name = "orders_p" }]);

        Assert.Equal(new[]
        {
            "CREATE DATABASE IF NOT EXISTS materialize_p",
            "GRANT USAGE ON DATABASE materialize_p TO reader",
            "CREATE SCHEMA IF NOT EXISTS materialize_p.monitoring",
            "CREATE SCHEMA materialize_p.monitoring_r1",
            "COMMENT ON SCHEMA materialize_p.monitoring_r1 IS 'monitoring views'",
            "GRANT USAGE ON SCHEMA materialize_p.monitoring_r1 TO reader",
            "ALTER DEFAULT PRIVILEGES FOR ROLE deployer IN SCHEMA materialize_p.monitoring_r1 GRANT SELECT ON TABLES TO reader",
            "CREATE CLUSTER orders_p_r1 (SIZE = '25cc', REPLICATION FACTOR = 1)",
        }, Sql(plan).Take(8));
    }

    [Fact]
    public void Indexes_of_unchanged_objects_on_a_cloned_cluster_are_re_created_there_under_a_temporary_name()
    {
        var files = new Dictionary<string, string>
        {
            ["models/db/a/mv.sql"] = "CREATE MATERIALIZED VIEW mv IN CLUSTER shared AS SELECT 1 AS x;",
            ["models/db/b/v.sql"] = "CREATE VIEW v AS SELECT 2 AS x;\nCREATE INDEX v_idx IN CLUSTER shared ON v (x);\nCREATE DEFAULT INDEX IN CLUSTER shared ON v;",
        };
        var before = OrderMonitoring.Compile(files);
        files["models/db/a/mv.sql"] = "CREATE MATERIALIZED VIEW mv IN CLUSTER shared AS SELECT 10 AS x;";
        var after = OrderMonitoring.Compile(files);

        var plan = Plans.Stage(after, OrderMonitoring.ProductionOf(before), "r5", null,
            [new ProductionCluster("shared", true) { Size = "25cc" }]);

        Assert.Equal(new[] { new ObjectId("db", "a", "mv") }, plan.Objects);
        var external = plan.Statements.Where(s => s.Kind == PlannedStatementKind.CreateIndex).Select(s => s.Sql).ToArray();
        Assert.Equal(new[]
        {
            "CREATE INDEX v_idx_r5 IN CLUSTER shared_r5 ON db.b.v (x)",
            "CREATE DEFAULT INDEX IN CLUSTER shared_r5 ON db.b.v",
        }, external);
        Assert.True(Array.FindIndex(plan.Statements.ToArray(), s => s.Kind == PlannedStatementKind.CreateIndex) >
                    Array.FindIndex(plan.Statements.ToArray(), s => s.Kind == PlannedStatementKind.CreateCluster));
        Assert.Equal(new[]
        {
            "ALTER INDEX db.b.v_idx RENAME TO v_idx_r5_old",
            "ALTER INDEX db.b.v_idx_r5 RENAME TO v_idx",
        }, plan.Records.PendingStatements.Where(p => p.StatementKind == "rename").Select(p => p.Sql));
    }

    [Fact]
    public void A_changed_mv_in_a_stable_schema_becomes_a_replacement_materialized_view()
    {
        var files = new Dictionary<string, string>
        {
            ["models/db/api.sql"] = "SET api = stable;",
            ["models/db/api/orders_v1.sql"] = "CREATE MATERIALIZED VIEW orders_v1 IN CLUSTER api AS SELECT 1 AS x;",
        };
        var before = OrderMonitoring.Compile(files);
        var production = OrderMonitoring.ProductionOf(before, replacementSchemas: new HashSet<SchemaId> { new("db", "api") });
        files["models/db/api/orders_v1.sql"] = "CREATE MATERIALIZED VIEW orders_v1 IN CLUSTER api AS SELECT 2 AS x;";

        var plan = Plans.Stage(OrderMonitoring.Compile(files), production, "r6", null, [new ProductionCluster("api", true) { Size = "25cc" }]);

        Assert.Equal("CREATE REPLACEMENT MATERIALIZED VIEW db.api_r6.orders_v1 FOR db.api.orders_v1 IN CLUSTER api_r6 AS SELECT 2 AS x",
            plan.Statements.Single(s => s.Kind == PlannedStatementKind.CreateReplacement).Sql);
        Assert.Equal(new[] { new ReplacementRecord("db", "api", "orders_v1", "api_r6") }, plan.Records.Replacements);
        Assert.Equal(new[] { new RecordedSchema(new("db", "api"), DeploymentKind.Replacement) }, plan.Records.Schemas);
    }

    [Fact]
    public void Schemas_and_clusters_named_like_keywords_are_quoted()
    {
        var files = new Dictionary<string, string>
        {
            ["models/db/order/from.sql"] = "CREATE MATERIALIZED VIEW \"from\" IN CLUSTER \"select\" AS SELECT 1 AS x;",
            ["models/db/order/group.sql"] = "CREATE VIEW \"group\" AS SELECT x FROM \"order\".\"from\";",
        };
        var project = OrderMonitoring.Compile(files);

        var plan = Plans.Stage(project, ProductionSnapshot.Empty, "r1", null, [new ProductionCluster("select", true) { Size = "25cc" }]);

        Assert.Equal(new[]
        {
            "CREATE DATABASE IF NOT EXISTS db",
            "CREATE SCHEMA IF NOT EXISTS db.\"order\"",
            "CREATE SCHEMA db.order_r1",
            "CREATE CLUSTER select_r1 (SIZE = '25cc')",
            "CREATE MATERIALIZED VIEW db.order_r1.\"from\" IN CLUSTER select_r1 AS SELECT 1 AS x",
            "CREATE VIEW db.order_r1.\"group\" AS SELECT x FROM db.order_r1.\"from\"",
        }, plan.Statements.Select(s => s.Sql));

        var promote = PromotePlanner.Plan(Plans.Promote(plan.AsRecorded(DateTimeOffset.UnixEpoch)));
        Assert.Contains("ALTER SCHEMA db.\"order\" SWAP WITH order_r1", promote.SwapTransaction.Select(s => s.Sql));
        Assert.Contains("ALTER CLUSTER \"select\" SWAP WITH select_r1", promote.SwapTransaction.Select(s => s.Sql));
    }
}
