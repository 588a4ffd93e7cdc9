using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// The statement log and the faults live in the proxy's memory (the log is written in batches in the
/// background): what tests rely on must hold all the same.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class RecorderTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task The_log_read_right_after_statements_holds_every_one_in_order_with_its_connection()
    {
        var marker = TestData.UniqueName("complete");
        await using var a = await emulator.OpenAsync();
        await using var b = await emulator.OpenAsync();
        var expected = new List<(int Connection, string Sql)>();
        for (var i = 0; i < 40; i++)
        {
            var connection = i % 3 == 0 ? b : a;
            var sql = $"SELECT {i} AS {marker}";
            await connection.ScalarAsync(sql);
            expected.Add((connection.ProcessID, sql));
        }
        // A pipelined batch and a multi-statement simple query count statement by statement.
        await using (var batch = new NpgsqlBatch(a) { BatchCommands = { new($"SELECT 100 AS {marker}"), new($"SELECT 101 AS {marker}") } })
            await batch.ExecuteNonQueryAsync();
        expected.Add((a.ProcessID, $"SELECT 100 AS {marker}"));
        expected.Add((a.ProcessID, $"SELECT 101 AS {marker}"));
        using (var raw = emulator.Raw())
        {
            raw.Query($"SELECT 200 AS {marker}; SELECT 201 AS {marker}");
            var rawId = (int)(await b.ScalarAsync(
                $"SELECT connection_id FROM mz_emulator.statement_log WHERE sql = 'SELECT 200 AS {marker}'"))!;
            expected.Add((rawId, $"SELECT 200 AS {marker}"));
            expected.Add((rawId, $"SELECT 201 AS {marker}"));
        }

        // Read at once, from a connection that did not log them.
        await using var reader = await emulator.OpenAsync();
        var rows = await reader.RowsAsync(
            $"SELECT connection_id, sql FROM mz_emulator.statement_log WHERE sql LIKE 'SELECT % AS {marker}' ORDER BY seq");
        Assert.Equal(expected, rows.Select(r => ((int)r[0]!, (string)r[1]!)));
    }

    [Fact]
    public async Task Sequence_and_time_of_the_log_follow_the_order_statements_arrived_in()
    {
        var marker = TestData.UniqueName("ordered");
        await using var a = await emulator.OpenAsync();
        await using var b = await emulator.OpenAsync();
        for (var i = 0; i < 10; i++)
            await (i % 2 == 0 ? a : b).ScalarAsync($"SELECT {i} AS {marker}");
        var rows = await a.RowsAsync(
            $"SELECT seq, occurred_at, sql FROM mz_emulator.statement_log WHERE sql LIKE 'SELECT % AS {marker}' ORDER BY seq");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"SELECT {i} AS {marker}"), rows.Select(r => (string)r[2]!));
        var times = rows.Select(r => (DateTime)r[1]!).ToList();
        Assert.Equal(times.Order(), times);
        Assert.All(times, t => Assert.InRange(t, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1)));
    }

    [Fact]
    public async Task A_fault_injected_on_one_connection_fires_on_the_nth_statement_across_others()
    {
        var marker = TestData.UniqueName("crossfault");
        await using var setup = await emulator.OpenAsync();
        await using var a = await emulator.OpenAsync();
        await using var b = await emulator.OpenAsync();
        await setup.ScalarAsync($"SELECT mz_emulator.inject_fault('%{marker}%', 3, 'error', 'third one fails')");

        Assert.Equal(1, await a.ScalarAsync($"SELECT 1 AS {marker}"));
        Assert.Equal(2, await b.ScalarAsync($"SELECT 2 AS {marker}"));
        Assert.Equal(7, await a.ScalarAsync("SELECT 7 AS unrelated"));
        var error = await Assert.ThrowsAsync<PostgresException>(() => b.ScalarAsync($"SELECT 3 AS {marker}"));
        Assert.Equal("third one fails", error.MessageText);
        Assert.Equal("P0001", error.SqlState);
        // Once only, on every connection.
        Assert.Equal(4, await a.ScalarAsync($"SELECT 4 AS {marker}"));
        Assert.Equal(5, await b.ScalarAsync($"SELECT 5 AS {marker}"));

        // The table shows what the proxy counted.
        var row = Assert.Single(await setup.RowsAsync($"SELECT seen, fired FROM mz_emulator.faults WHERE pattern = '%{marker}%'"));
        Assert.Equal(new object?[] { 3, true }, row);
    }

    [Fact]
    public async Task Faults_fire_in_the_order_they_were_injected_and_clear_faults_removes_pending_ones()
    {
        var marker = TestData.UniqueName("ordfault");
        await using var setup = await emulator.OpenAsync();
        await using var client = await emulator.OpenAsync();
        // ILIKE semantics: '_' one character, case-insensitive, the whole text (so the next inject_fault
        // call, which mentions the pattern, does not match it).
        var pattern = $"select _ as {marker.ToUpperInvariant()}";
        await setup.ScalarAsync($"SELECT mz_emulator.inject_fault('{pattern}', 1, 'error', 'first')");
        await setup.ScalarAsync($"SELECT mz_emulator.inject_fault('{pattern}', 1, 'error', 'second')");
        Assert.Equal(10, await client.ScalarAsync($"SELECT 10 AS {marker}"));
        Assert.Equal("first", (await Assert.ThrowsAsync<PostgresException>(() => client.ScalarAsync($"SELECT 1 AS {marker}"))).MessageText);
        Assert.Equal("second", (await Assert.ThrowsAsync<PostgresException>(() => client.ScalarAsync($"SELECT 2 AS {marker}"))).MessageText);

        await setup.ScalarAsync($"SELECT mz_emulator.inject_fault('{pattern}', 2, 'error', 'never')");
        await setup.ExecAsync("SELECT mz_emulator.clear_faults()");
        Assert.Equal(3, await client.ScalarAsync($"SELECT 3 AS {marker}"));
        Assert.Equal(4, await client.ScalarAsync($"SELECT 4 AS {marker}"));
    }

    [Fact]
    public async Task A_fault_injected_inside_a_transaction_counts_from_its_commit()
    {
        var marker = TestData.UniqueName("txfault");
        await using var setup = await emulator.OpenAsync();
        await using var client = await emulator.OpenAsync();
        await using (var transaction = await setup.BeginTransactionAsync())
        {
            await using var inject = new NpgsqlCommand($"SELECT mz_emulator.inject_fault('%{marker}%', 1, 'error', 'after commit')", setup, transaction);
            await inject.ExecuteScalarAsync();
            // Not committed yet: nothing fires.
            Assert.Equal(1, await client.ScalarAsync($"SELECT 1 AS {marker}"));
            await transaction.CommitAsync();
        }
        var error = await Assert.ThrowsAsync<PostgresException>(() => client.ScalarAsync($"SELECT 2 AS {marker}"));
        Assert.Equal("after commit", error.MessageText);
    }

    [Fact]
    public async Task A_fault_injected_past_the_proxy_is_picked_up_through_NOTIFY()
    {
        var marker = TestData.UniqueName("notified");
        var direct = emulator.Server.PostgresConnectionString + ";Pooling=false";
        await using (var setup = new NpgsqlConnection(direct))
        {
            await setup.OpenAsync();
            await setup.ScalarAsync($"SELECT mz_emulator.inject_fault('%{marker}%', 1, 'error', 'from outside')");
        }
        await using var client = await emulator.OpenAsync();
        // The NOTIFY arrives asynchronously: statements before the reload do not count.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        PostgresException? fired = null;
        while (fired == null && DateTime.UtcNow < deadline)
        {
            try
            { await client.ScalarAsync($"SELECT 1 AS {marker}"); }
            catch (PostgresException e) { fired = e; }
            if (fired == null)
                await Task.Delay(50);
        }
        Assert.Equal("from outside", fired?.MessageText);
        Assert.Equal(1, await client.ScalarAsync($"SELECT 1 AS {marker}"));
    }

    [Fact]
    public async Task A_prepared_statement_that_reads_the_log_sees_everything_before_each_execution()
    {
        var marker = TestData.UniqueName("prepared");
        await using var reader = await emulator.OpenAsync();
        await using var writer = await emulator.OpenAsync();
        await using var count = new NpgsqlCommand(
            $"SELECT count(*) FROM mz_emulator.statement_log WHERE sql LIKE 'SELECT % AS {marker}'", reader);
        await count.PrepareAsync();
        Assert.Equal(0L, await count.ExecuteScalarAsync());
        for (var i = 0; i < 5; i++)
            await writer.ScalarAsync($"SELECT {i} AS {marker}");
        Assert.Equal(5L, await count.ExecuteScalarAsync());
        await writer.ScalarAsync($"SELECT 5 AS {marker}");
        Assert.Equal(6L, await count.ExecuteScalarAsync());
    }
}
