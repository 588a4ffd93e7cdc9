namespace MzDeploy.Emulator;

/// <summary>A failure the emulator reports to its user as one clear line (missing binaries, busy port, …).</summary>
public sealed class EmulatorException : Exception
{
    public EmulatorException(string message) : base(message) { }

    public EmulatorException(string message, Exception inner) : base(message, inner) { }
}
