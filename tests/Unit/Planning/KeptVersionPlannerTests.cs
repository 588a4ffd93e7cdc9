using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Tests.Unit.Planning;

/// <summary>The hot rollback window's decisions: what a promote keeps, when an undo is still possible, what a drop removes.</summary>
public class KeptVersionPlannerTests
{
    private static readonly DateTimeOffset StagedAt = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly SchemaId Monitoring = new("materialize", "monitoring");
    private static readonly string SchemaKey = PromotionMarker.KeyOf(Monitoring);
    private static readonly string ClusterKey = PromotionMarker.KeyOfCluster("orders");

    private static RecordedDeployment OrderMonitoringDeployment(string deployId = "r2")
    {
        var project = OrderMonitoring.Compile(OrderMonitoring.Files());
        var stage = Plans.Stage(project, ProductionSnapshot.Empty, deployId, null, [OrderMonitoring.OrdersCluster]);
        return stage.AsRecorded(StagedAt);
    }

    private static IReadOnlyList<KeptResource> KeepOf(RecordedDeployment deployment) =>
        KeptVersionPlanner.Keep(deployment, new StagingNames(deployment.DeployId),
            new Dictionary<string, long> { [SchemaKey] = 4 }, new Dictionary<SchemaId, string> { [Monitoring] = "r1" });

    private static KeptVersion Kept(IReadOnlyList<KeptResource> resources, bool expired = false, bool promoted = true) =>
        new(DeployId.Parse("r2"), resources, StagedAt, StagedAt.AddMinutes(30), expired, promoted);

    [Fact]
    public void A_promote_keeps_each_swapped_schema_and_cluster_under_its_staging_name_with_the_epoch_its_swap_moves_to()
    {
        var kept = KeepOf(OrderMonitoringDeployment());

        Assert.Equal(new[]
        {
            new KeptResource(KeptResourceKind.Schema, "materialize", "monitoring", "monitoring_r2", "r1", 5),
            // No marker yet for the cluster: the swap creates epoch 0 and renames it to 1.
            new KeptResource(KeptResourceKind.Cluster, null, "orders", "orders_r2", null, 1),
        }, kept);
        Assert.Equal(new[] { "schema materialize.monitoring_r2", "cluster orders_r2" }, kept.Select(k => k.Kept));
        Assert.Equal(new[] { "schema materialize.monitoring", "cluster orders" }, kept.Select(k => k.Production));
        Assert.Equal(new[] { SchemaKey, ClusterKey }, kept.Select(k => k.MarkerKey));
    }

    [Fact]
    public void The_epochs_kept_are_the_ones_the_promote_plan_moves_the_markers_to()
    {
        var deployment = OrderMonitoringDeployment();
        var epochs = new Dictionary<string, long> { [SchemaKey] = 4 };
        var keep = KeptVersionPlanner.Keep(deployment, new StagingNames(deployment.DeployId), epochs, new Dictionary<SchemaId, string>());
        var plan = PromotePlanner.Plan(Plans.Promote(deployment) with { MarkerEpochs = epochs, Keep = keep });

        Assert.All(keep, k => Assert.Equal(plan.NextEpochs[k.MarkerKey], k.Epoch));
        // Nothing promoted since: the kept version can be swapped back once the promote is recorded.
        KeptVersionPlanner.CheckUndoable(Kept(keep), plan.NextEpochs);
    }

    [Fact]
    public void A_deployment_that_replaces_materialized_views_in_place_cannot_keep_its_previous_version()
    {
        var deployment = OrderMonitoringDeployment() with
        {
            Replacements = [new ReplacementRecord("materialize", "monitoring", "order_totals", "monitoring_r2")],
        };

        var error = Assert.Throws<MzDeployException>(() => KeepOf(deployment));

        Assert.Equal(ErrorIds.KeepPreviousNotPossible.Id, error.ErrorId);
        Assert.Contains("materialize.monitoring", error.Message);
        Assert.Contains("cannot be swapped back", error.Message);
    }

