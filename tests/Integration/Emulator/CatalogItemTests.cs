using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// SHOW CREATE, ALTER … SET CLUSTER, COMMENT ON and DROP kind checks for every item kind; WITH MUTUALLY
/// RECURSIVE; mz_frontiers and mz_audit_events.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class CatalogItemTests(EmulatorFixture emulator)
{
    /// <summary>A schema with a table, a view, a materialized view, an index, a secret, a connection, a source and a sink.</summary>
    private async Task<string> CreateItemsAsync(NpgsqlConnection connection, string prefix)
    {
        var s = TestData.UniqueName(prefix);
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int NOT NULL, label text)");
        await connection.ExecAsync($"CREATE VIEW {s}.v AS SELECT x FROM {s}.t");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.mv IN CLUSTER quickstart AS SELECT x FROM {s}.t");
        await connection.ExecAsync($"CREATE INDEX mv_idx IN CLUSTER quickstart ON {s}.mv (x)");
        await connection.ExecAsync($"CREATE SECRET {s}.pw AS 'hunter2'");
        await connection.ExecAsync($"CREATE CONNECTION {s}.kafka TO KAFKA (BROKER 'broker:9092', SASL PASSWORD = SECRET {s}.pw)");
        await connection.ExecAsync($"CREATE SOURCE {s}.src IN CLUSTER quickstart FROM LOAD GENERATOR COUNTER");
        await connection.ExecAsync($"CREATE SINK {s}.out IN CLUSTER quickstart FROM {s}.mv INTO KAFKA CONNECTION {s}.kafka (TOPIC 'out') FORMAT JSON ENVELOPE DEBEZIUM");
        return s;
    }

    private static async Task<(List<string> Columns, List<object?[]> Rows)> ReadAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var k = 0; k < row.Length; k++)
                row[k] = reader.IsDBNull(k) ? null : reader.GetValue(k);
            rows.Add(row);
        }
        return (columns, rows);
    }

    [Fact]
    public async Task SHOW_CREATE_returns_name_and_create_sql_for_every_item_kind()
    {
        await using var connection = await emulator.OpenAsync();
        var s = await CreateItemsAsync(connection, "showall");

        // Materialize's form: the name column fully qualified, every name in the statement quoted and fully qualified.
        var q = $"\"materialize\".\"{s}\"";
        var (columns, rows) = await ReadAsync(connection, $"SHOW CREATE CONNECTION {s}.kafka");
        Assert.Equal(["name", "create_sql"], columns);
        Assert.Equal([$"materialize.{s}.kafka", $"CREATE CONNECTION {q}.\"kafka\" TO KAFKA (BROKER 'broker:9092', SASL PASSWORD = SECRET {q}.\"pw\")"],
            rows.Single());

        Assert.Equal($"CREATE SOURCE {q}.\"src\" IN CLUSTER \"quickstart\" FROM LOAD GENERATOR COUNTER",
            (await connection.RowsAsync($"SHOW CREATE SOURCE {s}.src")).Single()[1]);
        Assert.Equal($"CREATE SINK {q}.\"out\" IN CLUSTER \"quickstart\" FROM {q}.\"mv\" INTO KAFKA CONNECTION {q}.\"kafka\" (TOPIC 'out') FORMAT JSON ENVELOPE DEBEZIUM",
            (await connection.RowsAsync($"SHOW CREATE SINK {s}.out")).Single()[1]);
        Assert.Equal($"CREATE SECRET {q}.\"pw\" AS '********'", (await connection.RowsAsync($"SHOW CREATE SECRET {s}.pw")).Single()[1]);
        Assert.Equal($"CREATE INDEX \"mv_idx\" IN CLUSTER \"quickstart\" ON \"materialize\".\"{s}\".\"mv\" (\"x\")",
            (await connection.RowsAsync($"SHOW CREATE INDEX {s}.mv_idx")).Single()[1]);
        Assert.Equal($"CREATE MATERIALIZED VIEW \"materialize\".\"{s}\".\"mv\" IN CLUSTER \"quickstart\" AS SELECT t.x FROM \"materialize\".\"{s}\".t",
            (await connection.RowsAsync($"SHOW CREATE MATERIALIZED VIEW materialize.{s}.mv")).Single()[1]);

        // Views and plain tables: rebuilt from PostgreSQL's definition, under Materialize's qualified name.
        var view = await ReadAsync(connection, $"SHOW CREATE VIEW {s}.v");
        Assert.Equal(["name", "create_sql"], view.Columns);
        Assert.Equal($"materialize.{s}.v", view.Rows.Single()[0]);
        Assert.StartsWith($"CREATE VIEW \"materialize\".\"{s}\".\"v\" AS SELECT", (string)view.Rows.Single()[1]!);
        Assert.Equal($"CREATE TABLE \"materialize\".\"{s}\".\"t\" (\"x\" \"pg_catalog\".\"int4\" NOT NULL, \"label\" \"pg_catalog\".\"text\")",
            (await connection.RowsAsync($"SHOW CREATE TABLE {s}.t")).Single()[1]);

        // A name of another kind, and a missing one.
        var wrongKind = await connection.FailsAsync($"SHOW CREATE VIEW {s}.mv");
        Assert.Equal("42809", wrongKind.SqlState);
        Assert.Equal($"'{s}.mv' is not a view", wrongKind.MessageText);
        Assert.Equal($"'{s}.t' is not a materialized view", (await connection.FailsAsync($"SHOW CREATE MATERIALIZED VIEW {s}.t")).MessageText);
        Assert.Equal($"'{s}.src' is not a connection", (await connection.FailsAsync($"SHOW CREATE CONNECTION {s}.src")).MessageText);
        var missing = await connection.FailsAsync($"SHOW CREATE CONNECTION {s}.nothing");
        Assert.Equal("42704", missing.SqlState);
        Assert.Equal("unknown catalog item 'nothing'", missing.MessageText);
        Assert.Equal("42704", (await connection.FailsAsync($"SHOW CREATE TABLE {s}.nothing")).SqlState);
        var redacted = await connection.FailsAsync($"SHOW REDACTED CREATE CONNECTION {s}.kafka");
        Assert.Equal("0A000", redacted.SqlState);
        Assert.Equal("SHOW REDACTED CREATE is not supported by the emulator", redacted.MessageText);
    }

    [Fact]
    public async Task WITH_MUTUALLY_RECURSIVE_is_refused_as_unsupported_wherever_it_appears()
    {
        await using var connection = await emulator.OpenAsync();
        const string Wmr = "WITH MUTUALLY RECURSIVE reach (n int) AS (SELECT 1 UNION SELECT n + 1 FROM reach WHERE n < 3) SELECT n FROM reach";
        foreach (var sql in new[]
                 {
                     Wmr,
                     $"SELECT count(*) FROM ({Wmr}) r",
                     $"CREATE VIEW wmr_{Guid.NewGuid():N} AS {Wmr}",
                     $"CREATE MATERIALIZED VIEW wmr_{Guid.NewGuid():N} AS {Wmr}",
                 })
        {
            var refused = await connection.FailsAsync(sql);
            Assert.Equal("0A000", refused.SqlState);
            Assert.Equal("WITH MUTUALLY RECURSIVE is not supported by the emulator", refused.MessageText);
        }
        // The session goes on; the words in a string or a plain WITH RECURSIVE are not the statement.
        Assert.Equal("with mutually recursive", await connection.ScalarAsync("SELECT 'with mutually recursive'"));
        Assert.Equal(6L, await connection.ScalarAsync(
            "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT sum(n)::bigint FROM r"));
    }

    [Fact]
    public async Task ALTER_SET_CLUSTER_moves_materialized_views_indexes_sources_and_sinks()
    {
        await using var connection = await emulator.OpenAsync();
        var s = await CreateItemsAsync(connection, "moved");
        var cluster = TestData.UniqueName("target");
        await connection.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = 'xsmall')");

        using (var raw = emulator.Raw())
        {
            Assert.Equal(["ALTER MATERIALIZED VIEW"], raw.Query($"ALTER MATERIALIZED VIEW {s}.mv SET CLUSTER {cluster}"));
            Assert.Equal(["ALTER INDEX"], raw.Query($"ALTER INDEX {s}.mv_idx SET CLUSTER {cluster}"));
            Assert.Equal(["ALTER SOURCE"], raw.Query($"ALTER SOURCE {s}.src SET CLUSTER {cluster}"));
            Assert.Equal(["ALTER SINK"], raw.Query($"ALTER SINK materialize.{s}.out SET CLUSTER {cluster}"));
        }

        Assert.Equal(["index", "materialized-view", "sink", "source"], (await connection.RowsAsync(
            $"SELECT o.type FROM mz_objects o JOIN mz_clusters c ON c.id = o.cluster_id WHERE c.name = '{cluster}' ORDER BY 1"))
            .Select(r => (string)r[0]!));
        Assert.Equal(cluster, await connection.ScalarAsync(
            $"SELECT c.name FROM mz_materialized_views m JOIN mz_schemas sc ON sc.id = m.schema_id JOIN mz_clusters c ON c.id = m.cluster_id WHERE sc.name = '{s}'"));
        Assert.Equal(cluster, await connection.ScalarAsync(
            $"SELECT c.name FROM mz_sources so JOIN mz_schemas sc ON sc.id = so.schema_id JOIN mz_clusters c ON c.id = so.cluster_id WHERE sc.name = '{s}'"));
        // The moved objects hydrate on the new cluster's replica; the old cluster's replicas no longer report them.
        Assert.Equal(4L, await connection.ScalarAsync(
            $"SELECT count(DISTINCT h.object_id) FROM mz_internal.mz_hydration_statuses h JOIN mz_cluster_replicas r ON r.id = h.replica_id " +
            $"JOIN mz_clusters c ON c.id = r.cluster_id JOIN mz_objects o ON o.id = h.object_id JOIN mz_schemas sc ON sc.id = o.schema_id " +
            $"WHERE c.name = '{cluster}' AND sc.name = '{s}'"));
        // Dependencies are the objects', not the cluster's: they stay.
        Assert.Equal(1L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_internal.mz_object_dependencies d JOIN mz_sinks k ON k.id = d.object_id " +
            $"JOIN mz_materialized_views m ON m.id = d.referenced_object_id JOIN mz_schemas sc ON sc.id = k.schema_id WHERE sc.name = '{s}'"));

        var unknown = await connection.FailsAsync($"ALTER MATERIALIZED VIEW {s}.mv SET CLUSTER no_such_cluster");
        Assert.Equal("42704", unknown.SqlState);
        Assert.Equal("unknown cluster 'no_such_cluster'", unknown.MessageText);
        var wrongKind = await connection.FailsAsync($"ALTER SOURCE {s}.out SET CLUSTER {cluster}");
        Assert.Equal("42809", wrongKind.SqlState);
        Assert.Equal($"materialize.{s}.out is a sink not a source", wrongKind.MessageText);
        Assert.Equal($"materialize.{s}.v is a view not a materialized view",
            (await connection.FailsAsync($"ALTER MATERIALIZED VIEW {s}.v SET CLUSTER {cluster}")).MessageText);
        Assert.Equal("42501", (await connection.FailsAsync($"ALTER INDEX {s}.mv_idx SET CLUSTER mz_system")).SqlState);
    }

    [Fact]
    public async Task COMMENT_ON_catalog_items_shows_in_mz_comments_with_their_object_type()
    {
        await using var connection = await emulator.OpenAsync();
        var s = await CreateItemsAsync(connection, "commented");
        using (var raw = emulator.Raw())
        {
            foreach (var (kind, name) in new[] { ("SOURCE", "src"), ("SINK", "out"), ("CONNECTION", "kafka"), ("SECRET", "pw"), ("INDEX", "mv_idx") })
                Assert.Equal(["COMMENT"], raw.Query($"COMMENT ON {kind} materialize.{s}.{name} IS '{name} says hi'"));
        }
        const string Comments =
            "SELECT o.name, c.object_type, c.object_sub_id, c.comment FROM mz_internal.mz_comments c JOIN mz_objects o ON o.id = c.id " +
            "JOIN mz_schemas sc ON sc.id = o.schema_id WHERE sc.name = '{0}' ORDER BY 1";
        Assert.Equal(
            ["kafka connection  kafka says hi", "mv_idx index  mv_idx says hi", "out sink  out says hi", "pw secret  pw says hi", "src source  src says hi"],
            (await connection.RowsAsync(string.Format(Comments, s))).Select(r => $"{r[0]} {r[1]} {r[2]} {r[3]}"));

        // IS NULL removes a comment, a new one replaces it, and a dropped item takes its comment along.
        await connection.ExecAsync($"COMMENT ON SECRET {s}.pw IS NULL");
        await connection.ExecAsync($"COMMENT ON SOURCE {s}.src IS 'again'");
        await connection.ExecAsync($"DROP SINK {s}.out");
        Assert.Equal(["kafka kafka says hi", "mv_idx mv_idx says hi", "src again"],
            (await connection.RowsAsync(string.Format(Comments, s))).Select(r => $"{r[0]} {r[3]}"));
        await connection.ExecAsync($"DROP SCHEMA {s} CASCADE");
        Assert.Equal(0L, await connection.ScalarAsync(
            "SELECT count(*) FROM mz_internal.mz_comments c WHERE c.object_type IN ('index', 'source', 'connection') " +
            "AND NOT EXISTS (SELECT FROM mz_objects o WHERE o.id = c.id)"));

        var wrongKind = await connection.FailsAsync($"COMMENT ON SOURCE materialize.public.no_such_item IS 'x'");
        Assert.Equal("42704", wrongKind.SqlState);
    }

    [Fact]
    public async Task COMMENT_ON_a_catalog_item_of_another_kind_fails()
    {
        await using var connection = await emulator.OpenAsync();
        var s = await CreateItemsAsync(connection, "commentkind");
        var wrongKind = await connection.FailsAsync($"COMMENT ON SINK {s}.src IS 'x'");
        Assert.Equal("42809", wrongKind.SqlState);
        Assert.Equal($"materialize.{s}.src is a source not a sink", wrongKind.MessageText);
    }

    [Fact]
    public async Task Moving_or_commenting_an_item_takes_its_owner()
    {
        await using var admin = await emulator.OpenAsync();
        var s = await CreateItemsAsync(admin, "owned_items");
        var role = TestData.UniqueName("notowner");
        await admin.ExecAsync($"CREATE ROLE {role} LOGIN PASSWORD 's3cret'");
        await admin.ExecAsync($"GRANT CREATE ON CLUSTER quickstart TO {role}");
        await using var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={emulator.Server.Port};Username={role};Password=s3cret;Database=materialize;Pooling=false");
        await connection.OpenAsync();

        var move = await connection.FailsAsync($"ALTER SOURCE {s}.src SET CLUSTER quickstart");
        Assert.Equal("42501", move.SqlState);
        Assert.Equal($"must be owner of SOURCE materialize.{s}.src", move.MessageText);
        Assert.Equal($"must be owner of MATERIALIZED VIEW materialize.{s}.mv",
            (await connection.FailsAsync($"ALTER MATERIALIZED VIEW {s}.mv SET CLUSTER quickstart")).MessageText);
        Assert.Equal($"must be owner of CONNECTION materialize.{s}.kafka",
            (await connection.FailsAsync($"COMMENT ON CONNECTION {s}.kafka IS 'mine'")).MessageText);
    }

    [Fact]
    public async Task DROP_of_a_relation_kind_naming_a_catalog_item_reports_the_kind_mismatch()
    {
        await using var connection = await emulator.OpenAsync();
        var s = await CreateItemsAsync(connection, "dropkind");

        var viewOnSource = await connection.FailsAsync($"DROP VIEW {s}.src");
        Assert.Equal("42809", viewOnSource.SqlState);
        Assert.Equal($"materialize.{s}.src is a source not a view", viewOnSource.MessageText);
        Assert.Equal($"materialize.{s}.out is a sink not a table", (await connection.FailsAsync($"DROP TABLE materialize.{s}.out")).MessageText);
        Assert.Equal($"materialize.{s}.mv_idx is an index not a materialized view",
            (await connection.FailsAsync($"DROP MATERIALIZED VIEW IF EXISTS {s}.mv_idx")).MessageText);
        // Found through the search path too; one wrong name fails the whole list.
        await connection.ExecAsync($"SET search_path = {s}");
        Assert.Equal($"materialize.{s}.kafka is a connection not a view",
            (await connection.FailsAsync("DROP VIEW v, kafka")).MessageText);
        Assert.Equal(8L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_objects o JOIN mz_schemas sc ON sc.id = o.schema_id WHERE sc.name = '{s}'"));
        // A name that is nothing at all is still PostgreSQL's business (IF EXISTS passes).
        await connection.ExecAsync("DROP VIEW IF EXISTS no_such_view");

        // And the other way round: DROP SOURCE | SINK | INDEX | CONNECTION | SECRET naming something else.
        var sourceOnSink = await connection.FailsAsync($"DROP SOURCE {s}.out");
        Assert.Equal("42809", sourceOnSink.SqlState);
        Assert.Equal($"materialize.{s}.out is a sink not a source", sourceOnSink.MessageText);
        Assert.Equal($"materialize.{s}.mv is a materialized view not an index", (await connection.FailsAsync("DROP INDEX IF EXISTS mv")).MessageText);
        Assert.Equal($"materialize.{s}.t is a table not a secret", (await connection.FailsAsync($"DROP SECRET materialize.{s}.t")).MessageText);
        Assert.Equal("unknown catalog item 'nothing'", (await connection.FailsAsync("DROP CONNECTION nothing")).MessageText);
        await connection.ExecAsync("DROP SINK IF EXISTS nothing");
        Assert.Equal(8L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_objects o JOIN mz_schemas sc ON sc.id = o.schema_id WHERE sc.name = '{s}'"));
    }

    [Fact]
    public async Task mz_frontiers_and_mz_audit_events_have_Materialize_columns()
    {
        await using var connection = await emulator.OpenAsync();
        var s = await CreateItemsAsync(connection, "frontiers");

        var frontiers = await ReadAsync(connection,
            "SELECT f.* FROM mz_internal.mz_frontiers f JOIN mz_objects o ON o.id = f.object_id " +
            $"JOIN mz_schemas sc ON sc.id = o.schema_id WHERE sc.name = '{s}' ORDER BY o.name");
        Assert.Equal(["object_id", "read_frontier", "write_frontier"], frontiers.Columns);
        // The table, the materialized view, its index, the source and the sink; not views, connections, secrets.
        Assert.Equal(5, frontiers.Rows.Count);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var row in frontiers.Rows)
        {
            var read = (decimal)row[1]!;
            var write = (decimal)row[2]!;
            Assert.True(read < write, $"read {read} before write {write}");
            Assert.InRange(write, now - 3_600_000, now + 3_600_000);
        }

        var audit = await ReadAsync(connection, "SELECT * FROM mz_catalog.mz_audit_events");
        Assert.Equal(["id", "event_type", "object_type", "details", "user", "occurred_at"], audit.Columns);
        Assert.Empty(audit.Rows);
    }
}
