using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MzDeploy.Emulator;
using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

public sealed class LifecycleTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("mzemu-life-").FullName;

    public void Dispose() => TestData.DeleteQuietly(_data);

    [Fact]
    public async Task A_second_start_on_the_same_data_folder_keeps_what_the_first_created()
    {
        await using (var first = await EmulatorServer.StartAsync(new EmulatorOptions(_data, Port: 0)))
        {
            await using var connection = new NpgsqlConnection(first.ConnectionString);
            await connection.OpenAsync();
            await connection.ExecAsync("CREATE CLUSTER kept (SIZE = 'xsmall')");
            await connection.ExecAsync("CREATE DATABASE keptdb");
        }
        Assert.False(File.Exists(Path.Combine(_data, "pgdata", "postmaster.pid")), "PostgreSQL still running after stop");

        await using var second = await EmulatorServer.StartAsync(new EmulatorOptions(_data, Port: 0));
        await using var again = new NpgsqlConnection(second.ConnectionString);
        await again.OpenAsync();
        Assert.Equal("xsmall", await again.ScalarAsync("SELECT size FROM mz_catalog.mz_clusters WHERE name = 'kept'"));
        Assert.Equal(1L, await again.ScalarAsync("SELECT count(*) FROM mz_catalog.mz_databases WHERE name = 'keptdb'"));
    }

    [Fact]
    public async Task Stopping_ends_sleeping_and_busy_sessions_at_once()
    {
        var server = await EmulatorServer.StartAsync(new EmulatorOptions(_data, Port: 0));
        await using var idle = new NpgsqlConnection(server.ConnectionString + ";Pooling=false");
        await idle.OpenAsync();
        await idle.ScalarAsync("SELECT 1");
        await Task.Delay(100); // past the relay's spin window: its thread sleeps in poll
        await using var busy = new NpgsqlConnection(server.ConnectionString + ";Pooling=false");
        await busy.OpenAsync();
        var sleeping = busy.ScalarAsync("SELECT pg_sleep(60)");
        await Task.Delay(100);

        var watch = Stopwatch.StartNew();
        await server.DisposeAsync();
        // Sessions that did not end would hold the stop for its 5 s grace period.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"stopping took {watch.Elapsed}");
        await Assert.ThrowsAnyAsync<Exception>(() => sleeping);
        await Assert.ThrowsAnyAsync<Exception>(() => idle.ScalarAsync("SELECT 1"));
        Assert.False(File.Exists(Path.Combine(_data, "pgdata", "postmaster.pid")), "PostgreSQL still running after stop");
    }

    [Fact]
    public async Task A_busy_port_is_a_clear_error_and_starts_nothing()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<EmulatorException>(() => EmulatorServer.StartAsync(new EmulatorOptions(_data, port)));
        Assert.Equal($"port {port} on 127.0.0.1 is already in use (is another emulator running?)", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_data, "pgdata")));
    }

    [Fact]
    public async Task Missing_PostgreSQL_binaries_are_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<EmulatorException>(() =>
            EmulatorServer.StartAsync(new EmulatorOptions(_data, Port: 0, PostgresBinDirectory: "/nonexistent/pg/bin")));
        Assert.StartsWith("PostgreSQL 15 is not installed: /nonexistent/pg/bin/initdb does not exist", error.Message);
    }

    [Fact]
    public async Task The_command_line_prints_ready_serves_clients_and_stops_PostgreSQL_on_SIGTERM()
    {
        var dll = typeof(EmulatorServer).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "--data", _data, "--port", "0" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.NotNull(line);
            Assert.StartsWith("ready: 127.0.0.1:", line);
            var port = int.Parse(line!["ready: 127.0.0.1:".Length..]);

            await using (var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=materialize"))
            {
                await connection.OpenAsync();
                Assert.Equal("quickstart", await connection.ScalarAsync("SHOW cluster"));
            }

            Assert.Equal(0, kill(process.Id, 15));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, process.ExitCode);
            Assert.False(File.Exists(Path.Combine(_data, "pgdata", "postmaster.pid")), "PostgreSQL still running after SIGTERM");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
                await new MzDeploy.Emulator.Postgres.PostgresServer(_data).StopAsync();
            }
        }
    }

    [Fact]
    public async Task The_command_line_reports_a_busy_port_on_stderr()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { typeof(EmulatorServer).Assembly.Location, "--data", _data, "--port", port.ToString() })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(1, process.ExitCode);
        Assert.Equal($"error: port {port} on 127.0.0.1 is already in use (is another emulator running?)", stderr.Trim());
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
