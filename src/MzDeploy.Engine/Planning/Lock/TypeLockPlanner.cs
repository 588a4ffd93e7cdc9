using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Engine.Planning.Lock;

/// <summary>
/// Plans a lock from what the server has: every declared dependency must be there (else <c>ExternalDependencyNotFound</c>
/// naming each missing entry's project.toml line); the lock holds exactly the declared dependencies' columns.
/// </summary>
internal static class TypeLockPlanner
{
    /// <param name="dependencies">project.toml's <c>dependencies</c>, in file order.</param>
    /// <param name="found">Columns the server has, by qualified name.</param>
    /// <param name="path">Full path of the lock file.</param>
    /// <param name="currentText">The file's text now, or null when there is none.</param>
    public static TypeLockPlan Plan(IReadOnlyList<ExternalDependency> dependencies,
        IReadOnlyDictionary<string, IReadOnlyList<LockedColumn>> found, string path, string? currentText)
    {
        var missing = dependencies.Where(d => !found.ContainsKey(d.QualifiedName)).ToList();
        if (missing.Count > 0)
        {
            throw NotFound(missing);
        }

        var lockFile = new TypeLockFile(dependencies.Select(d =>
            new KeyValuePair<string, IReadOnlyList<LockedColumn>>(d.QualifiedName, found[d.QualifiedName])));
        var text = TypeLockFormat.Write(lockFile);
        return new TypeLockPlan(path, text, lockFile.Objects.Count, !string.Equals(text, currentText, StringComparison.Ordinal));
    }

    private static MzDeployException NotFound(IReadOnlyList<ExternalDependency> missing)
    {
        var lines = missing.Select(d =>
            $"  × {d.Text}" + (d.Line is int line ? $" ({new SourceLocation(ProjectConfig.FileName, line, 1)})" : ""));
        var message = string.Join(Environment.NewLine,
            [$"declared dependencies not found in target database ({missing.Count}):", .. lines]);
        return new MzDeployException(ErrorIds.ExternalDependencyNotFound, message, missing[0].Text,
            new LockExistingDependencies(missing.Select(d => d.Text).ToList()));
    }
}