    [Fact]
    public void An_undo_is_refused_before_the_promote_swapped_after_the_window_and_after_a_later_promote_of_any_kept_resource()
    {
        var keep = KeepOf(OrderMonitoringDeployment());
        var now = keep.ToDictionary(k => k.MarkerKey, k => k.Epoch);

        KeptVersionPlanner.CheckUndoable(Kept(keep), now);

        var notSwapped = Assert.Throws<MzDeployException>(() => KeptVersionPlanner.CheckUndoable(Kept(keep, promoted: false), now));
        Assert.Equal(ErrorIds.NoPreviousVersion.Id, notSwapped.ErrorId);
        Assert.IsType<KeepPreviousNextTime>(notSwapped.Remedy);

        var expired = Assert.Throws<MzDeployException>(() => KeptVersionPlanner.CheckUndoable(Kept(keep, expired: true), now));
        Assert.Equal(ErrorIds.RollbackWindowExpired.Id, expired.ErrorId);
        Assert.Contains("2026-11-24 10:30:00Z", expired.Message);
        Assert.Equal(new RollForwardInstead("r2"), expired.Remedy);

        var later = new Dictionary<string, long>(now) { [ClusterKey] = now[ClusterKey] + 1 };
        var superseded = Assert.Throws<MzDeployException>(() => KeptVersionPlanner.CheckUndoable(Kept(keep), later));
        Assert.Equal(ErrorIds.RollbackSuperseded.Id, superseded.ErrorId);
        Assert.Contains("a later promote changed cluster orders since", superseded.Message);
        Assert.DoesNotContain("schema materialize.monitoring", superseded.Message);
    }

    [Fact]
    public void A_resource_whose_marker_is_gone_counts_as_promoted_since()
    {
        var keep = KeepOf(OrderMonitoringDeployment());

        Assert.Empty(KeptVersionPlanner.Superseded(Kept(keep), keep.ToDictionary(k => k.MarkerKey, k => k.Epoch)));
        Assert.Equal(new[] { "schema materialize.monitoring" },
            KeptVersionPlanner.Superseded(Kept(keep), new Dictionary<string, long> { [ClusterKey] = 1 }));
    }

    [Fact]
    public void The_undo_is_recorded_under_the_deploy_id_with_an_undo_suffix_cut_to_fit()
    {
        Assert.Equal("r2-undo", KeptVersionPlanner.RollbackId(DeployId.Parse("r2")).Value);
        var longest = KeptVersionPlanner.RollbackId(DeployId.Parse(new string('a', 63)));
        Assert.Equal(new string('a', 58) + "-undo", longest.Value);
        Assert.Equal(63, longest.Value.Length);
    }

    [Fact]
    public void The_undo_swaps_the_kept_copies_as_a_promoted_deployment_of_objects_schemas_and_clusters()
    {
        var keep = KeepOf(OrderMonitoringDeployment());

        var undo = KeptVersionPlanner.UndoDeployment(DeployId.Parse("r2"), keep, StagedAt);

        Assert.Equal(new[] { new RecordedSchema(Monitoring, DeploymentKind.Objects) }, undo.Schemas);
        Assert.Equal(new[] { "orders" }, undo.Clusters);
        Assert.True(undo.Promoted);
        // Planned like a promote of r2, the swap brings monitoring_r2 and orders_r2 back under the production names.
        var plan = PromotePlanner.Plan(Plans.Promote(undo));
        Assert.Contains("ALTER SCHEMA materialize.monitoring SWAP WITH monitoring_r2", plan.SwapTransaction.Select(s => s.Sql));
        Assert.Contains("ALTER CLUSTER orders SWAP WITH orders_r2", plan.SwapTransaction.Select(s => s.Sql));
    }

    [Fact]
    public void Dropping_a_kept_version_drops_exactly_its_recorded_copies_schemas_first_then_forgets_the_record()
    {
        var keep = new[]
        {
            new KeptResource(KeptResourceKind.Cluster, null, "Orders", "Orders_r2", null, 1),
            new KeptResource(KeptResourceKind.Schema, "materialize", "b", "b_r2", "r1", 2),
            new KeptResource(KeptResourceKind.Schema, "materialize", "a", "a_r2", "r1", 3),
        };
        var forget = new PlannedStatement(PlannedStatementKind.TrackingRows, "kept_versions", "DELETE FROM kept_versions WHERE deploy_id = 'r2'");

        var plan = KeptVersionPlanner.Drop(Kept(keep), [forget]);

        Assert.Equal(new[]
        {
            "DROP SCHEMA IF EXISTS materialize.a_r2 CASCADE",
            "DROP SCHEMA IF EXISTS materialize.b_r2 CASCADE",
            "DROP CLUSTER IF EXISTS \"Orders_r2\" CASCADE",
            "DELETE FROM kept_versions WHERE deploy_id = 'r2'",
        }, plan.Statements.Select(s => s.Sql));
        Assert.Equal(new[] { "cluster Orders_r2", "schema materialize.b_r2", "schema materialize.a_r2" }, plan.DroppedResources);
    }
}
