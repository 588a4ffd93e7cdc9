using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine;

namespace MzDeploy.Tests.Unit.Planning;

public class ChangeDetectorTests
{
    private static string[] Names(IEnumerable<CompiledObject> objects) => objects.Select(o => o.Id.ToString()).ToArray();

    private static Dictionary<string, string> Reasons(ChangeSet changes) =>
        changes.Dirty.ToDictionary(d => d.Id.ToString(), d => d.Description);

    [Fact]
    public void A_first_deploy_stages_every_view_and_materialized_view_and_skips_the_table()
    {
        var project = OrderMonitoring.Compile(OrderMonitoring.Files());
        var changes = ChangeDetector.Compute(project, ProductionSnapshot.Empty);

        Assert.True(changes.IsFirstDeploy);
        Assert.False(changes.IsEmpty);
        Assert.Equal(new[] { "materialize.monitoring.stalled_orders", "materialize.monitoring.stalled_orders_by_customer" }, Names(changes.Objects));
        Assert.Equal(new[] { new SchemaId("materialize", "monitoring") }, changes.Schemas);
        Assert.Equal(new[] { "orders" }, changes.Clusters);
        Assert.Empty(changes.SkippedApplyManaged);
        Assert.Equal("new", changes.ReasonFor(new ObjectId("materialize", "monitoring", "stalled_orders"))!.Description);
    }

    [Fact]
    public void Changing_stalled_orders_redeploys_it_and_the_view_on_it_but_not_the_table_schema()
    {
        var before = OrderMonitoring.Compile(OrderMonitoring.Files());
        var files = OrderMonitoring.Files();
        files["models/materialize/monitoring/stalled_orders.sql"] = OrderMonitoring.StalledOrders.Replace("30 minutes", "45 minutes");
        var after = OrderMonitoring.Compile(files);

        var changes = ChangeDetector.Compute(after, OrderMonitoring.ProductionOf(before));

        Assert.False(changes.IsFirstDeploy);
        Assert.Equal(new[] { new ObjectChange(new ObjectId("materialize", "monitoring", "stalled_orders"), ChangeKind.Modified) }, changes.Changes);
        Assert.Equal(new[] { "materialize.monitoring.stalled_orders", "materialize.monitoring.stalled_orders_by_customer" }, Names(changes.Objects));
        Assert.Equal(new Dictionary<string, string>
        {
            ["materialize.monitoring.stalled_orders"] = "changed",
            ["materialize.monitoring.stalled_orders_by_customer"] = "depends on materialize.monitoring.stalled_orders",
        }, Reasons(changes));
        Assert.Equal(new[] { new SchemaId("materialize", "monitoring") }, changes.Schemas);
    }

    [Fact]
    public void A_formatting_or_comment_only_change_is_an_empty_change_set()
    {
        var before = OrderMonitoring.Compile(OrderMonitoring.Files());
        var files = OrderMonitoring.Files();
        files["models/materialize/monitoring/stalled_orders.sql"] =
            "-- reworded comment\n" + OrderMonitoring.StalledOrders.Replace("\n", "\n\n   ").Replace("AS\nSELECT", "as select");
        var after = OrderMonitoring.Compile(files);

        var changes = ChangeDetector.Compute(after, OrderMonitoring.ProductionOf(before));

        Assert.True(changes.IsEmpty);
        Assert.Empty(changes.Changes);
        Assert.Empty(changes.Dirty);
        Assert.Empty(changes.Schemas);
        Assert.Empty(changes.Clusters);
    }

    private static Dictionary<string, string> CoResidentProject() => new()
    {
        ["models/db/a/mv1.sql"] = "CREATE MATERIALIZED VIEW mv1 IN CLUSTER shared AS SELECT 1 AS x;",
        ["models/db/b/mv2.sql"] = "CREATE MATERIALIZED VIEW mv2 IN CLUSTER shared AS SELECT 2 AS x;",
        ["models/db/c/v3.sql"] = "CREATE VIEW v3 AS SELECT 3 AS x;\nCREATE INDEX v3_idx IN CLUSTER shared ON v3 (x);",
        ["models/db/d/mv4.sql"] = "CREATE MATERIALIZED VIEW mv4 IN CLUSTER other AS SELECT 4 AS x;",
    };

