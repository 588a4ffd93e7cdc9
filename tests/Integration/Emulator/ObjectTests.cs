namespace MzDeploy.Tests.Integration.Emulator;

[Collection(EmulatorCollection.Name)]
public sealed class ObjectTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task Materialized_views_and_indexes_live_in_their_cluster()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("mv");
        var cl = TestData.UniqueName("compute");
        await connection.ExecAsync($"CREATE CLUSTER {cl} (SIZE = 'xsmall', REPLICATION FACTOR = 2)");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.events (id int, at timestamptz)");
        await connection.ExecAsync($"INSERT INTO {s}.events VALUES (1, now() - interval '1 hour'), (2, now() + interval '1 hour')");
        await connection.ExecAsync(
            $"CREATE MATERIALIZED VIEW materialize.{s}.recent IN CLUSTER {cl} WITH (RETAIN HISTORY FOR '1h') AS " +
            $"SELECT id FROM {s}.events WHERE at <= mz_now()");
        await connection.ExecAsync($"CREATE INDEX recent_idx IN CLUSTER {cl} ON {s}.recent (id)");
        await connection.ExecAsync($"CREATE DEFAULT INDEX ON {s}.events");

        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM {s}.recent"));
        var clusterId = await connection.ScalarAsync($"SELECT id FROM mz_clusters WHERE name = '{cl}'");
        var mv = (await connection.RowsAsync(
            $"SELECT m.id, m.cluster_id, m.create_sql FROM mz_materialized_views m JOIN mz_schemas sc ON sc.id = m.schema_id WHERE sc.name = '{s}'")).Single();
        Assert.Equal(clusterId, mv[1]);
        Assert.Contains("IN CLUSTER", (string)mv[2]!);

        var objects = await connection.RowsAsync(
            $"SELECT o.name, o.type, o.cluster_id FROM mz_objects o JOIN mz_schemas sc ON sc.id = o.schema_id WHERE sc.name = '{s}' ORDER BY o.name");
        Assert.Equal(["events table ", "events_primary_idx index quickstart", "recent materialized-view c", "recent_idx index c"],
            objects.Select(r => $"{r[0]} {r[1]} {(r[2] == null ? "" : r[2] as string == "u1" ? "quickstart" : "c")}"));

        var indexOn = await connection.ScalarAsync($"SELECT on_id FROM mz_indexes WHERE name = 'recent_idx'");
        Assert.Equal(mv[0], indexOn);
        var dependencies = await connection.RowsAsync(
            $"SELECT referenced_object_id FROM mz_internal.mz_object_dependencies WHERE object_id = '{mv[0]}'");
        Assert.Single(dependencies);

        // RESTRICT refuses, CASCADE drops the cluster's objects.
        Assert.Equal("cannot drop cluster with active indexes or materialized views",
            (await connection.FailsAsync($"DROP CLUSTER {cl}")).MessageText);
        await connection.ExecAsync($"DROP CLUSTER {cl} CASCADE");
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_objects WHERE cluster_id = '{clusterId}'"));
        Assert.Equal(1L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_objects o JOIN mz_schemas sc ON sc.id = o.schema_id WHERE sc.name = '{s}' AND o.type = 'table'"));
    }

    [Fact]
    public async Task Objects_without_IN_CLUSTER_go_to_the_session_cluster()
    {
        await using var connection = await emulator.OpenAsync();
        var cl = TestData.UniqueName("session");
        var view = TestData.UniqueName("mv");
        await connection.ExecAsync($"CREATE CLUSTER {cl} (SIZE = 'xsmall')");
        await connection.ExecAsync($"SET cluster = {cl}");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {view} AS SELECT 1 AS one");
        Assert.Equal(cl, await connection.ScalarAsync(
            $"SELECT c.name FROM mz_materialized_views m JOIN mz_clusters c ON c.id = m.cluster_id WHERE m.name = '{view}'"));
        await connection.ExecAsync("SET cluster = nowhere");
        Assert.Equal("unknown cluster 'nowhere'", (await connection.FailsAsync($"CREATE MATERIALIZED VIEW {view}_2 AS SELECT 1")).MessageText);
        await connection.ExecAsync($"DROP MATERIALIZED VIEW {view}");
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_objects WHERE name = '{view}'"));
    }

    [Fact]
    public async Task CREATE_VIEW_IF_NOT_EXISTS_and_OR_REPLACE_materialized_views()
    {
        await using var connection = await emulator.OpenAsync();
        var view = TestData.UniqueName("v");
        await connection.ExecAsync($"CREATE VIEW IF NOT EXISTS materialize.public.{view} AS SELECT 1 AS a");
        await connection.ExecAsync($"CREATE VIEW IF NOT EXISTS materialize.public.{view} AS SELECT 2 AS a");
        Assert.Equal(1, await connection.ScalarAsync($"SELECT a FROM {view}"));

        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {view}_m AS SELECT 1 AS a");
        await connection.ExecAsync($"CREATE OR REPLACE MATERIALIZED VIEW {view}_m AS SELECT 'x' AS b");
        Assert.Equal("x", await connection.ScalarAsync($"SELECT b FROM {view}_m"));
        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM mz_materialized_views WHERE name = '{view}_m'"));
    }

    [Fact]
    public async Task Hydration_follows_the_per_cluster_delay_knob()
    {
        await using var connection = await emulator.OpenAsync();
        var cl = TestData.UniqueName("hyd");
        await connection.ExecAsync($"CREATE CLUSTER {cl} (SIZE = 'xsmall', REPLICATION FACTOR = 2)");
        await connection.ScalarAsync($"SELECT mz_emulator.set_hydration_delay('{cl}', interval '1 hour')");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {cl}_mv IN CLUSTER {cl} AS SELECT 1 AS a");
        var id = await connection.ScalarAsync($"SELECT id FROM mz_materialized_views WHERE name = '{cl}_mv'");

        var statuses = await connection.RowsAsync($"SELECT replica_id, hydrated FROM mz_internal.mz_hydration_statuses WHERE object_id = '{id}'");
        Assert.Equal(2, statuses.Count);
        Assert.All(statuses, r => Assert.Equal(false, r[1]));
        Assert.True((TimeSpan)(await connection.ScalarAsync($"SELECT lag FROM mz_internal.mz_wallclock_global_lag WHERE object_id = '{id}'"))!
            >= TimeSpan.Zero);

        await connection.ScalarAsync($"SELECT mz_emulator.set_hydration_delay('{cl}', interval '0')");
        Assert.Equal(2L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_internal.mz_hydration_statuses WHERE object_id = '{id}' AND hydrated"));
        Assert.Equal(TimeSpan.FromSeconds(1),
            await connection.ScalarAsync($"SELECT lag FROM mz_internal.mz_wallclock_global_lag WHERE object_id = '{id}'"));

        await connection.ScalarAsync($"SELECT mz_emulator.set_lag('{cl}', interval '10 minutes')");
        Assert.Equal(600m, await connection.ScalarAsync(
            $"SELECT EXTRACT(EPOCH FROM lag) FROM mz_internal.mz_wallclock_global_lag WHERE object_id = '{id}'"));
        // Per replica: mz_wallclock_lag_history has one row for each replica with the same lag.
        Assert.Equal([600m, 600m], (await connection.RowsAsync(
            "SELECT EXTRACT(EPOCH FROM h.lag) FROM mz_internal.mz_wallclock_lag_history h " +
            $"JOIN mz_cluster_replicas r ON r.id = h.replica_id WHERE h.object_id = '{id}'")).Select(r => (decimal)r[0]!));
    }

    [Fact]
    public async Task A_cluster_without_replicas_never_hydrates()
    {
        await using var connection = await emulator.OpenAsync();
        var cl = TestData.UniqueName("zero");
        await connection.ExecAsync($"CREATE CLUSTER {cl} (SIZE = 'xsmall', REPLICATION FACTOR = 0)");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {cl}_mv IN CLUSTER {cl} AS SELECT 1 AS a");
        var row = (await connection.RowsAsync(
            $"SELECT h.replica_id, h.hydrated FROM mz_internal.mz_hydration_statuses h JOIN mz_materialized_views m ON m.id = h.object_id WHERE m.name = '{cl}_mv'")).Single();
        Assert.Null(row[0]);
        Assert.Equal(false, row[1]);
    }

    [Fact]
    public async Task Injected_OOM_kills_show_in_the_replica_status_history()
    {
        await using var connection = await emulator.OpenAsync();
        var cl = TestData.UniqueName("oom");
        await connection.ExecAsync($"CREATE CLUSTER {cl} (SIZE = 'xsmall')");
        await connection.ScalarAsync($"SELECT mz_emulator.inject_oom_kill('{cl}', 'r1')");
        Assert.Equal(1L, await connection.ScalarAsync(
            "SELECT count(*) FROM mz_internal.mz_cluster_replica_status_history h " +
            "JOIN mz_cluster_replicas r ON r.id = h.replica_id JOIN mz_clusters c ON c.id = r.cluster_id " +
            $"WHERE c.name = '{cl}' AND h.reason = 'oom-killed' AND h.occurred_at + INTERVAL '24 hours' > mz_now()"));
    }

    [Fact]
    public async Task Sources_sinks_connections_and_secrets_are_catalog_entries_with_dependencies()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("ext");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE SECRET {s}.pw AS 'hunter2'");
        await connection.ExecAsync($"CREATE CONNECTION {s}.kafka TO KAFKA (BROKER 'broker:9092', SASL PASSWORD = SECRET {s}.pw)");
        await connection.ExecAsync($"CREATE SOURCE {s}.counter IN CLUSTER quickstart FROM LOAD GENERATOR COUNTER");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.mv AS SELECT x FROM {s}.t");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.mv2 AS SELECT x + 1 AS x FROM {s}.t");
        await connection.ExecAsync(
            $"CREATE SINK {s}.out FROM {s}.mv INTO KAFKA CONNECTION {s}.kafka (TOPIC 'out') FORMAT JSON ENVELOPE DEBEZIUM");

        var objects = await connection.RowsAsync(
            $"SELECT o.name, o.type FROM mz_objects o JOIN mz_schemas sc ON sc.id = o.schema_id WHERE sc.name = '{s}' ORDER BY o.name");
        Assert.Equal(["counter source", "kafka connection", "mv materialized-view", "mv2 materialized-view", "out sink", "pw secret", "t table"],
            objects.Select(r => $"{r[0]} {r[1]}"));
        Assert.Equal("load-generator", await connection.ScalarAsync($"SELECT type FROM mz_sources WHERE name = 'counter'"));
        Assert.Equal("u1", await connection.ScalarAsync($"SELECT cluster_id FROM mz_sources WHERE name = 'counter'"));

        var sinkDependsOn = await connection.RowsAsync(
            "SELECT o.name FROM mz_internal.mz_object_dependencies d JOIN mz_objects o ON o.id = d.referenced_object_id " +
            $"WHERE d.object_id = (SELECT id FROM mz_sinks WHERE name = 'out' AND schema_id = (SELECT id FROM mz_schemas WHERE name = '{s}')) ORDER BY 1");
        Assert.Equal(["kafka", "mv"], sinkDependsOn.Select(r => (string)r[0]!));

        await connection.ExecAsync($"ALTER SINK {s}.out SET FROM {s}.mv2");
        // The statement names the new relation (Materialize's create_sql follows ALTER SINK … SET FROM).
        Assert.Contains($"FROM \"materialize\".\"{s}\".\"mv2\" INTO", (string)(await connection.RowsAsync($"SHOW CREATE SINK {s}.out")).Single()[1]!);
        Assert.Contains("mv2", (await connection.RowsAsync(
            "SELECT o.name FROM mz_internal.mz_object_dependencies d JOIN mz_objects o ON o.id = d.referenced_object_id " +
            "WHERE d.object_id = (SELECT id FROM mz_sinks WHERE name = 'out')")).Select(r => (string)r[0]!));

        await connection.ExecAsync($"DROP SINK IF EXISTS {s}.out");
        await connection.ExecAsync($"DROP SCHEMA {s} CASCADE");
        Assert.Equal(0L, await connection.ScalarAsync("SELECT count(*) FROM mz_objects WHERE name IN ('counter', 'kafka', 'pw', 'out')"
            + $" AND schema_id NOT IN (SELECT id FROM mz_schemas)"));
        Assert.Equal(0L, await connection.ScalarAsync("SELECT count(*) FROM mz_emulator.catalog_items WHERE schema_oid NOT IN (SELECT oid FROM pg_namespace)"));
    }

    [Fact]
    public async Task ALTER_ROLE_SET_cluster_sets_the_default_for_new_sessions()
    {
        await using var admin = await emulator.OpenAsync();
        var role = TestData.UniqueName("clusterdefault");
        await admin.ExecAsync($"CREATE ROLE {role} LOGIN PASSWORD 'pw'");
        await admin.ExecAsync($"ALTER ROLE {role} SET cluster TO elsewhere");
        await using var connection = new Npgsql.NpgsqlConnection(
            $"Host=127.0.0.1;Port={emulator.Server.Port};Username={role};Password=pw;Pooling=false");
        await connection.OpenAsync();
        Assert.Equal("elsewhere", await connection.ScalarAsync("SHOW cluster"));
        Assert.Equal("elsewhere", connection.PostgresParameters["cluster"]);
        Assert.Equal("elsewhere", await admin.ScalarAsync(
            $"SELECT p.parameter_value FROM mz_role_parameters p JOIN mz_roles r ON r.id = p.role_id WHERE r.name = '{role}' AND p.parameter_name = 'cluster'"));
    }

    [Fact]
    public async Task mz_now_compares_with_timestamps_and_epoch_milliseconds()
    {
        await using var connection = await emulator.OpenAsync();
        Assert.Equal(true, await connection.ScalarAsync("SELECT mz_now() > 1700000000000 AND mz_now() <= now() + interval '1 day'"));
    }

    [Fact]
    public async Task SHOW_CREATE_and_renames_of_catalog_objects()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("show");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE CONNECTION {s}.pg TO POSTGRES (HOST 'db', DATABASE 'x')");
        Assert.Equal($"CREATE CONNECTION \"materialize\".\"{s}\".\"pg\" TO POSTGRES (HOST 'db', DATABASE 'x')",
            (await connection.RowsAsync($"SHOW CREATE CONNECTION {s}.pg")).Single()[1]);
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.m AS SELECT 1 AS a");
        await connection.ExecAsync($"CREATE INDEX m_idx ON {s}.m (a)");
        await connection.ExecAsync($"ALTER INDEX {s}.m_idx RENAME TO m_by_a");
        await connection.ExecAsync($"ALTER MATERIALIZED VIEW {s}.m RENAME TO m2");
        Assert.StartsWith("CREATE INDEX \"m_by_a\"", (string)(await connection.RowsAsync($"SHOW CREATE INDEX {s}.m_by_a")).Single()[1]!);
        Assert.StartsWith("CREATE MATERIALIZED VIEW", (string)(await connection.RowsAsync($"SHOW CREATE MATERIALIZED VIEW {s}.m2")).Single()[1]!);

        var cluster = TestData.UniqueName("un");
        await connection.ExecAsync($"CREATE CLUSTER {cluster} REPLICAS (a (SIZE = 'small'))");
        await connection.ExecAsync($"ALTER CLUSTER REPLICA {cluster}.a RENAME TO b");
        Assert.Equal("b", await connection.ScalarAsync(
            $"SELECT r.name FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id WHERE c.name = '{cluster}'"));
    }

    [Fact]
    public async Task Replacement_materialized_views_update_a_view_in_place()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("stable");
        var cl = TestData.UniqueName("rc");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE SCHEMA {s}_d1");
        await connection.ExecAsync($"CREATE CLUSTER {cl} (SIZE = 'xsmall')");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.api AS SELECT 1 AS v");
        await connection.ExecAsync($"CREATE VIEW {s}.consumer AS SELECT v FROM {s}.api");
        var id = await connection.ScalarAsync($"SELECT m.id FROM mz_materialized_views m JOIN mz_schemas sc ON sc.id = m.schema_id WHERE sc.name = '{s}'");

        await connection.ExecAsync(
            $"CREATE REPLACEMENT MATERIALIZED VIEW materialize.{s}_d1.api FOR materialize.{s}.api IN CLUSTER {cl} AS SELECT 2 AS v");
        Assert.Equal(1, await connection.ScalarAsync($"SELECT v FROM {s}.consumer"));
        await connection.ExecAsync($"ALTER MATERIALIZED VIEW materialize.{s}.api APPLY REPLACEMENT materialize.{s}_d1.api");

        Assert.Equal(2, await connection.ScalarAsync($"SELECT v FROM {s}.consumer"));
        var after = (await connection.RowsAsync(
            $"SELECT m.id, c.name FROM mz_materialized_views m JOIN mz_clusters c ON c.id = m.cluster_id JOIN mz_schemas sc ON sc.id = m.schema_id " +
            $"WHERE sc.name IN ('{s}', '{s}_d1')")).Single();
        Assert.Equal(id, after[0]);
        Assert.Equal(cl, after[1]);
    }

    [Fact]
    public async Task SHOW_lists_objects_of_a_schema()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("shown");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.m AS SELECT x FROM {s}.t");
        Assert.Equal(["m materialized-view", "t table"],
            (await connection.RowsAsync($"SHOW OBJECTS FROM materialize.{s}")).Select(r => $"{r[0]} {r[1]}"));
        Assert.Equal(["m quickstart"], (await connection.RowsAsync($"SHOW MATERIALIZED VIEWS FROM {s}")).Select(r => $"{r[0]} {r[1]}"));
        Assert.Equal(["t"], (await connection.RowsAsync($"SHOW TABLES FROM {s}")).Select(r => (string)r[0]!));
    }
}
