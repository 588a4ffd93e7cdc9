using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning.Review;
using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Catalog;

/// <summary>
/// Reviewed stage plans against the emulator: the fingerprint a stage's preparation computes, read again before a saved plan
/// runs. Promotes and commits are covered end to end by Pester (PlanFile.Tests.ps1); here, the cluster part.
/// </summary>
public sealed class ReviewedStageTests(StageEmulator emulator) : IClassFixture<StageEmulator>, IDisposable
{
    private readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            TestData.DeleteQuietly(folder);
        }
    }

    private (string Root, string Schema, string Cluster) Project()
    {
        var schema = TestData.UniqueName("app");
        var cluster = TestData.UniqueName("compute");
        var root = Directory.CreateTempSubdirectory("mzreview-test-").FullName;
        _folders.Add(root);
        var files = new Dictionary<string, string>
        {
            ["project.toml"] = "# test\n",
            [$"clusters/{cluster}.sql"] = $"CREATE CLUSTER {cluster} (SIZE = 'xsmall');",
            [$"models/materialize/{schema}/totals.sql"] = $"CREATE MATERIALIZED VIEW totals IN CLUSTER {cluster} AS SELECT 1 AS n;",
        };
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return (root, schema, cluster);
    }

    private async Task<ReviewedStagePlan> ReviewAsync(string root, string id)
    {
        await using var stage = await StageOperation.PrepareAsync(emulator.Factory(), new StageRequest(root, id), NullOperationLog.Instance,
            CancellationToken.None);
        return new ReviewedStagePlan(stage.Plan, stage.Fingerprint);
    }

    [Fact]
    public async Task A_reviewed_plan_of_an_unchanged_state_runs_its_statements()
    {
        var (root, schema, cluster) = Project();
        await using var admin = await emulator.AdminAsync();
        await admin.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = 'xsmall')");
        var reviewed = await ReviewAsync(root, "rv");

        await using (var stage = await StageOperation.PrepareReviewedAsync(emulator.Factory(), new StageRequest(root), reviewed,
                         NullOperationLog.Instance, CancellationToken.None))
        {
            Assert.Same(reviewed.Plan, stage.Plan);
            Assert.Equal(reviewed.Fingerprint.Digest, stage.Fingerprint.Digest);
            await stage.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None);
        }

        Assert.Equal(1L, await admin.ScalarAsync(
            $"SELECT count(*) FROM mz_materialized_views v JOIN mz_schemas s ON s.id = v.schema_id WHERE s.name = '{schema}_rv' AND v.name = 'totals'"));
        Assert.Equal(1L, await admin.ScalarAsync($"SELECT count(*) FROM mz_clusters WHERE name = '{cluster}_rv'"));
    }

    [Fact]
    public async Task A_cluster_resized_after_the_review_makes_the_plan_stale_and_nothing_is_staged()
    {
        var (root, schema, cluster) = Project();
        await using var admin = await emulator.AdminAsync();
        await admin.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = 'xsmall')");
        var reviewed = await ReviewAsync(root, "rs");
        await admin.ExecAsync($"ALTER CLUSTER {cluster} SET (SIZE = 'small')");

        var error = await Assert.ThrowsAsync<PlanStaleException>(() => StageOperation.PrepareReviewedAsync(emulator.Factory(),
            new StageRequest(root), reviewed, NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal("PlanStale", error.ErrorId);
        var drift = Assert.Single(error.Drift);
        Assert.Equal(PlanDriftKind.ClusterChanged, drift.Kind);
        Assert.Equal(cluster, drift.Subject);
        Assert.Contains("size xsmall", drift.Reviewed, StringComparison.Ordinal);
        Assert.Contains("size small", drift.Now, StringComparison.Ordinal);
        Assert.StartsWith($"the reviewed plan of deployment 'rs' is stale: cluster {cluster} changed from ", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await admin.ScalarAsync($"SELECT count(*) FROM mz_schemas WHERE name = '{schema}_rs'"));
        Assert.Equal(0L, await admin.ScalarAsync("SELECT count(*) FROM _mz_deploy.tables.deployments WHERE deploy_id = 'rs'"));
    }
}
