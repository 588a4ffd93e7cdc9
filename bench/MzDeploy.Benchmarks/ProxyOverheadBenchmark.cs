using System.Diagnostics;
using MzDeploy.Emulator;
using Npgsql;

namespace MzDeploy.Benchmarks;

/// <summary>
/// The emulator's per-query cost: the same simple queries through the emulator's pgwire proxy and
/// straight to the PostgreSQL it runs on (its private unix socket: PostgreSQL listens on nothing else).
/// One connection each, warm-up first, then the median of several rounds.
/// </summary>
internal static class ProxyOverheadBenchmark
{
    public static async Task<int> RunAsync(int queries, int rounds)
    {
        var data = Directory.CreateTempSubdirectory("mzdeploy-bench-emulator-");
        try
        {
            await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions(data.FullName, Port: 0));
            var direct = $"Host={emulator.PostgresSocketDirectory};Port=5432;Username=materialize;Database=materialize;Pooling=false";
            var proxied = emulator.ConnectionString + ";Pooling=false";

            var viaProxy = await MeasureAsync(proxied, queries, rounds);
            var straight = await MeasureAsync(direct, queries, rounds);
            var ratio = viaProxy / straight;
            Console.WriteLine($"{queries:N0} simple queries, median of {rounds} rounds after a warm-up round");
            Console.WriteLine($"straight to PostgreSQL : {straight,8:N1} ms ({straight * 1000 / queries:N1} µs/query)");
            Console.WriteLine($"through the emulator   : {viaProxy,8:N1} ms ({viaProxy * 1000 / queries:N1} µs/query)");
            Console.WriteLine($"ratio                  : {ratio,8:N2}x");
            Console.WriteLine($"target ≤ 1.5x per query: {(ratio <= 1.5 ? "met" : "NOT met")}");
            return 0;
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static async Task<double> MeasureAsync(string connectionString, int queries, int rounds)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        var times = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < queries; i++)
            {
                await command.ExecuteScalarAsync();
            }

            if (round > 0)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
