using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Engine.Planning.Lock;

/// <summary>
/// Plans a lock from what the server has (mz-deploy's <c>lock</c>): every declared dependency must be there (else
/// <c>ExternalDependencyNotFound</c> naming each missing entry's project.toml line); every <c>CREATE TABLE … FROM SOURCE</c>
/// of the project is locked too when the server has it, and listed as skipped when it does not yet (it is the project's
/// own: applying the tables creates it). The lock holds exactly what was found, each with its kind.
/// </summary>
internal static class TypeLockPlanner
{
    /// <param name="dependencies">project.toml's <c>dependencies</c>, in file order.</param>
    /// <param name="tables">The project's tables fed by sources, keyed by their project names.</param>
    /// <param name="found">What the server has, by lock key, with the catalog's kind.</param>
    /// <param name="path">Full path of the lock file.</param>
    /// <param name="currentText">The file's text now, or null when there is none.</param>
    public static TypeLockPlan Plan(IReadOnlyList<ExternalDependency> dependencies, IReadOnlyList<LockSubject> tables,
        IReadOnlyDictionary<string, LockedObject> found, string path, string? currentText)
    {
        var missing = dependencies.Where(d => !found.ContainsKey(d.QualifiedName)).ToList();
        if (missing.Count > 0)
        {
            throw NotFound(missing);
        }

        var locked = new Dictionary<string, LockedObject>(StringComparer.Ordinal);
        foreach (var d in dependencies)
        {
            locked[d.QualifiedName] = found[d.QualifiedName];
        }

        var skipped = new List<string>();
        foreach (var table in tables.Where(t => !locked.ContainsKey(t.Key)))
        {
            if (found.TryGetValue(table.Key, out var o))
            {
                // The catalog calls it a table; the project knows it is fed by a source (what the type check needs to know).
                locked[table.Key] = o with { Kind = LockedKinds.TableFromSource };
            }
            else
            {
                skipped.Add(table.Key);
            }
        }

        var lockFile = new TypeLockFile(locked.Values);
        var text = TypeLockFormat.Write(lockFile);
        return new TypeLockPlan(path, text, lockFile.Locked.Count, !string.Equals(text, currentText, StringComparison.Ordinal))
        {
            Skipped = skipped.Order(StringComparer.Ordinal).ToList(),
            NothingToLock = dependencies.Count == 0 && tables.Count == 0,
        };
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
