using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine;

namespace MzDeploy.Tests.Unit.Planning;

public class PromotePlannerTests
{
    private static readonly DateTimeOffset StagedAt = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private static RecordedDeployment OrderMonitoringDeployment()
    {
        var project = OrderMonitoring.Compile(OrderMonitoring.Files());
        var stage = Plans.Stage(project, ProductionSnapshot.Empty, "r1", null, [OrderMonitoring.OrdersCluster]);
        return stage.AsRecorded(StagedAt);
    }

    private static string Key(string database, string schema) => PromotionMarker.KeyOf(new SchemaId(database, schema));

    [Fact]
    public void A_first_promote_creates_markers_then_swaps_with_a_compare_and_swap_on_each_resource()
    {
        var plan = PromotePlanner.Plan(Plans.Promote(OrderMonitoringDeployment()));
        var schemaKey = Key("materialize", "monitoring");
        var clusterKey = PromotionMarker.KeyOfCluster("orders");
        var keys = new[] { schemaKey, clusterKey }.Order(StringComparer.Ordinal).ToArray();

        // The claim marker deploy_r1_pending, made by the stage, is never re-created: see the legacy test below.
        Assert.Equal(keys.Select(k => $"CREATE SCHEMA IF NOT EXISTS _mz_deploy.promote_{k}_e0"),
            plan.PreSwap.Select(s => s.Sql));
        Assert.Equal(keys.Select(k => $"ALTER SCHEMA _mz_deploy.promote_{k}_e0 RENAME TO promote_{k}_e1")
                .Concat(new[]
                {
                    "ALTER SCHEMA materialize.monitoring SWAP WITH monitoring_r1",
                    "ALTER CLUSTER orders SWAP WITH orders_r1",
                    "ALTER SCHEMA _mz_deploy.deploy_r1_pending RENAME TO deploy_r1_swapped",
                }),
            plan.SwapTransaction.Select(s => s.Sql));
        Assert.Empty(plan.PostSwap);
        Assert.Equal(new[]
        {
            "DROP SCHEMA IF EXISTS materialize.monitoring_r1 CASCADE",
            "DROP CLUSTER IF EXISTS orders_r1 CASCADE",
            "DROP SCHEMA IF EXISTS _mz_deploy.deploy_r1_swapped",
        }, plan.Cleanup.Concat(plan.Finish).Select(s => s.Sql));
        Assert.Equal(new[] { "schema materialize.monitoring_r1", "cluster orders_r1" }, plan.DroppedResources);
        Assert.Equal(1, plan.NextEpochs[schemaKey]);
        Assert.All(plan.SwapTransaction, s => Assert.Matches("^ALTER (SCHEMA|CLUSTER) .* (SWAP WITH|RENAME TO) ", s.Sql));
    }

    [Fact]
    public void A_later_promote_renames_the_epoch_it_read_to_the_next_one()
    {
        var schemaKey = Key("materialize", "monitoring");
        var clusterKey = PromotionMarker.KeyOfCluster("orders");
        var epochs = PromotionMarker.EpochsFromSchemaNames(new[]
        {
            $"promote_{schemaKey}_e6", $"promote_{schemaKey}_e7", $"promote_{clusterKey}_e2", "deploy_x_pending", "tables", "public",
        });

        var plan = PromotePlanner.Plan(Plans.Promote(OrderMonitoringDeployment()) with { MarkerEpochs = epochs });

        Assert.Empty(plan.PreSwap);
        Assert.Contains($"ALTER SCHEMA _mz_deploy.promote_{schemaKey}_e7 RENAME TO promote_{schemaKey}_e8", plan.SwapTransaction.Select(s => s.Sql));
        Assert.Contains($"ALTER SCHEMA _mz_deploy.promote_{clusterKey}_e2 RENAME TO promote_{clusterKey}_e3", plan.SwapTransaction.Select(s => s.Sql));
        Assert.Equal(8, plan.NextEpochs[schemaKey]);
    }

