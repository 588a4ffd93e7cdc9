using System.Diagnostics;
using MzDeploy.Emulator;
using Npgsql;

namespace MzDeploy.Benchmarks;

/// <summary>
/// The emulator's per-query cost: the same simple queries through the emulator's pgwire proxy and
/// straight to the PostgreSQL it runs on (its private unix socket: PostgreSQL listens on nothing else).
/// One connection each, a warm-up round, then the median of several rounds that alternate between the paths.
/// </summary>
internal static class ProxyOverheadBenchmark
{
    public static async Task<int> RunAsync(int queries, int rounds)
    {
        var data = Directory.CreateTempSubdirectory("mzdeploy-bench-emulator-");
        try
        {
            await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions(data.FullName, Port: 0));
            var direct = emulator.PostgresConnectionString + ";Pooling=false";
            var proxied = emulator.ConnectionString + ";Pooling=false";

            var (proxiedTimes, directTimes) = await MeasureAlternatingAsync(proxied, direct, queries, rounds);
            var viaProxy = Median(proxiedTimes);
            var straight = Median(directTimes);
            var ratio = viaProxy / straight;
            // Each round's proxied time over the straight round right after it: how much the machine's
            // load moved the ratio while the benchmark ran.
            var paired = proxiedTimes.Zip(directTimes, (p, d) => p / d).Order().ToList();
            Console.WriteLine($"{queries:N0} simple queries, median of {rounds} rounds after a warm-up round");
            Console.WriteLine($"straight to PostgreSQL : {straight,8:N1} ms ({straight * 1000 / queries:N1} µs/query)");
            Console.WriteLine($"through the emulator   : {viaProxy,8:N1} ms ({viaProxy * 1000 / queries:N1} µs/query)");
            Console.WriteLine($"proxy cost             : {(viaProxy - straight) * 1000 / queries,8:N1} µs/query");
            Console.WriteLine($"ratio                  : {ratio,8:N2}x (rounds: {paired[0]:N2}x–{paired[^1]:N2}x)");
            Console.WriteLine($"target ≤ 1.5x per query: {(ratio <= 1.5 ? "met" : "NOT met")}");
            return 0;
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    // Rounds alternate between the two paths so a change in machine load hits both alike.
    private static async Task<(List<double> Proxied, List<double> Direct)> MeasureAlternatingAsync(
        string proxiedConnectionString, string directConnectionString, int queries, int rounds)
    {
        await using var proxied = new NpgsqlConnection(proxiedConnectionString);
        await using var direct = new NpgsqlConnection(directConnectionString);
        await proxied.OpenAsync();
        await direct.OpenAsync();
        await using var viaProxy = new NpgsqlCommand("SELECT 1", proxied);
        await using var straight = new NpgsqlCommand("SELECT 1", direct);
        var proxiedTimes = new List<double>();
        var directTimes = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            var p = await TimeAsync(viaProxy, queries);
            var d = await TimeAsync(straight, queries);
            if (round > 0)
            {
                proxiedTimes.Add(p);
                directTimes.Add(d);
            }
        }

        return (proxiedTimes, directTimes);
    }

    private static async Task<double> TimeAsync(NpgsqlCommand command, int queries)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < queries; i++)
        {
            await command.ExecuteScalarAsync();
        }

        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> times)
    {
        var sorted = times.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
