using MzDeploy.Engine;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning.Apply;
using MzDeploy.Engine.Project;
using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Catalog;

/// <summary>An emulator of its own for apply (clusters and roles are server-wide state), set up.</summary>
public sealed class ApplyEmulator : CatalogEmulator
{
    protected override bool RunSetup => true;
}

/// <summary>
/// The apply operation on the emulator: Prepare → plan → Execute on one verified session, round trips of a re-run, a
/// refused plan that changes nothing, and a secret's value kept out of a failing statement's error.
/// </summary>
public sealed class ApplyOperationTests(ApplyEmulator emulator) : IClassFixture<ApplyEmulator>, IDisposable
{
    private readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            TestData.DeleteQuietly(folder);
        }
    }

    private (string Root, string Database, string Cluster) Project(string secretValue = "env_var('APPLY_OP_KEY')")
    {
        var database = TestData.UniqueName("opdb");
        var cluster = TestData.UniqueName("opc");
        var root = Directory.CreateTempSubdirectory("mzapply-op-").FullName;
        _folders.Add(root);
        var files = new Dictionary<string, string>
        {
            ["project.toml"] = "# apply test\n",
            [$"clusters/{cluster}.sql"] = $"CREATE CLUSTER {cluster} (SIZE = 'xsmall');\n",
            [$"models/{database}/raw/api_key.sql"] = $"CREATE SECRET api_key AS {secretValue};\n",
            [$"models/{database}/raw/orders.sql"] = "CREATE TABLE orders (id int NOT NULL, note text);\n",
        };
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return (root, database, cluster);
    }

    private static ApplyOptions Options(string key = "k-5551234") =>
        new() { Environment = new MapEnvironment([new("APPLY_OP_KEY", key)]) };

    private async Task<long> LastSeqAsync()
    {
        await using var admin = await emulator.AdminAsync();
        return (long)(await admin.ScalarAsync("SELECT coalesce(max(seq), 0) FROM mz_emulator.statement_log"))!;
    }

    [Fact]
    public async Task A_second_apply_runs_no_DDL_and_reads_the_infrastructure_once()
    {
        var (root, database, cluster) = Project();
        await using (var first = await ApplyOperation.PrepareAsync(emulator.Factory(), root, Options(), NullOperationLog.Instance, CancellationToken.None))
        {
            var applied = new List<ApplyItem>();
            var progress = new List<ApplyProgress>();
            var ran = await first.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None, progress.Add, applied.Add);
            Assert.Equal(first.Plan.Statements.Count(), ran);
            Assert.Equal(first.Plan.Items.Select(i => i.Name), applied.Select(i => i.Name));
            Assert.Equal([cluster, $"{database}.raw.api_key", $"{database}.raw.orders"],
                progress.Select(p => p.Next.Name));
            Assert.Equal([0, 1, 2], progress.Select(p => p.Done));
        }

        var before = await LastSeqAsync();
        await using (var second = await ApplyOperation.PrepareAsync(emulator.Factory(), root, Options(), NullOperationLog.Instance, CancellationToken.None))
        {
            var mine = second.Plan.Items.Where(i => i.Action != ApplyAction.Unmanaged).ToList();
            Assert.All(mine, i => Assert.True(i.Action == ApplyAction.Unchanged, i.ToString()));
            Assert.Equal(0, await second.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None));
        }

        await using var admin = await emulator.AdminAsync();
        var statements = await admin.RowsAsync($"SELECT sql FROM mz_emulator.statement_log WHERE seq > {before} ORDER BY seq");
        var sql = statements.Select(r => (string)r[0]!).ToList();
        Assert.DoesNotContain(sql, IsChange);
        Assert.Single(sql, s => s.Contains("FROM mz_catalog.mz_clusters c WHERE c.id LIKE 'u%'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_secret_that_cannot_be_resolved_refuses_the_apply_before_anything_runs()
    {
        var (root, _, cluster) = Project("env_var('APPLY_OP_MISSING')");
        await using var apply = await ApplyOperation.PrepareAsync(emulator.Factory(), root, Options(), NullOperationLog.Instance, CancellationToken.None);
        var before = await LastSeqAsync();

        var error = await Assert.ThrowsAsync<MzDeployException>(() => apply.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal(ErrorIds.ApplyRefused, error.Error);
        Assert.Contains("APPLY_OP_MISSING is not set", error.Message, StringComparison.Ordinal);
        Assert.IsType<ResolveRefusedObjects>(error.Remedy);
        await using var admin = await emulator.AdminAsync();
        Assert.Equal(0L, await admin.ScalarAsync($"SELECT count(*) FROM mz_clusters WHERE name = '{cluster}'"));
        var statements = await admin.RowsAsync($"SELECT sql FROM mz_emulator.statement_log WHERE seq > {before}");
        Assert.DoesNotContain(statements.Select(r => (string)r[0]!), IsChange);
    }

    [Fact]
    public async Task A_failing_secret_statement_reports_its_masked_text_and_no_driver_exception()
    {
        var (root, database, _) = Project();
        const string Value = "s3cr3t-value-42";
        await using var admin = await emulator.AdminAsync();
        await admin.ExecAsync($"SELECT mz_emulator.inject_fault('CREATE SECRET%{database}%', 1, 'error', 'no secrets today near {Value}')");
        var log = new RecordingLog();
        await using var apply = await ApplyOperation.PrepareAsync(emulator.Factory(), root, Options(Value), log, CancellationToken.None);

        var error = await Assert.ThrowsAsync<MzDeployException>(() => apply.ExecuteAsync(log, CancellationToken.None));

        Assert.Contains($"CREATE SECRET \"{database}\".\"raw\".\"api_key\" AS '***'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Value, error.ToString(), StringComparison.Ordinal);
        Assert.Null(error.InnerException);
        Assert.NotNull(error.SqlState);
        Assert.DoesNotContain(log.Messages, m => m.Contains(Value, StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.Contains("AS '***'", StringComparison.Ordinal));
    }

    private static bool IsChange(string sql) =>
        System.Text.RegularExpressions.Regex.IsMatch(sql, @"^\s*(CREATE|ALTER|DROP|GRANT|REVOKE|COMMENT|INSERT|UPDATE|DELETE)\b",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    [Fact]
    public async Task After_applying_the_tables_the_lock_reads_the_new_table_fed_by_a_source_on_the_apply_session()
    {
        var database = TestData.UniqueName("oplock");
        var root = Directory.CreateTempSubdirectory("mzapply-lock-").FullName;
        _folders.Add(root);
        File.WriteAllText(Path.Combine(root, "project.toml"), "dependencies = [\"mz_catalog.mz_databases\"]\n");
        var ingest = Directory.CreateDirectory(Path.Combine(root, "models", database, "ingest")).FullName;
        File.WriteAllText(Path.Combine(ingest, "ticker.sql"), "CREATE SOURCE ticker IN CLUSTER quickstart FROM LOAD GENERATOR AUCTION;\n");
        File.WriteAllText(Path.Combine(ingest, "bids.sql"), "CREATE TABLE bids FROM SOURCE ticker (REFERENCE \"auction\".\"bids\");\n");

        await using (var clustersOnly = await ApplyOperation.PrepareAsync(emulator.Factory(), root,
                         new ApplyOptions { Types = new HashSet<InfrastructureKind> { InfrastructureKind.Cluster } }, NullOperationLog.Instance,
                         CancellationToken.None))
        {
            Assert.False(clustersOnly.Relocks);
            Assert.Null(await clustersOnly.PrepareLockAsync(NullOperationLog.Instance, CancellationToken.None));
        }

        await using var apply = await ApplyOperation.PrepareAsync(emulator.Factory(), root, Options(), NullOperationLog.Instance, CancellationToken.None);
        Assert.True(apply.Relocks);
        await apply.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None);
        var relock = (await apply.PrepareLockAsync(NullOperationLog.Instance, CancellationToken.None))!;
        var result = await relock.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(Path.Combine(root, "types.lock"), result.Path);
        Assert.Equal(2, result.Objects);
        Assert.Empty(result.Skipped);
        var read = MzDeploy.Engine.TypeLock.TypeLockFile.Load(root)!;
        Assert.Equal("table", read.KindOf($"{database}.ingest.bids"));
        Assert.Equal("bid_time", read.ColumnsOf($"{database}.ingest.bids")![^1].Name);
        Assert.Contains("name", read.ColumnsOf("mz_catalog.mz_databases")!.Select(c => c.Name));
    }

    [Fact]
    public async Task A_project_with_nothing_to_lock_is_not_locked_after_apply_and_gets_no_lock_file()
    {
        var (root, _, _) = Project();

        await using var apply = await ApplyOperation.PrepareAsync(emulator.Factory(), root, Options(), NullOperationLog.Instance, CancellationToken.None);
        await apply.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None);

        Assert.False(apply.Relocks);
        Assert.Null(await apply.PrepareLockAsync(NullOperationLog.Instance, CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(root, "types.lock")));
    }

    private sealed class RecordingLog : IOperationLog
    {
        public List<string> Messages { get; } = [];

        public void Verbose(string message)
        {
            lock (Messages)
            {
                Messages.Add(message);
            }
        }

        public void Warning(OperationWarning warning)
        {
            lock (Messages)
            {
                Messages.Add(warning.Message);
            }
        }
    }
}