    [Fact]
    public void A_changed_object_dirties_every_object_running_on_its_cluster_but_not_indexes_of_others()
    {
        var files = CoResidentProject();
        var before = OrderMonitoring.Compile(files);
        files["models/db/a/mv1.sql"] = "CREATE MATERIALIZED VIEW mv1 IN CLUSTER shared AS SELECT 10 AS x;";
        var after = OrderMonitoring.Compile(files);

        var changes = ChangeDetector.Compute(after, OrderMonitoring.ProductionOf(before));

        Assert.Equal(new Dictionary<string, string>
        {
            ["db.a.mv1"] = "changed",
            ["db.b.mv2"] = "shares cluster shared with changed db.a.mv1",
        }, Reasons(changes));
        Assert.Equal(new[] { "shared" }, changes.Clusters);
    }

    [Fact]
    public void A_changed_index_dirties_the_objects_running_on_the_index_cluster()
    {
        var files = CoResidentProject();
        var before = OrderMonitoring.Compile(files);
        files["models/db/c/v3.sql"] = "CREATE VIEW v3 AS SELECT 3 AS x;\nCREATE INDEX v3_idx IN CLUSTER shared ON v3 (x, x);";
        var after = OrderMonitoring.Compile(files);

        var changes = ChangeDetector.Compute(after, OrderMonitoring.ProductionOf(before));

        Assert.Equal(new[] { "db.a.mv1", "db.b.mv2", "db.c.v3" }, Names(changes.Objects).Order());
        Assert.Equal("shares cluster shared with changed db.c.v3", changes.ReasonFor(new ObjectId("db", "a", "mv1"))!.Description);
        Assert.Null(changes.ReasonFor(new ObjectId("db", "d", "mv4")));
    }

    [Fact]
    public void An_object_redeployed_as_a_dependent_also_takes_its_cluster_neighbours_so_none_is_dropped_with_the_old_cluster()
    {
        var files = CoResidentProject();
        files["models/db/e/base.sql"] = "CREATE VIEW base AS SELECT 1 AS x;";
        files["models/db/d/mv4.sql"] = "CREATE MATERIALIZED VIEW mv4 IN CLUSTER other AS SELECT x FROM db.e.base;";
        files["models/db/f/mv5.sql"] = "CREATE MATERIALIZED VIEW mv5 IN CLUSTER other AS SELECT 5 AS x;";
        var before = OrderMonitoring.Compile(files);
        files["models/db/e/base.sql"] = "CREATE VIEW base AS SELECT 2 AS x;";
        var after = OrderMonitoring.Compile(files);

        var changes = ChangeDetector.Compute(after, OrderMonitoring.ProductionOf(before));

        Assert.Equal("depends on db.e.base", changes.ReasonFor(new ObjectId("db", "d", "mv4"))!.Description);
        Assert.Equal("shares cluster other with redeployed db.d.mv4", changes.ReasonFor(new ObjectId("db", "f", "mv5"))!.Description);
        Assert.Null(changes.ReasonFor(new ObjectId("db", "a", "mv1")));
        Assert.Equal(new[] { "other" }, changes.Clusters);
    }

    [Fact]
    public void A_forced_schema_redeploys_it_and_its_downstream_schemas_but_not_upstream_ones()
    {
        var files = new Dictionary<string, string>
        {
            ["models/db/up/a.sql"] = "CREATE VIEW a AS SELECT 1 AS x;",
            ["models/db/mid/b.sql"] = "CREATE VIEW b AS SELECT x FROM db.up.a;",
            ["models/db/mid/b2.sql"] = "CREATE VIEW b2 AS SELECT 2 AS x;",
            ["models/db/down/c.sql"] = "CREATE VIEW c AS SELECT x FROM db.mid.b;",
            ["models/db/down/c2.sql"] = "CREATE VIEW c2 AS SELECT 3 AS x;",
        };
        var project = OrderMonitoring.Compile(files);

        var changes = ChangeDetector.Compute(project, OrderMonitoring.ProductionOf(project),
            new ChangeSetOptions { RedeploySchemas = [new SchemaId("db", "mid")] });

        Assert.Equal(new Dictionary<string, string>
        {
            ["db.mid.b"] = "forced: its schema was named for redeploy",
            ["db.mid.b2"] = "forced: its schema was named for redeploy",
            ["db.down.c"] = "depends on db.mid.b",
            ["db.down.c2"] = "same schema as db.down.c",
        }, Reasons(changes));
        Assert.Equal(new[] { new SchemaId("db", "down"), new SchemaId("db", "mid") }, changes.Schemas);
    }