    [Fact]
    public void Two_promotes_that_read_the_same_epoch_rename_the_same_marker_so_only_one_can_commit()
    {
        var key = Key("materialize", "monitoring");
        var epochs = new Dictionary<string, long> { [key] = 3, [PromotionMarker.KeyOfCluster("orders")] = 1 };
        var first = PromotePlanner.Plan(Plans.Promote(OrderMonitoringDeployment()) with { MarkerEpochs = epochs });
        var other = OrderMonitoringDeployment() with { DeployId = DeployId.Parse("r2") };
        var second = PromotePlanner.Plan(Plans.Promote(other) with { MarkerEpochs = epochs });

        var rename = $"ALTER SCHEMA _mz_deploy.promote_{key}_e3 RENAME TO promote_{key}_e4";
        Assert.Contains(rename, first.SwapTransaction.Select(s => s.Sql));
        Assert.Contains(rename, second.SwapTransaction.Select(s => s.Sql));
        Assert.True(first.SwapTransaction.ToList().FindIndex(s => s.Sql == rename) <
                    first.SwapTransaction.ToList().FindIndex(s => s.Kind == PlannedStatementKind.SwapSchema));
    }

    [Fact]
    public void Marker_keys_differ_per_resource_and_parse_back()
    {
        Assert.NotEqual(Key("a", "b_c"), Key("a_b", "c"));
        Assert.NotEqual(PromotionMarker.KeyOf(new SchemaId("x", "y")), PromotionMarker.KeyOfCluster("x.y"));
        Assert.True(PromotionMarker.TryParseEpoch(PromotionMarker.EpochName("abc", 42), out var key, out var epoch));
        Assert.Equal(("abc", 42L), (key, epoch));
        Assert.False(PromotionMarker.TryParseEpoch("promote_abc_ex", out _, out _));
        Assert.False(PromotionMarker.TryParseEpoch("deploy_r1_pending", out _, out _));
        Assert.True(PromotionMarker.EpochName(Key(new string('d', 255), new string('s', 255)), long.MaxValue).Length < 64);
    }

    [Fact]
    public void Conflicts_stop_a_promote_unless_forced()
    {
        var deployment = OrderMonitoringDeployment();
        var conflicts = ConflictCheck.Find(deployment, new[]
        {
            new ProductionPromotion(new SchemaId("materialize", "monitoring"), "other", StagedAt.AddMinutes(5)),
            new ProductionPromotion(new SchemaId("materialize", "elsewhere"), "other", StagedAt.AddMinutes(5)),
        });
        Assert.Equal(new[] { new DeploymentConflict(new SchemaId("materialize", "monitoring"), "other", StagedAt.AddMinutes(5)) }, conflicts);

        var error = Assert.Throws<MzDeployException>(() => PromotePlanner.Plan(Plans.Promote(deployment) with { Conflicts = conflicts }));
        Assert.Equal(ErrorIds.DeploymentConflict.Id, error.ErrorId);
        Assert.Contains("materialize.monitoring (last promoted by 'other'", error.Message);

        var forced = PromotePlanner.Plan(Plans.Promote(deployment) with { Conflicts = conflicts, OverwriteConflicts = true });
        Assert.Equal(conflicts, forced.Conflicts);
        Assert.NotEmpty(forced.SwapTransaction);
    }

    [Fact]
    public void Promotions_before_staging_or_by_itself_are_not_conflicts()
    {
        var deployment = OrderMonitoringDeployment();
        Assert.Empty(ConflictCheck.Find(deployment, new[]
        {
            new ProductionPromotion(new SchemaId("materialize", "monitoring"), "older", StagedAt.AddMinutes(-5)),
            new ProductionPromotion(new SchemaId("materialize", "monitoring"), "r1", StagedAt.AddMinutes(5)),
        }));
    }

    [Fact]
    public void A_promote_that_swapped_but_has_not_finished_conflicts_on_every_shared_schema()
    {
        var deployment = OrderMonitoringDeployment();
        var racing = new RecordedDeployment(DeployId.Parse("winner"), StagedAt.AddMinutes(-10),
            [new RecordedSchema(new SchemaId("materialize", "monitoring"), DeploymentKind.Objects),
             new RecordedSchema(new SchemaId("materialize", "other"), DeploymentKind.Objects)], ["orders"]);

        var conflicts = ConflictCheck.Find(deployment, [], [racing, deployment]);

        var conflict = Assert.Single(conflicts);
        Assert.Equal(new DeploymentConflict(new SchemaId("materialize", "monitoring"), "winner", null), conflict);
        Assert.Equal("materialize.monitoring (last promoted by 'winner', whose promote is finishing now)", conflict.ToString());
    }

