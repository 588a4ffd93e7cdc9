using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning.Review;

namespace MzDeploy.Tests.Unit.Planning;

public class StageFingerprintTests
{
    private static readonly SchemaId Monitoring = new("materialize", "monitoring");
    private static readonly SchemaId Sales = new("materialize", "sales");
    private static readonly ObjectId Stalled = new("materialize", "monitoring", "stalled_orders");
    private static readonly ObjectId Orders = new("materialize", "sales", "orders");

    private static ProductionSnapshot Production(string monitoringDeployment = "v1", string stalledHash = "sha256:aa") =>
        new(new Dictionary<ObjectId, string> { [Stalled] = stalledHash, [Orders] = "sha256:bb" },
            new Dictionary<SchemaId, ProductionSchema>
            {
                [Monitoring] = new(DeploymentKind.Objects, monitoringDeployment),
                [Sales] = new(DeploymentKind.Tables, "v1"),
            });

    private static (string, ProductionCluster)[] Cluster(string size = "25cc", string id = "u1") =>
        [(id, new ProductionCluster("orders", Managed: true) { Size = size, ReplicationFactor = 1 })];

    private static StageFingerprint Of(string? commit = "c1", ProductionSnapshot? production = null, (string, ProductionCluster)[]? clusters = null) =>
        StageFingerprint.Of(commit, production ?? Production(), clusters ?? Cluster());

    [Fact]
    public void The_same_state_read_twice_has_one_digest_and_nothing_moved()
    {
        var reviewed = Of();
        var now = Of();

        Assert.Equal(reviewed.Digest, now.Digest);
        Assert.StartsWith("sha256:", reviewed.Digest, StringComparison.Ordinal);
        Assert.Empty(reviewed.Compare(now));
    }

    [Fact]
    public void Items_are_sorted_so_the_order_they_were_read_in_does_not_matter()
    {
        var a = new StageFingerprint("c", [new(Sales, "v1", "tables"), new(Monitoring, "v1", "objects")],
            [new(Stalled, "h1"), new(Orders, "h2")], [new("z", "id 2"), new("a", "id 1")]);
        var b = new StageFingerprint("c", [new(Monitoring, "v1", "objects"), new(Sales, "v1", "tables")],
            [new(Orders, "h2"), new(Stalled, "h1")], [new("a", "id 1"), new("z", "id 2")]);

        Assert.Equal(a.Digest, b.Digest);
        Assert.Equal(["a", "z"], a.Clusters.Select(c => c.Name));
    }

    [Fact]
    public void A_promote_of_another_deployment_is_one_drift_naming_it_and_its_schemas_not_each_object_it_changed()
    {
        var drift = Of().Compare(Of(production: Production(monitoringDeployment: "other", stalledHash: "sha256:cc")));

        var promoted = Assert.Single(drift);
        Assert.Equal(PlanDriftKind.DeploymentPromoted, promoted.Kind);
        Assert.Equal("other", promoted.Subject);
        Assert.Equal("deployment 'other' was promoted into materialize.monitoring (reviewed against 'v1')", promoted.Description);
    }

    [Fact]
    public void A_new_commit_is_a_drift_from_the_reviewed_commit_to_the_new_one()
    {
        var drift = Assert.Single(Of("abc").Compare(Of("def")));

        Assert.Equal(PlanDriftKind.CommitMoved, drift.Kind);
        Assert.Equal("the commit moved from abc to def", drift.Description);
        Assert.Equal("the commit moved from (no commit) to def", Assert.Single(Of(null).Compare(Of("def"))).Description);
    }

    [Fact]
    public void A_hash_that_changed_under_the_same_deployment_is_named_with_both_hashes()
    {
        var drift = Assert.Single(Of().Compare(Of(production: Production(stalledHash: "sha256:zz"))));

        Assert.Equal(PlanDriftKind.ObjectChanged, drift.Kind);
        Assert.Equal("the hash of materialize.monitoring.stalled_orders changed from sha256:aa to sha256:zz", drift.Description);
    }

    [Fact]
    public void A_cluster_resized_or_re_created_or_dropped_is_a_drift_naming_the_cluster()
    {
        var resized = Assert.Single(Of().Compare(Of(clusters: Cluster(size: "50cc"))));
        var recreated = Assert.Single(Of().Compare(Of(clusters: Cluster(id: "u9"))));
        var dropped = Assert.Single(Of().Compare(Of(clusters: [])));
        var appeared = Assert.Single(Of(clusters: []).Compare(Of()));

        Assert.Equal(PlanDriftKind.ClusterChanged, resized.Kind);
        Assert.Equal("cluster orders changed from id u1; size 25cc; replication factor 1 to id u1; size 50cc; replication factor 1",
            resized.Description);
        Assert.Equal(PlanDriftKind.ClusterChanged, recreated.Kind);
        Assert.Equal("cluster orders no longer exists", dropped.Description);
        Assert.Equal(PlanDriftKind.ClusterAdded, appeared.Kind);
    }

    [Fact]
    public void A_schema_or_object_production_no_longer_records_is_named()
    {
        var reviewed = Of();
        var now = Of(production: new ProductionSnapshot(new Dictionary<ObjectId, string> { [Stalled] = "sha256:aa" },
            new Dictionary<SchemaId, ProductionSchema> { [Monitoring] = new(DeploymentKind.Objects, "v1") }));

        var drift = reviewed.Compare(now);

        Assert.Equal(["schema materialize.sales is no longer recorded in production (was deployment 'v1')"], drift.Select(d => d.Description));
    }

    [Fact]
    public void Every_difference_changes_the_digest_and_fields_cannot_run_into_each_other()
    {
        var digests = new[]
        {
            Of().Digest, Of("c2").Digest, Of(null).Digest, Of(production: Production("v2")).Digest,
            Of(production: Production(stalledHash: "sha256:ab")).Digest, Of(clusters: Cluster("50cc")).Digest, Of(clusters: []).Digest,
            new StageFingerprint("ab", [], [], [new("c", "d")]).Digest, new StageFingerprint("a", [], [], [new("bc", "d")]).Digest,
        };

        Assert.Equal(digests.Length, digests.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_cluster_configuration_covers_what_its_clone_copies()
    {
        var managed = new ProductionCluster("orders", Managed: true)
        {
            Size = "25cc",
            ReplicationFactor = 2,
            Options = [new("SCHEDULE", "MANUAL")],
            Grants = [new ClusterGrant("USAGE", "reader")],
        };
        var unmanaged = new ProductionCluster("legacy", Managed: false) { Replicas = [new ProductionClusterReplica("r1", "25cc", "az1")] };

        Assert.Equal("id u1; size 25cc; replication factor 2; SCHEDULE MANUAL; grant USAGE to reader", StageFingerprint.Configuration("u1", managed));
        Assert.Equal("id u2; unmanaged; replica r1 size 25cc zone az1", StageFingerprint.Configuration("u2", unmanaged));
    }
}
