using MzDeploy.Engine;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Tests.Integration.Emulator;
using Npgsql;

namespace MzDeploy.Tests.Integration.Catalog;

/// <summary>
/// list / describe / log over rows written the way mz-deploy (tracking schema v1) writes them, with staging
/// clusters whose readiness the emulator's knobs control.
/// </summary>
[Collection(SetUpCollection.Name)]
public sealed class DeploymentQueryTests(SetUpEmulator emulator)
{
    private static readonly DateTimeOffset Staged = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A staged deployment of schema app_&lt;id&gt; with a production and a staging cluster; returns the staging cluster.</summary>
    private static async Task<string> StageAsync(NpgsqlConnection admin, string id, string schema, string cluster, bool withObject = true)
    {
        await admin.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = 'xsmall')");
        await admin.ExecAsync($"CREATE CLUSTER {cluster}_{id} (SIZE = 'xsmall')");
        await admin.ExecAsync($"CREATE SCHEMA {schema}_{id}");
        if (withObject)
            await admin.ExecAsync($"CREATE MATERIALIZED VIEW {schema}_{id}.totals IN CLUSTER {cluster}_{id} AS SELECT 1 AS n");
        await InsertDeploymentAsync(admin, id, schema, promoted: false);
        await admin.ExecAsync($"INSERT INTO _mz_deploy.tables.clusters SELECT '{id}', id FROM mz_clusters WHERE name = '{cluster}'");
        return $"{cluster}_{id}";
    }

    private static async Task InsertDeploymentAsync(NpgsqlConnection admin, string id, string schema, bool promoted, int hoursLater = 0)
    {
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO _mz_deploy.tables.deployments (deploy_id, deployed_at, promoted_at, database, schema, deployed_by, commit, kind, mode) "
            + "VALUES ($1, $2, $3, 'materialize', $4, 'alice', 'c0ffee', 'objects', 'stage')", admin))
        {
            insert.Parameters.AddWithValue(id);
            insert.Parameters.AddWithValue(Staged);
            insert.Parameters.AddWithValue(promoted ? Staged.AddHours(1 + hoursLater) : DBNull.Value);
            insert.Parameters.AddWithValue(schema);
            await insert.ExecuteNonQueryAsync();
        }

        await admin.ExecAsync($"INSERT INTO _mz_deploy.tables.objects VALUES ('{id}', 'materialize', '{schema}', 'totals', 'sha256:{new string('a', 64)}')");
    }

    private Task<IReadOnlyList<DeploymentInfo>> GetAsync(DeploymentScope scope, string prefix, int lag = 300) =>
        DeploymentQueries.GetAsync(emulator.Factory(), scope, id => id.StartsWith(prefix, StringComparison.Ordinal), lag,
            NullOperationLog.Instance, CancellationToken.None);

    [Fact]
    public async Task Staged_deployments_report_the_readiness_of_their_clusters()
    {
        var p = TestData.UniqueName("t").ToLowerInvariant();
        await using var admin = await emulator.AdminAsync();
        await StageAsync(admin, p + "ready", p + "a", p + "ca");
        var hydrating = await StageAsync(admin, p + "hydr", p + "b", p + "cb");
        await admin.ExecAsync($"SELECT mz_emulator.set_hydration_delay('{hydrating}', interval '1 hour')");
        var lagging = await StageAsync(admin, p + "lag", p + "c", p + "cc");
        await admin.ExecAsync($"SELECT mz_emulator.set_lag('{lagging}', interval '10 minutes')");
        var failing = await StageAsync(admin, p + "oom", p + "d", p + "cd");
        for (var i = 0; i < 3; i++)
            await admin.ExecAsync($"SELECT mz_emulator.inject_oom_kill('{failing}', 'r1')");

        var deployments = await GetAsync(DeploymentScope.Staging, p);

        Assert.Equal([p + "hydr", p + "lag", p + "oom", p + "ready"], deployments.Select(d => d.DeployId));
        var byId = deployments.ToDictionary(d => d.DeployId[p.Length..]);
        Assert.Equal(DeploymentState.Ready, byId["ready"].State);
        Assert.Equal(DeploymentState.Hydrating, byId["hydr"].State);
        Assert.Equal(DeploymentState.Lagging, byId["lag"].State);
        Assert.Equal(DeploymentState.Failing, byId["oom"].State);
        var ready = Assert.Single(byId["ready"].Clusters);
        Assert.Equal((p + "ca_" + p + "ready", p + "ca", 1L, 1L, 1L, 0L), (ready.Cluster, ready.ProductionCluster, ready.HydratedObjects, ready.TotalObjects, ready.Replicas, ready.ProblematicReplicas));
        Assert.Equal("all_replicas_problematic", Assert.Single(byId["oom"].Clusters).FailureReason);
        Assert.True(Assert.Single(byId["lag"].Clusters).LagSeconds >= 600);
        Assert.Equal((0L, 1L), (Assert.Single(byId["hydr"].Clusters).HydratedObjects, byId["hydr"].Clusters[0].TotalObjects));

        // A larger allowed lag makes the lagging one ready.
        Assert.Equal(DeploymentState.Ready, (await GetAsync(DeploymentScope.Staging, p + "lag", lag: 3600)).Single().State);

        var details = byId["ready"];
        Assert.Equal(("objects", Staged, "alice", "c0ffee", (DateTimeOffset?)null), (Assert.Single(details.Kinds), details.DeployedAt, details.DeployedBy, details.Commit, details.PromotedAt));
        Assert.Equal([$"materialize.{p}a"], details.Schemas);
        Assert.Equal(new DeployedObjectInfo("materialize", p + "a", "totals", "sha256:" + new string('a', 64)), Assert.Single(details.Objects));
    }

    [Fact]
    public async Task A_monitor_reads_status_through_the_public_views_only()
    {
        var p = TestData.UniqueName("m").ToLowerInvariant();
        await using var admin = await emulator.AdminAsync();
        await StageAsync(admin, p, p + "s", p + "c");
        var (user, password) = await emulator.LoginRoleAsync(RoleCheck.MonitorRole);
        var monitor = emulator.Factory(user, password);
        await using (var session = await monitor.OpenAsync(CancellationToken.None))
        {
            var denied = await Assert.ThrowsAsync<MzDeployException>(() =>
                session.QueryAsync("SELECT count(*) FROM _mz_deploy.tables.clusters", r => 0, CancellationToken.None));
            Assert.Equal("SqlPermissionDenied", denied.ErrorId);
        }

        var deployment = (await DeploymentQueries.GetAsync(monitor, DeploymentScope.Staging, id => id == p, 300,
            NullOperationLog.Instance, CancellationToken.None)).Single();
        Assert.Equal((DeploymentState.Ready, p + "c_" + p), (deployment.State, deployment.Clusters.Single().Cluster));
    }

    [Fact]
    public async Task A_recorded_cluster_that_is_gone_fails_instead_of_being_skipped()
    {
        var p = TestData.UniqueName("g").ToLowerInvariant();
        await using var admin = await emulator.AdminAsync();
        var staging = await StageAsync(admin, p, p + "s", p + "c", withObject: false);
        Assert.Equal(DeploymentState.Ready, (await GetAsync(DeploymentScope.Staging, p)).Single().State);

        await admin.ExecAsync($"DROP CLUSTER {staging}");
        var cluster = (await GetAsync(DeploymentScope.Staging, p)).Single().Clusters.Single();
        Assert.Equal((ClusterState.Failing, "cluster_missing"), (cluster.State, cluster.FailureReason));
    }

    [Fact]
    public async Task Promoted_deployments_are_described_and_listed_newest_first_in_the_history()
    {
        var p = TestData.UniqueName("h").ToLowerInvariant();
        await using var admin = await emulator.AdminAsync();
        await InsertDeploymentAsync(admin, p + "old", p + "x", promoted: true);
        await InsertDeploymentAsync(admin, p + "new", p + "x", promoted: true, hoursLater: 5);
        await InsertDeploymentAsync(admin, p + "new", p + "y", promoted: true, hoursLater: 5);
        await InsertDeploymentAsync(admin, p + "staged", p + "z", promoted: false);

        Assert.Equal([p + "staged"], (await GetAsync(DeploymentScope.Staging, p)).Select(d => d.DeployId));
        var all = await GetAsync(DeploymentScope.All, p);
        Assert.Equal([p + "new", p + "old", p + "staged"], all.Select(d => d.DeployId));
        Assert.Equal(DeploymentState.Promoted, all[0].State);
        Assert.Equal(Staged.AddHours(6), all[0].PromotedAt);
        Assert.Equal([$"materialize.{p}x", $"materialize.{p}y"], all[0].Schemas);
        Assert.Equal(2, all[0].Objects.Count);
        Assert.Equal([p + "new", p + "old"], (await GetAsync(DeploymentScope.Promoted, p)).Select(d => d.DeployId));

        var history = await DeploymentQueries.HistoryAsync(emulator.Factory(), id => id.StartsWith(p, StringComparison.Ordinal), null,
            NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal([p + "new", p + "old"], history.Select(h => h.DeployId));
        Assert.Equal([$"materialize.{p}x", $"materialize.{p}y"], history[0].Schemas);
        var newest = await DeploymentQueries.HistoryAsync(emulator.Factory(), id => id.StartsWith(p, StringComparison.Ordinal), 1,
            NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal([p + "new"], newest.Select(h => h.DeployId));
    }
}
