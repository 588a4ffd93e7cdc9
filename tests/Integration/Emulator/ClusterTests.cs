using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

[Collection(EmulatorCollection.Name)]
public sealed class ClusterTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task A_fresh_emulator_has_quickstart_and_the_system_clusters()
    {
        await using var connection = await emulator.OpenAsync();
        var clusters = await connection.RowsAsync(
            "SELECT id, name, managed, size, replication_factor FROM mz_catalog.mz_clusters WHERE name = 'quickstart' OR id LIKE 's%' ORDER BY id");
        Assert.Equal(
            ["s1 mz_system", "s2 mz_catalog_server", "s3 mz_probe", "s4 mz_support", "s5 mz_analytics", "u1 quickstart"],
            clusters.Select(r => $"{r[0]} {r[1]}"));
        var quickstart = clusters.Single(r => (string)r[1]! == "quickstart");
        Assert.Equal(true, quickstart[2]);
        Assert.Equal(1, quickstart[4]);
        Assert.Equal(1L, await connection.ScalarAsync(
            "SELECT count(*) FROM mz_catalog.mz_cluster_replicas r JOIN mz_catalog.mz_clusters c ON c.id = r.cluster_id WHERE c.name = 'quickstart'"));
    }

    [Fact]
    public async Task CREATE_CLUSTER_managed_makes_one_replica_per_replication_factor()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("managed");
        await connection.ExecAsync($"CREATE CLUSTER {name} (SIZE = '25cc', REPLICATION FACTOR = 2, SCHEDULE = MANUAL)");

        var cluster = (await connection.RowsAsync(
            $"SELECT id, managed, size, replication_factor::int FROM mz_catalog.mz_clusters WHERE name = '{name}'")).Single();
        Assert.StartsWith("u", (string)cluster[0]!);
        Assert.Equal(true, cluster[1]);
        Assert.Equal("25cc", cluster[2]);
        Assert.Equal(2, cluster[3]);
        var replicas = await connection.RowsAsync(
            $"SELECT r.name, r.size, r.id FROM mz_catalog.mz_cluster_replicas r WHERE r.cluster_id = '{cluster[0]}' ORDER BY r.name");
        Assert.Equal(["r1 25cc", "r2 25cc"], replicas.Select(r => $"{r[0]} {r[1]}"));
        Assert.All(replicas, r => Assert.StartsWith("u", (string)r[2]!));

        Assert.Equal($"CREATE CLUSTER \"{name}\" (INTROSPECTION DEBUGGING = false, INTROSPECTION INTERVAL = INTERVAL '00:00:01', "
                     + "MANAGED = true, REPLICATION FACTOR = 2, SIZE = '25cc', SCHEDULE = MANUAL)",
            (await connection.RowsAsync($"SHOW CREATE CLUSTER {name}")).Single()[1]);
    }

    [Fact]
    public async Task CREATE_CLUSTER_accepts_the_older_syntax_without_parentheses()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("old");
        await connection.ExecAsync($"CREATE CLUSTER {name} SIZE 'xsmall', REPLICATION FACTOR 0");
        Assert.Equal(0L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id WHERE c.name = '{name}'"));
    }

    [Fact]
    public async Task Unmanaged_clusters_take_explicit_replicas_and_CREATE_CLUSTER_REPLICA()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("unmanaged");
        await connection.ExecAsync($"CREATE CLUSTER {name} (MANAGED = false, REPLICAS (a (SIZE = 'small'), b (SIZE = 'large')))");
        await connection.ExecAsync($"CREATE CLUSTER REPLICA {name}.c (SIZE = 'medium')");
        var replicas = await connection.RowsAsync(
            $"SELECT r.name, r.size FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id WHERE c.name = '{name}' ORDER BY 1");
        Assert.Equal(["a small", "b large", "c medium"], replicas.Select(r => $"{r[0]} {r[1]}"));
        Assert.Equal(false, await connection.ScalarAsync($"SELECT managed FROM mz_clusters WHERE name = '{name}'"));

        await connection.ExecAsync($"DROP CLUSTER REPLICA {name}.b");
        Assert.Equal(2L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id WHERE c.name = '{name}'"));

        var error = await connection.FailsAsync($"CREATE CLUSTER REPLICA quickstart.r9 (SIZE = 'x')");
        Assert.Equal("cannot modify managed cluster quickstart", error.MessageText);
    }

    [Fact]
    public async Task ALTER_CLUSTER_SET_changes_replicas_and_a_new_size_replaces_them()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("alter");
        await connection.ExecAsync($"CREATE CLUSTER {name} (SIZE = 'xsmall')");
        var before = (string)(await connection.ScalarAsync(
            $"SELECT r.id FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id WHERE c.name = '{name}'"))!;

        await connection.ExecAsync($"ALTER CLUSTER {name} SET (REPLICATION FACTOR = 3)");
        Assert.Equal(["r1", "r2", "r3"], (await connection.RowsAsync(
            $"SELECT r.name FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id WHERE c.name = '{name}' ORDER BY 1"))
            .Select(r => (string)r[0]!));

        await connection.ExecAsync($"ALTER CLUSTER {name} SET (SIZE = 'large', REPLICATION FACTOR = 1) WITH (WAIT FOR '1s')");
        var after = (await connection.RowsAsync(
            $"SELECT r.id, r.size FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id WHERE c.name = '{name}'")).Single();
        Assert.Equal("large", after[1]);
        Assert.NotEqual(before, after[0]);
        Assert.Equal("large", await connection.ScalarAsync($"SELECT size FROM mz_clusters WHERE name = '{name}'"));
    }

    [Fact]
    public async Task Cluster_errors_read_like_Materialize()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("dup");
        await connection.ExecAsync($"CREATE CLUSTER {name} (SIZE = 'xsmall')");
        Assert.Equal($"cluster '{name}' already exists",
            (await connection.FailsAsync($"CREATE CLUSTER {name} (SIZE = 'xsmall')")).MessageText);
        Assert.Equal("unknown cluster 'nope'", (await connection.FailsAsync("ALTER CLUSTER nope SET (SIZE = 'x')")).MessageText);
        Assert.Equal("system cluster 'mz_system' cannot be modified", (await connection.FailsAsync("DROP CLUSTER mz_system")).MessageText);
        Assert.Equal("cluster name \"mz_mine\" is reserved", (await connection.FailsAsync("CREATE CLUSTER mz_mine (SIZE = 'x')")).MessageText);
        Assert.Equal("must specify SIZE for a managed cluster", (await connection.FailsAsync($"CREATE CLUSTER {name}_b")).MessageText);
        await connection.ExecAsync("DROP CLUSTER IF EXISTS never_was CASCADE");
    }

    [Fact]
    public async Task DROP_CLUSTER_removes_the_cluster_and_its_replicas()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("gone");
        await connection.ExecAsync($"CREATE CLUSTER {name} (SIZE = 'xsmall', REPLICATION FACTOR = 2)");
        var id = (string)(await connection.ScalarAsync($"SELECT id FROM mz_clusters WHERE name = '{name}'"))!;
        await connection.ExecAsync($"DROP CLUSTER {name} CASCADE");
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_clusters WHERE name = '{name}'"));
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_cluster_replicas WHERE cluster_id = '{id}'"));
    }

    [Fact]
    public async Task Cluster_swaps_in_a_transaction_commit_atomically_and_roll_back_completely()
    {
        await using var connection = await emulator.OpenAsync();
        var blue = TestData.UniqueName("blue");
        var green = TestData.UniqueName("green");
        await connection.ExecAsync($"CREATE CLUSTER {blue} (SIZE = 'small')");
        await connection.ExecAsync($"CREATE CLUSTER {green} (SIZE = 'large')");
        var blueId = await connection.ScalarAsync($"SELECT id FROM mz_clusters WHERE name = '{blue}'");

        await using (var tx = await connection.BeginTransactionAsync())
        {
            await connection.ExecAsync($"ALTER CLUSTER {blue} SWAP WITH {green}");
            await tx.RollbackAsync();
        }
        Assert.Equal("small", await connection.ScalarAsync($"SELECT size FROM mz_clusters WHERE name = '{blue}'"));

        await using (var tx = await connection.BeginTransactionAsync())
        {
            await connection.ExecAsync($"ALTER CLUSTER {blue} SWAP WITH {green}");
            await connection.ExecAsync($"ALTER CLUSTER {green} RENAME TO {green}_old");
            await tx.CommitAsync();
        }
        Assert.Equal("large", await connection.ScalarAsync($"SELECT size FROM mz_clusters WHERE name = '{blue}'"));
        Assert.Equal(blueId, await connection.ScalarAsync($"SELECT id FROM mz_clusters WHERE name = '{green}_old'"));
    }

    [Fact]
    public void Several_swaps_in_one_query_string_with_BEGIN_commit_together()
    {
        using var raw = emulator.Raw();
        var a = TestData.UniqueName("qa");
        var b = TestData.UniqueName("qb");
        raw.Query($"CREATE CLUSTER {a} (SIZE = '25cc')");
        raw.Query($"CREATE CLUSTER {b} (SIZE = '50cc')");
        Assert.Equal(["BEGIN", "ALTER CLUSTER", "ALTER CLUSTER", "COMMIT"],
            raw.Query($"BEGIN; ALTER CLUSTER {a} SWAP WITH {b}; ALTER CLUSTER {a} RENAME TO {a}_x; COMMIT"));
        Assert.Equal('I', raw.TransactionStatus);
    }

    [Fact]
    public async Task SHOW_CLUSTERS_lists_clusters_with_replicas()
    {
        await using var connection = await emulator.OpenAsync();
        var row = (await connection.RowsAsync("SHOW CLUSTERS")).Single(r => (string)r[0]! == "quickstart");
        Assert.Equal("r1 (25cc)", row[1]);
    }

    [Fact]
    public async Task Of_two_racing_swap_transactions_the_later_one_fails()
    {
        var a = TestData.UniqueName("race_a");
        var b = TestData.UniqueName("race_b");
        await using var first = await emulator.OpenAsync();
        await using var second = new Npgsql.NpgsqlConnection(emulator.ConnectionString + ";Pooling=false");
        await second.OpenAsync();
        await first.ExecAsync($"CREATE CLUSTER {a} (SIZE = '25cc')");
        await first.ExecAsync($"CREATE CLUSTER {b} (SIZE = '50cc')");

        await using var tx1 = await first.BeginTransactionAsync();
        await first.ExecAsync($"ALTER CLUSTER {a} SWAP WITH {b}");
        await using var tx2 = await second.BeginTransactionAsync();
        var racing = second.ExecAsync($"ALTER CLUSTER {a} SWAP WITH {b}");
        await Task.Delay(300);
        Assert.False(racing.IsCompleted);
        await tx1.CommitAsync();

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => racing);
        Assert.Equal("another session modified the catalog while this DDL transaction was open", error.MessageText);
        await tx2.RollbackAsync();
        Assert.Equal("50cc", await first.ScalarAsync($"SELECT size FROM mz_clusters WHERE name = '{a}'"));
    }
}
