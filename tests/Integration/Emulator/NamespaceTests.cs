namespace MzDeploy.Tests.Integration.Emulator;

[Collection(EmulatorCollection.Name)]
public sealed class NamespaceTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task A_fresh_emulator_has_database_materialize_with_schema_public()
    {
        await using var connection = await emulator.OpenAsync();
        Assert.Equal("u1", await connection.ScalarAsync("SELECT id FROM mz_catalog.mz_databases WHERE name = 'materialize'"));
        Assert.Equal(1L, await connection.ScalarAsync(
            "SELECT count(*) FROM mz_schemas s JOIN mz_databases d ON d.id = s.database_id WHERE d.name = 'materialize' AND s.name = 'public'"));
        Assert.Equal(1L, await connection.ScalarAsync(
            "SELECT count(*) FROM mz_schemas WHERE name = 'mz_catalog' AND database_id IS NULL"));
    }

    [Fact]
    public async Task Three_part_names_work_anywhere_a_relation_is_named()
    {
        await using var connection = await emulator.OpenAsync();
        var db = TestData.UniqueName("db");
        await connection.ExecAsync($"CREATE DATABASE {db}");
        await connection.ExecAsync($"CREATE SCHEMA {db}.sales");
        await connection.ExecAsync($"CREATE TABLE {db}.sales.orders (id int, amount numeric)");
        await connection.ExecAsync($"INSERT INTO {db}.sales.orders VALUES (1, 10), (2, 32)");
        await connection.ExecAsync($"CREATE VIEW {db}.public.totals AS SELECT sum(o.amount) AS total FROM {db}.sales.orders o");
        // A view in another database reading across databases, as dev overlays do.
        await connection.ExecAsync($"CREATE VIEW materialize.public.{db}_copy AS SELECT * FROM {db}.public.totals");

        Assert.Equal(42m, await connection.ScalarAsync($"SELECT total FROM {db}_copy"));
        Assert.Equal(2L, await connection.ScalarAsync(
            $"SELECT count(*) FROM {db}.sales.orders o JOIN (SELECT id FROM {db}.sales.orders) x ON x.id = o.id"));
        await connection.ExecAsync($"UPDATE {db}.sales.orders SET amount = 11 WHERE id = 1");
        await connection.ExecAsync($"DELETE FROM {db}.sales.orders WHERE id = 2");
        Assert.Equal(11m, await connection.ScalarAsync($"SELECT total FROM materialize.public.{db}_copy"));

        var objects = await connection.RowsAsync(
            $"SELECT o.name, o.type FROM mz_objects o JOIN mz_schemas s ON s.id = o.schema_id JOIN mz_databases d ON d.id = s.database_id " +
            $"WHERE d.name = '{db}' ORDER BY o.name");
        Assert.Equal(["orders table", "totals view"], objects.Select(r => $"{r[0]} {r[1]}"));
    }

    [Fact]
    public async Task SET_database_switches_where_unqualified_and_two_part_names_resolve()
    {
        using var raw = emulator.Raw();
        var db = TestData.UniqueName("other");
        raw.Query($"CREATE DATABASE {db}");
        Assert.Equal(["SET"], raw.Query($"SET database = {db}"));
        Assert.Equal(db, raw.Parameters["database"]);
        Assert.Equal(["CREATE TABLE"], raw.Query("CREATE TABLE here (x int)"));
        Assert.Equal(["INSERT 0 1"], raw.Query("INSERT INTO public.here VALUES (7)"));
        Assert.Equal(["SELECT 1"], raw.Query($"SELECT * FROM {db}.public.here WHERE current_database() = '{db}'"));
    }

    [Fact]
    public async Task CREATE_and_DROP_DATABASE_and_SCHEMA_follow_Materialize_defaults()
    {
        await using var connection = await emulator.OpenAsync();
        var db = TestData.UniqueName("life");
        await connection.ExecAsync($"CREATE DATABASE {db}");
        await connection.ExecAsync($"CREATE DATABASE IF NOT EXISTS {db}");
        Assert.Equal($"database '{db}' already exists", (await connection.FailsAsync($"CREATE DATABASE {db}")).MessageText);
        await connection.ExecAsync($"CREATE SCHEMA {db}.s1");
        await connection.ExecAsync($"CREATE SCHEMA IF NOT EXISTS {db}.s1");
        Assert.Equal("schema 's1' already exists", (await connection.FailsAsync($"CREATE SCHEMA {db}.s1")).MessageText);
        await connection.ExecAsync($"CREATE TABLE {db}.s1.t (x int)");

        // DROP SCHEMA defaults to RESTRICT.
        var restrict = await connection.FailsAsync($"DROP SCHEMA {db}.s1");
        Assert.Equal("2BP01", restrict.SqlState);
        Assert.Equal(["public", "s1"], (await connection.RowsAsync(
            $"SELECT s.name FROM mz_schemas s JOIN mz_databases d ON d.id = s.database_id WHERE d.name = '{db}' ORDER BY 1"))
            .Select(r => (string)r[0]!));

        // DROP DATABASE defaults to CASCADE.
        await connection.ExecAsync($"DROP DATABASE {db}");
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_databases WHERE name = '{db}'"));
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM pg_namespace WHERE nspname LIKE '{db}.%'"));
        Assert.Equal($"unknown database '{db}'", (await connection.FailsAsync($"DROP DATABASE {db}")).MessageText);
        await connection.ExecAsync($"DROP DATABASE IF EXISTS {db}");
        await connection.ExecAsync($"DROP SCHEMA IF EXISTS materialize.never CASCADE");
    }

    [Fact]
    public async Task Schema_swap_exchanges_names_and_dependents_follow_the_objects()
    {
        await using var connection = await emulator.OpenAsync();
        var blue = TestData.UniqueName("blue");
        var green = TestData.UniqueName("green");
        await connection.ExecAsync($"CREATE SCHEMA {blue}");
        await connection.ExecAsync($"CREATE SCHEMA {green}");
        await connection.ExecAsync($"CREATE TABLE {blue}.n (v int)");
        await connection.ExecAsync($"INSERT INTO {blue}.n VALUES (1)");
        await connection.ExecAsync($"CREATE TABLE {green}.n (v int)");
        await connection.ExecAsync($"INSERT INTO {green}.n VALUES (2)");
        await connection.ExecAsync($"CREATE VIEW reads_{blue} AS SELECT v FROM {blue}.n");
        var blueId = await connection.ScalarAsync($"SELECT id FROM mz_schemas WHERE name = '{blue}'");

        await using (var tx = await connection.BeginTransactionAsync())
        {
            await connection.ExecAsync($"ALTER SCHEMA materialize.{blue} SWAP WITH {green}");
            await connection.ExecAsync($"ALTER SCHEMA {blue} RENAME TO {blue}_new");
            await tx.CommitAsync();
        }

        Assert.Equal(2, await connection.ScalarAsync($"SELECT v FROM {blue}_new.n"));
        Assert.Equal(1, await connection.ScalarAsync($"SELECT v FROM {green}.n"));
        Assert.Equal(blueId, await connection.ScalarAsync($"SELECT id FROM mz_schemas WHERE name = '{green}'"));
        // The view kept reading the same table, now named green.n, as in Materialize.
        Assert.Equal(1, await connection.ScalarAsync($"SELECT v FROM reads_{blue}"));
    }

    [Fact]
    public async Task A_failed_swap_transaction_changes_nothing()
    {
        await using var connection = await emulator.OpenAsync();
        var a = TestData.UniqueName("sa");
        var b = TestData.UniqueName("sb");
        var c = TestData.UniqueName("cl");
        await connection.ExecAsync($"CREATE SCHEMA {a}");
        await connection.ExecAsync($"CREATE SCHEMA {b}");
        await connection.ExecAsync($"CREATE CLUSTER {c} (SIZE = 'xsmall')");
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await connection.ExecAsync($"ALTER SCHEMA {a} SWAP WITH {b}");
            await connection.ExecAsync($"ALTER CLUSTER {c} RENAME TO {c}_x");
            await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecAsync($"ALTER SCHEMA {a} SWAP WITH missing"));
            await tx.RollbackAsync();
        }
        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM mz_clusters WHERE name = '{c}'"));
        Assert.Equal(["u"], new[] { ((string)(await connection.ScalarAsync($"SELECT id FROM mz_schemas WHERE name = '{a}'"))!)[..1] });
    }

    [Fact]
    public async Task COMMENT_ON_lands_in_mz_comments()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("tagged");
        var cl = TestData.UniqueName("cc");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await connection.ExecAsync($"CREATE CLUSTER {cl} (SIZE = 'xsmall')");
        await connection.ExecAsync($"COMMENT ON SCHEMA materialize.{s} IS 'deployment=d1'");
        await connection.ExecAsync($"COMMENT ON TABLE materialize.{s}.t IS 'orders'");
        await connection.ExecAsync($"COMMENT ON COLUMN {s}.t.x IS 'the x'");
        await connection.ExecAsync($"COMMENT ON CLUSTER {cl} IS 'staging'");

        var comments = await connection.RowsAsync(
            $"SELECT c.object_type, c.object_sub_id, c.comment FROM mz_internal.mz_comments c " +
            $"WHERE c.id IN (SELECT id FROM mz_schemas WHERE name = '{s}' UNION ALL SELECT id FROM mz_objects WHERE name = 't' " +
            $"AND schema_id IN (SELECT id FROM mz_schemas WHERE name = '{s}') UNION ALL SELECT id FROM mz_clusters WHERE name = '{cl}') ORDER BY 3");
        Assert.Equal(["schema  deployment=d1", "table  orders", "cluster  staging", "table 1 the x"],
            comments.Select(r => $"{r[0]} {r[1]} {r[2]}"));
    }

    [Fact]
    public async Task SET_search_path_names_Materialize_schemas_of_the_current_database()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("path");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.only_here (x int)");
        await connection.ExecAsync($"SET search_path = {s}, public");
        Assert.Equal($"{s}, public", await connection.ScalarAsync("SHOW search_path"));
        Assert.Equal(0L, await connection.ScalarAsync("SELECT count(*) FROM only_here"));
        Assert.Equal($"{s}, public", connection.PostgresParameters["search_path"]);

        await using var other = await emulator.OpenAsync($"Options=-c search_path={s}");
        Assert.Equal(0L, await other.ScalarAsync("SELECT count(*) FROM only_here"));
    }

    [Fact]
    public async Task Of_two_racing_schema_swap_transactions_the_later_one_fails_and_retries_cleanly()
    {
        var a = TestData.UniqueName("ra");
        var b = TestData.UniqueName("rb");
        await using var first = await emulator.OpenAsync();
        await using var second = new Npgsql.NpgsqlConnection(emulator.ConnectionString + ";Pooling=false");
        await second.OpenAsync();
        await first.ExecAsync($"CREATE SCHEMA {a}");
        await first.ExecAsync($"CREATE SCHEMA {b}");
        var aId = await first.ScalarAsync($"SELECT id FROM mz_schemas WHERE name = '{a}'");

        await using (var tx1 = await first.BeginTransactionAsync())
        {
            await first.ExecAsync($"ALTER SCHEMA {a} SWAP WITH {b}");
            await using var tx2 = await second.BeginTransactionAsync();
            var racing = second.ExecAsync($"ALTER SCHEMA {a} SWAP WITH {b}");
            await Task.Delay(300);
            Assert.False(racing.IsCompleted);
            await tx1.CommitAsync();
            var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => racing);
            Assert.Equal("40001", error.SqlState);
            await tx2.RollbackAsync();
        }
        Assert.Equal(aId, await first.ScalarAsync($"SELECT id FROM mz_schemas WHERE name = '{b}'"));

        // A retry after the race sees the new state and succeeds.
        await using (var retry = await second.BeginTransactionAsync())
        {
            await second.ExecAsync($"ALTER SCHEMA {a} SWAP WITH {b}");
            await retry.CommitAsync();
        }
        Assert.Equal(aId, await first.ScalarAsync($"SELECT id FROM mz_schemas WHERE name = '{a}'"));
    }

    [Theory]
    [InlineData("SCHEMA", "42P06")]
    [InlineData("DATABASE", "42P04")]
    [InlineData("CLUSTER", "42710")]
    public async Task Of_two_sessions_creating_one_name_at_once_the_later_is_told_it_exists(string kind, string sqlState)
    {
        // Materialize applies catalog changes one at a time; PostgreSQL lets both pass the existence check and the
        // later one trips over the name's unique index instead. A stage's claim relies on the Materialize answer.
        var name = TestData.UniqueName("twin");
        var options = kind == "CLUSTER" ? " (SIZE = '25cc')" : "";
        await using var first = await emulator.OpenAsync();
        await using var second = new Npgsql.NpgsqlConnection(emulator.ConnectionString + ";Pooling=false");
        await second.OpenAsync();

        await using (var tx = await first.BeginTransactionAsync())
        {
            await first.ExecAsync($"CREATE {kind} {name}{options}");
            var racing = second.ExecAsync($"CREATE {kind} {name}{options}");
            await Task.Delay(300);
            Assert.False(racing.IsCompleted);
            await tx.CommitAsync();
            var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => racing);
            Assert.Equal(sqlState, error.SqlState);
            Assert.Contains($"'{name}' already exists", error.MessageText);
        }
        await first.ExecAsync($"DROP {kind} {name}");
    }
}