    [Theory]
    [InlineData("deploy_r1_swapped", "r1")]
    [InlineData("deploy_q-1_swapped", "q-1")]
    [InlineData("deploy_r1_pending", null)]
    [InlineData("deploy__swapped", null)]
    [InlineData("promote_abc_e1", null)]
    public void Swap_markers_name_their_deployment(string schemaName, string? deployId) =>
        Assert.Equal(deployId, PromotionMarker.SwappedDeployId(schemaName)?.Value);

    [Fact]
    public void A_promote_resumed_after_the_swap_skips_the_swap_but_still_creates_sinks_repoints_and_drops_the_old_copies()
    {
        var files = OrderMonitoring.Files();
        files["models/materialize/conns/kafka.sql"] = "CREATE CONNECTION kafka TO KAFKA (BROKER 'b:9092');";
        files["models/materialize/sinks/stalled_sink.sql"] =
            "CREATE SINK stalled_sink IN CLUSTER sinks FROM materialize.monitoring.stalled_orders INTO KAFKA CONNECTION materialize.conns.kafka (TOPIC 't') FORMAT JSON ENVELOPE DEBEZIUM;";
        var stage = Plans.Stage(OrderMonitoring.Compile(files), ProductionSnapshot.Empty, "r1", null, [OrderMonitoring.OrdersCluster]);
        var deployment = stage.AsRecorded(StagedAt) with { Promoted = true };
        var repoint = new SinkToRepoint(new ObjectId("other", "exports", "by_customer_sink"),
            new ObjectId("materialize", "monitoring", "stalled_orders_by_customer"));

        var plan = PromotePlanner.Plan(Plans.Promote(deployment) with
        {
            State = PromoteStates.From(swappedMarkerExists: true, promoted: true),
            SinksToRepoint = [repoint],
            Conflicts = [new DeploymentConflict(new SchemaId("materialize", "monitoring"), "later", StagedAt.AddHours(1))],
        });

        Assert.Equal(PromoteState.Swapped, plan.State);
        Assert.Empty(plan.PreSwap);
        Assert.Empty(plan.SwapTransaction);
        Assert.Equal(new[]
        {
            "CREATE SCHEMA IF NOT EXISTS materialize.sinks",
            stage.Records.PendingStatements[0].Sql,
            "ALTER SINK other.exports.by_customer_sink SET FROM materialize.monitoring.stalled_orders_by_customer",
        }, plan.PostSwap.Select(s => s.Sql));
        Assert.Equal(StatementGuard.SkipIfTargetExists, plan.PostSwap[1].Guard);
        Assert.Equal(0, plan.PostSwap[1].PendingSequenceNumber);
        Assert.Equal(new[]
        {
            "DROP SCHEMA IF EXISTS materialize.monitoring_r1 CASCADE",
            "DROP CLUSTER IF EXISTS orders_r1 CASCADE",
            "DROP SCHEMA IF EXISTS _mz_deploy.deploy_r1_swapped",
        }, plan.Cleanup.Concat(plan.Finish).Select(s => s.Sql));
    }

    [Fact]
    public void A_finished_promote_has_nothing_left_and_a_promote_that_crashed_before_the_swap_plans_it_again()
    {
        var deployment = OrderMonitoringDeployment();
        Assert.True(PromotePlanner.Plan(Plans.Promote(deployment with { Promoted = true }) with
        {
            State = PromoteStates.From(swappedMarkerExists: false, promoted: true),
        }).IsComplete);

        var again = PromotePlanner.Plan(Plans.Promote(deployment) with { State = PromoteStates.From(false, false) });
        Assert.DoesNotContain(again.PreSwap, s => s.Sql.Contains("deploy_r1_pending", StringComparison.Ordinal));
        Assert.Equal("ALTER SCHEMA _mz_deploy.deploy_r1_pending RENAME TO deploy_r1_swapped", again.SwapTransaction[^1].Sql);
    }

    /// <summary>
    /// The swap renames the stage's claim marker, so a twin promote that swapped first makes this one's transaction fail.
    /// Re-creating the marker before the swap (as IF NOT EXISTS would after the twin renamed it) would let the second
    /// promote swap production back; only a deployment staged before stages claimed their ID gets it created, plainly.
    /// </summary>
    [Fact]
    public void The_claim_marker_is_created_only_for_a_deployment_staged_without_one()
    {
        var deployment = OrderMonitoringDeployment();

        var claimed = PromotePlanner.Plan(Plans.Promote(deployment));
        var legacy = PromotePlanner.Plan(Plans.Promote(deployment) with { CreateClaimMarker = true });

        Assert.DoesNotContain(claimed.PreSwap, s => s.Sql.Contains("deploy_r1_pending", StringComparison.Ordinal));
        Assert.Equal("CREATE SCHEMA _mz_deploy.deploy_r1_pending", legacy.PreSwap[^1].Sql);
        Assert.Equal(claimed.SwapTransaction.Select(s => s.Sql), legacy.SwapTransaction.Select(s => s.Sql));
    }

