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
}
