using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning.Delete;
using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Catalog;

/// <summary>Delete's reads and its one DROP against the emulator's catalog, including a refusal only the server sees.</summary>
public sealed class DeleteOperationTests(SetUpEmulator emulator) : IClassFixture<SetUpEmulator>
{
    private Task<DeleteOperation> PrepareAsync(InfrastructureKind kind, string name) =>
        DeleteOperation.PrepareAsync(emulator.Factory(), new DeleteRequest(kind, name), NullOperationLog.Instance, CancellationToken.None);

    private async Task<long> CountAsync(string sql)
    {
        await using var admin = await emulator.AdminAsync();
        return (long)(await admin.ScalarAsync(sql))!;
    }

    [Fact]
    public async Task A_source_is_refused_for_the_table_fed_by_it_and_drops_once_the_table_is_gone()
    {
        var s = TestData.UniqueName("del");
        await using (var admin = await emulator.AdminAsync())
        {
            await admin.ExecAsync($"CREATE SCHEMA {s}");
            await admin.ExecAsync($"CREATE SECRET {s}.pw AS 'pw'");
            await admin.ExecAsync($"CREATE CONNECTION {s}.pg TO POSTGRES (HOST 'db', DATABASE 'app', USER 'u', PASSWORD SECRET {s}.pw)");
            await admin.ExecAsync($"CREATE SOURCE {s}.src IN CLUSTER quickstart FROM POSTGRES CONNECTION {s}.pg (PUBLICATION 'mz')");
            await admin.ExecAsync($"CREATE TABLE {s}.orders FROM SOURCE {s}.src (REFERENCE public.orders)");
        }

        var refused = await Assert.ThrowsAsync<MzDeployException>(() => PrepareAsync(InfrastructureKind.Source, $"materialize.{s}.src"));
        Assert.Equal("ObjectHasDependents", refused.ErrorId);
        Assert.Equal([$"materialize.{s}.orders (table)"], Assert.IsType<DropDependentsFirst>(refused.Remedy).Dependents);

        await using (var table = await PrepareAsync(InfrastructureKind.Table, $"materialize.{s}.orders"))
        {
            await table.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None);
        }

        await using (var source = await PrepareAsync(InfrastructureKind.Source, $"materialize.{s}.src"))
        {
            var result = await source.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None);
            Assert.Equal($"DROP SOURCE \"materialize\".\"{s}\".\"src\"", result.Statement);
        }

        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM mz_sources o JOIN mz_schemas c ON c.id = o.schema_id WHERE c.name = '{s}'"));
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM mz_connections o JOIN mz_schemas c ON c.id = o.schema_id WHERE c.name = '{s}'"));
    }

    [Fact]
    public async Task A_role_the_server_refuses_to_drop_is_reported_as_having_dependents_and_stays()
    {
        var role = TestData.UniqueName("holder");
        var s = TestData.UniqueName("del");
        await using (var admin = await emulator.AdminAsync())
        {
            await admin.ExecAsync($"CREATE ROLE {role}");
            await admin.ExecAsync($"CREATE SCHEMA {s}");
            await admin.ExecAsync($"CREATE TABLE {s}.t (id int)");
            // A privilege: the catalog reads of Prepare do not list it, the server refuses the drop for it.
            await admin.ExecAsync($"GRANT SELECT ON TABLE {s}.t TO {role}");
        }

        await using var operation = await PrepareAsync(InfrastructureKind.Role, role);
        var refused = await Assert.ThrowsAsync<MzDeployException>(() => operation.ExecuteAsync(NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal("ObjectHasDependents", refused.ErrorId);
        Assert.StartsWith($"cannot drop role '{role}': objects depend on it (", refused.Message, StringComparison.Ordinal);
        Assert.Contains("2BP01", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM mz_roles WHERE name = '{role}'"));
    }

    [Fact]
    public async Task A_role_that_owns_a_cluster_is_refused_naming_it()
    {
        var role = TestData.UniqueName("owner");
        var cluster = TestData.UniqueName("owned");
        await using (var admin = await emulator.AdminAsync())
        {
            await admin.ExecAsync($"CREATE ROLE {role}");
            await admin.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = '25cc')");
            await admin.ExecAsync($"ALTER CLUSTER {cluster} OWNER TO {role}");
        }

        var refused = await Assert.ThrowsAsync<MzDeployException>(() => PrepareAsync(InfrastructureKind.Role, role));

        Assert.Equal("ObjectHasDependents", refused.ErrorId);
        Assert.Equal([$"{cluster} (owned cluster)"], Assert.IsType<DropDependentsFirst>(refused.Remedy).Dependents);
    }
}
