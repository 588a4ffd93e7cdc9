using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Fidelity;

/// <summary>
/// Issue 12, group 4: SHOW CREATE VIEW and the catalog's definitions name relations by their Materialize
/// names, current after renames, never by the emulator's internal "db.schema" schema names.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class DefinitionsFidelityTests(EmulatorFixture emulator)
{
    // https://materialize.com/docs/sql/show-create-view/ and
    // https://materialize.com/docs/sql/system-catalog/mz_catalog/#mz_views (definition, create_sql).
    [Fact]
    public async Task View_definitions_use_Materialize_names_and_follow_renames()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("b2");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await connection.ExecAsync($"CREATE VIEW {s}.v AS SELECT x FROM {s}.t");
        await connection.ExecAsync($"ALTER TABLE {s}.t RENAME TO t_renamed");

        var shown = (string)(await connection.RowsAsync($"SHOW CREATE VIEW {s}.v")).Single()[1]!;
        Assert.Equal($"CREATE VIEW \"materialize\".\"{s}\".\"v\" AS SELECT t_renamed.x FROM \"materialize\".\"{s}\".t_renamed", shown);

        var row = (await connection.RowsAsync(
            $"SELECT v.definition, v.create_sql FROM mz_views v JOIN mz_schemas sc ON sc.id = v.schema_id WHERE sc.name = '{s}'")).Single();
        Assert.Equal($"SELECT t_renamed.x FROM \"materialize\".\"{s}\".t_renamed;", row[0]);
        Assert.Equal(shown, row[1]);
        Assert.DoesNotContain($"materialize.{s}\"", shown);
    }

    // https://materialize.com/docs/sql/types/mz_timestamp/ — a cast to mz_timestamp is a cast in the definition, as written,
    // though the emulator evaluates it with a function of its own (which must not leak into what users read).
    [Fact]
    public async Task Casts_to_mz_timestamp_show_as_casts_in_definitions()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("mzts");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (ms bigint, at timestamptz)");
        await connection.ExecAsync($"CREATE VIEW {s}.v AS SELECT '1700000000000'::mz_timestamp AS a, CAST(ms AS mz_timestamp) AS b, " +
                                   $"at::mz_timestamp AS c, (ms + 1)::mz_timestamp AS d FROM {s}.t WHERE mz_now() <= CAST(ms + 60000 AS mz_timestamp)");

        var definition = (string)(await connection.ScalarAsync(
            $"SELECT v.definition FROM mz_views v JOIN mz_schemas sc ON sc.id = v.schema_id WHERE sc.name = '{s}'"))!;
        Assert.Equal($"SELECT '1700000000000'::mz_timestamp AS a, (t.ms)::mz_timestamp AS b, (t.at)::mz_timestamp AS c, " +
                     $"((t.ms + 1))::mz_timestamp AS d FROM \"materialize\".\"{s}\".t WHERE (mz_now() <= ((t.ms + 60000))::mz_timestamp);", definition);
        Assert.Contains("'1700000000000'::mz_timestamp", (string)(await connection.RowsAsync($"SHOW CREATE VIEW {s}.v")).Single()[1]!);
    }

    // https://materialize.com/docs/sql/system-catalog/mz_catalog/#mz_materialized_views — the definition
    // is the query alone, one statement ending in ';', whatever the reader's search path.
    [Fact]
    public async Task Materialized_view_definitions_do_not_leak_internal_schema_names()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("mvd");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.mv AS SELECT x FROM {s}.t");
        await connection.ExecAsync($"SET search_path = {s}");
        var definition = (string)(await connection.ScalarAsync(
            $"SELECT m.definition FROM mz_materialized_views m JOIN mz_schemas sc ON sc.id = m.schema_id WHERE sc.name = '{s}'"))!;
        Assert.Equal($"SELECT t.x FROM \"materialize\".\"{s}\".t;", definition);
    }

    // https://materialize.com/docs/sql/alter-rename/ — items keep reading what they read when a schema
    // they name is renamed; their definitions show the new name.
    [Fact]
    public async Task View_definitions_follow_a_schema_rename()
    {
        await using var connection = await emulator.OpenAsync();
        var a = TestData.UniqueName("src");
        var b = TestData.UniqueName("dst");
        await connection.ExecAsync($"CREATE SCHEMA {a}");
        await connection.ExecAsync($"CREATE TABLE {a}.t (x int)");
        await connection.ExecAsync($"CREATE VIEW public.{a}_v AS SELECT x FROM {a}.t");
        await connection.ExecAsync($"ALTER SCHEMA {a} RENAME TO {b}");
        Assert.Equal($"CREATE VIEW \"materialize\".\"public\".\"{a}_v\" AS SELECT t.x FROM \"materialize\".\"{b}\".t",
            (await connection.RowsAsync($"SHOW CREATE VIEW public.{a}_v")).Single()[1]);
    }

    // https://materialize.com/docs/sql/show-create-materialized-view/ — the statement under the quoted, fully
    // qualified name, IN CLUSTER the quoted cluster, then the query; after renames of what it reads, of its
    // schema, of itself and of its cluster every name is the current one, and the options stay as written.
    [Fact]
    public async Task Materialized_view_statements_follow_renames()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("mvr");
        var cluster = TestData.UniqueName("mvc");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await connection.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = '1')");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.mv (y) IN CLUSTER {cluster} WITH (REFRESH EVERY '1 day') AS SELECT x FROM {s}.t");
        await connection.ExecAsync($"ALTER TABLE {s}.t RENAME TO t2");
        await connection.ExecAsync($"ALTER CLUSTER {cluster} RENAME TO {cluster}_b");
        await connection.ExecAsync($"ALTER SCHEMA {s} RENAME TO {s}_b");
        await connection.ExecAsync($"ALTER MATERIALIZED VIEW {s}_b.mv RENAME TO mv2");

        var expected = $"CREATE MATERIALIZED VIEW \"materialize\".\"{s}_b\".\"mv2\" (\"y\") IN CLUSTER \"{cluster}_b\" " +
                       $"WITH (REFRESH EVERY '1 day') AS SELECT t2.x AS y FROM \"materialize\".\"{s}_b\".t2";
        Assert.Equal(expected, (await connection.RowsAsync($"SHOW CREATE MATERIALIZED VIEW {s}_b.mv2")).Single()[1]);
        Assert.Equal(expected, await connection.ScalarAsync(
            $"SELECT m.create_sql FROM mz_materialized_views m JOIN mz_schemas sc ON sc.id = m.schema_id WHERE sc.name = '{s}_b'"));

        // ALTER … SET CLUSTER moves it; the statement names the new cluster.
        await connection.ExecAsync($"ALTER MATERIALIZED VIEW {s}_b.mv2 SET CLUSTER quickstart");
        Assert.Contains(" IN CLUSTER \"quickstart\" ", (string)(await connection.RowsAsync($"SHOW CREATE MATERIALIZED VIEW {s}_b.mv2")).Single()[1]!);
    }

    // https://materialize.com/docs/sql/show-create-index/ — CREATE INDEX "name" IN CLUSTER "cluster" ON the quoted,
    // fully qualified relation ("key", …); after renames of the index, its relation, its schema and its cluster
    // every name is the current one. A default index lists the relation's columns.
    [Fact]
    public async Task Index_statements_follow_renames()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("ixr");
        var cluster = TestData.UniqueName("ixc");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int, y text)");
        await connection.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = '1')");
        await connection.ExecAsync($"CREATE INDEX t_idx IN CLUSTER {cluster} ON {s}.t (y, x + 1)");
        await connection.ExecAsync($"CREATE DEFAULT INDEX IN CLUSTER {cluster} ON {s}.t");
        await connection.ExecAsync($"ALTER TABLE {s}.t RENAME TO t2");
        await connection.ExecAsync($"ALTER INDEX {s}.t_idx RENAME TO t2_idx");
        await connection.ExecAsync($"ALTER CLUSTER {cluster} RENAME TO {cluster}_b");
        await connection.ExecAsync($"ALTER SCHEMA {s} RENAME TO {s}_b");

        var expected = $"CREATE INDEX \"t2_idx\" IN CLUSTER \"{cluster}_b\" ON \"materialize\".\"{s}_b\".\"t2\" (\"y\", x + 1)";
        Assert.Equal(expected, (await connection.RowsAsync($"SHOW CREATE INDEX {s}_b.t2_idx")).Single()[1]);
        Assert.Equal(expected, await connection.ScalarAsync($"SELECT i.create_sql FROM mz_indexes i WHERE i.name = 't2_idx' " +
            $"AND i.on_id = (SELECT t.id FROM mz_tables t JOIN mz_schemas sc ON sc.id = t.schema_id WHERE sc.name = '{s}_b')"));
        Assert.Equal($"CREATE INDEX \"t_primary_idx\" IN CLUSTER \"{cluster}_b\" ON \"materialize\".\"{s}_b\".\"t2\" (\"x\", \"y\")",
            (await connection.RowsAsync($"SHOW CREATE INDEX {s}_b.t_primary_idx")).Single()[1]);
    }

    // https://materialize.com/docs/sql/show-create-source/, /sql/show-create-sink/, /sql/show-create-connection/ and
    // /sql/show-create-table/ — the name column is the fully qualified name (materialize.public.market_orders_raw) and the
    // statement names the item, its cluster and what it reads by their quoted, fully qualified current names, also
    // after renames of any of them, of their schema and of the cluster.
    [Fact]
    public async Task Source_sink_connection_and_table_statements_follow_renames()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("scr");
        var cluster = TestData.UniqueName("scc");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = '1')");
        await connection.ExecAsync($"CREATE SECRET {s}.pw AS 'x'");
        await connection.ExecAsync($"CREATE CONNECTION {s}.kafka TO KAFKA (BROKER 'b:9092', SASL PASSWORD = SECRET {s}.pw)");
        await connection.ExecAsync($"CREATE SOURCE IF NOT EXISTS {s}.src IN CLUSTER {cluster} FROM LOAD GENERATOR AUCTION");
        await connection.ExecAsync($"CREATE TABLE {s}.bids FROM SOURCE {s}.src (REFERENCE \"auction\".\"bids\")");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.mv IN CLUSTER {cluster} AS SELECT id FROM {s}.bids");
        await connection.ExecAsync($"CREATE SINK {s}.out IN CLUSTER {cluster} FROM {s}.mv INTO KAFKA CONNECTION {s}.kafka (TOPIC 't') FORMAT JSON ENVELOPE DEBEZIUM");

        await connection.ExecAsync($"ALTER SECRET {s}.pw RENAME TO pw2");
        await connection.ExecAsync($"ALTER CONNECTION {s}.kafka RENAME TO kafka2");
        await connection.ExecAsync($"ALTER SOURCE {s}.src RENAME TO src2");
        await connection.ExecAsync($"ALTER TABLE {s}.bids RENAME TO bids2");
        await connection.ExecAsync($"ALTER MATERIALIZED VIEW {s}.mv RENAME TO mv2");
        await connection.ExecAsync($"ALTER SINK {s}.out RENAME TO out2");
        await connection.ExecAsync($"ALTER CLUSTER {cluster} RENAME TO {cluster}_b");
        await connection.ExecAsync($"ALTER SCHEMA {s} RENAME TO {s}_b");

        var q = $"\"materialize\".\"{s}_b\"";
        Assert.Equal([$"materialize.{s}_b.src2", $"CREATE SOURCE {q}.\"src2\" IN CLUSTER \"{cluster}_b\" FROM LOAD GENERATOR AUCTION"],
            (await connection.RowsAsync($"SHOW CREATE SOURCE {s}_b.src2")).Single());
        Assert.Equal([$"materialize.{s}_b.out2", $"CREATE SINK {q}.\"out2\" IN CLUSTER \"{cluster}_b\" FROM {q}.\"mv2\" " +
                      $"INTO KAFKA CONNECTION {q}.\"kafka2\" (TOPIC 't') FORMAT JSON ENVELOPE DEBEZIUM"],
            (await connection.RowsAsync($"SHOW CREATE SINK {s}_b.out2")).Single());
        Assert.Equal([$"materialize.{s}_b.kafka2", $"CREATE CONNECTION {q}.\"kafka2\" TO KAFKA (BROKER 'b:9092', SASL PASSWORD = SECRET {q}.\"pw2\")"],
            (await connection.RowsAsync($"SHOW CREATE CONNECTION {s}_b.kafka2")).Single());
        Assert.Equal([$"materialize.{s}_b.bids2", $"CREATE TABLE {q}.\"bids2\" FROM SOURCE {q}.\"src2\" (REFERENCE \"auction\".\"bids\")"],
            (await connection.RowsAsync($"SHOW CREATE TABLE {s}_b.bids2")).Single());

        // The catalog's create_sql is the same text; no internal "db.schema" name anywhere.
        var catalog = await connection.RowsAsync(
            "SELECT so.create_sql, si.create_sql, co.create_sql FROM mz_sources so, mz_sinks si, mz_connections co " +
            "WHERE so.name = 'src2' AND si.name = 'out2' AND co.name = 'kafka2' AND so.schema_id = si.schema_id AND si.schema_id = co.schema_id");
        Assert.Equal((await connection.RowsAsync($"SHOW CREATE SOURCE {s}_b.src2")).Single()[1], catalog.Single()[0]);
        Assert.DoesNotContain(catalog.Single(), v => ((string)v!).Contains($"materialize.{s}"));
    }

    // https://materialize.com/docs/sql/show-create-view/ — the name column is the fully qualified name, for
    // views, materialized views, tables and indexes alike, however the statement named the item.
    [Fact]
    public async Task SHOW_CREATE_names_the_item_fully_qualified()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("scn");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (a int, b text NOT NULL)");
        await connection.ExecAsync($"CREATE VIEW {s}.v AS SELECT a FROM {s}.t");
        await connection.ExecAsync($"CREATE INDEX t_idx ON {s}.t (a)");
        await connection.ExecAsync($"SET search_path = {s}");
        Assert.Equal($"materialize.{s}.v", (await connection.RowsAsync("SHOW CREATE VIEW v")).Single()[0]);
        Assert.Equal($"materialize.{s}.t_idx", (await connection.RowsAsync("SHOW CREATE INDEX t_idx")).Single()[0]);
        // /sql/show-create-table/: CREATE TABLE "materialize"."public"."t" ("a" "pg_catalog"."int4", "b" "pg_catalog"."text" NOT NULL)
        Assert.Equal([$"materialize.{s}.t", $"CREATE TABLE \"materialize\".\"{s}\".\"t\" (\"a\" \"pg_catalog\".\"int4\", \"b\" \"pg_catalog\".\"text\" NOT NULL)"],
            (await connection.RowsAsync("SHOW CREATE TABLE t")).Single());
    }
}