    [Fact]
    public void RedeployAll_redeploys_everything_and_an_unknown_forced_schema_is_an_error()
    {
        var project = OrderMonitoring.Compile(OrderMonitoring.Files());
        var all = ChangeDetector.Compute(project, OrderMonitoring.ProductionOf(project), new ChangeSetOptions { RedeployAll = true });
        Assert.Equal(2, all.Objects.Count);
        Assert.Equal("forced: every schema was asked to redeploy", all.Dirty[0].Description);
        Assert.Equal(new[] { "materialize.sales.orders" }, Names(all.SkippedApplyManaged));

        var error = Assert.Throws<MzDeployException>(() => ChangeDetector.Compute(project, ProductionSnapshot.Empty,
            new ChangeSetOptions { RedeploySchemas = [new SchemaId("materialize", "nope")] }));
        Assert.Equal(ErrorIds.InvalidRedeploySchema.Id, error.ErrorId);
        Assert.Contains("materialize.monitoring", error.Message);
    }

    [Fact]
    public void A_dependent_in_another_schema_pulls_in_that_whole_schema()
    {
        var files = new Dictionary<string, string>
        {
            ["models/db/core/base.sql"] = "CREATE VIEW base AS SELECT 1 AS x;",
            ["models/db/reports/uses_base.sql"] = "CREATE VIEW uses_base AS SELECT x FROM db.core.base;",
            ["models/db/reports/other.sql"] = "CREATE VIEW other AS SELECT 2 AS y;",
            ["models/db/unrelated/z.sql"] = "CREATE VIEW z AS SELECT 3 AS z;",
        };
        var before = OrderMonitoring.Compile(files);
        files["models/db/core/base.sql"] = "CREATE VIEW base AS SELECT 10 AS x;";
        var after = OrderMonitoring.Compile(files);

        var changes = ChangeDetector.Compute(after, OrderMonitoring.ProductionOf(before));

        Assert.Equal(new[] { "db.core.base", "db.reports.other", "db.reports.uses_base" }, Names(changes.Objects));
        Assert.Equal("same schema as db.reports.uses_base", changes.ReasonFor(new ObjectId("db", "reports", "other"))!.Description);
        Assert.Equal(new[] { new SchemaId("db", "core"), new SchemaId("db", "reports") }, changes.Schemas);
    }

    [Fact]
    public void Sinks_are_deferred_and_do_not_dirty_their_schema_or_cluster()
    {
        var files = OrderMonitoring.Files();
        files["models/materialize/sinks/s1.sql"] = "CREATE SINK s1 IN CLUSTER sinks FROM materialize.monitoring.stalled_orders INTO KAFKA CONNECTION materialize.conns.kafka (TOPIC 's1') FORMAT JSON ENVELOPE DEBEZIUM;";
        files["models/materialize/sinks/s2.sql"] = "CREATE SINK s2 IN CLUSTER sinks FROM materialize.monitoring.stalled_orders INTO KAFKA CONNECTION materialize.conns.kafka (TOPIC 's2') FORMAT JSON ENVELOPE DEBEZIUM;";
        files["models/materialize/conns/kafka.sql"] = "CREATE CONNECTION kafka TO KAFKA (BROKER 'b:9092');";
        var before = OrderMonitoring.Compile(files);
        files["models/materialize/sinks/s1.sql"] = files["models/materialize/sinks/s1.sql"].Replace("TOPIC 's1'", "TOPIC 's1-v2'");
        var after = OrderMonitoring.Compile(files);

        var changes = ChangeDetector.Compute(after, OrderMonitoring.ProductionOf(before));

        Assert.Equal(new[] { "materialize.sinks.s1" }, Names(changes.Sinks));
        Assert.Empty(changes.Objects);
        Assert.Empty(changes.Schemas);
        Assert.Empty(changes.Clusters);
        Assert.False(changes.IsEmpty);
    }

    [Fact]
    public void A_changed_view_re_creates_the_sink_reading_it_and_an_apply_managed_dependent_is_only_counted()
    {
        var files = OrderMonitoring.Files();
        files["models/materialize/sinks/s1.sql"] = "CREATE SINK s1 IN CLUSTER sinks FROM materialize.monitoring.stalled_orders INTO KAFKA CONNECTION materialize.conns.kafka (TOPIC 's1') FORMAT JSON ENVELOPE DEBEZIUM;";
        files["models/materialize/conns/kafka.sql"] = "CREATE CONNECTION kafka TO KAFKA (BROKER 'b:9092');";
        var project = OrderMonitoring.Compile(files);

        var changes = ChangeDetector.Compute(project, ProductionSnapshot.Empty, new ChangeSetOptions { RedeployAll = true });

        Assert.Equal(new[] { "materialize.sinks.s1" }, Names(changes.Sinks));
        Assert.Equal(new[] { "materialize.sales.orders", "materialize.conns.kafka" }.Order(), Names(changes.SkippedApplyManaged).Order());
        Assert.DoesNotContain(changes.Objects, o => o.Kind is ObjectKind.Table or ObjectKind.Connection or ObjectKind.Sink);
    }

