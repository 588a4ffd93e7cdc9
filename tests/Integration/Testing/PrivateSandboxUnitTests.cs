using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Sandbox;
using MzDeploy.Engine.Testing;

namespace MzDeploy.Tests.Integration.Testing;

/// <summary>
/// Unit tests on a private sandbox: the emulator as a child process over the machine's PostgreSQL, reached as
/// <see cref="SandboxTarget.ForEmulator"/> does (loopback, plain text), which is where Test-MzProject runs by default.
/// </summary>
public sealed class PrivateSandboxUnitTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mzdeploy-private-unit-tests-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_passing_and_a_failing_test_run_on_the_private_emulator()
    {
        File.WriteAllText(Path.Combine(_root, "project.toml"), "dependencies = [\"materialize.raw.events\"]\n");
        var folder = Path.Combine(_root, "models", "materialize", "public");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "recent.sql"), """
            CREATE VIEW recent AS SELECT id FROM materialize.raw.events WHERE mz_now() <= at + INTERVAL '10 minutes';

            EXECUTE UNIT TEST passes FOR materialize.public.recent AT TIME '2024-05-01 10:05:00'
            MOCK materialize.raw.events(id bigint, at timestamp) AS (SELECT * FROM (VALUES (1, '2024-05-01 10:00:00'), (2, '2024-05-01 09:00:00'))),
            EXPECTED(id bigint) AS (SELECT * FROM (VALUES (1)));

            EXECUTE UNIT TEST fails FOR materialize.public.recent AT TIME '2024-05-01 10:05:00'
            MOCK materialize.raw.events(id bigint, at timestamp) AS (SELECT * FROM (VALUES (1, '2024-05-01 10:00:00'))),
            EXPECTED(id bigint) AS (SELECT * FROM (VALUES (2)));
            """);
        var operation = UnitTestOperation.Prepare(new UnitTestRequest(_root, null, null), NullOperationLog.Instance);
        var postgres = PostgresLocator.Locate(PostgresSearch.FromEnvironment());
        var data = Path.Combine(Path.GetTempPath(), "mzdeploy-private-unit-tests-data-" + Guid.NewGuid().ToString("n")[..10]);
        await using var emulator = await SandboxEmulator.StartAsync(
            new SandboxOptions(Path.Combine(AppContext.BaseDirectory, "MzDeploy.Emulator.dll"), postgres, data), CancellationToken.None);
        var sandbox = SandboxTarget.ForEmulator(emulator);

        var results = new List<UnitTestResult>();
        foreach (var plan in operation.Plans)
        {
            results.Add(await UnitTestOperation.RunAsync(plan, sandbox, CancellationToken.None));
        }

        Assert.Equal([UnitTestStatus.Passed, UnitTestStatus.Failed], results.Select(r => r.Status));
        Assert.Equal([["2"]], results[1].Missing.Select(r => r.ToArray()));
        Assert.Equal([["1"]], results[1].Unexpected.Select(r => r.ToArray()));
    }
}
