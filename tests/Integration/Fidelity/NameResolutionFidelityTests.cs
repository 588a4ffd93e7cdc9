using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Fidelity;

/// <summary>
/// Issue 12, group 1: names resolve as in Materialize. Each case: the statements, Materialize's documented
/// answer, and where it is documented.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class NameResolutionFidelityTests(EmulatorFixture emulator)
{
    // https://materialize.com/docs/sql/namespaces/ — a column may be qualified by its relation's
    // fully qualified name (database.schema.relation.column) or schema-qualified name.
    [Fact]
    public async Task Columns_qualified_by_database_schema_and_relation_resolve()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("d");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.values (x int)");
        await connection.ExecAsync($"INSERT INTO {s}.values VALUES (7)");

        Assert.Equal(7, await connection.ScalarAsync($"SELECT materialize.{s}.values.x FROM {s}.values"));
        Assert.Equal(7, await connection.ScalarAsync($"SELECT {s}.values.x FROM materialize.{s}.values WHERE {s}.values.x > 0"));
        Assert.Equal(7, await connection.ScalarAsync($"SELECT {s}.values.* FROM {s}.values"));
        Assert.Equal(1L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_catalog.mz_tables WHERE mz_catalog.mz_tables.name = 'values'"));
        await connection.ExecAsync($"CREATE VIEW {s}.v AS SELECT materialize.{s}.values.x AS y FROM {s}.values");
        Assert.Equal(7, await connection.ScalarAsync($"SELECT y FROM {s}.v"));
    }

    // https://materialize.com/docs/sql/comment-on/ and https://materialize.com/docs/sql/namespaces/ —
    // an unqualified item name (indexes, connections, secrets too) resolves through the search path.
    [Fact]
    public async Task Unqualified_index_and_secret_names_resolve_through_the_search_path()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("sp");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await connection.ExecAsync($"CREATE INDEX b_idx ON {s}.t (x)");
        await connection.ExecAsync($"CREATE SECRET {s}.pw AS 'x'");
        await connection.ExecAsync($"SET search_path = {s}");

        await connection.ExecAsync("COMMENT ON INDEX b_idx IS 'by x'");
        await connection.ExecAsync("COMMENT ON SECRET pw IS 'password'");
        var comments = await connection.RowsAsync(
            $"SELECT c.comment FROM mz_internal.mz_comments c JOIN mz_objects o ON o.id = c.id JOIN mz_schemas sc ON sc.id = o.schema_id " +
            $"WHERE sc.name = '{s}' ORDER BY 1");
        Assert.Equal(["by x", "password"], comments.Select(r => (string)r[0]!));
    }

    // https://materialize.com/docs/sql/functions/#current_schema — the name of the first schema of the
    // search path that exists, NULL when none does; schema names, not the emulator's internal ones.
    [Fact]
    public async Task Current_schema_answers_Materialize_schema_names()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("cs");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        Assert.Equal("public", await connection.ScalarAsync("SELECT current_schema()"));
        await connection.ExecAsync($"SET search_path = nothing_here, {s}");
        Assert.Equal(s, await connection.ScalarAsync("SELECT current_schema()"));
        Assert.Equal(s, await connection.ScalarAsync("SELECT current_schema"));
        Assert.Equal(new[] { s }, await connection.ScalarAsync("SELECT current_schemas(false)"));
        await connection.ExecAsync("SET search_path = nothing_here");
        Assert.Equal(DBNull.Value, await connection.ScalarAsync("SELECT current_schema()"));
    }

    // https://materialize.com/docs/sql/namespaces/ — an unqualified CREATE goes to the first schema of
    // the search path; with none that exists Materialize refuses: "no valid schema selected".
    [Fact]
    public async Task Creating_an_unqualified_item_without_a_valid_schema_fails()
    {
        await using var connection = await emulator.OpenAsync();
        await connection.ExecAsync("SET search_path = nothing_here");
        var table = TestData.UniqueName("t");
        Assert.Equal("no valid schema selected", (await connection.FailsAsync($"CREATE TABLE {table} (a int)")).MessageText);
        Assert.Equal("no valid schema selected", (await connection.FailsAsync($"CREATE VIEW {table} AS SELECT 1")).MessageText);
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_catalog.mz_objects WHERE name = '{table}'"));
        await connection.ExecAsync("SET search_path = public");
        await connection.ExecAsync($"CREATE TABLE {table} (a int)");
    }
}
