using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Fidelity;

/// <summary>
/// Issue 12, group 5: cluster DDL answers as Materialize answers it. Each case: the statement, Materialize's
/// documented answer, and where it is documented.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ClustersFidelityTests(EmulatorFixture emulator)
{
    // https://materialize.com/docs/sql/create-cluster/#size — a size must be one the region offers
    // (mz_catalog.mz_cluster_replica_sizes); Materialize answers "unknown cluster replica size …".
    [Theory]
    [InlineData("CREATE CLUSTER {0} (SIZE = 'abc')", "unknown cluster replica size abc")]
    [InlineData("CREATE CLUSTER {0} SIZE 'abc'", "unknown cluster replica size abc")]
    [InlineData("CREATE CLUSTER {0} (MANAGED = false, REPLICAS (r1 (SIZE = 'huge')))", "unknown cluster replica size huge")]
    public async Task Unknown_sizes_are_refused(string statement, string message)
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("size");
        var error = await connection.FailsAsync(string.Format(statement, name));
        Assert.Equal(message, error.MessageText);
        Assert.StartsWith("Valid cluster replica sizes are: ", error.Hint);
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_clusters WHERE name = '{name}'"));
    }

    // https://materialize.com/docs/sql/create-cluster/#size — Cloud's sizes (cc, M.1) and a local
    // Materialize's (scale=…,workers=…) are accepted.
    [Theory]
    [InlineData("25cc")]
    [InlineData("M.1-small")]
    [InlineData("scale=1,workers=1")]
    public async Task Sizes_the_region_offers_are_accepted(string size)
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("ok");
        await connection.ExecAsync($"CREATE CLUSTER {name} (SIZE = '{size}')");
        Assert.Equal(size, await connection.ScalarAsync($"SELECT size FROM mz_clusters WHERE name = '{name}'"));
        Assert.Equal(true, await connection.ScalarAsync($"SELECT count(*) = 1 FROM mz_cluster_replica_sizes WHERE size = '{size}'"));
    }

    // https://materialize.com/docs/sql/create-cluster/ — SIZE takes a string; SIZE NULL is no size.
    [Fact]
    public async Task SIZE_NULL_is_refused()
    {
        await using var connection = await emulator.OpenAsync();
        var error = await connection.FailsAsync($"CREATE CLUSTER {TestData.UniqueName("null")} (SIZE NULL)");
        Assert.Contains("invalid SIZE", error.MessageText);
    }

    // https://materialize.com/docs/sql/create-cluster/ and /docs/sql/alter-cluster/ — an option given twice
    // is an error ("… specified more than once"), not "the last one wins".
    [Theory]
    [InlineData("CREATE CLUSTER {0} (SIZE = '25cc', SIZE = '50cc')", "SIZE specified more than once")]
    [InlineData("CREATE CLUSTER {0} (SIZE = '25cc', REPLICATION FACTOR = 1, REPLICATION FACTOR = 2)", "REPLICATION FACTOR specified more than once")]
    [InlineData("ALTER CLUSTER quickstart SET (SIZE = '25cc', SIZE = '25cc')", "SIZE specified more than once")]
    public async Task Duplicate_options_are_refused(string statement, string message)
    {
        await using var connection = await emulator.OpenAsync();
        var error = await connection.FailsAsync(string.Format(statement, TestData.UniqueName("dup")));
        Assert.Equal(message, error.MessageText);
    }

    // https://materialize.com/docs/sql/create-cluster/#replication-factor — replicas per cluster are limited
    // (max_replicas_per_cluster); an absurd REPLICATION FACTOR is refused rather than provisioned.
    [Theory]
    [InlineData("CREATE CLUSTER {0} (SIZE = '25cc', REPLICATION FACTOR = 1000)")]
    [InlineData("CREATE CLUSTER {0} (SIZE = '25cc', REPLICATION FACTOR = 4294967296)")]
    [InlineData("CREATE CLUSTER {0} (SIZE = '25cc', REPLICATION FACTOR = -1)")]
    public async Task Absurd_replication_factors_are_refused(string statement)
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("rf");
        var error = await connection.FailsAsync(string.Format(statement, name));
        Assert.Matches("max_replicas_per_cluster|REPLICATION FACTOR", error.MessageText);
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_cluster_replicas"
            + $" WHERE cluster_id IN (SELECT id FROM mz_clusters WHERE name = '{name}')"));
    }

    [Fact]
    public async Task Raising_the_replication_factor_past_the_limit_is_refused()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("rfa");
        await connection.ExecAsync($"CREATE CLUSTER {name} (SIZE = '25cc', REPLICATION FACTOR = 5)");
        var error = await connection.FailsAsync($"ALTER CLUSTER {name} SET (REPLICATION FACTOR = 6)");
        Assert.Equal("creating cluster replica would violate max_replicas_per_cluster limit (desired: 6, limit: 5, current: 5)", error.MessageText);
    }

    // https://materialize.com/docs/sql/create-cluster/#availability-zones — zones must exist in the region.
    [Theory]
    [InlineData("('mars-1')", "unknown cluster replica availability zone mars-1")]
    [InlineData("('use1-az1', 'use1-az1')", "AVAILABILITY ZONES must not contain duplicates")]
    public async Task Unknown_or_repeated_availability_zones_are_refused(string zones, string message)
    {
        await using var connection = await emulator.OpenAsync();
        var error = await connection.FailsAsync($"CREATE CLUSTER {TestData.UniqueName("az")} (SIZE = '25cc', AVAILABILITY ZONES = {zones})");
        Assert.Equal(message, error.MessageText);
    }

    // https://materialize.com/docs/sql/drop-cluster-replica/ and /docs/sql/create-cluster-replica/ — the replicas of a
    // managed cluster are the system's: they change only through ALTER CLUSTER … SET (REPLICATION FACTOR …).
    [Fact]
    public async Task Replicas_of_a_managed_cluster_cannot_be_dropped_or_added_by_hand()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("managed");
        await connection.ExecAsync($"CREATE CLUSTER {name} (SIZE = '25cc', REPLICATION FACTOR = 2)");
        var drop = await connection.FailsAsync($"DROP CLUSTER REPLICA {name}.r1");
        Assert.Equal($"cannot modify managed cluster {name}", drop.MessageText);
        var create = await connection.FailsAsync($"CREATE CLUSTER REPLICA {name}.r3 (SIZE = '25cc')");
        Assert.Equal($"cannot modify managed cluster {name}", create.MessageText);
        Assert.Equal(2L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_cluster_replicas WHERE cluster_id = (SELECT id FROM mz_clusters WHERE name = '{name}')"));
    }

    // https://materialize.com/docs/sql/alter-cluster/#converting-unmanaged-to-managed-clusters —
    // ALTER CLUSTER c SET (MANAGED, SIZE = …): MANAGED alone means true.
    [Fact]
    public async Task An_unmanaged_cluster_becomes_managed_with_SET_MANAGED_and_SIZE()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("convert");
        await connection.ExecAsync($"CREATE CLUSTER {name} (MANAGED = false, REPLICAS (r1 (SIZE = '25cc')))");
        await connection.ExecAsync($"ALTER CLUSTER {name} SET (MANAGED, SIZE = '25cc')");
        var row = (await connection.RowsAsync($"SELECT managed, size, replication_factor::int FROM mz_clusters WHERE name = '{name}'")).Single();
        Assert.Equal(new object?[] { true, "25cc", 1 }, row);
        Assert.Equal("r1", await connection.ScalarAsync(
            $"SELECT string_agg(name, ',') FROM mz_cluster_replicas WHERE cluster_id = (SELECT id FROM mz_clusters WHERE name = '{name}')"));
    }

    // https://materialize.com/docs/sql/alter-cluster/ — a new size is checked like CREATE CLUSTER's.
    [Fact]
    public async Task ALTER_CLUSTER_SET_SIZE_refuses_an_unknown_size_and_keeps_the_old_one()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("resize");
        await connection.ExecAsync($"CREATE CLUSTER {name} (SIZE = '25cc')");
        var error = await connection.FailsAsync($"ALTER CLUSTER {name} SET (SIZE = 'abc')");
        Assert.Equal("unknown cluster replica size abc", error.MessageText);
        Assert.Equal("25cc", await connection.ScalarAsync($"SELECT size FROM mz_clusters WHERE name = '{name}'"));
    }

    // https://materialize.com/docs/sql/create-cluster/#scheduling — SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = …)
    // is one option; SHOW CREATE CLUSTER gives it back whole.
    [Fact]
    public async Task SCHEDULE_ON_REFRESH_is_kept_whole()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("sched");
        await connection.ExecAsync($"CREATE CLUSTER {name} (SIZE = '25cc', SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = '1 hour'))");
        var sql = (string)(await connection.RowsAsync($"SHOW CREATE CLUSTER {name}")).Single()[1]!;
        Assert.Contains("SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = '1 hour')", sql);
        await connection.ExecAsync($"ALTER CLUSTER {name} SET (SCHEDULE = MANUAL)");
        sql = (string)(await connection.RowsAsync($"SHOW CREATE CLUSTER {name}")).Single()[1]!;
        Assert.Contains("SCHEDULE = MANUAL", sql);
    }

    // https://materialize.com/docs/sql/create-cluster/#scheduling — a scheduled cluster's replicas follow its
    // schedule: REPLICATION FACTOR with SCHEDULE = ON REFRESH is refused (create and alter); SHOW CREATE CLUSTER
    // of such a cluster leaves it out, so the statement runs again.
    [Fact]
    public async Task REPLICATION_FACTOR_with_SCHEDULE_ON_REFRESH_is_refused()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("sched");
        const string Message = "REPLICATION FACTOR cannot be given together with any SCHEDULE other than MANUAL";
        var error = await connection.FailsAsync(
            $"CREATE CLUSTER {name} (SIZE = '25cc', REPLICATION FACTOR = 1, SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = '1 hour'))");
        Assert.Equal(Message, error.MessageText);

        await connection.ExecAsync($"CREATE CLUSTER {name} (SIZE = '25cc', SCHEDULE = ON REFRESH)");
        Assert.Equal(Message, (await connection.FailsAsync($"ALTER CLUSTER {name} SET (REPLICATION FACTOR = 2)")).MessageText);
        var sql = (string)(await connection.RowsAsync($"SHOW CREATE CLUSTER {name}")).Single()[1]!;
        Assert.DoesNotContain("REPLICATION FACTOR", sql);
        await connection.ExecAsync($"DROP CLUSTER {name}");
        await connection.ExecAsync(sql);
        await connection.ExecAsync($"ALTER CLUSTER {name} SET (SCHEDULE = MANUAL, REPLICATION FACTOR = 2)");
        Assert.Equal(2, Convert.ToInt32(await connection.ScalarAsync($"SELECT replication_factor FROM mz_clusters WHERE name = '{name}'")));
    }

    // https://github.com/MaterializeInc/materialize/pull/28470 — "[WORKLOAD CLASS] is internal and can only be
    // specified by the system user": a client's CREATE CLUSTER or ALTER CLUSTER naming it is refused.
    [Theory]
    [InlineData("CREATE CLUSTER {0} (SIZE = '1', WORKLOAD CLASS = 'production')")]
    [InlineData("ALTER CLUSTER {0}_x SET (WORKLOAD CLASS = 'production')")]
    [InlineData("ALTER CLUSTER {0}_x RESET (WORKLOAD CLASS)")]
    public async Task WORKLOAD_CLASS_is_refused_for_users(string statement)
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("wc");
        await connection.ExecAsync($"CREATE CLUSTER {name}_x (SIZE = '1')");
        var error = await connection.FailsAsync(string.Format(statement, name));
        Assert.Equal("42501", error.SqlState);
        Assert.Equal("WORKLOAD CLASS may only be set by the mz_system user", error.MessageText);
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_clusters WHERE name = '{name}'"));
    }
}

