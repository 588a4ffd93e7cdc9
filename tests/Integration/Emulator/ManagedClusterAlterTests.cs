using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// ALTER CLUSTER … SET / RESET on a managed cluster, as Invoke-MzApply uses it: in place (the cluster keeps its id),
/// shown in mz_clusters and mz_cluster_replicas, and only by the owner. Docs: /sql/alter-cluster/.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ManagedClusterAlterTests(EmulatorFixture emulator)
{
    private static async Task<(object? Id, object? Size, object? Factor, List<object?[]> Replicas)> ReadAsync(NpgsqlConnection connection, string cluster)
    {
        var row = (await connection.RowsAsync($"SELECT id, size, replication_factor FROM mz_clusters WHERE name = '{cluster}'")).Single();
        var replicas = await connection.RowsAsync(
            $"SELECT r.name, r.size FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id WHERE c.name = '{cluster}' ORDER BY r.name");
        return (row[0], row[1], row[2], replicas);
    }

    [Fact]
    public async Task SIZE_and_REPLICATION_FACTOR_change_in_place_and_RESET_returns_to_the_default()
    {
        await using var connection = await emulator.OpenAsync();
        var cluster = TestData.UniqueName("apply");
        await connection.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = '25cc')");
        var created = await ReadAsync(connection, cluster);
        Assert.Equal("25cc", created.Size);
        Assert.Equal(1, Convert.ToInt32(created.Factor));
        Assert.Equal([["r1", "25cc"]], created.Replicas);

        await connection.ExecAsync($"ALTER CLUSTER {cluster} SET (SIZE = '50cc', REPLICATION FACTOR = 2)");
        var altered = await ReadAsync(connection, cluster);
        Assert.Equal(created.Id, altered.Id);
        Assert.Equal("50cc", altered.Size);
        Assert.Equal(2, Convert.ToInt32(altered.Factor));
        Assert.Equal([["r1", "50cc"], ["r2", "50cc"]], altered.Replicas);

        await connection.ExecAsync($"ALTER CLUSTER {cluster} RESET (REPLICATION FACTOR)");
        var reset = await ReadAsync(connection, cluster);
        Assert.Equal(created.Id, reset.Id);
        Assert.Equal(1, Convert.ToInt32(reset.Factor));
        Assert.Equal([["r1", "50cc"]], reset.Replicas);
    }

    [Fact]
    public async Task Only_the_owner_alters_a_cluster()
    {
        await using var admin = await emulator.OpenAsync();
        var cluster = TestData.UniqueName("owned");
        var role = TestData.UniqueName("clu");
        await admin.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = '25cc')");
        await admin.ExecAsync($"CREATE ROLE {role} WITH LOGIN PASSWORD 's3cret'");
        await using var user = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={emulator.Server.Port};Username={role};Password=s3cret;Database=materialize;Pooling=false");
        await user.OpenAsync();

        var error = await user.FailsAsync($"ALTER CLUSTER {cluster} SET (SIZE = '50cc')");
        Assert.Equal("42501", error.SqlState);
        Assert.Equal($"must be owner of CLUSTER {cluster}", error.MessageText);
        Assert.Equal("25cc", (await ReadAsync(admin, cluster)).Size);
    }
}
