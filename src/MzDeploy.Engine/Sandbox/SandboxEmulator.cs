using System.Diagnostics;
using System.Text;
using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.Sandbox;

/// <summary>What a private sandbox runs: the emulator's assembly, the PostgreSQL it sits on, and a data folder of its own.</summary>
public sealed record SandboxOptions(string EmulatorAssembly, PostgresInstallation Postgres, string DataDirectory)
{
    /// <summary>How long the emulator may take to answer "ready" (initdb and the catalog bootstrap on a busy machine).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// A private emulator run as a child process for local work (unit tests, type checks): started on a free port of the
/// loopback interface, over its own PostgreSQL cluster in a throwaway folder. A child process rather than the emulator
/// loaded in this session: its PostgreSQL, sockets and threads stay out of the user's session, and it cannot outlive
/// it. The emulator watches its standard input, which only this object holds open: when this process ends for any
/// reason (even killed), the pipe closes and the emulator stops its PostgreSQL and exits.
/// </summary>
public sealed class SandboxEmulator : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;
    private int _disposed;

    private SandboxEmulator(Process process, Task<string> errors, int port, string dataDirectory, TimeSpan startTime)
    {
        _process = process;
        _errors = errors;
        Port = port;
        DataDirectory = dataDirectory;
        StartTime = startTime;
    }

    /// <summary>Always the loopback address: the sandbox is never reachable from elsewhere.</summary>
    public string Host => "127.0.0.1";

    public int Port { get; }

    public string DataDirectory { get; }

    /// <summary>From starting the process to the emulator accepting connections.</summary>
    public TimeSpan StartTime { get; }

    /// <summary>Whether the emulator is still running (false after a crash or after <see cref="DisposeAsync"/>).</summary>
    public bool IsRunning => Volatile.Read(ref _disposed) == 0 && !_process.HasExited;

    /// <summary>
    /// Starts the emulator and waits until it accepts connections; <see cref="ErrorIds.SandboxStartFailed"/> with the
    /// emulator's own error text when it exits or does not answer in time.
    /// </summary>
    public static async Task<SandboxEmulator> StartAsync(SandboxOptions options, CancellationToken cancellationToken)
    {
        if (!File.Exists(options.EmulatorAssembly))
        {
            throw new MzDeployException(ErrorIds.SandboxStartFailed,
                $"The sandbox emulator is missing from the module ({options.EmulatorAssembly}).", options.EmulatorAssembly,
                new Advice("Reinstall the module, or build it with its emulator."));
        }

        Directory.CreateDirectory(options.DataDirectory);
        var start = new ProcessStartInfo(DotnetHost.Locate())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in new[]
                 {
                     options.EmulatorAssembly, "--data", options.DataDirectory, "--port", "0",
                     "--pg-bin", options.Postgres.BinDirectory, "--exit-with-stdin",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new MzDeployException(ErrorIds.SandboxStartFailed,
            $"The sandbox emulator could not be started with {start.FileName}.", options.EmulatorAssembly);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        int? port;
        try
        {
            port = await ReadReadyPortAsync(process, options.StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C while starting: nothing may be left running.
            await StopAsync(process).ConfigureAwait(false);
            process.Dispose();
            throw;
        }

        if (port is null)
        {
            await StopAsync(process).ConfigureAwait(false);
            var detail = (await errors.ConfigureAwait(false)).Trim();
            throw new MzDeployException(ErrorIds.SandboxStartFailed,
                "The sandbox emulator did not start" + (detail.Length == 0 ? $" within {options.StartTimeout.TotalSeconds:0} s." : $": {detail}"),
                options.DataDirectory);
        }

        return new SandboxEmulator(process, errors, port.Value, options.DataDirectory, watch.Elapsed);
    }

    /// <summary>Stops the emulator (it stops its PostgreSQL) and removes the data folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(_process).ConfigureAwait(false);
        _ = await _errors.ConfigureAwait(false);
        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is not worth failing for.
        }
    }

    private static async Task<int?> ReadReadyPortAsync(Process process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token).ConfigureAwait(false) is { } line)
            {
                const string Ready = "ready: 127.0.0.1:";
                if (line.StartsWith(Ready, StringComparison.Ordinal) && int.TryParse(line.AsSpan(Ready.Length), out var port))
                {
                    // Nothing else is printed; drain anyway so a chatty emulator can never block on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    return port;
                }
            }

            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    // Closing standard input asks the emulator to stop cleanly; a kill is the last resort (its PostgreSQL then stops
    // by itself when its postmaster notices, which takes longer).
    private static async Task StopAsync(Process process)
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
