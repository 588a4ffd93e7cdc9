namespace MzDeploy.Engine.Operations;

/// <summary>
/// Where an operation reports progress. The cmdlet layer turns these into Write-Verbose / Write-Warning on the
/// pipeline thread; implementations must accept calls from any thread. Messages never contain secrets.
/// </summary>
public interface IOperationLog
{
    void Verbose(string message);

    void Warning(string message);
}

/// <summary>A log that drops everything (tests, callers that do not care).</summary>
internal sealed class NullOperationLog : IOperationLog
{
    public static NullOperationLog Instance { get; } = new();

    public void Verbose(string message)
    {
    }

    public void Warning(string message)
    {
    }
}
