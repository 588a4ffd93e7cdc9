using MzDeploy.Engine;

namespace MzDeploy.PowerShell.Infrastructure.Ci;

/// <summary>Compile diagnostics → annotations placed on the repository's files.</summary>
internal static class DiagnosticAnnotations
{
    public static IEnumerable<CiAnnotation> From(IEnumerable<Diagnostic> diagnostics, RepositoryPaths paths) =>
        diagnostics.Select(d => new CiAnnotation(
            d.Severity == DiagnosticSeverity.Error,
            d.Message,
            d.Location is { } location ? paths.FromProject(location) : null,
            d.Location?.Line,
            d.Location?.Column,
            d.ErrorId));
}
