using System.Diagnostics;
using System.Text;
using MzDeploy.Emulator;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Sandbox;
using MzDeploy.Engine.Testing;

namespace MzDeploy.Benchmarks;

/// <summary>
/// Test-MzProject's cost per test: a project of 10 views with 10 unit tests each (a join and an aggregate over two
/// mocks, a few rows each), planned once and run one test after another on an emulator reached at its address, as
/// -Sandbox does. Reports planning (compile and lowering), the total run and the time per test (each opens its own
/// session, creates four temporary views, describes the target and compares).
/// </summary>
internal static class UnitTestBenchmark
{
    public static async Task<int> RunAsync(int views, int testsPerView)
    {
        var data = Directory.CreateTempSubdirectory("mzdeploy-bench-unit-tests-");
        var project = Directory.CreateTempSubdirectory("mzdeploy-bench-unit-project-");
        try
        {
            WriteProject(project.FullName, views, testsPerView);
            await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions(data.FullName, Port: 0));
            var sandbox = SandboxTarget.ForAddress($"127.0.0.1:{emulator.Port}");

            var plan = Stopwatch.StartNew();
            var operation = UnitTestOperation.Prepare(new UnitTestRequest(project.FullName, null, null), NullLog.Instance);
            plan.Stop();

            // A warm-up test: the first session pays for Npgsql's type loading and the emulator's first translations.
            _ = await UnitTestOperation.RunAsync(operation.Plans[0], sandbox, CancellationToken.None);
            var run = Stopwatch.StartNew();
            var times = new List<double>();
            var failed = 0;
            foreach (var test in operation.Plans)
            {
                var result = await UnitTestOperation.RunAsync(test, sandbox, CancellationToken.None);
                times.Add(result.Duration.TotalMilliseconds);
                failed += result.Status == UnitTestStatus.Passed ? 0 : 1;
            }

            run.Stop();
            times.Sort();
            // What a session alone costs: the floor under every test (each opens its own).
            var open = Stopwatch.StartNew();
            for (var i = 0; i < operation.Plans.Count; i++)
            {
                await using var connection = new Npgsql.NpgsqlConnection(emulator.ConnectionString + ";Pooling=false");
                await connection.OpenAsync();
            }

            open.Stop();
            var count = operation.Plans.Count;
            Console.WriteLine($"{count} unit tests ({views} views x {testsPerView}), run one after another on the emulator");
            Console.WriteLine($"compile and plan : {plan.Elapsed.TotalMilliseconds,8:N1} ms");
            Console.WriteLine($"run, total       : {run.Elapsed.TotalMilliseconds,8:N1} ms");
            Console.WriteLine($"per test         : {run.Elapsed.TotalMilliseconds / count,8:N1} ms (median {times[count / 2]:N1} ms, " +
                              $"90th percentile {times[count * 9 / 10]:N1} ms)");
            Console.WriteLine($"session open     : {open.Elapsed.TotalMilliseconds / count,8:N1} ms of each test (a new connection)");
            Console.WriteLine($"not passed       : {failed}");
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            data.Delete(recursive: true);
            project.Delete(recursive: true);
        }
    }

    private static void WriteProject(string root, int views, int testsPerView)
    {
        File.WriteAllText(Path.Combine(root, "project.toml"), "dependencies = [\"materialize.raw.orders\", \"materialize.raw.customers\"]\n");
        var folder = Path.Combine(root, "models", "materialize", "public");
        Directory.CreateDirectory(folder);
        for (var v = 0; v < views; v++)
        {
            var text = new StringBuilder($"""
                CREATE VIEW totals_{v} AS
                SELECT c.region, count(*) AS orders, sum(o.amount) AS total
                FROM materialize.raw.orders AS o JOIN materialize.raw.customers AS c ON c.id = o.customer_id
                WHERE o.amount > {v}
                GROUP BY c.region;

                """);
            for (var t = 0; t < testsPerView; t++)
            {
                text.Append($"""

                    EXECUTE UNIT TEST t{t} FOR materialize.public.totals_{v}
                    MOCK materialize.raw.orders(id bigint, customer_id bigint, amount numeric) AS (
                      SELECT * FROM (VALUES (1, 1, {v + 1 + t}.5), (2, 2, {v + 2}.0), (3, 1, {v}.0))
                    ),
                    MOCK materialize.raw.customers(id bigint, region text) AS (SELECT * FROM (VALUES (1, 'eu'), (2, 'us'))),
                    EXPECTED(region text, orders bigint, total numeric) AS (
                      SELECT * FROM (VALUES ('eu', 1, {v + 1 + t}.5), ('us', 1, {v + 2}.0))
                    );

                    """);
            }

            File.WriteAllText(Path.Combine(folder, $"totals_{v}.sql"), text.ToString());
        }
    }

    private sealed class NullLog : IOperationLog
    {
        public static NullLog Instance { get; } = new();

        public void Verbose(string message)
        {
        }

        public void Warning(OperationWarning warning)
        {
        }
    }
}
