using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.Operations;

/// <summary>
/// Something the user should know that did not stop the operation: what happened (<paramref name="Message"/>, engine
/// words), what to do about it when anything (<paramref name="Remedy"/>), and the option of the request it follows
/// from, when the user asked for it (<paramref name="Because"/>). The caller renders it in its own words.
/// </summary>
public sealed record OperationWarning(string Message, Remedy? Remedy = null, RequestOption? Because = null)
{
    public override string ToString() => Message;
}

/// <summary>Options of a request that make an operation do something worth a warning.</summary>
public enum RequestOption
{
    /// <summary>Promote over schemas promoted since the deployment was staged.</summary>
    OverwriteConflicts,

    /// <summary>Drop objects the project does not own that are in a swapped schema or cluster.</summary>
    DropUnmanagedObjects,

    /// <summary>Leave what a failed stage created.</summary>
    NoRollback,
}
