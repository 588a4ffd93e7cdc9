using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

[Collection(EmulatorCollection.Name)]
public sealed class ProtocolEdgeTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task Cancelling_a_running_statement_reaches_PostgreSQL()
    {
        await using var connection = await emulator.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_sleep(30)", connection);
        var running = command.ExecuteNonQueryAsync();
        await Task.Delay(300);
        command.Cancel();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => running);
        Assert.True(error is OperationCanceledException || error.InnerException is PostgresException { SqlState: "57014" }
            || error is PostgresException { SqlState: "57014" }, error.ToString());
        Assert.Equal(1, await connection.ScalarAsync("SELECT 1"));
    }

    [Fact]
    public async Task COPY_FROM_STDIN_loads_a_table_named_with_three_parts()
    {
        await using var connection = await emulator.OpenAsync();
        var table = TestData.UniqueName("copied");
        await connection.ExecAsync($"CREATE TABLE {table} (id int, name text)");
        await using (var writer = await connection.BeginTextImportAsync($"COPY materialize.public.{table} (id, name) FROM STDIN"))
        {
            await writer.WriteAsync("1\tone\n2\ttwo\n");
        }
        Assert.Equal(2L, await connection.ScalarAsync($"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task SHOW_COLUMNS_reads_name_nullable_and_type()
    {
        await using var connection = await emulator.OpenAsync();
        var table = TestData.UniqueName("cols");
        await connection.ExecAsync($"CREATE TABLE {table} (id int NOT NULL, label text)");
        var columns = await connection.RowsAsync($"SHOW COLUMNS FROM materialize.public.{table}");
        Assert.Equal(["id False integer", "label True text"], columns.Select(r => $"{r[0]} {r[1]} {r[2]}"));
    }

    [Fact]
    public async Task Temporary_views_check_types_without_touching_the_catalog()
    {
        await using var connection = await emulator.OpenAsync();
        var view = TestData.UniqueName("probe");
        await connection.ExecAsync($"CREATE TEMPORARY VIEW {view} AS SELECT 1::bigint AS n, 'x'::text AS s");
        var columns = await connection.RowsAsync($"SHOW COLUMNS FROM {view}");
        Assert.Equal(["n bigint", "s text"], columns.Select(r => $"{r[0]} {r[2]}"));
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_objects WHERE name = '{view}'"));
    }

    [Fact]
    public async Task Npgsql_batches_run_statements_in_order()
    {
        await using var connection = await emulator.OpenAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands = { new NpgsqlBatchCommand("SELECT 1"), new NpgsqlBatchCommand("SHOW cluster"), new NpgsqlBatchCommand("SELECT 'three'") },
        };
        await using var reader = await batch.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1, reader.GetInt32(0));
        Assert.True(await reader.NextResultAsync());
        Assert.True(await reader.ReadAsync());
        Assert.Equal("quickstart", reader.GetString(0));
        Assert.True(await reader.NextResultAsync());
        Assert.True(await reader.ReadAsync());
        Assert.Equal("three", reader.GetString(0));
    }

    [Fact]
    public async Task Large_results_stream_through()
    {
        await using var connection = await emulator.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT g, repeat('x', 200) FROM generate_series(1, 50000) g", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
            rows++;
        Assert.Equal(50000, rows);
    }
}
