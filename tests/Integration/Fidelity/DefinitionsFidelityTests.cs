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
}
