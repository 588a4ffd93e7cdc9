using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Fidelity;

/// <summary>Issue 12, group 6: ALTER … SWAP WITH and RENAME TO as Materialize accepts and refuses them.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class SwapsAndRenamesFidelityTests(EmulatorFixture emulator)
{
    // https://materialize.com/docs/sql/alter-swap/ — ALTER SCHEMA [IF EXISTS] a SWAP WITH b: a missing
    // schema with IF EXISTS is a notice, not an error.
    [Fact]
    public async Task ALTER_SCHEMA_IF_EXISTS_SWAP_skips_a_missing_schema_and_swaps_an_existing_one()
    {
        await using var connection = await emulator.OpenAsync();
        var a = TestData.UniqueName("blue");
        var b = TestData.UniqueName("green");
        await connection.ExecAsync($"CREATE SCHEMA {a}");
        await connection.ExecAsync($"CREATE SCHEMA {b}");
        await connection.ExecAsync($"CREATE TABLE {a}.numbers (n int)");

        await connection.ExecAsync($"ALTER SCHEMA IF EXISTS {a}_missing SWAP WITH {b}");
        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM mz_tables t JOIN mz_schemas s ON s.id = t.schema_id WHERE s.name = '{a}'"));
        await connection.ExecAsync($"ALTER SCHEMA IF EXISTS {a} SWAP WITH {b}");
        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM mz_tables t JOIN mz_schemas s ON s.id = t.schema_id WHERE s.name = '{b}'"));
        Assert.Equal("3F000", (await connection.FailsAsync($"ALTER SCHEMA {a}_missing SWAP WITH {b}")).SqlState);
    }

    // https://materialize.com/docs/sql/alter-swap/ — swapping renames by identity, so a schema swapped
    // with itself keeps its name and its items.
    [Fact]
    public async Task Swapping_a_schema_with_itself_changes_nothing()
    {
        await using var connection = await emulator.OpenAsync();
        var a = TestData.UniqueName("self");
        await connection.ExecAsync($"CREATE SCHEMA {a}");
        await connection.ExecAsync($"CREATE TABLE {a}.t (n int)");
        await connection.ExecAsync($"ALTER SCHEMA {a} SWAP WITH {a}");
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM {a}.t"));
    }

    // https://materialize.com/docs/sql/alter-cluster/ — ALTER CLUSTER [IF EXISTS] name SWAP WITH other.
    [Fact]
    public async Task ALTER_CLUSTER_IF_EXISTS_SWAP_skips_a_missing_cluster()
    {
        await using var connection = await emulator.OpenAsync();
        var a = TestData.UniqueName("c_blue");
        var b = TestData.UniqueName("c_green");
        await connection.ExecAsync($"CREATE CLUSTER {a} (SIZE = '25cc')");
        await connection.ExecAsync($"CREATE CLUSTER {b} (SIZE = '50cc')");
        try
        {
            await connection.ExecAsync($"ALTER CLUSTER IF EXISTS {a}_missing SWAP WITH {b}");
            Assert.Equal("50cc", await connection.ScalarAsync($"SELECT size FROM mz_clusters WHERE name = '{b}'"));
            await connection.ExecAsync($"ALTER CLUSTER IF EXISTS {a} SWAP WITH {b}");
            Assert.Equal("25cc", await connection.ScalarAsync($"SELECT size FROM mz_clusters WHERE name = '{b}'"));
        }
        finally
        {
            await connection.ExecAsync($"DROP CLUSTER {a}");
            await connection.ExecAsync($"DROP CLUSTER {b}");
        }
    }

    // https://materialize.com/docs/sql/alter-rename/ — ALTER <kind> must name the item's kind, and the new
    // name must not be taken by any item of the schema ("catalog item 'x' already exists").
    [Fact]
    public async Task Renames_name_the_right_kind_and_a_free_name()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("ren");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"SET search_path = {s}");
        await connection.ExecAsync("CREATE TABLE t (x int)");
        await connection.ExecAsync("CREATE INDEX t_idx ON t (x)");
        await connection.ExecAsync("CREATE VIEW v AS SELECT x FROM t");
        await connection.ExecAsync("CREATE MATERIALIZED VIEW mv AS SELECT x FROM t");

        var wrongKind = await connection.FailsAsync("ALTER VIEW mv RENAME TO mv2");
        Assert.Equal($"materialize.{s}.mv is a materialized view not a view", wrongKind.MessageText);
        Assert.Equal($"materialize.{s}.v is a view not a table", (await connection.FailsAsync("ALTER TABLE v RENAME TO v2")).MessageText);
        Assert.Equal("catalog item 'v' already exists", (await connection.FailsAsync("ALTER TABLE t RENAME TO v")).MessageText);
        Assert.Equal("catalog item 't_idx' already exists", (await connection.FailsAsync("ALTER VIEW v RENAME TO t_idx")).MessageText);

        await connection.ExecAsync("ALTER MATERIALIZED VIEW mv RENAME TO mv2");
        await connection.ExecAsync("ALTER TABLE t RENAME TO t2");
        Assert.Equal(["mv2", "t2", "v"], (await connection.RowsAsync(
            $"SELECT o.name FROM mz_objects o JOIN mz_schemas sc ON sc.id = o.schema_id WHERE sc.name = '{s}' AND o.type <> 'index' ORDER BY 1"))
            .Select(r => (string)r[0]!));
    }
}
