using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.Project;

/// <summary>
/// A configuration file (project.toml, profiles.toml) has problems. Every problem found is in
/// <see cref="Diagnostics"/> and in the message, so one run shows them all.
/// </summary>
internal sealed class ConfigFileException : MzDeployException
{
    public ConfigFileException(ErrorDefinition error, string filePath, IReadOnlyList<Diagnostic> diagnostics, Remedy remedy)
        : base(error, BuildMessage(filePath, diagnostics), filePath, remedy)
    {
        FilePath = filePath;
        Diagnostics = diagnostics;
    }

    /// <summary>Full path of the file with the problems.</summary>
    public string FilePath { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    private static string BuildMessage(string filePath, IReadOnlyList<Diagnostic> diagnostics)
    {
        if (diagnostics.Count == 1)
        {
            return diagnostics[0].ToString();
        }

        return $"{diagnostics.Count} problems in {filePath}:" + Environment.NewLine
            + string.Join(Environment.NewLine, diagnostics.Select(d => "  " + d));
    }
}
