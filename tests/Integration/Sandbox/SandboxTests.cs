using System.Diagnostics;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Sandbox;
using Npgsql;
using Xunit;

namespace MzDeploy.Tests.Integration.Sandbox;

/// <summary>
/// The local sandbox on this machine's real PostgreSQL: finding it, refusing what cannot be used, and the private emulator
/// as a child process that answers queries and stops with its PostgreSQL, whether disposed or left by its parent.
/// </summary>
public sealed class SandboxTests : IDisposable
{
    private static readonly string EmulatorAssembly = Path.Combine(AppContext.BaseDirectory, "MzDeploy.Emulator.dll");
    private readonly string _scratch = Directory.CreateTempSubdirectory("mzdeploy-sandbox-test-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Finds_the_machines_PostgreSQL_in_its_installation_folder()
    {
        var found = PostgresLocator.Locate(new PostgresSearch(PathVariable: "", PostgresSearch.DefaultPatterns));

        Assert.True(found.Version.Major >= PostgresLocator.MinimumMajorVersion);
        Assert.True(File.Exists(Path.Combine(found.BinDirectory, "initdb")));
    }

    [Fact]
    public void Skips_an_older_PostgreSQL_on_the_PATH_and_says_why()
    {
        // No PostgreSQL 14 can be installed beside 15 here: its programs are stand-ins that answer --version like it.
        var old = FakeInstallation("pg14", "postgres (PostgreSQL) 14.9 (Debian 14.9-1)");

        var examined = PostgresLocator.Examine(new PostgresSearch(old, PostgresSearch.DefaultPatterns));
        var found = PostgresLocator.Locate(new PostgresSearch(old, PostgresSearch.DefaultPatterns));

        Assert.Equal(old, examined[0].BinDirectory);
        Assert.Equal("PATH", examined[0].Source);
        Assert.Equal("version 14.9 is older than 15", examined[0].Rejection);
        Assert.NotEqual(old, found.BinDirectory);
    }

    [Fact]
    public void Without_any_PostgreSQL_the_error_says_what_to_install()
    {
        var old = FakeInstallation("pg13", "postgres (PostgreSQL) 13.2");

        var error = Assert.Throws<MzDeployException>(() => PostgresLocator.Locate(new PostgresSearch(old, [])));
        var none = Assert.Throws<MzDeployException>(() => PostgresLocator.Locate(new PostgresSearch(_scratch, [])));

        Assert.Equal(ErrorIds.PostgresNotFound.Id, error.ErrorId);
        Assert.Contains($"{old} (PATH): version 13.2 is older than 15", error.Message);
        Assert.Equal(new InstallPostgres(15), error.Remedy);
        Assert.Contains("no PostgreSQL programs were found", none.Message);
    }

    [Theory]
    [InlineData("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", "15.18")]
    [InlineData("postgres (PostgreSQL) 17beta1", "17.0")]
    [InlineData("postgres (PostgreSQL) 16.4\n", "16.4")]
    public void Reads_the_version_postgres_reports(string output, string expected) =>
        Assert.Equal(Version.Parse(expected), PostgresLocator.ParseVersion(output));

    [Fact]
    public async Task The_sandbox_answers_queries_and_stops_with_its_PostgreSQL_when_disposed()
    {
        var postgres = PostgresLocator.Locate(PostgresSearch.FromEnvironment());
        var data = FreshDataFolder();
        var sandbox = await SandboxEmulator.StartAsync(new SandboxOptions(EmulatorAssembly, postgres, data), CancellationToken.None);
        try
        {
            await using var connection = new NpgsqlConnection($"Host={sandbox.Host};Port={sandbox.Port};Username=materialize;Database=materialize");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT mz_version()", connection);
            Assert.StartsWith("v", (string)(await command.ExecuteScalarAsync())!);
        }
        finally
        {
            await sandbox.DisposeAsync();
        }

        Assert.False(sandbox.IsRunning);
        Assert.False(Directory.Exists(data));
        await Assert.ThrowsAnyAsync<NpgsqlException>(async () =>
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={sandbox.Port};Username=materialize;Timeout=3");
            await connection.OpenAsync();
        });
    }

    [Fact]
    public async Task The_emulator_stops_cleanly_when_its_parent_lets_go_of_standard_input()
    {
        var postgres = PostgresLocator.Locate(PostgresSearch.FromEnvironment());
        var data = FreshDataFolder();
        var start = new ProcessStartInfo(DotnetHost.Locate())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { EmulatorAssembly, "--data", data, "--port", "0", "--pg-bin", postgres.BinDirectory, "--exit-with-stdin" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync()) is not null && !line.StartsWith("ready: ", StringComparison.Ordinal))
        {
        }

        Assert.NotNull(line);
        var postmasterPid = Directory.EnumerateFiles(data, "postmaster.pid", SearchOption.AllDirectories).Single();

        process.StandardInput.Close();  // what the pipe does when the parent process ends
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(grace.Token);

        Assert.Equal(0, process.ExitCode);
        Assert.False(File.Exists(postmasterPid), "PostgreSQL was left running");
        Directory.Delete(data, recursive: true);
    }

    // Beside the scratch folder, not in it: PostgreSQL runs as another user when the tests run as root, and the
    // scratch folder is private to its creator. The sandbox removes it when disposed.
    private static string FreshDataFolder() => Path.Combine(Path.GetTempPath(), "mzdeploy-sandbox-test-data-" + Guid.NewGuid().ToString("n")[..10]);

    // A folder with initdb, pg_ctl and postgres stand-ins; postgres --version prints the given line.
    private string FakeInstallation(string name, string versionLine)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_scratch, name, "bin")).FullName;
        foreach (var program in new[] { "initdb", "pg_ctl", "postgres" })
        {
            var file = Path.Combine(bin, program);
            File.WriteAllText(file, $"#!/bin/sh\necho '{versionLine}'\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        return bin;
    }
}
