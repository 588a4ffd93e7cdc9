using MzDeploy.Engine.Sandbox;

namespace MzDeploy;

/// <summary>
/// The module's private sandbox: the emulator it starts for unit tests and type checks when no -Profile or -Sandbox is
/// given. A stopped one keeps the address it had, with IsRunning false.
/// </summary>
public sealed class MzSandbox
{
    internal MzSandbox(SandboxEmulator emulator)
    {
        Server = $"{emulator.Host}:{emulator.Port}";
        Port = emulator.Port;
        DataDirectory = emulator.DataDirectory;
        StartTime = emulator.StartedAt.LocalDateTime;
        StartDuration = emulator.StartTime;
        IsRunning = emulator.IsRunning;
    }

    /// <summary><c>127.0.0.1:port</c>: what -Sandbox takes, and where any PostgreSQL client connects (user materialize).</summary>
    public string Server { get; }

    public int Port { get; }

    /// <summary>Its own PostgreSQL cluster, removed when it stops.</summary>
    public string DataDirectory { get; }

    /// <summary>When it was started.</summary>
    public DateTime StartTime { get; }

    /// <summary>How long starting it took.</summary>
    public TimeSpan StartDuration { get; }

    public bool IsRunning { get; }

    public override string ToString() => Server;
}
