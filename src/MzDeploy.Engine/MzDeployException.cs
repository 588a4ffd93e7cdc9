namespace MzDeploy.Engine;

/// <summary>
/// What kind of failure an engine error is. The cmdlet layer maps it onto PowerShell's ErrorCategory,
/// so the engine never needs to reference PowerShell types.
/// </summary>
public enum ErrorKind
{
    InvalidArgument,
    InvalidData,
    ObjectNotFound,
    ResourceExists,
    PermissionDenied,
    ConnectionError,
    InvalidOperation,
    ResourceUnavailable,
    OperationTimeout,
    OperationStopped,
    NotInstalled,
}

/// <summary>
/// The one exception type the engine throws for expected failures. <see cref="ErrorId"/> is stable
/// (scripts and tests match on it); <see cref="Target"/> names the object the error is about;
/// <see cref="RecommendedAction"/> tells the user what to do next. Messages never contain secrets.
/// </summary>
public class MzDeployException : Exception
{
    public MzDeployException(string errorId, ErrorKind kind, string message, object? target = null,
        string? recommendedAction = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        // A deploy ID is reported as its text, as PowerShell users see every other target.
        Target = target is Model.DeployId deployId ? deployId.Value : target;
        RecommendedAction = recommendedAction;
    }

    /// <summary>Stable identifier such as <c>GitDirty</c> or <c>DeploymentNotFound</c>.</summary>
    public string ErrorId { get; }

    public ErrorKind Kind { get; }

    /// <summary>The object the error is about (a deploy ID, a file path, an object name).</summary>
    public object? Target { get; }

    public string? RecommendedAction { get; }

    /// <summary>SQLSTATE of the server error behind this one, when there is one.</summary>
    public string? SqlState { get; init; }
}
