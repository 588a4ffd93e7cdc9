namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// Cluster options of several words (AUTO SCALING STRATEGY, INTROSPECTION INTERVAL, options the emulator does
/// not know) survive CREATE, ALTER … SET/RESET and SHOW CREATE CLUSTER, which prints them in Materialize's form:
/// the deploy engine clones a production cluster from that output and compares it with project files.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ClusterOptionTests(EmulatorFixture emulator)
{
    private const string Burst = "(ON HYDRATION (HYDRATION SIZE = '800cc', LINGER DURATION = '10m'))";

    [Fact]
    public async Task SHOW_CREATE_CLUSTER_prints_every_option_with_all_its_words_in_Materializes_form()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("opts");
        await connection.ExecAsync(
            $"CREATE CLUSTER {name} (SIZE = '25cc', AUTO SCALING STRATEGY = {Burst}, EXPERIMENTAL ARRANGEMENT COMPRESSION = true, " +
            "introspection interval = '5s', INTROSPECTION DEBUGGING = 'on', AVAILABILITY ZONES = ('use1-az1', 'use1-az2'))");

        Assert.Equal(
            $"CREATE CLUSTER \"{name}\" (INTROSPECTION DEBUGGING = true, INTROSPECTION INTERVAL = INTERVAL '00:00:05', MANAGED = true, " +
            $"REPLICATION FACTOR = 1, SIZE = '25cc', SCHEDULE = MANUAL, AUTO SCALING STRATEGY = {Burst}, " +
            "AVAILABILITY ZONES = ('use1-az1', 'use1-az2'), EXPERIMENTAL ARRANGEMENT COMPRESSION = true)",
            await ShowCreateAsync(connection, name));
        var catalog = (await connection.RowsAsync(
            $"SELECT introspection_debugging, introspection_interval::text FROM mz_clusters WHERE name = '{name}'")).Single();
        Assert.Equal([true, "00:00:05"], catalog);
    }

    [Fact]
    public async Task A_cluster_created_from_SHOW_CREATE_CLUSTER_shows_the_same_statement()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("orig");
        await connection.ExecAsync($"CREATE CLUSTER {name} (SIZE = 'small', REPLICATION FACTOR = 2, AUTO SCALING STRATEGY = {Burst})");
        var original = await ShowCreateAsync(connection, name);

        await connection.ExecAsync(original.Replace($"\"{name}\"", $"\"{name}_clone\""));

        Assert.Equal(original.Replace($"\"{name}\"", $"\"{name}_clone\""), await ShowCreateAsync(connection, name + "_clone"));
    }

    [Fact]
    public async Task ALTER_CLUSTER_SET_and_RESET_take_options_of_several_words()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("alter_opts");
        await connection.ExecAsync($"CREATE CLUSTER {name} (SIZE = '25cc')");

        await connection.ExecAsync($"ALTER CLUSTER {name} SET (AUTO SCALING STRATEGY = {Burst}, INTROSPECTION INTERVAL = '2s', SCHEDULE = manual)");
        Assert.Equal(
            $"CREATE CLUSTER \"{name}\" (INTROSPECTION DEBUGGING = false, INTROSPECTION INTERVAL = INTERVAL '00:00:02', MANAGED = true, " +
            $"REPLICATION FACTOR = 1, SIZE = '25cc', SCHEDULE = MANUAL, AUTO SCALING STRATEGY = {Burst})",
            await ShowCreateAsync(connection, name));

        await connection.ExecAsync($"ALTER CLUSTER {name} RESET (AUTO SCALING STRATEGY, INTROSPECTION INTERVAL)");
        Assert.Equal(
            $"CREATE CLUSTER \"{name}\" (INTROSPECTION DEBUGGING = false, INTROSPECTION INTERVAL = INTERVAL '00:00:01', MANAGED = true, " +
            "REPLICATION FACTOR = 1, SIZE = '25cc', SCHEDULE = MANUAL)",
            await ShowCreateAsync(connection, name));
    }

    [Fact]
    public async Task An_invalid_introspection_setting_is_refused()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("bad_opts");
        Assert.Equal("invalid INTROSPECTION INTERVAL: 'soon'",
            (await connection.FailsAsync($"CREATE CLUSTER {name} (SIZE = '25cc', INTROSPECTION INTERVAL = 'soon')")).MessageText);
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_clusters WHERE name = '{name}'"));
    }

    private static async Task<string> ShowCreateAsync(Npgsql.NpgsqlConnection connection, string cluster) =>
        (string)(await connection.RowsAsync($"SHOW CREATE CLUSTER \"{cluster}\"")).Single()[1]!;
}
