using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>SUBSCRIBE through a cursor: the snapshot with Materialize's columns; a bare SUBSCRIBE is refused.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class SubscribeTests(EmulatorFixture emulator)
{
    private static async Task<(List<string> Columns, List<object?[]> Rows)> FetchAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return (columns, rows);
    }

    [Fact]
    public async Task A_SUBSCRIBE_cursor_fetches_the_snapshot_once_with_timestamp_and_diff()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("sub");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await connection.ExecAsync($"INSERT INTO {s}.t VALUES (1), (2)");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.mv AS SELECT x * 10 AS y FROM {s}.t");

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecAsync($"DECLARE c CURSOR FOR SUBSCRIBE (SELECT x FROM materialize.{s}.t)");
            var (columns, rows) = await FetchAsync(connection, "FETCH ALL c WITH (timeout = '1s')");
            Assert.Equal(["mz_timestamp", "mz_diff", "x"], columns);
            Assert.Equal([1, 2], rows.Select(r => (int)r[2]!).Order());
            Assert.All(rows, r => Assert.Equal(1L, r[1]));
            Assert.Single(rows.Select(r => r[0]).Distinct());
            Assert.True((decimal)rows[0][0]! > 1_700_000_000_000m);
            Assert.Empty((await FetchAsync(connection, "FETCH ALL c WITH (timeout = '0s')")).Rows);
            await transaction.CommitAsync();
        }

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecAsync($"DECLARE c CURSOR FOR SUBSCRIBE TO {s}.mv WITH (PROGRESS)");
            var (columns, rows) = await FetchAsync(connection, "FETCH 10 c");
            Assert.Equal(["mz_timestamp", "mz_progressed", "mz_diff", "y"], columns);
            Assert.Equal([10, 20], rows.Select(r => (int)r[3]!).Order());
            await connection.ExecAsync($"DECLARE d CURSOR FOR SUBSCRIBE {s}.mv WITH (SNAPSHOT = false)");
            Assert.Empty((await FetchAsync(connection, "FETCH ALL d")).Rows);
            await transaction.CommitAsync();
        }

        var unsupported = await connection.FailsAsync($"SUBSCRIBE TO {s}.mv");
        Assert.Equal("0A000", unsupported.SqlState);
        Assert.Equal("SUBSCRIBE is not supported by the emulator", unsupported.MessageText);
        await connection.ExecAsync($"DROP SCHEMA {s} CASCADE");
    }
}
