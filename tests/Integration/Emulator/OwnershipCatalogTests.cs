namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// The catalog facts a promote's ownership guard reads before it drops a schema or cluster: which objects live
/// where (mz_objects, cluster_id of every dataflow object), who owns them (mz_roles), what a swap and a drop do
/// to them, and that Materialize refuses to drop a non-empty cluster or schema without CASCADE.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class OwnershipCatalogTests(EmulatorFixture emulator)
{
    /// <summary>A cluster and a schema holding one object of every kind; returns (schema, cluster, cluster id).</summary>
    private static async Task<(string Schema, string Cluster, string ClusterId)> CreateEveryKindAsync(Npgsql.NpgsqlConnection connection, string prefix)
    {
        var s = TestData.UniqueName(prefix);
        var cl = TestData.UniqueName(prefix + "_cl");
        await connection.ExecAsync($"CREATE CLUSTER {cl} (SIZE = 'xsmall')");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await connection.ExecAsync($"CREATE VIEW {s}.v AS SELECT x FROM {s}.t");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.mv IN CLUSTER {cl} AS SELECT x FROM {s}.v");
        await connection.ExecAsync($"CREATE INDEX t_idx IN CLUSTER {cl} ON {s}.t (x)");
        await connection.ExecAsync($"CREATE SECRET {s}.pw AS 'pw'");
        await connection.ExecAsync($"CREATE CONNECTION {s}.k TO KAFKA (BROKER 'broker:9092', SASL PASSWORD = SECRET {s}.pw)");
        await connection.ExecAsync($"CREATE CONNECTION {s}.pg TO POSTGRES (HOST 'db', DATABASE 'app', USER 'u', PASSWORD SECRET {s}.pw)");
        await connection.ExecAsync($"CREATE SOURCE materialize.{s}.gen IN CLUSTER {cl} FROM LOAD GENERATOR COUNTER");
        await connection.ExecAsync($"CREATE SOURCE {s}.pgsrc IN CLUSTER {cl} FROM POSTGRES CONNECTION {s}.pg (PUBLICATION 'mz')");
        await connection.ExecAsync($"CREATE TABLE {s}.ticks FROM SOURCE {s}.gen (REFERENCE \"counter\")");
        await connection.ExecAsync($"CREATE SINK {s}.sink_out IN CLUSTER {cl} FROM {s}.mv INTO KAFKA CONNECTION {s}.k (TOPIC 'out') FORMAT JSON ENVELOPE DEBEZIUM");
        var id = (string)(await connection.ScalarAsync($"SELECT id FROM mz_clusters WHERE name = '{cl}'"))!;
        return (s, cl, id);
    }

    private static async Task<List<string>> ObjectsAsync(Npgsql.NpgsqlConnection connection, string schema) =>
        (await connection.RowsAsync(
            "SELECT o.name || ' ' || o.type || ' ' || coalesce(c.name, '-') FROM mz_objects o JOIN mz_schemas s ON s.id = o.schema_id " +
            $"LEFT JOIN mz_clusters c ON c.id = o.cluster_id WHERE s.name = '{schema}' ORDER BY o.name")).Select(r => (string)r[0]!).ToList();

    [Fact]
    public async Task mz_objects_has_Materializes_columns_and_every_kind_with_its_cluster()
    {
        await using var connection = await emulator.OpenAsync();
        var (s, cl, _) = await CreateEveryKindAsync(connection, "kinds");

        await using (var command = new Npgsql.NpgsqlCommand("SELECT * FROM mz_catalog.mz_objects LIMIT 0", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.Equal(["id", "oid", "schema_id", "name", "type", "owner_id", "cluster_id", "privileges"],
                Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        }
        Assert.Equal([
            "gen source " + cl, "k connection -", "mv materialized-view " + cl, "pg connection -", "pgsrc source " + cl,
            "pw secret -", "sink_out sink " + cl, "t table -", "t_idx index " + cl, "ticks table -", "v view -"],
            await ObjectsAsync(connection, s));
        Assert.Equal(0L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_objects o JOIN mz_schemas s ON s.id = o.schema_id WHERE s.name = '{s}' AND (o.privileges IS NULL OR o.oid IS NULL)"));
    }

    [Fact]
    public async Task Owners_join_mz_roles_and_dataflow_objects_report_their_cluster()
    {
        await using var connection = await emulator.OpenAsync();
        var (s, _, id) = await CreateEveryKindAsync(connection, "owners");

        Assert.Equal(["materialize"], (await connection.RowsAsync(
            "SELECT DISTINCT r.name FROM mz_objects o JOIN mz_schemas s ON s.id = o.schema_id JOIN mz_roles r ON r.id = o.owner_id " +
            $"WHERE s.name = '{s}'")).Select(r => (string)r[0]!));
        Assert.Equal(11L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_objects o JOIN mz_schemas s ON s.id = o.schema_id JOIN mz_roles r ON r.id = o.owner_id WHERE s.name = '{s}'"));
        string Where(string table) => $"SELECT x.cluster_id FROM {table} x JOIN mz_schemas s ON s.id = x.schema_id WHERE s.name = '{s}'";
        Assert.Equal([id, id], (await connection.RowsAsync(Where("mz_sources"))).Select(r => r[0]));
        Assert.Equal([id], (await connection.RowsAsync(Where("mz_sinks"))).Select(r => r[0]));
        Assert.Equal([id], (await connection.RowsAsync(Where("mz_materialized_views"))).Select(r => r[0]));
        var index = (await connection.RowsAsync(
            "SELECT i.cluster_id, i.on_id = t.id FROM mz_indexes i JOIN mz_tables t ON t.id = i.on_id JOIN mz_schemas s ON s.id = t.schema_id " +
            $"WHERE s.name = '{s}'")).Single();
        Assert.Equal([id, true], index);
    }

    [Fact]
    public async Task A_swap_exchanges_cluster_names_and_objects_stay_on_their_cluster_id()
    {
        await using var connection = await emulator.OpenAsync();
        var (s, a, aId) = await CreateEveryKindAsync(connection, "swap");
        var b = TestData.UniqueName("swap_b");
        await connection.ExecAsync($"CREATE CLUSTER {b} (SIZE = 'xsmall')");

        await connection.ExecAsync($"ALTER CLUSTER {a} SWAP WITH {b}");

        Assert.Equal(b, await connection.ScalarAsync($"SELECT name FROM mz_clusters WHERE id = '{aId}'"));
        Assert.Equal(b, await connection.ScalarAsync(
            "SELECT c.name FROM mz_materialized_views m JOIN mz_clusters c ON c.id = m.cluster_id JOIN mz_schemas s ON s.id = m.schema_id " +
            $"WHERE s.name = '{s}' AND m.name = 'mv'"));
        Assert.Contains($"gen source {b}", await ObjectsAsync(connection, s));
        Assert.Equal(0L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_objects o JOIN mz_clusters c ON c.id = o.cluster_id WHERE c.name = '{a}'"));
    }

    [Fact]
    public async Task DROP_CLUSTER_refuses_without_CASCADE_and_with_it_drops_every_object_on_the_cluster()
    {
        await using var connection = await emulator.OpenAsync();
        var (s, cl, id) = await CreateEveryKindAsync(connection, "dropcl");
        await connection.ExecAsync($"CREATE VIEW {s}.over_mv AS SELECT x FROM {s}.mv");
        await connection.ExecAsync(
            $"CREATE SINK {s}.elsewhere IN CLUSTER quickstart FROM {s}.mv INTO KAFKA CONNECTION {s}.k (TOPIC 'x') FORMAT JSON ENVELOPE DEBEZIUM");

        Assert.Equal("2BP01", (await connection.FailsAsync($"DROP CLUSTER {cl}")).SqlState);
        Assert.Equal(13, (await ObjectsAsync(connection, s)).Count);

        await connection.ExecAsync($"DROP CLUSTER {cl} CASCADE");

        // What lived on the cluster, and what depended on it (the view over the MV, the sink on another cluster
        // reading it, the table fed by the load generator), is gone; the rest stays.
        Assert.Equal(["k connection -", "pg connection -", "pw secret -", "t table -", "v view -"], await ObjectsAsync(connection, s));
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_objects WHERE cluster_id = '{id}'"));
        Assert.Equal(0L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_internal.mz_object_dependencies d WHERE NOT EXISTS (SELECT FROM mz_objects o WHERE o.id = d.object_id)"));
    }

    [Fact]
    public async Task DROP_SCHEMA_refuses_a_schema_with_objects_without_CASCADE_and_with_it_drops_them()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("dropsch");
        var secrets = TestData.UniqueName("secrets_only");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.by_hand (x int)");
        await connection.ExecAsync($"CREATE SCHEMA {secrets}");
        await connection.ExecAsync($"CREATE SECRET {secrets}.pw AS 'pw'");

        Assert.Equal("2BP01", (await connection.FailsAsync($"DROP SCHEMA {s}")).SqlState);
        Assert.Equal("2BP01", (await connection.FailsAsync($"DROP SCHEMA {secrets}")).SqlState);
        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM mz_secrets WHERE name = 'pw' AND schema_id = (SELECT id FROM mz_schemas WHERE name = '{secrets}')"));

        await connection.ExecAsync($"DROP SCHEMA {s} CASCADE");
        await connection.ExecAsync($"DROP SCHEMA {secrets} CASCADE");
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_schemas WHERE name IN ('{s}', '{secrets}')"));
        Assert.Equal(0L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_objects o WHERE NOT EXISTS (SELECT FROM mz_schemas s WHERE s.id = o.schema_id)"));
    }
}