    [Fact]
    public void A_deleted_view_dirties_its_schema_and_is_reported_deleted()
    {
        var files = new Dictionary<string, string>
        {
            ["models/db/s/keep.sql"] = "CREATE VIEW keep AS SELECT 1 AS x;",
            ["models/db/s/gone.sql"] = "CREATE VIEW gone AS SELECT 2 AS x;",
        };
        var before = OrderMonitoring.Compile(files);
        files.Remove("models/db/s/gone.sql");
        var after = OrderMonitoring.Compile(files);

        var changes = ChangeDetector.Compute(after, OrderMonitoring.ProductionOf(before));

        Assert.Equal(new[] { new ObjectChange(new ObjectId("db", "s", "gone"), ChangeKind.Deleted) }, changes.Changes);
        Assert.Equal("deleted", changes.ReasonFor(new ObjectId("db", "s", "gone"))!.Description);
        Assert.Equal(new[] { "db.s.keep" }, Names(changes.Objects));
    }

    private static Dictionary<string, string> StableProject() => new()
    {
        ["models/db/api.sql"] = "SET api = stable;",
        ["models/db/api/orders_v1.sql"] = "CREATE MATERIALIZED VIEW orders_v1 IN CLUSTER api AS SELECT x FROM db.internal.base;",
        ["models/db/internal/base.sql"] = "CREATE VIEW base AS SELECT 1 AS x;",
        ["models/db/consumers/reader.sql"] = "CREATE VIEW reader AS SELECT x FROM db.api.orders_v1;",
    };

    [Fact]
    public void A_changed_mv_in_an_existing_stable_schema_is_replaced_in_place_without_redeploying_dependents()
    {
        var files = StableProject();
        var before = OrderMonitoring.Compile(files);
        var production = OrderMonitoring.ProductionOf(before, replacementSchemas: new HashSet<SchemaId> { new("db", "api") });
        files["models/db/api/orders_v1.sql"] = "CREATE MATERIALIZED VIEW orders_v1 IN CLUSTER api AS SELECT x + 1 AS x FROM db.internal.base;";
        var after = OrderMonitoring.Compile(files);

        var changes = ChangeDetector.Compute(after, production);

        Assert.Equal(new[] { "db.api.orders_v1" }, Names(changes.ReplacementMaterializedViews));
        Assert.Empty(changes.Objects);
        Assert.Null(changes.ReasonFor(new ObjectId("db", "consumers", "reader")));
        Assert.Equal(new[] { new SchemaId("db", "api") }, changes.Schemas);
    }

    [Fact]
    public void A_new_mv_in_an_existing_stable_schema_is_rejected()
    {
        var files = StableProject();
        var before = OrderMonitoring.Compile(files);
        var production = OrderMonitoring.ProductionOf(before, replacementSchemas: new HashSet<SchemaId> { new("db", "api") });
        files["models/db/api/orders_v2.sql"] = "CREATE MATERIALIZED VIEW orders_v2 IN CLUSTER api AS SELECT 2 AS x;";
        var after = OrderMonitoring.Compile(files);

        var error = Assert.Throws<MzDeployException>(() => ChangeDetector.Compute(after, production));
        Assert.Equal(ErrorIds.NewObjectInExistingStableSchema.Id, error.ErrorId);
        Assert.Contains("orders_v2", error.Message);
    }

    [Fact]
    public void A_stable_schema_deployed_for_the_first_time_is_staged_and_swapped_like_any_other()
    {
        var project = OrderMonitoring.Compile(StableProject());
        var changes = ChangeDetector.Compute(project, ProductionSnapshot.Empty);

        Assert.Empty(changes.ReplacementMaterializedViews);
        Assert.Contains(changes.Objects, o => o.Id.Name == "orders_v1");
        Assert.Contains(new SchemaId("db", "api"), changes.StableSchemas);
    }
}
