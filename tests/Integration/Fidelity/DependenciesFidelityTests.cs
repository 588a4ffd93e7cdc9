using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Fidelity;

/// <summary>Issue 12, group 2: CREATE OR REPLACE of an item others depend on fails, as its DROP would.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class DependenciesFidelityTests(EmulatorFixture emulator)
{
    // https://materialize.com/docs/sql/create-view/ — OR REPLACE drops the view first; Materialize
    // refuses while other items depend on it ("cannot drop view "v1": still depended upon by view "v2"",
    // MaterializeInc/materialize#23786).
    [Fact]
    public async Task Replacing_a_view_that_a_view_depends_on_fails_and_changes_nothing()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("dep");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"SET search_path = {s}");
        await connection.ExecAsync("CREATE VIEW v1 AS SELECT 1 AS a");
        await connection.ExecAsync("CREATE VIEW v2 AS SELECT a FROM v1");

        var error = await connection.FailsAsync("CREATE OR REPLACE VIEW v1 AS SELECT 2 AS a");
        Assert.Equal("cannot drop view \"v1\": still depended upon by view \"v2\"", error.MessageText);
        Assert.Equal(1, await connection.ScalarAsync("SELECT a FROM v2"));

        // Without dependents OR REPLACE works, and a leaf view can always be replaced.
        await connection.ExecAsync("CREATE OR REPLACE VIEW v2 AS SELECT a + 1 AS a FROM v1");
        Assert.Equal(2, await connection.ScalarAsync("SELECT a FROM v2"));
    }

    // https://materialize.com/docs/sql/create-materialized-view/ — same rule for materialized views and
    // for a view a materialized view reads.
    [Fact]
    public async Task Replacing_what_a_materialized_view_or_a_view_reads_fails()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("dep");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"SET search_path = {s}");
        await connection.ExecAsync("CREATE VIEW base AS SELECT 1 AS a");
        await connection.ExecAsync("CREATE MATERIALIZED VIEW mv AS SELECT a FROM base");
        await connection.ExecAsync("CREATE VIEW top AS SELECT a FROM mv");

        Assert.Equal("cannot drop view \"base\": still depended upon by materialized view \"mv\"",
            (await connection.FailsAsync("CREATE OR REPLACE VIEW base AS SELECT 5 AS a")).MessageText);
        Assert.Equal("cannot drop materialized view \"mv\": still depended upon by view \"top\"",
            (await connection.FailsAsync("CREATE OR REPLACE MATERIALIZED VIEW mv AS SELECT a + 1 AS a FROM base")).MessageText);
        Assert.Equal(1, await connection.ScalarAsync("SELECT a FROM top"));
    }

    // An index on the view is a dependent too (https://materialize.com/docs/sql/create-index/).
    [Fact]
    public async Task Replacing_an_indexed_view_fails()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("dep");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"SET search_path = {s}");
        await connection.ExecAsync("CREATE VIEW v AS SELECT 1 AS a");
        await connection.ExecAsync("CREATE INDEX v_idx ON v (a)");
        Assert.Equal("cannot drop view \"v\": still depended upon by index \"v_idx\"",
            (await connection.FailsAsync("CREATE OR REPLACE VIEW v AS SELECT 2 AS a")).MessageText);
    }
}
