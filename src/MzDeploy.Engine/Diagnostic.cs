using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine;

/// <summary>A position in a project file: path relative to the project root, 1-based line and column.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>
/// One problem found while loading or compiling a project. Compilation collects every diagnostic
/// before failing, so a user sees all problems in one run.
/// </summary>
/// <param name="ErrorId">Stable identifier, e.g. <c>SqlSyntaxError</c>, <c>UnresolvedReference</c>.</param>
/// <param name="Message">What is wrong, in the user's terms.</param>
/// <param name="Location">Where, when the problem is tied to a file.</param>
/// <param name="Target">The object the problem is about (usually a fully qualified name or a path).</param>
/// <param name="Remedy">What to do about it, when known.</param>
public sealed record Diagnostic(
    string ErrorId,
    string Message,
    SourceLocation? Location = null,
    string? Target = null,
    Remedy? Remedy = null)
{
    /// <summary>An error fails compilation; a warning is reported and compilation goes on.</summary>
    public DiagnosticSeverity Severity { get; init; } = DiagnosticSeverity.Error;

    public override string ToString() => Location is null ? Message : $"{Location}: {Message}";
}

/// <summary>Whether a <see cref="Diagnostic"/> fails compilation.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The project cannot be deployed until it is fixed.</summary>
    Error,

    /// <summary>Worth a look; the project still compiles (for example an undefined variable in a file with <c>-- PRAGMA WARN_ON_MISSING_VARIABLES;</c>).</summary>
    Warning,
}

/// <summary>
/// Thrown when compilation found problems; every problem is in <see cref="Diagnostics"/>, and the message lists them
/// (up to <see cref="MaxListed"/>, one per line): a command that fails on a broken project has only this one error to
/// show, and showing the first problem alone sends the user round the fix-and-retry loop once per problem.
/// </summary>
public sealed class CompilationFailedException : MzDeployException
{
    /// <summary>The most problems the message lists; the rest are counted.</summary>
    public const int MaxListed = 20;

    public CompilationFailedException(IReadOnlyList<Diagnostic> diagnostics)
        : base(ErrorIds.CompilationFailed, Describe(diagnostics), remedy: new RebuildProject())
    {
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>The count alone, for a caller that has just reported each problem on its own where the user sees it.</summary>
    public string Summary => $"The project has {Diagnostics.Count} error(s), each reported above.";

    private static string Describe(IReadOnlyList<Diagnostic> diagnostics)
    {
        var lines = diagnostics.Take(MaxListed).Select(d => "  " + d);
        var more = diagnostics.Count > MaxListed ? [$"  ... and {diagnostics.Count - MaxListed} more"] : Array.Empty<string>();
        return string.Join(Environment.NewLine, [$"The project has {diagnostics.Count} error(s):", .. lines, .. more]);
    }
}
