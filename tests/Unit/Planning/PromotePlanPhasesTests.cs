using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine;

namespace MzDeploy.Tests.Unit.Planning;

/// <summary>
/// A promote plan phase by phase: the exact statements, their order, and which side of the transaction boundary each
/// one is on (PreSwap one at a time, SwapTransaction between BEGIN and COMMIT, then PostSwap, Cleanup, Finish).
/// One deployment holds every kind of step: a swapped schema, an in-place replacement, a deferred sink, index
/// renames, a cloned cluster, a sink elsewhere to repoint and a stale epoch marker.
/// </summary>
public class PromotePlanPhasesTests
{
    private static readonly DateTimeOffset StagedAt = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private const string SinkSql =
        "CREATE SINK db.exports.orders_sink IN CLUSTER sinks FROM db.api.orders INTO KAFKA CONNECTION db.conns.kafka (TOPIC 'o') FORMAT JSON ENVELOPE DEBEZIUM";

    private static readonly SinkToRepoint Repoint = new(new ObjectId("other", "out", "api_sink"), new ObjectId("db", "api", "orders"));

    internal static RecordedDeployment EverythingForScript() => Everything();

    private static RecordedDeployment Everything() =>
        new(DeployId.Parse("r9"), StagedAt,
        [
            new RecordedSchema(new SchemaId("db", "api"), DeploymentKind.Objects),
            new RecordedSchema(new SchemaId("db", "legacy"), DeploymentKind.Replacement),
            new RecordedSchema(new SchemaId("db", "exports"), DeploymentKind.Sinks),
        ], ["compute", "compute"])
        {
            // Out of sequence order on purpose: the plan orders them by sequence number.
            PendingStatements =
            [
                new PendingStatementRecord(2, "db", "b", "v_idx", "sha256:2", "ALTER INDEX db.b.v_idx_r9 RENAME TO v_idx", PendingStatementRecord.RenameKind),
                new PendingStatementRecord(0, "db", "exports", "orders_sink", "sha256:0", SinkSql, PendingStatementRecord.SinkKind),
                new PendingStatementRecord(1, "db", "b", "v_idx", "sha256:1", "ALTER INDEX db.b.v_idx RENAME TO v_idx_r9_old", PendingStatementRecord.RenameKind),
            ],
            Replacements = [new ReplacementRecord("db", "legacy", "orders_mv", "legacy_r9")],
        };

    private static string[] MarkerKeys() =>
        new[]
        {
            PromotionMarker.KeyOf(new SchemaId("db", "api")),
            PromotionMarker.KeyOf(new SchemaId("db", "legacy")),
            PromotionMarker.KeyOfCluster("compute"),
        }.Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void A_first_promote_plans_every_phase_in_order()
    {
        var keys = MarkerKeys();

        var plan = PromotePlanner.Plan(Plans.Promote(Everything()) with
        {
            SinksToRepoint = [Repoint],
            StaleMarkers = ["promote_zz_e0"],
        });

        Assert.Equal(PromoteState.NotStarted, plan.State);
        Assert.Equal(keys.Select(k => $"CREATE SCHEMA IF NOT EXISTS _mz_deploy.promote_{k}_e0"),
            plan.PreSwap.Select(s => s.Sql));
        Assert.Equal(keys.Select(k => $"ALTER SCHEMA _mz_deploy.promote_{k}_e0 RENAME TO promote_{k}_e1")
                .Concat(new[]
                {
                    "ALTER SCHEMA db.api SWAP WITH api_r9",
                    "ALTER CLUSTER compute SWAP WITH compute_r9",
                    "ALTER INDEX db.b.v_idx RENAME TO v_idx_r9_old",
                    "ALTER INDEX db.b.v_idx_r9 RENAME TO v_idx",
                    "ALTER SCHEMA _mz_deploy.deploy_r9_pending RENAME TO deploy_r9_swapped",
                }),
            plan.SwapTransaction.Select(s => s.Sql));
        Assert.Equal(new[]
        {
            "CREATE SCHEMA IF NOT EXISTS db.exports",
            SinkSql,
            "ALTER MATERIALIZED VIEW db.legacy.orders_mv APPLY REPLACEMENT db.legacy_r9.orders_mv",
            "ALTER SINK other.out.api_sink SET FROM db.api.orders",
        }, plan.PostSwap.Select(s => s.Sql));
        Assert.Equal(new[]
        {
            "DROP SCHEMA IF EXISTS db.api_r9 CASCADE",
            "DROP SCHEMA IF EXISTS db.legacy_r9 CASCADE",
            "DROP CLUSTER IF EXISTS compute_r9 CASCADE",
            "DROP SCHEMA IF EXISTS _mz_deploy.promote_zz_e0",
        }, plan.Cleanup.Select(s => s.Sql));
        Assert.Equal(new[] { "DROP SCHEMA IF EXISTS _mz_deploy.deploy_r9_swapped" }, plan.Finish.Select(s => s.Sql));
        Assert.Equal(plan.PreSwap.Concat(plan.SwapTransaction).Concat(plan.PostSwap).Concat(plan.Cleanup).Concat(plan.Finish), plan.Statements);
        Assert.Equal(new[] { "schema db.api_r9", "schema db.legacy_r9", "cluster compute_r9" }, plan.DroppedResources);
        Assert.Equal(keys.ToDictionary(k => k, _ => 1L), plan.NextEpochs);
    }

