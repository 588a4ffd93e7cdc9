using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

[Collection(EmulatorCollection.Name)]
public sealed class KnobTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task The_statement_log_records_each_statement_with_its_connection()
    {
        await using var connection = await emulator.OpenAsync();
        var marker = TestData.UniqueName("logged");
        await connection.ScalarAsync($"SELECT '{marker}'");
        using (var raw = emulator.Raw())
            raw.Query($"SELECT '{marker}' AS a; SELECT '{marker}' AS b");

        var rows = await connection.RowsAsync(
            $"SELECT connection_id, sql, occurred_at FROM mz_emulator.statement_log WHERE sql LIKE '%{marker}%' AND sql NOT LIKE '%statement_log%' ORDER BY seq");
        Assert.Equal(3, rows.Count);
        Assert.Equal(connection.ProcessID, rows[0][0]);
        Assert.NotEqual(rows[0][0], rows[1][0]);
        Assert.Equal(rows[1][0], rows[2][0]);
        Assert.Equal($"SELECT '{marker}' AS b", rows[2][1]);
    }

    [Fact]
    public async Task A_fault_fails_the_nth_matching_statement_once()
    {
        await using var connection = await emulator.OpenAsync();
        var marker = TestData.UniqueName("fault");
        await connection.ScalarAsync($"SELECT mz_emulator.inject_fault('%{marker}%', 2, 'error', 'boom')");
        Assert.Equal(1, await connection.ScalarAsync($"SELECT 1 AS {marker}"));
        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ScalarAsync($"SELECT 2 AS {marker}"));
        Assert.Equal("boom", error.MessageText);
        Assert.Equal(3, await connection.ScalarAsync($"SELECT 3 AS {marker}"));
    }

    [Fact]
    public async Task A_fault_can_close_the_connection_at_the_matching_statement()
    {
        await using (var setup = await emulator.OpenAsync())
        {
            await setup.ScalarAsync("SELECT mz_emulator.inject_fault('%drop_me_here%', 1, 'close')");
        }
        await using var connection = new NpgsqlConnection(emulator.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.ScalarAsync("SELECT 'drop_me_here'"));
        await using var next = await emulator.OpenAsync();
        Assert.Equal(1, await next.ScalarAsync("SELECT 1"));
    }
}
