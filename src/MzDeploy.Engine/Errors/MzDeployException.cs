namespace MzDeploy.Engine.Errors;

/// <summary>
/// The one exception type the engine throws for expected failures. <see cref="ErrorId"/> is stable (scripts and
/// tests match on it); <see cref="Target"/> names the object the error is about; <see cref="Remedy"/> says what the
/// user can do next, as a value the caller renders in its own words. Messages never contain secrets.
/// </summary>
public class MzDeployException : Exception
{
    public MzDeployException(ErrorDefinition error, string message, object? target = null, Remedy? remedy = null,
        Exception? inner = null)
        : base(message, inner)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
        // A deploy ID is reported as its text, as PowerShell users see every other target.
        Target = target is Model.DeployId deployId ? deployId.Value : target;
        Remedy = remedy;
    }

    /// <summary>The catalogue entry this error is an instance of.</summary>
    public ErrorDefinition Error { get; }

    /// <summary>Stable identifier such as <c>GitDirty</c> or <c>DeploymentNotFound</c>.</summary>
    public string ErrorId => Error.Id;

    public ErrorKind Kind => Error.Kind;

    /// <summary>Whether a command working through several deployments may go on with the next one.</summary>
    public ErrorScope Scope => Error.Scope;

    /// <summary>The object the error is about (a deploy ID, a file path, an object name).</summary>
    public object? Target { get; }

    /// <summary>What to do about it, when the engine knows.</summary>
    public Remedy? Remedy { get; }

    /// <summary>SQLSTATE of the server error behind this one, when there is one.</summary>
    public string? SqlState { get; init; }

    /// <summary>
    /// The SQL statement behind a server or connection failure (secrets masked, passwords redacted). MzDeploy's own
    /// catalog reads and writes mean nothing to a user, so the statement is never part of <see cref="Exception.Message"/>;
    /// callers show it only on request (a debug stream).
    /// </summary>
    public string? Statement { get; init; }

    /// <summary>
    /// The failure may pass by itself: the connection dropped or was refused, the server is shutting down or not
    /// accepting connections yet. Something that polls may reconnect and try again; nothing else retries.
    /// </summary>
    public bool Transient { get; init; }
}