    [Fact]
    public void Each_phase_holds_only_the_statement_kinds_its_side_of_the_transaction_allows()
    {
        var plan = PromotePlanner.Plan(Plans.Promote(Everything()) with { SinksToRepoint = [Repoint], StaleMarkers = ["promote_zz_e0"] });

        // Outside the transaction, before it: only idempotent marker creations.
        Assert.All(plan.PreSwap, s => Assert.Equal(PlannedStatementKind.CreateMarker, s.Kind));
        // Inside it: only what Materialize allows in a DDL transaction, and the progress marker moves last.
        Assert.All(plan.SwapTransaction, s => Assert.Contains(s.Kind,
            new[] { PlannedStatementKind.Rename, PlannedStatementKind.SwapSchema, PlannedStatementKind.SwapCluster }));
        Assert.All(plan.SwapTransaction, s => Assert.Matches(@"^ALTER (SCHEMA|CLUSTER|INDEX) .* (SWAP WITH|RENAME TO) ", s.Sql));
        Assert.Equal("_mz_deploy.deploy_r9_pending", plan.SwapTransaction[^1].Target);
        // Every epoch rename comes before the first swap, so a lost race fails before anything moved.
        var firstSwap = plan.SwapTransaction.ToList().FindIndex(s => s.Kind is PlannedStatementKind.SwapSchema or PlannedStatementKind.SwapCluster);
        Assert.Equal(3, firstSwap);
        Assert.All(plan.SwapTransaction.Take(firstSwap), s => Assert.StartsWith("ALTER SCHEMA _mz_deploy.promote_", s.Sql, StringComparison.Ordinal));
        // After it: nothing is dropped before the old copies are recorded as replaced.
        Assert.DoesNotContain(plan.PostSwap, s => s.Kind is PlannedStatementKind.DropSchema or PlannedStatementKind.DropCluster or PlannedStatementKind.DropMarker);
        Assert.Equal(new[] { PlannedStatementKind.CreateSchema, PlannedStatementKind.CreateSink, PlannedStatementKind.ApplyReplacement, PlannedStatementKind.RepointSink },
            plan.PostSwap.Select(s => s.Kind));
        Assert.Equal(new ObjectId("db", "api", "orders"), plan.PostSwap[3].GuardObject);
        Assert.All(plan.Cleanup, s => Assert.Contains(s.Kind,
            new[] { PlannedStatementKind.DropSchema, PlannedStatementKind.DropCluster, PlannedStatementKind.DropMarker }));
        Assert.Equal(PlannedStatementKind.DropMarker, Assert.Single(plan.Finish).Kind);
        Assert.Equal(new int?[] { 1, 2 }, plan.SwapTransaction.Where(s => s.PendingSequenceNumber is not null).Select(s => s.PendingSequenceNumber));
    }

    [Fact]
    public void Overwriting_conflicts_plans_exactly_the_statements_of_a_promote_without_them()
    {
        var conflicts = new[] { new DeploymentConflict(new SchemaId("db", "api"), "r10", StagedAt.AddMinutes(5)) };
        var clean = PromotePlanner.Plan(Plans.Promote(Everything()) with { SinksToRepoint = [Repoint] });

        var forced = PromotePlanner.Plan(Plans.Promote(Everything()) with
        {
            SinksToRepoint = [Repoint],
            Conflicts = conflicts,
            OverwriteConflicts = true,
        });

        Assert.Empty(clean.Conflicts);
        Assert.Equal(conflicts, forced.Conflicts);
        Assert.Equal(clean.Statements.Select(s => s.Sql), forced.Statements.Select(s => s.Sql));
        Assert.Equal(clean.SwapTransaction.Select(s => s.Sql), forced.SwapTransaction.Select(s => s.Sql));
    }

    [Fact]
    public void A_conflict_refusal_names_the_deployment_and_every_conflicting_schema()
    {
        var conflicts = new[]
        {
            new DeploymentConflict(new SchemaId("db", "api"), "r10", StagedAt.AddMinutes(5)),
            new DeploymentConflict(new SchemaId("db", "legacy"), "r11", null),
        };

        var error = Assert.Throws<MzDeployException>(() => PromotePlanner.Plan(Plans.Promote(Everything()) with { Conflicts = conflicts }));

        Assert.Equal(ErrorIds.DeploymentConflict.Id, error.ErrorId);
        Assert.Equal(ErrorKind.ResourceExists, error.Kind);
        Assert.Equal("r9", error.Target);
        Assert.Contains("2 schema(s) updated since deployment 'r9' was staged", error.Message);
        Assert.Contains("db.api (last promoted by 'r10'", error.Message);
        Assert.Contains("db.legacy (last promoted by 'r11'", error.Message);
    }

