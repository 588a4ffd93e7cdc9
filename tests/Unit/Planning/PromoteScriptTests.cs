using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Tests.Unit.Planning;

/// <summary>
/// The list a promote runs and -DryRun/-WhatIf show (<see cref="PromoteScript"/>), on plan values without a database:
/// exact statements and order, the transaction boundaries, the marker claim and its rename inside the swap, guards
/// evaluated against what exists, the tracking rows the catalog layer supplies (with their parameters).
/// </summary>
public class PromoteScriptTests
{
    private static readonly SinkToRepoint Repoint = new(new ObjectId("other", "out", "api_sink"), new ObjectId("db", "api", "orders"));

    private static PromoteScript Script(RecordedDeployment deployment, PromoteState state, params ObjectId[] existing)
    {
        var plan = PromotePlanner.Plan(Plans.Promote(deployment) with
        {
            State = state,
            SinksToRepoint = state == PromoteState.NotStarted ? [Repoint] : [],
            StaleMarkers = state == PromoteState.NotStarted ? ["promote_zz_e0"] : [],
        });
        return PromoteScript.Build(plan, PromoteCatalog.Tracking(deployment.DeployId), existing.ToHashSet());
    }

    [Fact]
    public void A_first_promote_runs_markers_then_the_swap_between_BEGIN_and_COMMIT_then_the_post_swap_steps_tracking_drops_and_the_marker_last()
    {
        var script = Script(PromotePlanPhasesTests.EverythingForScript(), PromoteState.NotStarted, new ObjectId("db", "legacy_r9", "orders_mv"));

        Assert.Equal(new[]
        {
            "CREATE SCHEMA IF NOT EXISTS _mz_deploy.promote_1a201059c3968c43f693_e0",
            "CREATE SCHEMA IF NOT EXISTS _mz_deploy.promote_3cde1715a118c59f7646_e0",
            "CREATE SCHEMA IF NOT EXISTS _mz_deploy.promote_7f6b36308f7ee09df9a1_e0",
            "BEGIN",
            "ALTER SCHEMA _mz_deploy.promote_1a201059c3968c43f693_e0 RENAME TO promote_1a201059c3968c43f693_e1",
            "ALTER SCHEMA _mz_deploy.promote_3cde1715a118c59f7646_e0 RENAME TO promote_3cde1715a118c59f7646_e1",
            "ALTER SCHEMA _mz_deploy.promote_7f6b36308f7ee09df9a1_e0 RENAME TO promote_7f6b36308f7ee09df9a1_e1",
            "ALTER SCHEMA db.api SWAP WITH api_r9",
            "ALTER CLUSTER compute SWAP WITH compute_r9",
            "ALTER INDEX db.b.v_idx RENAME TO v_idx_r9_old",
            "ALTER INDEX db.b.v_idx_r9 RENAME TO v_idx",
            "ALTER SCHEMA _mz_deploy.deploy_r9_pending RENAME TO deploy_r9_swapped",
            "COMMIT",
            "CREATE SCHEMA IF NOT EXISTS db.exports",
            "CREATE SINK db.exports.orders_sink IN CLUSTER sinks FROM db.api.orders INTO KAFKA CONNECTION db.conns.kafka (TOPIC 'o') FORMAT JSON ENVELOPE DEBEZIUM",
            "UPDATE \"_mz_deploy\".\"tables\".\"pending_statements\" SET executed_at = now() WHERE deploy_id = $1 AND sequence_num = $2 /* $1 = 'r9', $2 = 0 */",
            "ALTER MATERIALIZED VIEW db.legacy.orders_mv APPLY REPLACEMENT db.legacy_r9.orders_mv",
            "ALTER SINK other.out.api_sink SET FROM db.api.orders",
            "UPDATE \"_mz_deploy\".\"tables\".\"deployments\" SET promoted_at = now() WHERE deploy_id = $1 AND promoted_at IS NULL /* $1 = 'r9' */",
            "DROP SCHEMA IF EXISTS db.api_r9 CASCADE",
            "DROP SCHEMA IF EXISTS db.legacy_r9 CASCADE",
            "DROP CLUSTER IF EXISTS compute_r9 CASCADE",
            "DROP SCHEMA IF EXISTS _mz_deploy.promote_zz_e0",
            "DELETE FROM \"_mz_deploy\".\"tables\".\"pending_statements\" WHERE deploy_id = $1 /* $1 = 'r9' */",
            "DELETE FROM \"_mz_deploy\".\"tables\".\"replacement_mvs\" WHERE deploy_id = $1 /* $1 = 'r9' */",
            "DELETE FROM \"_mz_deploy\".\"tables\".\"clusters\" WHERE deploy_id = $1 /* $1 = 'r9' */",
            "DELETE FROM \"_mz_deploy\".\"tables\".\"cluster_names\" WHERE deploy_id = $1 /* $1 = 'r9' */",
            "DROP SCHEMA IF EXISTS _mz_deploy.deploy_r9_swapped",
        }, script.Statements.Select(s => s.Display));
        Assert.Equal(["db.exports.orders_sink"], script.CreatedSinks);
        Assert.Equal(["other.out.api_sink -> db.api.orders"], script.RepointedSinks);
        Assert.Equal(["db.legacy.orders_mv"], script.Replacements);
    }

