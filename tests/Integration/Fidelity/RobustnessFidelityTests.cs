using System.Diagnostics;
using System.Runtime.InteropServices;
using MzDeploy.Emulator;
using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Fidelity;

/// <summary>Issue 12, group 10: no statement kills the emulator, and its PostgreSQL never outlives it.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class RobustnessFidelityTests(EmulatorFixture emulator)
{
    // https://materialize.com/docs/sql/create-view/ — Materialize bounds the nesting of a statement and
    // answers with an error; the session (and every other one) carries on.
    [Fact]
    public async Task A_view_with_2000_nested_subqueries_is_refused_and_the_emulator_lives_on()
    {
        await using var connection = await emulator.OpenAsync();
        const int depth = 2000;
        var sql = "CREATE VIEW deep AS " + string.Concat(Enumerable.Repeat("SELECT * FROM (", depth)) + "SELECT 1 AS a"
                  + string.Concat(Enumerable.Repeat(") t", depth));
        await connection.FailsAsync(sql);
        await using var other = await emulator.OpenAsync();
        Assert.Equal(1, await other.ScalarAsync("SELECT 1"));
        Assert.Equal(0L, await other.ScalarAsync("SELECT count(*) FROM mz_views WHERE name = 'deep'"));
    }

    // The emulator may die without its orderly shutdown (SIGKILL, a crash): its PostgreSQL must stop too.
    [Fact]
    public async Task PostgreSQL_stops_when_the_emulator_is_killed()
    {
        var data = Directory.CreateTempSubdirectory("mzemu-kill-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { typeof(EmulatorServer).Assembly.Location, "--data", data, "--port", "0" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var pidFile = Path.Combine(data, "pgdata", "postmaster.pid");
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("ready: 127.0.0.1:", line);
            var postmaster = int.Parse(File.ReadLines(pidFile).First());
            Assert.Equal(0, kill(process.Id, 9));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (kill(postmaster, 0) == 0 && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.True(kill(postmaster, 0) != 0, "PostgreSQL still runs after its emulator was killed");
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
            await new MzDeploy.Emulator.Postgres.PostgresServer(data).StopAsync();
            TestData.DeleteQuietly(data);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
