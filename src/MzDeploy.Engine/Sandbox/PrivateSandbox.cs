using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.Sandbox;

/// <summary>
/// The one private emulator of this process: started on first need, reused by every later command of the session
/// (starting one costs an emulator process and a PostgreSQL cluster), started again when it died, and stopped on
/// request, when the module is removed or when the process exits. Process-wide because a PowerShell session is one
/// process and its commands share nothing else.
/// </summary>
public static class PrivateSandbox
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static SandboxEmulator? s_current;
    private static int s_exitHooked;

    /// <summary>The running private emulator, or null when none was started or it has stopped.</summary>
    public static SandboxEmulator? Current => s_current is { IsRunning: true } running ? running : null;

    /// <summary>
    /// The running private emulator, or a new one over the PostgreSQL the machine has
    /// (<see cref="ErrorIds.PostgresNotFound"/> when it has none that can be used).
    /// </summary>
    /// <param name="emulatorAssembly">The emulator's <c>MzDeploy.Emulator.dll</c> (the module carries one).</param>
    /// <param name="cancellationToken">Cancels waiting for a start (the half-started emulator is stopped).</param>
    public static async Task<SandboxEmulator> GetOrStartAsync(string emulatorAssembly, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(emulatorAssembly);
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (s_current is { IsRunning: true } running)
            {
                return running;
            }

            if (s_current is { } dead)
            {
                // Crashed or killed: release its process handle and data folder before starting the next one.
                s_current = null;
                await dead.DisposeAsync().ConfigureAwait(false);
            }

            var postgres = PostgresLocator.Locate(PostgresSearch.FromEnvironment());
            var data = Path.Combine(Path.GetTempPath(), $"mzdeploy-sandbox-{Environment.ProcessId}-{Guid.NewGuid().ToString("n")[..12]}");
            HookProcessExit();
            s_current = await SandboxEmulator.StartAsync(new SandboxOptions(emulatorAssembly, postgres, data), cancellationToken)
                .ConfigureAwait(false);
            return s_current;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Stops the private emulator (and its PostgreSQL) and removes its data; true when one was running.</summary>
    public static async Task<bool> StopAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var stopping = s_current;
            s_current = null;
            if (stopping is null)
            {
                return false;
            }

            var wasRunning = stopping.IsRunning;
            await stopping.DisposeAsync().ConfigureAwait(false);
            return wasRunning;
        }
        finally
        {
            Gate.Release();
        }
    }

    // The emulator would stop by itself once this process is gone (its standard input closes), but only a stop from here
    // also removes the data folder.
    private static void HookProcessExit()
    {
        if (Interlocked.Exchange(ref s_exitHooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => s_current?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        }
    }
}