    [Fact]
    public void Inside_the_transaction_there_are_only_swaps_and_renames_and_the_pending_marker_is_renamed_last()
    {
        var statements = Script(PromotePlanPhasesTests.EverythingForScript(), PromoteState.NotStarted).Statements;
        var begin = statements.ToList().IndexOf(PromoteScript.Begin);
        var commit = statements.ToList().IndexOf(PromoteScript.Commit);

        Assert.True(begin > 0 && commit > begin);
        var inside = statements.Skip(begin + 1).Take(commit - begin - 1).ToList();
        Assert.All(inside, s => Assert.Contains(s.Kind, new[] { PlannedStatementKind.Rename, PlannedStatementKind.SwapSchema, PlannedStatementKind.SwapCluster }));
        Assert.Equal("ALTER SCHEMA _mz_deploy.deploy_r9_pending RENAME TO deploy_r9_swapped", inside[^1].Sql);
        Assert.DoesNotContain(statements.Take(begin), s => s.Sql.Contains("deploy_r9_pending", StringComparison.Ordinal));
        Assert.Single(statements, s => s.Kind == PlannedStatementKind.Transaction && s.Sql == "BEGIN");
    }

    [Fact]
    public void A_resumed_promote_skips_the_swap_a_sink_that_exists_and_a_replacement_already_applied_but_still_records_and_cleans_up()
    {
        var deployment = PromotePlanPhasesTests.EverythingForScript() with { Promoted = true };

        var script = Script(deployment, PromoteState.Swapped, new ObjectId("db", "exports", "orders_sink"));

        Assert.Equal(new[]
        {
            "CREATE SCHEMA IF NOT EXISTS db.exports",
            "UPDATE \"_mz_deploy\".\"tables\".\"pending_statements\" SET executed_at = now() WHERE deploy_id = $1 AND sequence_num = $2 /* $1 = 'r9', $2 = 0 */",
            "UPDATE \"_mz_deploy\".\"tables\".\"deployments\" SET promoted_at = now() WHERE deploy_id = $1 AND promoted_at IS NULL /* $1 = 'r9' */",
            "DROP SCHEMA IF EXISTS db.api_r9 CASCADE",
            "DROP SCHEMA IF EXISTS db.legacy_r9 CASCADE",
            "DROP CLUSTER IF EXISTS compute_r9 CASCADE",
            "DELETE FROM \"_mz_deploy\".\"tables\".\"pending_statements\" WHERE deploy_id = $1 /* $1 = 'r9' */",
            "DELETE FROM \"_mz_deploy\".\"tables\".\"replacement_mvs\" WHERE deploy_id = $1 /* $1 = 'r9' */",
            "DELETE FROM \"_mz_deploy\".\"tables\".\"clusters\" WHERE deploy_id = $1 /* $1 = 'r9' */",
            "DELETE FROM \"_mz_deploy\".\"tables\".\"cluster_names\" WHERE deploy_id = $1 /* $1 = 'r9' */",
            "DROP SCHEMA IF EXISTS _mz_deploy.deploy_r9_swapped",
        }, script.Statements.Select(s => s.Display));
        Assert.DoesNotContain(script.Statements, s => s.Kind == PlannedStatementKind.Transaction);
        Assert.Empty(script.CreatedSinks);
        Assert.Empty(script.Replacements);
    }

    [Fact]
    public void Tracking_statements_bind_the_deploy_id_as_text()
    {
        var tracking = PromoteCatalog.Tracking(DeployId.Parse("r9"));

        Assert.Equal(["r9"], tracking.Promoted[0].Parameters);
        Assert.IsType<string>(tracking.Promoted[0].Parameters[0]);
        Assert.Equal(new object?[] { "r9", 3 }, tracking.SinkExecuted("db.s.k", 3).Parameters);
        Assert.All(tracking.DeleteTransientRows, s => Assert.IsType<string>(Assert.Single(s.Parameters)));
    }
}
