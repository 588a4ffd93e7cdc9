using MzDeploy.Engine;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Operations;
using MzDeploy.Tests.Integration.Emulator;
using Npgsql;

namespace MzDeploy.Tests.Integration.Catalog;

/// <summary>An emulator of its own for staging (production clusters and staging names are server-wide state).</summary>
public sealed class StageEmulator : CatalogEmulator
{
    protected override bool RunSetup => true;
}

/// <summary>
/// Stage and abort against the emulator where Pester would be clumsy: cancellation, a dropped connection, cloning
/// unmanaged clusters with grants, staging names that are already taken, round trips per session.
/// </summary>
public sealed class StageOperationTests(StageEmulator emulator) : IClassFixture<StageEmulator>, IDisposable
{
    private readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            TestData.DeleteQuietly(folder);
        }
    }

    /// <summary>A project (not a git repository) with one schema of two views on a cluster, both made unique.</summary>
    private (string Root, string Schema, string Cluster) Project()
    {
        var schema = TestData.UniqueName("app");
        var cluster = TestData.UniqueName("compute");
        var root = Directory.CreateTempSubdirectory("mzstage-test-").FullName;
        _folders.Add(root);
        var files = new Dictionary<string, string>
        {
            ["project.toml"] = "# test\n",
            [$"clusters/{cluster}.sql"] = $"CREATE CLUSTER {cluster} (SIZE = 'xsmall');",
            [$"models/materialize/{schema}/totals.sql"] = $"CREATE MATERIALIZED VIEW totals IN CLUSTER {cluster} AS SELECT 1 AS n;",
            [$"models/materialize/{schema}/doubled.sql"] = $"CREATE VIEW doubled AS SELECT n * 2 AS n FROM materialize.{schema}.totals;",
        };
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return (root, schema, cluster);
    }

    private async Task<(long Schemas, long Clusters, long Rows)> LeftOverAsync(string schema, string cluster, string id)
    {
        await using var admin = await emulator.AdminAsync();
        return (
            (long)(await admin.ScalarAsync($"SELECT count(*) FROM mz_schemas WHERE name = '{schema}_{id}'"))!,
            (long)(await admin.ScalarAsync($"SELECT count(*) FROM mz_clusters WHERE name = '{cluster}_{id}'"))!,
            (long)(await admin.ScalarAsync($"SELECT (SELECT count(*) FROM _mz_deploy.tables.deployments WHERE deploy_id = '{id}') "
                                           + $"+ (SELECT count(*) FROM _mz_deploy.tables.objects WHERE deploy_id = '{id}') "
                                           + $"+ (SELECT count(*) FROM _mz_deploy.tables.clusters WHERE deploy_id = '{id}')"))!);
    }

    /// <summary>Cancels its source when a verbose message contains <paramref name="trigger"/>.</summary>
    private sealed class CancellingLog(CancellationTokenSource source, string trigger) : IOperationLog
    {
        public List<string> Warnings { get; } = [];

        public void Verbose(string message)
        {
            if (message.Contains(trigger, StringComparison.Ordinal))
            {
                source.Cancel();
            }
        }

        public void Warning(OperationWarning warning) => Warnings.Add(warning.Message);
    }

    [Fact]
    public async Task Cancelling_mid_stage_rolls_back_what_it_created()
    {
        var (root, schema, cluster) = Project();
        await using var admin = await emulator.AdminAsync();
        await admin.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = 'xsmall')");
        using var cancel = new CancellationTokenSource();
        var log = new CancellingLog(cancel, $"CreateObject materialize.{schema}_cx.doubled");

        await using (var stage = await StageOperation.PrepareAsync(emulator.Factory(), new StageRequest(root, "cx"), log, CancellationToken.None))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stage.ExecuteAsync(log, cancel.Token));
        }

        Assert.Contains(log.Warnings, w => w.StartsWith("Rolled back 'cx'", StringComparison.Ordinal));
        Assert.Equal((0L, 0L, 0L), await LeftOverAsync(schema, cluster, "cx"));
    }

    [Fact]
    public async Task A_dropped_connection_mid_stage_is_rolled_back_over_a_new_session()
    {
        var (root, schema, cluster) = Project();
        await using var admin = await emulator.AdminAsync();
        await admin.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = 'xsmall')");
        await admin.ExecAsync($"SELECT mz_emulator.inject_fault('CREATE VIEW materialize.{schema}_drop.doubled%', 1, 'close')");
        var log = new CancellingLog(new CancellationTokenSource(), "never");

        await using (var stage = await StageOperation.PrepareAsync(emulator.Factory(), new StageRequest(root, "drop"), log, CancellationToken.None))
        {
            var error = await Assert.ThrowsAsync<MzDeployException>(() => stage.ExecuteAsync(log, CancellationToken.None));
            Assert.Equal("ConnectionFailed", error.ErrorId);
        }

        Assert.Contains(log.Warnings, w => w.StartsWith("Rolled back 'drop': dropped 1 schema(s) and 1 cluster(s)", StringComparison.Ordinal));
        Assert.Equal((0L, 0L, 0L), await LeftOverAsync(schema, cluster, "drop"));
    }

    [Fact]
    public async Task An_unmanaged_cluster_is_cloned_with_its_replicas_and_grants()
    {
        var (root, schema, cluster) = Project();
        var grantee = TestData.UniqueName("reader");
        await using var admin = await emulator.AdminAsync();
        await admin.ExecAsync($"CREATE CLUSTER {cluster} REPLICAS (r_a (SIZE = 'xsmall'), r_b (SIZE = 'small'))");
        await admin.ExecAsync($"CREATE ROLE {grantee}");
        await admin.ExecAsync($"GRANT USAGE ON CLUSTER {cluster} TO {grantee}");

        await using (var stage = await StageOperation.PrepareAsync(emulator.Factory(), new StageRequest(root, "um"), NullOperationLog.Instance, CancellationToken.None))
        {
            Assert.Contains($"CREATE CLUSTER {cluster}_um REPLICAS (r_a (SIZE = 'xsmall'), r_b (SIZE = 'small'))", stage.Plan.Statements.Select(s => s.Sql));
            await stage.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None);
        }

        var replicas = await admin.RowsAsync(
            $"SELECT r.name, r.size FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id WHERE c.name = '{cluster}_um' ORDER BY 1");
        Assert.Equal(new[] { "r_a xsmall", "r_b small" }, replicas.Select(r => $"{r[0]} {r[1]}"));
        Assert.Equal(1L, await admin.ScalarAsync(
            $"SELECT count(*) FROM mz_internal.mz_show_cluster_privileges WHERE name = '{cluster}_um' AND grantee = '{grantee}' AND privilege_type = 'USAGE'"));

        var removed = await AbortOperation.RunAsync(emulator.Factory(), "um", NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(new[] { $"materialize.{schema}_um" }, removed.Schemas);
        Assert.Equal(new[] { $"{cluster}_um" }, removed.Clusters);
        Assert.Equal((0L, 0L, 0L), await LeftOverAsync(schema, cluster, "um"));
    }

    [Fact]
    public async Task A_staging_name_somebody_else_created_is_never_adopted()
    {
        var (root, schema, cluster) = Project();
        await using var admin = await emulator.AdminAsync();
        await admin.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = 'xsmall')");
        await admin.ExecAsync($"CREATE SCHEMA materialize.{schema}_taken");

        var error = await Assert.ThrowsAsync<MzDeployException>(() =>
            StageOperation.PrepareAsync(emulator.Factory(), new StageRequest(root, "taken"), NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal(ErrorIds.StagingNameTaken.Id, error.ErrorId);
        Assert.Contains($"schema materialize.{schema}_taken", error.Message);
        Assert.Equal(1L, await admin.ScalarAsync($"SELECT count(*) FROM mz_schemas WHERE name = '{schema}_taken'"));
    }

    [Fact]
    public async Task A_missing_production_cluster_stops_before_anything_is_written()
    {
        var (root, schema, cluster) = Project();

        var error = await Assert.ThrowsAsync<MzDeployException>(() =>
            StageOperation.PrepareAsync(emulator.Factory(), new StageRequest(root, "nocl"), NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal("PrerequisitesMissing", error.ErrorId);
        Assert.Equal((0L, 0L, 0L), await LeftOverAsync(schema, cluster, "nocl"));
    }

    [Fact]
    public async Task Staging_records_the_rows_in_few_round_trips_on_its_session()
    {
        var (root, schema, cluster) = Project();
        await using var admin = await emulator.AdminAsync();
        await admin.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = 'xsmall')");
        await using var stage = await StageOperation.PrepareAsync(emulator.Factory(), new StageRequest(root, "rt"), NullOperationLog.Instance,
            CancellationToken.None);
        var before = (long)(await admin.ScalarAsync("SELECT coalesce(max(seq), 0) FROM mz_emulator.statement_log"))!;

        var deployment = await stage.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(new[] { "doubled", "totals" }, deployment.Objects.Select(o => o.Name).Order());
        var writes = await admin.RowsAsync(
            $"SELECT sql FROM mz_emulator.statement_log WHERE seq > {before} AND sql ILIKE 'INSERT%' ORDER BY seq");
        // One INSERT per tracking table that gets rows (deployments, objects, clusters, cluster_names), whatever the number of objects.
        Assert.Equal(4, writes.Count);
        Assert.Equal("materialize", await admin.ScalarAsync($"SELECT deployed_by FROM _mz_deploy.tables.deployments WHERE deploy_id = 'rt'"));
        Assert.Equal(DBNull.Value, await admin.ScalarAsync($"SELECT commit FROM _mz_deploy.tables.deployments WHERE deploy_id = 'rt'"));
    }
}
