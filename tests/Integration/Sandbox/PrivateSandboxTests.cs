using System.Diagnostics;
using MzDeploy.Engine.Sandbox;
using Npgsql;

namespace MzDeploy.Tests.Integration.Sandbox;

/// <summary>
/// The process's one private emulator on this machine's PostgreSQL: reused while it runs, started again after a crash,
/// stopped on request with its PostgreSQL, and started from the per-user template.
/// </summary>
[Collection(PrivateSandboxCollection.Name)]
public sealed class PrivateSandboxTests
{
    private static readonly string EmulatorAssembly = Path.Combine(AppContext.BaseDirectory, "MzDeploy.Emulator.dll");

    [Fact]
    public async Task A_second_call_reuses_the_running_emulator()
    {
        var first = await PrivateSandbox.GetOrStartAsync(EmulatorAssembly, CancellationToken.None);
        var second = await PrivateSandbox.GetOrStartAsync(EmulatorAssembly, CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(first.Port, second.Port);
        Assert.Same(first, PrivateSandbox.Current);
    }

    [Fact]
    public async Task A_killed_emulator_is_replaced_by_a_new_one_and_its_PostgreSQL_is_gone()
    {
        var first = await PrivateSandbox.GetOrStartAsync(EmulatorAssembly, CancellationToken.None);
        var postmaster = Path.Combine(first.DataDirectory, "pgdata", "postmaster.pid");
        Assert.True(File.Exists(postmaster));

        using (var process = Process.GetProcessById(first.ProcessId))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        Assert.False(first.IsRunning);
        Assert.Null(PrivateSandbox.Current);
        var second = await PrivateSandbox.GetOrStartAsync(EmulatorAssembly, CancellationToken.None);

        Assert.NotSame(first, second);
        Assert.True(second.IsRunning);
        Assert.False(File.Exists(postmaster), "the crashed emulator's PostgreSQL was left running");
        Assert.False(Directory.Exists(first.DataDirectory));
        Assert.Equal(1, await QueryOneAsync(second));
    }

    [Fact]
    public async Task Stop_ends_the_emulator_and_its_PostgreSQL_and_removes_its_data()
    {
        var running = await PrivateSandbox.GetOrStartAsync(EmulatorAssembly, CancellationToken.None);
        var postmaster = Path.Combine(running.DataDirectory, "pgdata", "postmaster.pid");

        Assert.True(await PrivateSandbox.StopAsync());

        Assert.False(running.IsRunning);
        Assert.Null(PrivateSandbox.Current);
        Assert.False(File.Exists(postmaster));
        Assert.False(Directory.Exists(running.DataDirectory));
        Assert.False(await PrivateSandbox.StopAsync());
    }

    [Fact]
    public async Task Starts_from_a_bootstrapped_template_of_this_emulator_and_PostgreSQL()
    {
        var postgres = PostgresLocator.Locate(PostgresSearch.FromEnvironment());
        var template = await SandboxTemplate.EnsureAsync(EmulatorAssembly, postgres, CancellationToken.None);
        var data = Path.Combine(Path.GetTempPath(), "mzdeploy-sandbox-test-data-" + Guid.NewGuid().ToString("n")[..10]);

        await using var emulator = await SandboxEmulator.StartAsync(
            new SandboxOptions(EmulatorAssembly, postgres, data) { TemplateDirectory = template }, CancellationToken.None);

        Assert.Equal(template, SandboxTemplate.FolderFor(EmulatorAssembly, postgres));
        Assert.StartsWith(SandboxTemplate.CacheFolder, template);
        Assert.False(File.Exists(Path.Combine(template, "pgdata", "postmaster.pid")), "the template must be a stopped cluster");
        // The copy is a Materialize already: its catalog answers without a bootstrap of its own.
        Assert.Equal(1, await QueryOneAsync(emulator));
        Assert.Equal(template, await SandboxTemplate.EnsureAsync(EmulatorAssembly, postgres, CancellationToken.None));
    }

    private static async Task<object?> QueryOneAsync(SandboxEmulator emulator)
    {
        await using var connection = await SandboxTarget.ForEmulator(emulator).OpenConnectionAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("SELECT count(*)::int FROM mz_catalog.mz_clusters WHERE name = 'quickstart'", connection);
        return await command.ExecuteScalarAsync();
    }
}
