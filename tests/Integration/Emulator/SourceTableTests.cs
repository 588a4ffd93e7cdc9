namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// CREATE TABLE … FROM SOURCE gets the columns it lists, or those the source makes knowable, so views over
/// such tables (SELECT * and named columns) can be created and queried.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class SourceTableTests(EmulatorFixture emulator)
{
    private async Task<List<string>> ColumnsAsync(Npgsql.NpgsqlConnection connection, string schema, string table) =>
        (await connection.RowsAsync(
            "SELECT c.name || ' ' || c.type FROM mz_columns c JOIN mz_tables t ON t.id = c.id JOIN mz_schemas s ON s.id = t.schema_id " +
            $"WHERE s.name = '{schema}' AND t.name = '{table}' ORDER BY c.position")).Select(r => (string)r[0]!).ToList();

    [Fact]
    public async Task Listed_columns_make_the_table_and_views_over_it_run()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("pgsrc");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE SECRET {s}.pw AS 'pw'");
        await connection.ExecAsync($"CREATE CONNECTION {s}.pg TO POSTGRES (HOST 'db', DATABASE 'app', USER 'u', PASSWORD SECRET {s}.pw)");
        await connection.ExecAsync($"CREATE SOURCE {s}.src IN CLUSTER quickstart FROM POSTGRES CONNECTION {s}.pg (PUBLICATION 'mz')");
        await connection.ExecAsync($"CREATE TABLE {s}.t (a int, b text) FROM SOURCE {s}.src (REFERENCE \"public\".\"t\")");
        await connection.ExecAsync($"CREATE VIEW {s}.everything AS SELECT * FROM {s}.t");
        await connection.ExecAsync($"CREATE VIEW {s}.named AS SELECT a, upper(b) AS b FROM {s}.t WHERE a > 0");

        Assert.Equal(["a integer", "b text"], await ColumnsAsync(connection, s, "t"));
        Assert.Equal(["a integer", "b text"], await ViewColumnsAsync(connection, s, "everything"));
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM {s}.named"));
    }

    [Fact]
    public async Task Postgres_references_without_a_list_get_their_TEXT_COLUMNS_and_nothing_else()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("pgtext");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE CONNECTION {s}.pg TO POSTGRES (HOST 'db', DATABASE 'app', USER 'u')");
        await connection.ExecAsync($"CREATE SOURCE {s}.src IN CLUSTER quickstart FROM POSTGRES CONNECTION {s}.pg (PUBLICATION 'mz')");
        await connection.ExecAsync($"CREATE TABLE {s}.t FROM SOURCE {s}.src (REFERENCE public.t) WITH (TEXT COLUMNS (status, \"Kind\"))");
        await connection.ExecAsync($"CREATE TABLE {s}.u FROM SOURCE {s}.src (REFERENCE public.u)");

        Assert.Equal(["status text", "Kind text"], await ColumnsAsync(connection, s, "t"));
        Assert.Empty(await ColumnsAsync(connection, s, "u"));
        await connection.ExecAsync($"CREATE VIEW {s}.v AS SELECT * FROM {s}.u");
    }

    [Fact]
    public async Task Load_generator_tables_get_the_generators_columns()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("gen");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE SOURCE {s}.ticker IN CLUSTER quickstart FROM LOAD GENERATOR COUNTER");
        await connection.ExecAsync($"CREATE SOURCE {s}.auction IN CLUSTER quickstart FROM LOAD GENERATOR AUCTION (TICK INTERVAL '1s')");
        await connection.ExecAsync($"CREATE TABLE {s}.ticks FROM SOURCE {s}.ticker (REFERENCE \"counter\")");
        await connection.ExecAsync($"CREATE TABLE {s}.bids FROM SOURCE {s}.auction (REFERENCE \"auction\".\"bids\")");
        await connection.ExecAsync($"CREATE VIEW {s}.top_bids AS SELECT auction_id, max(amount) AS top FROM {s}.bids GROUP BY auction_id");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.n IN CLUSTER quickstart AS SELECT max(counter) AS n FROM {s}.ticks");

        Assert.Equal(["counter bigint"], await ColumnsAsync(connection, s, "ticks"));
        Assert.Equal(["id bigint", "buyer bigint", "auction_id bigint", "amount integer", "bid_time timestamp with time zone"],
            await ColumnsAsync(connection, s, "bids"));
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM {s}.top_bids"));
        // FOR ALL TABLES makes the generator's subsources (customers, …); a table from the source needs another name.
        await connection.ExecAsync($"CREATE SOURCE {s}.marketing IN CLUSTER quickstart FROM LOAD GENERATOR MARKETING FOR ALL TABLES");
        await connection.ExecAsync($"CREATE TABLE {s}.customers_t FROM SOURCE {s}.marketing (REFERENCE customers)");
        Assert.Equal(["id bigint", "email text", "income bigint"], await ColumnsAsync(connection, s, "customers_t"));
        var unknown = await connection.FailsAsync($"CREATE TABLE {s}.nope FROM SOURCE {s}.auction (REFERENCE \"auction\".\"nope\")");
        Assert.Equal("reference to nope not found in source", unknown.MessageText);
    }

    [Fact]
    public async Task Kafka_tables_get_one_column_per_format()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("kafka");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE CONNECTION {s}.k TO KAFKA (BROKER 'broker:9092')");
        await connection.ExecAsync($"CREATE SOURCE {s}.src IN CLUSTER quickstart FROM KAFKA CONNECTION {s}.k (TOPIC 'events')");
        await connection.ExecAsync($"CREATE TABLE {s}.j FROM SOURCE {s}.src (REFERENCE \"events\") FORMAT JSON");
        await connection.ExecAsync($"CREATE TABLE {s}.t FROM SOURCE {s}.src (REFERENCE \"events\") KEY FORMAT JSON VALUE FORMAT TEXT");
        await connection.ExecAsync($"CREATE TABLE {s}.b FROM SOURCE {s}.src (REFERENCE \"events\") FORMAT BYTES");
        await connection.ExecAsync($"CREATE VIEW {s}.v AS SELECT data->>'id' AS id FROM {s}.j");

        Assert.Equal(["data jsonb"], await ColumnsAsync(connection, s, "j"));
        Assert.Equal(["text text"], await ColumnsAsync(connection, s, "t"));
        Assert.Equal(["data bytea"], await ColumnsAsync(connection, s, "b"));
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM {s}.v"));
    }

    private static async Task<List<string>> ViewColumnsAsync(Npgsql.NpgsqlConnection connection, string schema, string view) =>
        (await connection.RowsAsync(
            "SELECT c.name || ' ' || c.type FROM mz_columns c JOIN mz_views v ON v.id = c.id JOIN mz_schemas s ON s.id = v.schema_id " +
            $"WHERE s.name = '{schema}' AND v.name = '{view}' ORDER BY c.position")).Select(r => (string)r[0]!).ToList();
}
