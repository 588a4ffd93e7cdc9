using MzDeploy.Engine;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Tests.Unit.Planning;

public class AbortPlannerTests
{
    private static readonly DateTimeOffset StagedAt = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Abort_drops_exactly_the_recorded_staging_schemas_and_clusters()
    {
        var deployment = new RecordedDeployment("r1", StagedAt,
        [
            new RecordedSchema(new SchemaId("materialize", "monitoring"), DeploymentKind.Objects),
            new RecordedSchema(new SchemaId("db", "api"), DeploymentKind.Replacement),
            new RecordedSchema(new SchemaId("materialize", "sinks"), DeploymentKind.Sinks),
        ], ["orders", "Big Cluster"]);

        var plan = AbortPlanner.Plan(deployment);

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
        var stage = StagePlanner.Plan(project, ProductionSnapshot.Empty, "r1", null, [OrderMonitoring.OrdersCluster]);
        var plan = AbortPlanner.Plan(RecordedDeployment.From(stage, StagedAt));

        var created = stage.Statements.Where(s => s.Kind == PlannedStatementKind.CreateCluster || s.Sql.StartsWith("CREATE SCHEMA materialize", StringComparison.Ordinal))
            .Select(s => s.Target);
        var dropped = plan.Statements.Where(s => s.Kind is PlannedStatementKind.DropCluster or PlannedStatementKind.DropSchema)
            .Select(s => s.Target).Where(t => !t.StartsWith("_mz_deploy", StringComparison.Ordinal));
        Assert.Equal(created.Order(), dropped.Order());
    }

    [Fact]
    public void A_promoted_or_half_promoted_deployment_cannot_be_aborted()
    {
        var deployment = new RecordedDeployment("r1", StagedAt, [new RecordedSchema(new SchemaId("d", "s"), DeploymentKind.Objects)], []);
        Assert.Equal(PlanErrors.DeploymentAlreadyPromoted,
            Assert.Throws<MzDeployException>(() => AbortPlanner.Plan(deployment with { Promoted = true }, PromoteState.Finished)).ErrorId);
        Assert.Equal(PlanErrors.DeploymentPartiallyPromoted,
            Assert.Throws<MzDeployException>(() => AbortPlanner.Plan(deployment, PromoteState.Swapped)).ErrorId);
    }
}
