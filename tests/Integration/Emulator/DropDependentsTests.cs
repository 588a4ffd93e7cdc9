namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// DROP SECRET and DROP CONNECTION refuse while a catalog item still names them, as Materialize does, and CASCADE
/// takes the dependents along. Docs: /sql/drop-secret/ and /sql/drop-connection/ ("If there are connections depending on
/// the secret, you must explicitly drop them first, or use the CASCADE option"; the error reads "cannot drop
/// materialize.public.&lt;secret&gt;: still depended upon by catalog item 'materialize.public.&lt;connection&gt;'").
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class DropDependentsTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task A_secret_a_connection_uses_is_refused_without_CASCADE_and_dropped_with_it()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("dropdep");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE SECRET {s}.pw AS 'x'");
        await connection.ExecAsync($"CREATE CONNECTION {s}.pg TO POSTGRES (HOST 'localhost', USER 'u', PASSWORD SECRET {s}.pw, DATABASE 'd')");

        var refused = await connection.FailsAsync($"DROP SECRET {s}.pw");

        Assert.Equal("2BP01", refused.SqlState);
        Assert.Equal($"cannot drop materialize.{s}.pw: still depended upon by catalog item 'materialize.{s}.pg'", refused.MessageText);
        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM mz_secrets s JOIN mz_schemas c ON c.id = s.schema_id WHERE c.name = '{s}'"));

        await connection.ExecAsync($"DROP SECRET {s}.pw CASCADE");

        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_secrets s JOIN mz_schemas c ON c.id = s.schema_id WHERE c.name = '{s}'"));
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_connections s JOIN mz_schemas c ON c.id = s.schema_id WHERE c.name = '{s}'"));
    }

    [Fact]
    public async Task A_connection_a_source_uses_is_refused_and_an_unused_one_drops()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("dropdep");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE SECRET {s}.pw AS 'x'");
        await connection.ExecAsync($"CREATE CONNECTION {s}.pg TO POSTGRES (HOST 'localhost', USER 'u', PASSWORD SECRET {s}.pw, DATABASE 'd')");
        await connection.ExecAsync($"CREATE CONNECTION {s}.unused TO POSTGRES (HOST 'localhost', USER 'u', DATABASE 'd')");
        await connection.ExecAsync($"CREATE SOURCE {s}.src IN CLUSTER quickstart FROM POSTGRES CONNECTION {s}.pg (PUBLICATION 'p')");

        var refused = await connection.FailsAsync($"DROP CONNECTION {s}.pg");

        Assert.Equal("2BP01", refused.SqlState);
        Assert.Contains($"still depended upon by catalog item 'materialize.{s}.src'", refused.MessageText, StringComparison.Ordinal);
        await connection.ExecAsync($"DROP CONNECTION {s}.unused");
        Assert.Equal(new[] { "pg" }, (await connection.RowsAsync(
            $"SELECT s.name FROM mz_connections s JOIN mz_schemas c ON c.id = s.schema_id WHERE c.name = '{s}'")).Select(r => (string?)r[0]));
    }

    [Fact]
    public async Task A_table_a_sink_reads_is_refused_without_CASCADE_and_takes_the_sink_with_it()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("dropdep");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await connection.ExecAsync($"CREATE CONNECTION {s}.kafka TO KAFKA (BROKER 'broker:9092')");
        await connection.ExecAsync($"CREATE SINK {s}.out IN CLUSTER quickstart FROM {s}.t INTO KAFKA CONNECTION {s}.kafka (TOPIC 'out') FORMAT JSON ENVELOPE DEBEZIUM");

        var refused = await connection.FailsAsync($"DROP TABLE {s}.t");

        Assert.Equal("2BP01", refused.SqlState);
        Assert.Equal($"cannot drop materialize.{s}.t: still depended upon by catalog item 'materialize.{s}.out'", refused.MessageText);
        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM mz_tables o JOIN mz_schemas c ON c.id = o.schema_id WHERE c.name = '{s}'"));

        await connection.ExecAsync($"DROP TABLE {s}.t CASCADE");

        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_tables o JOIN mz_schemas c ON c.id = o.schema_id WHERE c.name = '{s}'"));
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_sinks o JOIN mz_schemas c ON c.id = o.schema_id WHERE c.name = '{s}'"));
    }
}
