using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// An error's position points into the statement the client sent, as from Materialize, although the emulator rewrote
/// the names in it before PostgreSQL saw it (a type check maps it on to a file, line and column).
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ErrorPositionTests(EmulatorFixture emulator)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_unknown_column_in_a_view_over_qualified_names_is_reported_where_the_client_wrote_it(bool prepared)
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("pos");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE materialize.{s}.orders (id bigint, amount numeric)");
        var sql = $"CREATE VIEW materialize.{s}.v AS SELECT o.id, o.amont FROM materialize.{s}.orders o";

        var e = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            if (prepared)
            {
                await command.PrepareAsync();
            }

            await command.ExecuteNonQueryAsync();
        });

        Assert.Equal("42703", e.SqlState);
        Assert.Equal(sql.IndexOf("o.amont", StringComparison.Ordinal) + 1, e.Position);
    }

    [Fact]
    public async Task A_type_mismatch_after_a_rewritten_name_keeps_its_position_in_the_client_text()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("pos");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE materialize.{s}.t (id bigint, name text)");
        var sql = $"  CREATE VIEW materialize.{s}.w AS SELECT id FROM materialize.{s}.t WHERE name = 1 + id";

        var e = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecAsync(sql));

        Assert.Equal("42883", e.SqlState);
        Assert.Equal(sql.IndexOf("= 1", StringComparison.Ordinal) + 1, e.Position);
    }

    // The emulator rewrites some text in place before it reads the statement (current_user() to a function, plural
    // interval units, casts to mz_timestamp to a call): an error after such a rewrite still points where the client wrote it.
    [Theory]
    [InlineData("current_user() AS who, ")]
    [InlineData("INTERVAL '30' minutes AS span, ")]
    [InlineData("'1700000000000'::mz_timestamp AS at, CAST(1 AS mz_timestamp) AS one, ")]
    public async Task An_error_after_an_in_place_rewrite_keeps_its_position_in_the_client_text(string before)
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("pos");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE materialize.{s}.t (id bigint)");
        var sql = $"CREATE VIEW materialize.{s}.v AS SELECT {before}amont FROM materialize.{s}.t";

        var e = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecAsync(sql));

        Assert.Equal("42703", e.SqlState);
        Assert.Equal(sql.IndexOf("amont", StringComparison.Ordinal) + 1, e.Position);
    }
}
