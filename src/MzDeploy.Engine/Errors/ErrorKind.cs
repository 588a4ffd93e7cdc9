namespace MzDeploy.Engine.Errors;

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
