using System.Management.Automation;
using MzDeploy.Engine;
using MzDeploy.Engine.Errors;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// The one place engine failures become PowerShell ErrorRecords: stable ErrorId, category, target
/// object, and the engine's remedy, when it knows one, as a recommended action in this module's words.
/// </summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(MzDeployException exception, object? target = null)
    {
        var record = new ErrorRecord(exception, exception.ErrorId, Category(exception.Kind), target ?? exception.Target);
        if (exception.Remedy is not null)
        {
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = RemedyText.Render(exception.Remedy) };
        }

        return record;
    }

    public static ErrorRecord From(MzCompileError error)
    {
        var exception = new MzDeployException(new ErrorDefinition(error.ErrorId, ErrorKind.InvalidData, ErrorScope.Command), error.ToString());
        return new ErrorRecord(exception, error.ErrorId, ErrorCategory.InvalidData, error)
        {
            ErrorDetails = new ErrorDetails(error.ToString()) { RecommendedAction = error.RecommendedAction ?? string.Empty },
        };
    }

    /// <summary>Failures the engine did not anticipate still get a stable ID and the cmdlet's target.</summary>
    public static ErrorRecord Unexpected(Exception exception, string errorId, object? target) =>
        new(exception, errorId, ErrorCategory.NotSpecified, target);

    private static ErrorCategory Category(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ErrorKind.InvalidData => ErrorCategory.InvalidData,
        ErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.ResourceExists => ErrorCategory.ResourceExists,
        ErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        ErrorKind.ConnectionError => ErrorCategory.ConnectionError,
        ErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        ErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        ErrorKind.OperationTimeout => ErrorCategory.OperationTimeout,
        ErrorKind.OperationStopped => ErrorCategory.OperationStopped,
        ErrorKind.NotInstalled => ErrorCategory.NotInstalled,
        _ => ErrorCategory.NotSpecified,
    };
}
