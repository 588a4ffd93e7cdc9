using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// The proxy's relay loop (one thread per session, non-blocking sockets): messages larger than its
/// buffers, a client that pipelines faster than it reads, COPY, the end of a session, and the
/// statement log written off the statements' path.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class RelayTests(EmulatorFixture emulator)
{
    private const int ThreeMegabytes = 3 * 1024 * 1024;

    [Fact]
    public async Task A_statement_larger_than_the_proxy_buffers_arrives_whole_in_either_protocol()
    {
        var literal = new string('x', ThreeMegabytes);
        await using var connection = await emulator.OpenAsync();
        // Extended protocol (Parse carries the text), and the same text again through a simple Query.
        Assert.Equal(ThreeMegabytes, await connection.ScalarAsync($"SELECT length('{literal}')"));
        using var raw = emulator.Raw();
        var (results, _) = await raw.PipelineAsync([$"SELECT length('{literal}')"], TimeSpan.Zero);
        Assert.Equal(["SELECT 1"], Assert.Single(results));
    }

    [Fact]
    public async Task A_client_that_pipelines_many_queries_and_reads_late_gets_every_answer_in_order()
    {
        // 300 answers of 20 kB each: far more than the proxy queues for a client before it stops
        // reading from PostgreSQL, so both directions are held back while the client does not read.
        var queries = Enumerable.Range(1, 300).Select(i => $"SELECT {i} AS n, repeat('y', 20000) AS payload").ToList();
        queries.Insert(150, "SELECT * FROM materialize.public.no_such_relation_here");
        using var raw = emulator.Raw();
        var (results, rowBytes) = await raw.PipelineAsync(queries, readAfter: TimeSpan.FromMilliseconds(500));
        Assert.Equal(301, results.Count);
        Assert.All(results.Where((_, i) => i != 150), r => Assert.Equal(["SELECT 1"], r));
        Assert.StartsWith("ERROR: unknown catalog item", Assert.Single(results[150]));
        Assert.True(rowBytes > 300L * 20000, $"only {rowBytes} bytes of rows arrived");
        Assert.Equal(["SELECT 1"], raw.Query("SELECT 1"));
    }

    [Fact]
    public async Task COPY_of_several_megabytes_flows_through()
    {
        var table = TestData.UniqueName("copied");
        await using var connection = await emulator.OpenAsync();
        await connection.ExecAsync($"CREATE TABLE materialize.public.{table} (id int, note text)");
        var note = new string('z', 60);
        await using (var writer = await connection.BeginTextImportAsync($"COPY materialize.public.{table} (id, note) FROM STDIN"))
        {
            for (var i = 0; i < 80_000; i++)
                await writer.WriteLineAsync($"{i}\t{note}");
        }
        Assert.Equal(80_000L, await connection.ScalarAsync($"SELECT count(*) FROM materialize.public.{table}"));
    }

    [Fact]
    public async Task Closing_a_connection_ends_its_PostgreSQL_session()
    {
        await using var watcher = await emulator.OpenAsync();
        int pid;
        // Unpooled, so that closing sends Terminate and drops the connection.
        await using (var connection = await emulator.OpenAsync("Pooling=false"))
        {
            pid = (int)(await connection.ScalarAsync("SELECT pg_backend_pid()"))!;
            Assert.True(await BackendExistsAsync(watcher, pid));
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await BackendExistsAsync(watcher, pid) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.False(await BackendExistsAsync(watcher, pid), $"PostgreSQL backend {pid} still runs after the client closed");
    }

    [Fact]
    public async Task The_log_reaches_its_table_once_the_emulator_is_quiet_even_when_nobody_reads_it_through_the_proxy()
    {
        var marker = TestData.UniqueName("quiet");
        await using (var connection = await emulator.OpenAsync())
            await connection.ScalarAsync($"SELECT 1 AS {marker}");
        // Straight to PostgreSQL: the proxy does not hurry the writer for this reader.
        var direct = emulator.Server.PostgresConnectionString + ";Pooling=false";
        await using var postgres = new NpgsqlConnection(direct);
        await postgres.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long count;
        do
        {
            count = (long)(await postgres.ScalarAsync(
                $"SELECT count(*) FROM mz_emulator.statement_log WHERE sql = 'SELECT 1 AS {marker}'"))!;
            if (count == 0)
                await Task.Delay(50);
        } while (count == 0 && DateTime.UtcNow < deadline);
        Assert.Equal(1L, count);
    }

    private static async Task<bool> BackendExistsAsync(NpgsqlConnection connection, int pid) =>
        (bool)(await connection.ScalarAsync($"SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity WHERE pid = {pid})"))!;
}