    [Fact]
    public void In_place_replacements_are_applied_after_the_swap_and_their_schema_is_not_swapped()
    {
        var deployment = new RecordedDeployment(DeployId.Parse("r6"), StagedAt,
            [new RecordedSchema(new SchemaId("db", "api"), DeploymentKind.Replacement)], ["api"])
        {
            Replacements = [new ReplacementRecord("db", "api", "orders_v1", "api_r6")],
        };

        var plan = PromotePlanner.Plan(Plans.Promote(deployment));

        Assert.Empty(plan.SchemaSwaps);
        Assert.DoesNotContain(plan.SwapTransaction, s => s.Kind == PlannedStatementKind.SwapSchema);
        Assert.Contains(plan.SwapTransaction, s => s.Sql == "ALTER CLUSTER api SWAP WITH api_r6");
        var apply = Assert.Single(plan.PostSwap);
        Assert.Equal("ALTER MATERIALIZED VIEW db.api.orders_v1 APPLY REPLACEMENT db.api_r6.orders_v1", apply.Sql);
        Assert.Equal(StatementGuard.SkipIfGuardObjectMissing, apply.Guard);
        Assert.Equal(new ObjectId("db", "api_r6", "orders_v1"), apply.GuardObject);
        Assert.Contains("DROP SCHEMA IF EXISTS db.api_r6 CASCADE", plan.Cleanup.Concat(plan.Finish).Select(s => s.Sql));
        Assert.Contains(plan.SwapTransaction, s => s.Sql.Contains($"promote_{Key("db", "api")}_e0", StringComparison.Ordinal));
    }

    [Fact]
    public void A_stable_schema_deployed_for_the_first_time_is_swapped()
    {
        var deployment = new RecordedDeployment(DeployId.Parse("r7"), StagedAt, [new RecordedSchema(new SchemaId("db", "api"), DeploymentKind.Replacement)], []);
        var plan = PromotePlanner.Plan(Plans.Promote(deployment));
        Assert.Contains("ALTER SCHEMA db.api SWAP WITH api_r7", plan.SwapTransaction.Select(s => s.Sql));
    }

    [Fact]
    public void Re_created_external_indexes_take_their_names_inside_the_swap_transaction()
    {
        var files = new Dictionary<string, string>
        {
            ["models/db/a/mv.sql"] = "CREATE MATERIALIZED VIEW mv IN CLUSTER shared AS SELECT 1 AS x;",
            ["models/db/b/v.sql"] = "CREATE VIEW v AS SELECT 2 AS x;\nCREATE INDEX v_idx IN CLUSTER shared ON v (x);",
        };
        var before = OrderMonitoring.Compile(files);
        files["models/db/a/mv.sql"] = "CREATE MATERIALIZED VIEW mv IN CLUSTER shared AS SELECT 10 AS x;";
        var stage = Plans.Stage(OrderMonitoring.Compile(files), OrderMonitoring.ProductionOf(before), "r5", null,
            [new ProductionCluster("shared", true) { Size = "25cc" }]);

        var plan = PromotePlanner.Plan(Plans.Promote(stage.AsRecorded(StagedAt)));

        var sql = plan.SwapTransaction.Select(s => s.Sql).ToList();
        var swapCluster = sql.IndexOf("ALTER CLUSTER shared SWAP WITH shared_r5");
        Assert.True(swapCluster >= 0);
        Assert.Equal(new[]
        {
            "ALTER INDEX db.b.v_idx RENAME TO v_idx_r5_old",
            "ALTER INDEX db.b.v_idx_r5 RENAME TO v_idx",
            "ALTER SCHEMA _mz_deploy.deploy_r5_pending RENAME TO deploy_r5_swapped",
        }, sql.Skip(swapCluster + 1));
        Assert.Empty(plan.PostSwap);
    }

