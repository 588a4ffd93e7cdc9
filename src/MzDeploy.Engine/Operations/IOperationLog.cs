namespace MzDeploy.Engine.Operations;

/// <summary>
/// Where an operation reports progress: verbose text, and warnings as values the caller renders in its own words
/// (the cmdlet layer writes them as verbose and warning records on the pipeline thread). Implementations must accept
/// calls from any thread. Messages never contain secrets.
/// </summary>
public interface IOperationLog
{
    void Verbose(string message);

    void Warning(OperationWarning warning);
}

/// <summary>A log that drops everything (tests, callers that do not care).</summary>
internal sealed class NullOperationLog : IOperationLog
{
    public static NullOperationLog Instance { get; } = new();

    public void Verbose(string message)
    {
    }

    public void Warning(OperationWarning warning)
    {
    }
}
