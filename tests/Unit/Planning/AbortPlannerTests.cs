using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Planning;

public class AbortPlannerTests
{
    private static readonly DateTimeOffset StagedAt = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Abort_drops_exactly_the_recorded_staging_schemas_and_clusters()
    {
        var deployment = new RecordedDeployment(DeployId.Parse("r1"), StagedAt,
        [
            new RecordedSchema(new SchemaId("materialize", "monitoring"), DeploymentKind.Objects),
            new RecordedSchema(new SchemaId("db", "api"), DeploymentKind.Replacement),
            new RecordedSchema(new SchemaId("materialize", "sinks"), DeploymentKind.Sinks),
        ], ["orders", "Big Cluster"]);

        var plan = Plans.Abort(deployment);

        Assert.Equal(new[]
        {
            "DROP SCHEMA IF EXISTS db.api_r1 CASCADE",
            "DROP SCHEMA IF EXISTS materialize.monitoring_r1 CASCADE",
            "DROP CLUSTER IF EXISTS \"Big Cluster_r1\" CASCADE",
            "DROP CLUSTER IF EXISTS orders_r1 CASCADE",
            "DROP SCHEMA IF EXISTS _mz_deploy.deploy_r1_pending",
        }, plan.Statements.Select(s => s.Sql));
        Assert.DoesNotContain(plan.Statements, s => s.Sql.Contains("LIKE", StringComparison.Ordinal) || s.Sql.Contains("sinks_r1", StringComparison.Ordinal));
        Assert.Equal(new[] { new SchemaId("db", "api_r1"), new SchemaId("materialize", "monitoring_r1") }, plan.Schemas);
    }

    [Fact]
    public void Abort_of_a_staged_plan_drops_what_the_stage_created()
    {
        var project = OrderMonitoring.Compile(OrderMonitoring.Files());
        var stage = Plans.Stage(project, ProductionSnapshot.Empty, "r1", null, [OrderMonitoring.OrdersCluster]);
        var plan = Plans.Abort(stage.AsRecorded(StagedAt));

        var created = stage.Statements.Where(s => s.Kind == PlannedStatementKind.CreateCluster || s.Sql.StartsWith("CREATE SCHEMA materialize", StringComparison.Ordinal))
            .Select(s => s.Target);
        var dropped = plan.Statements.Where(s => s.Kind is PlannedStatementKind.DropCluster or PlannedStatementKind.DropSchema)
            .Select(s => s.Target).Where(t => !t.StartsWith("_mz_deploy", StringComparison.Ordinal));
        Assert.Equal(created.Order(), dropped.Order());
    }

    [Fact]
    public void A_promoted_or_half_promoted_deployment_cannot_be_aborted()
    {
        var deployment = new RecordedDeployment(DeployId.Parse("r1"), StagedAt, [new RecordedSchema(new SchemaId("d", "s"), DeploymentKind.Objects)], []);
        Assert.Equal(ErrorIds.DeploymentAlreadyPromoted.Id,
            Assert.Throws<MzDeployException>(() => Plans.Abort(deployment with { Promoted = true }, PromoteState.Finished)).ErrorId);
        Assert.Equal(ErrorIds.DeploymentPartiallyPromoted.Id,
            Assert.Throws<MzDeployException>(() => Plans.Abort(deployment, PromoteState.Swapped)).ErrorId);
    }

    [Theory]
    [InlineData(true, PromoteState.NotStarted, "DeploymentAlreadyPromoted")]
    [InlineData(true, PromoteState.Finished, "DeploymentAlreadyPromoted")]
    [InlineData(true, PromoteState.Swapped, "DeploymentPartiallyPromoted")]
    [InlineData(false, PromoteState.Swapped, "DeploymentPartiallyPromoted")]
    public void A_refusal_names_the_deployment_and_plans_nothing(bool promoted, PromoteState state, string errorId)
    {
        var deployment = new RecordedDeployment(DeployId.Parse("r1"), StagedAt, [new RecordedSchema(new SchemaId("d", "s"), DeploymentKind.Objects)], ["c"])
        {
            Promoted = promoted,
        };

        var error = Assert.Throws<MzDeployException>(() => Plans.Abort(deployment, state));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidOperation, error.Kind);
        Assert.Equal("r1", error.Target);
        Assert.Contains("deployment 'r1'", error.Message);
        Assert.NotNull(error.Remedy);
    }

    [Fact]
    public void A_staged_deployment_whose_promote_never_swapped_is_aborted_with_its_marker_last()
    {
        var deployment = new RecordedDeployment(DeployId.Parse("q-1"), StagedAt,
            [new RecordedSchema(new SchemaId("db", "Api"), DeploymentKind.Objects)], ["compute", "compute", "api"]);

        var plan = Plans.Abort(deployment, PromoteStates.From(swappedMarkerExists: false, promoted: false));

        Assert.Equal(new[] { "api_q-1", "compute_q-1" }, plan.Clusters);
        Assert.Equal(new[]
        {
            (PlannedStatementKind.DropSchema, "DROP SCHEMA IF EXISTS db.\"Api_q-1\" CASCADE"),
            (PlannedStatementKind.DropCluster, "DROP CLUSTER IF EXISTS \"api_q-1\" CASCADE"),
            (PlannedStatementKind.DropCluster, "DROP CLUSTER IF EXISTS \"compute_q-1\" CASCADE"),
            (PlannedStatementKind.DropMarker, "DROP SCHEMA IF EXISTS _mz_deploy.\"deploy_q-1_pending\""),
        }, plan.Statements.Select(s => (s.Kind, s.Sql)));
        Assert.Equal("_mz_deploy.deploy_q-1_pending", plan.Statements[^1].Target);
    }

    [Fact]
    public void A_sink_only_deployment_has_no_staging_copy_so_abort_drops_only_its_marker()
    {
        var deployment = new RecordedDeployment(DeployId.Parse("r2"), StagedAt, [new RecordedSchema(new SchemaId("db", "exports"), DeploymentKind.Sinks)], [])
        {
            PendingStatements = [new PendingStatementRecord(0, "db", "exports", "s", "sha256:0", "CREATE SINK db.exports.s …", PendingStatementRecord.SinkKind)],
        };

        var plan = Plans.Abort(deployment);

        Assert.Empty(plan.Schemas);
        Assert.Empty(plan.Clusters);
        Assert.Equal(new[] { "DROP SCHEMA IF EXISTS _mz_deploy.deploy_r2_pending" }, plan.Statements.Select(s => s.Sql));
    }
}