    [Fact]
    public void Quoted_names_are_quoted_in_swaps_and_drops()
    {
        var deployment = new RecordedDeployment(DeployId.Parse("q-1"), StagedAt,
            [new RecordedSchema(new SchemaId("My DB", "Select"), DeploymentKind.Objects)], ["Big Cluster"]);

        var plan = PromotePlanner.Plan(Plans.Promote(deployment));

        Assert.Contains("ALTER SCHEMA \"My DB\".\"Select\" SWAP WITH \"Select_q-1\"", plan.SwapTransaction.Select(s => s.Sql));
        Assert.Contains("ALTER CLUSTER \"Big Cluster\" SWAP WITH \"Big Cluster_q-1\"", plan.SwapTransaction.Select(s => s.Sql));
        Assert.Contains("ALTER SCHEMA _mz_deploy.\"deploy_q-1_pending\" RENAME TO \"deploy_q-1_swapped\"", plan.SwapTransaction.Select(s => s.Sql));
        Assert.Equal(new[]
        {
            "DROP SCHEMA IF EXISTS \"My DB\".\"Select_q-1\" CASCADE",
            "DROP CLUSTER IF EXISTS \"Big Cluster_q-1\" CASCADE",
            "DROP SCHEMA IF EXISTS _mz_deploy.\"deploy_q-1_swapped\"",
        }, plan.Cleanup.Concat(plan.Finish).Select(s => s.Sql));
    }

    [Fact]
    public void A_promote_that_keeps_the_previous_version_records_it_before_the_swap_and_drops_only_what_it_does_not_keep()
    {
        var deployment = OrderMonitoringDeployment();
        var names = new StagingNames(deployment.DeployId);
        var keep = KeptVersionPlanner.Keep(deployment, names, new Dictionary<string, long>(), new Dictionary<SchemaId, string>());
        var record = new PlannedStatement(PlannedStatementKind.TrackingRows, "kept_versions", "INSERT INTO kept_versions VALUES ('r1')");
        var input = Plans.Promote(deployment) with { Keep = keep, KeepRecord = [record] };

        var plan = PromotePlanner.Plan(input);

        Assert.Equal(keep, plan.Kept);
        // Recorded first, so a promote resumed after a crash between the record and the swap still keeps it.
        Assert.Equal(record, plan.PreSwap[0]);
        Assert.Contains("ALTER SCHEMA materialize.monitoring SWAP WITH monitoring_r1", plan.SwapTransaction.Select(s => s.Sql));
        Assert.Empty(plan.DroppedResources);
        Assert.DoesNotContain(plan.Cleanup, s => s.Kind is PlannedStatementKind.DropSchema or PlannedStatementKind.DropCluster);
        Assert.Equal(new[] { "DROP SCHEMA IF EXISTS _mz_deploy.deploy_r1_swapped" }, plan.Finish.Select(s => s.Sql));

        // Keeping only the cluster still drops the old schema.
        var clusterOnly = PromotePlanner.Plan(input with { Keep = keep.Where(k => k.Kind == KeptResourceKind.Cluster).ToList() });
        Assert.Equal(new[] { "schema materialize.monitoring_r1" }, clusterOnly.DroppedResources);

        // A resumed promote past the swap keeps the same set: the record is not written again, the drops still spare it.
        var resumed = PromotePlanner.Plan(input with { State = PromoteState.Swapped });
        Assert.Empty(resumed.PreSwap);
        Assert.Empty(resumed.DroppedResources);
        Assert.Equal(keep, resumed.Kept);
    }
}

public class PromotionMarkerTests
{
    [Fact]
    public void Stale_epoch_markers_are_found_and_dropped_at_cleanup()
    {
        var names = new[] { "promote_aa_e0", "promote_aa_e3", "promote_bb_e1", "deploy_r1_pending", "tables" };
        var stale = PromotionMarker.StaleEpochMarkers(names);
        Assert.Equal(new[] { "promote_aa_e0" }, stale);

        var deployment = new RecordedDeployment(DeployId.Parse("r1"), DateTimeOffset.UnixEpoch, [new RecordedSchema(new SchemaId("d", "s"), DeploymentKind.Objects)], []);
        var plan = PromotePlanner.Plan(Plans.Promote(deployment) with { StaleMarkers = stale });
        Assert.Contains("DROP SCHEMA IF EXISTS _mz_deploy.promote_aa_e0", plan.Cleanup.Concat(plan.Finish).Select(s => s.Sql));
        Assert.DoesNotContain("schema _mz_deploy.promote_aa_e0", plan.DroppedResources);
    }
}
