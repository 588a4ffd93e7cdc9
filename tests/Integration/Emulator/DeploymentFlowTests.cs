namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>The SQL a blue/green deploy tool sends, end to end: setup, stage, wait, promote, clean up.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class DeploymentFlowTests(EmulatorFixture emulator)
{
    private const string ReadinessQuery = """
        WITH replicas AS (
            SELECT c.name AS cluster, r.id AS replica_id
            FROM mz_catalog.mz_clusters c JOIN mz_catalog.mz_cluster_replicas r ON r.cluster_id = c.id
            WHERE c.name = $1
        ),
        hydration AS (
            SELECT COUNT(*) FILTER (WHERE h.hydrated) AS hydrated, COUNT(*) AS total
            FROM mz_internal.mz_hydration_statuses h JOIN replicas r ON r.replica_id = h.replica_id
        ),
        lag AS (
            SELECT max(EXTRACT(EPOCH FROM l.lag))::bigint AS lag_seconds
            FROM mz_internal.mz_wallclock_global_lag l
            JOIN mz_catalog.mz_objects o ON o.id = l.object_id
            JOIN mz_catalog.mz_clusters c ON c.id = o.cluster_id
            WHERE c.name = $1
        ),
        ooms AS (
            SELECT COUNT(*) AS oom_kills FROM mz_internal.mz_cluster_replica_status_history h
            JOIN replicas r ON r.replica_id = h.replica_id
            WHERE h.reason = 'oom-killed' AND h.occurred_at + INTERVAL '24 hours' > mz_now()
        )
        SELECT hydration.hydrated, hydration.total, lag.lag_seconds, ooms.oom_kills FROM hydration, lag, ooms
        """;

    [Fact]
    public async Task Setup_stage_wait_promote_and_clean_up()
    {
        await using var connection = await emulator.OpenAsync();
        var id = TestData.UniqueName("d");
        var app = TestData.UniqueName("app");

        // Setup: tracking database, tables and views, one statement per round trip.
        await connection.ExecAsync("CREATE DATABASE IF NOT EXISTS _mz_deploy");
        await connection.ExecAsync("CREATE SCHEMA IF NOT EXISTS _mz_deploy.tables");
        await connection.ExecAsync("CREATE TABLE IF NOT EXISTS _mz_deploy.tables.deployments (deploy_id text NOT NULL, schema_name text)");
        await connection.ExecAsync(
            "CREATE VIEW IF NOT EXISTS _mz_deploy.public.production AS SELECT d.deploy_id, s.id AS schema_id " +
            "FROM _mz_deploy.tables.deployments d JOIN mz_catalog.mz_schemas s ON s.name = d.schema_name");

        // Production: a table in its own schema, a materialized view on a cluster.
        await connection.ExecAsync($"CREATE SCHEMA materialize.{app}_raw");
        await connection.ExecAsync($"CREATE TABLE materialize.{app}_raw.orders (id int, amount int)");
        await connection.ExecAsync($"INSERT INTO materialize.{app}_raw.orders VALUES (1, 5), (2, 7)");
        await connection.ExecAsync($"CREATE SCHEMA materialize.{app}");
        await connection.ExecAsync($"CREATE CLUSTER {app} (SIZE = '25cc')");
        await connection.ExecAsync(
            $"CREATE MATERIALIZED VIEW materialize.{app}.totals IN CLUSTER {app} AS SELECT count(*) AS n FROM materialize.{app}_raw.orders");

        // Stage: suffixed copies, slow to hydrate.
        await connection.ExecAsync($"CREATE SCHEMA materialize.{app}_{id}");
        await connection.ExecAsync($"CREATE CLUSTER {app}_{id} (SIZE = '50cc')");
        await connection.ScalarAsync($"SELECT mz_emulator.set_hydration_delay('{app}_{id}', interval '1 hour')");
        await connection.ExecAsync(
            $"CREATE MATERIALIZED VIEW materialize.{app}_{id}.totals IN CLUSTER {app}_{id} AS " +
            $"SELECT sum(amount) AS n FROM materialize.{app}_raw.orders");
        await connection.ExecAsync($"INSERT INTO _mz_deploy.tables.deployments VALUES ('{id}', '{app}_{id}')");
        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM _mz_deploy.public.production WHERE deploy_id = '{id}'"));

        // Wait: not ready while hydrating, ready after.
        var status = await ReadinessAsync(connection, $"{app}_{id}");
        Assert.Equal((0L, 1L), (status.Hydrated, status.Total));
        await connection.ScalarAsync($"SELECT mz_emulator.set_hydration_delay('{app}_{id}', interval '0')");
        status = await ReadinessAsync(connection, $"{app}_{id}");
        Assert.Equal((1L, 1L, 1L, 0L), (status.Hydrated, status.Total, status.LagSeconds, status.OomKills));

        // Promote: one transaction of swaps, then drop the old copies.
        using (var raw = emulator.Raw())
        {
            Assert.Equal(["BEGIN", "ALTER SCHEMA", "ALTER CLUSTER", "COMMIT"], raw.Query(
                $"BEGIN; ALTER SCHEMA \"materialize\".\"{app}\" SWAP WITH \"{app}_{id}\"; ALTER CLUSTER \"{app}\" SWAP WITH \"{app}_{id}\"; COMMIT;"));
        }
        await connection.ExecAsync($"DROP SCHEMA IF EXISTS materialize.{app}_{id} CASCADE");
        await connection.ExecAsync($"DROP CLUSTER IF EXISTS {app}_{id} CASCADE");
        await connection.ExecAsync($"COMMENT ON SCHEMA materialize.{app} IS 'deployed by {id}'");

        Assert.Equal(12L, await connection.ScalarAsync($"SELECT n FROM materialize.{app}.totals"));
        Assert.Equal("50cc", await connection.ScalarAsync(
            $"SELECT c.size FROM mz_materialized_views m JOIN mz_schemas s ON s.id = m.schema_id JOIN mz_clusters c ON c.id = m.cluster_id " +
            $"WHERE s.name = '{app}' AND m.name = 'totals' AND c.name = '{app}'"));
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_clusters WHERE name LIKE '%{id}'"));
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_schemas WHERE name LIKE '%{id}'"));
    }

    private static async Task<(long Hydrated, long Total, long? LagSeconds, long OomKills)> ReadinessAsync(Npgsql.NpgsqlConnection connection, string cluster)
    {
        await using var command = new Npgsql.NpgsqlCommand(ReadinessQuery, connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = cluster });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetInt64(3));
    }
}
