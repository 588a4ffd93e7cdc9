using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.TypeLock;
using MzDeploy.Tests.Integration.Catalog;
using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.TypeLock;

/// <summary>Locking external dependencies read from the emulator's catalog (no mz-deploy setup needed).</summary>
public sealed class TypeLockOperationTests(CatalogEmulator emulator) : IClassFixture<CatalogEmulator>, IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("mzdeploy-lock-").FullName;

    public void Dispose() => TestData.DeleteQuietly(_project);

    private async Task<TypeLockResult> LockAsync()
    {
        var operation = await TypeLockOperation.PrepareAsync(emulator.Factory(), new TypeLockRequest(_project),
            NullOperationLog.Instance, CancellationToken.None);
        return await operation.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None);
    }

    private void Declare(params string[] dependencies) =>
        File.WriteAllText(Path.Combine(_project, "project.toml"),
            "dependencies = [\n" + string.Join("", dependencies.Select(d => $"    \"{d}\",\n")) + "]\n");

    [Fact]
    public async Task Columns_types_and_nullability_of_tables_views_and_system_relations_are_locked_and_a_rerun_changes_nothing()
    {
        var s = TestData.UniqueName("raw");
        await using (var admin = await emulator.AdminAsync())
        {
            await admin.ExecAsync($"CREATE SCHEMA {s}");
            await admin.ExecAsync($"CREATE TABLE {s}.orders (id bigint NOT NULL, amount numeric(10,2), placed_at timestamptz, note text)");
            await admin.ExecAsync($"CREATE VIEW {s}.big AS SELECT id, amount * 2 AS doubled FROM {s}.orders");
        }

        Declare($"materialize.{s}.orders", $"materialize.{s}.big", "mz_catalog.mz_databases");
        var first = await LockAsync();
        var path = Path.Combine(_project, "types.lock");
        var text = await File.ReadAllTextAsync(path);
        var written = File.GetLastWriteTimeUtc(path);

        Assert.True(first.Changed);
        Assert.Equal(3, first.Objects);
        var read = TypeLockFile.Load(_project)!;
        Assert.Equal(
            [new LockedColumn("id", "bigint", false), new("amount", "numeric(10,2)", true),
             new("placed_at", "timestamp with time zone", true), new("note", "text", true)],
            read.ColumnsOf($"materialize.{s}.orders"));
        Assert.Equal(["id", "doubled"], read.ColumnsOf($"materialize.{s}.big")!.Select(c => c.Name));
        Assert.Contains("name", read.ColumnsOf("mz_catalog.mz_databases")!.Select(c => c.Name));

        await Task.Delay(20);
        var again = await LockAsync();

        Assert.False(again.Changed);
        Assert.Equal(text, await File.ReadAllTextAsync(path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));

        await using (var admin = await emulator.AdminAsync())
        {
            await admin.ExecAsync($"ALTER TABLE {s}.orders ADD COLUMN region text");
        }

        Assert.True((await LockAsync()).Changed);
        Assert.Equal("region", TypeLockFile.Load(_project)!.ColumnsOf($"materialize.{s}.orders")![^1].Name);
    }

    [Fact]
    public async Task A_dependency_the_server_lacks_fails_naming_its_line_and_leaves_the_lock_alone()
    {
        var s = TestData.UniqueName("raw");
        await using (var admin = await emulator.AdminAsync())
        {
            await admin.ExecAsync($"CREATE SCHEMA {s}");
            await admin.ExecAsync($"CREATE TABLE {s}.present (id int)");
        }

        File.WriteAllText(Path.Combine(_project, "types.lock"), "old");
        Declare($"materialize.{s}.present", $"materialize.{s}.absent");

        var e = await Assert.ThrowsAsync<MzDeployException>(LockAsync);

        Assert.Equal("ExternalDependencyNotFound", e.ErrorId);
        Assert.Contains($"× materialize.{s}.absent (project.toml:3:1)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("present", e.Message, StringComparison.Ordinal);
        Assert.Equal("old", File.ReadAllText(Path.Combine(_project, "types.lock")));
    }

    private void Model(string relative, string sql)
    {
        var path = Path.Combine(_project, "models", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, sql);
    }

    [Fact]
    public async Task The_projects_tables_fed_by_a_load_generator_are_locked_with_their_kind_and_those_not_yet_created_are_skipped()
    {
        var db = TestData.UniqueName("tfs");
        await using (var admin = await emulator.AdminAsync())
        {
            // What applying the sources and one of the two tables would have left on the server.
            await admin.ExecAsync($"CREATE DATABASE {db}");
            await admin.ExecAsync($"CREATE SCHEMA {db}.ingest");
            await admin.ExecAsync($"CREATE SOURCE {db}.ingest.auction IN CLUSTER quickstart FROM LOAD GENERATOR AUCTION");
            await admin.ExecAsync($"CREATE TABLE {db}.ingest.bids FROM SOURCE {db}.ingest.auction (REFERENCE \"auction\".\"bids\")");
        }

        Declare();
        Model($"{db}/ingest/auction.sql", "CREATE SOURCE auction IN CLUSTER quickstart FROM LOAD GENERATOR AUCTION;\n");
        Model($"{db}/ingest/bids.sql", "CREATE TABLE bids FROM SOURCE auction (REFERENCE \"auction\".\"bids\");\n");
        Model($"{db}/ingest/users.sql", "CREATE TABLE users FROM SOURCE auction (REFERENCE \"auction\".\"users\");\n");

        var first = await LockAsync();
        var path = Path.Combine(_project, "types.lock");
        var text = await File.ReadAllTextAsync(path);

        Assert.True(first.Changed);
        Assert.Equal(1, first.Objects);
        Assert.Equal([$"{db}.ingest.users"], first.Skipped);
        var read = TypeLockFile.Load(_project)!;
        // In mz-deploy's file a table fed by a source is a table (mz-deploy has no kind for it): no kind line.
        Assert.Equal("table", read.KindOf($"{db}.ingest.bids"));
        Assert.Equal(["id", "buyer", "auction_id", "amount", "bid_time"], read.ColumnsOf($"{db}.ingest.bids")!.Select(c => c.Name));
        Assert.Equal("timestamp with time zone", read.ColumnsOf($"{db}.ingest.bids")![^1].Type);
        Assert.Contains($"[[table]]\ndatabase = \"{db}\"\nschema = \"ingest\"\nname = \"bids\"\ncolumns = [\n    {{ name = \"id\", type = \"bigint\"",
            text, StringComparison.Ordinal);

        await using (var admin = await emulator.AdminAsync())
        {
            await admin.ExecAsync($"CREATE TABLE {db}.ingest.users FROM SOURCE {db}.ingest.auction (REFERENCE \"auction\".\"users\")");
        }

        var second = await LockAsync();

        Assert.True(second.Changed);
        Assert.Empty(second.Skipped);
        Assert.Equal(["id", "org_id", "name"], TypeLockFile.Load(_project)!.ColumnsOf($"{db}.ingest.users")!.Select(c => c.Name));
        var again = await LockAsync();
        Assert.False(again.Changed);
    }

    [Fact]
    public async Task Declared_dependencies_record_the_catalogs_kind()
    {
        var s = TestData.UniqueName("raw");
        await using (var admin = await emulator.AdminAsync())
        {
            await admin.ExecAsync($"CREATE SCHEMA {s}");
            await admin.ExecAsync($"CREATE TABLE {s}.t (id int)");
            await admin.ExecAsync($"CREATE VIEW {s}.v AS SELECT id FROM {s}.t");
            await admin.ExecAsync($"CREATE MATERIALIZED VIEW {s}.mv IN CLUSTER quickstart AS SELECT id FROM {s}.t");
            await admin.ExecAsync($"CREATE SOURCE {s}.ticker IN CLUSTER quickstart FROM LOAD GENERATOR COUNTER");
        }

        Declare($"materialize.{s}.t", $"materialize.{s}.v", $"materialize.{s}.mv", $"materialize.{s}.ticker");
        await LockAsync();
        var read = TypeLockFile.Load(_project)!;

        Assert.Equal(["table", "view", "materialized-view", "source"],
            new[] { "t", "v", "mv", "ticker" }.Select(n => read.KindOf($"materialize.{s}.{n}")));
    }
}