    [Fact]
    public void A_resumed_promote_ignores_conflicts_bumps_no_epoch_and_finishes_the_post_swap_steps()
    {
        var epochs = MarkerKeys().ToDictionary(k => k, _ => 4L);

        var plan = PromotePlanner.Plan(Plans.Promote(Everything() with { Promoted = true }) with
        {
            State = PromoteState.Swapped,
            MarkerEpochs = epochs,
            Conflicts = [new DeploymentConflict(new SchemaId("db", "api"), "later", StagedAt.AddHours(1))],
            SinksToRepoint = [Repoint],
            StaleMarkers = ["promote_zz_e3"],
        });

        Assert.Empty(plan.Conflicts);
        Assert.Empty(plan.PreSwap);
        Assert.Empty(plan.SwapTransaction);
        Assert.Equal(epochs, plan.NextEpochs);
        Assert.Equal(new[] { "api" }, plan.SchemaSwaps.Select(s => s.Production.Schema));
        Assert.Equal(new[] { "compute_r9" }, plan.ClusterSwaps.Select(c => c.Staging));
        Assert.Equal(new[]
        {
            "CREATE SCHEMA IF NOT EXISTS db.exports",
            SinkSql,
            "ALTER MATERIALIZED VIEW db.legacy.orders_mv APPLY REPLACEMENT db.legacy_r9.orders_mv",
            "ALTER SINK other.out.api_sink SET FROM db.api.orders",
            "DROP SCHEMA IF EXISTS db.api_r9 CASCADE",
            "DROP SCHEMA IF EXISTS db.legacy_r9 CASCADE",
            "DROP CLUSTER IF EXISTS compute_r9 CASCADE",
            "DROP SCHEMA IF EXISTS _mz_deploy.promote_zz_e3",
            "DROP SCHEMA IF EXISTS _mz_deploy.deploy_r9_swapped",
        }, plan.Statements.Select(s => s.Sql));
    }

    [Fact]
    public void A_finished_promote_still_describes_its_swaps_but_runs_and_drops_nothing()
    {
        var epochs = MarkerKeys().ToDictionary(k => k, _ => 2L);

        var plan = PromotePlanner.Plan(Plans.Promote(Everything() with { Promoted = true }) with
        {
            State = PromoteState.Finished,
            MarkerEpochs = epochs,
            Conflicts = [new DeploymentConflict(new SchemaId("db", "api"), "later", StagedAt.AddHours(1))],
            SinksToRepoint = [Repoint],
            StaleMarkers = ["promote_zz_e1"],
        });

        Assert.True(plan.IsComplete);
        Assert.Empty(plan.Statements);
        Assert.Empty(plan.DroppedResources);
        Assert.Empty(plan.Conflicts);
        Assert.Equal(epochs, plan.NextEpochs);
        Assert.Equal(new[] { "db.api ↔ db.api_r9" }, plan.SchemaSwaps.Select(s => $"{s.Production} ↔ {s.Staging}"));
        Assert.Equal(new[] { "compute" }, plan.ClusterSwaps.Select(c => c.Production));
    }

    [Fact]
    public void Only_resources_without_a_marker_get_one_created_and_each_keeps_its_own_epoch()
    {
        var keys = MarkerKeys();
        var epochs = new Dictionary<string, long> { [keys[0]] = 9, [keys[2]] = 1 };

        var plan = PromotePlanner.Plan(Plans.Promote(Everything()) with { MarkerEpochs = epochs });

        Assert.Equal(new[]
        {
            $"CREATE SCHEMA IF NOT EXISTS _mz_deploy.promote_{keys[1]}_e0",
        }, plan.PreSwap.Select(s => s.Sql));
        Assert.Equal(new[]
        {
            $"ALTER SCHEMA _mz_deploy.promote_{keys[0]}_e9 RENAME TO promote_{keys[0]}_e10",
            $"ALTER SCHEMA _mz_deploy.promote_{keys[1]}_e0 RENAME TO promote_{keys[1]}_e1",
            $"ALTER SCHEMA _mz_deploy.promote_{keys[2]}_e1 RENAME TO promote_{keys[2]}_e2",
        }, plan.SwapTransaction.Take(3).Select(s => s.Sql));
        Assert.Equal(new Dictionary<string, long> { [keys[0]] = 10, [keys[1]] = 1, [keys[2]] = 2 }, plan.NextEpochs);
        // The input is read, never changed: a retry after a lost race re-plans from what it reads again.
        Assert.Equal(new Dictionary<string, long> { [keys[0]] = 9, [keys[2]] = 1 }, epochs);
    }
}
