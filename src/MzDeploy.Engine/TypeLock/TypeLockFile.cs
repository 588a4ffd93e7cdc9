namespace MzDeploy.Engine.TypeLock;

/// <summary>
/// The contents of a project's <c>types.lock</c>: the kind and columns of every external dependency and every table the
/// project feeds from a source, by normalised name (<c>db.schema.object</c>, or <c>schema.object</c> in a system
/// schema). Objects are kept in ordinal order of their names and columns in the relation's own order, so two locks of
/// the same objects are equal and write the same bytes (<see cref="TypeLockFormat.Write"/>).
/// </summary>
public sealed class TypeLockFile
{
    /// <summary>The file name, at the project root.</summary>
    public const string FileName = "types.lock";

    /// <summary>The version this build writes: mz-deploy's (its TOML lock says <c>version = 1</c>).</summary>
    public const int CurrentVersion = 1;

    public TypeLockFile(IEnumerable<LockedObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var sorted = new SortedDictionary<string, LockedObject>(StringComparer.Ordinal);
        foreach (var o in objects)
        {
            sorted.Add(o.Name, o with { Columns = o.Columns.ToList() });
        }

        Locked = sorted;
        Objects = new SortedDictionary<string, IReadOnlyList<LockedColumn>>(
            sorted.ToDictionary(o => o.Key, o => o.Value.Columns, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>Every locked object, ordinal order of names.</summary>
    public IReadOnlyDictionary<string, LockedObject> Locked { get; }

    /// <summary>Columns by object name, ordinal order of names.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<LockedColumn>> Objects { get; }

    /// <summary>The kind recorded for <paramref name="qualifiedName"/>; null when the lock lacks it or did not record it.</summary>
    public string? KindOf(string qualifiedName) => Locked.TryGetValue(qualifiedName, out var o) ? o.Kind : null;

    /// <summary>The columns locked for <paramref name="qualifiedName"/>, or null when the lock does not hold it.</summary>
    public IReadOnlyList<LockedColumn>? ColumnsOf(string qualifiedName) =>
        Objects.TryGetValue(qualifiedName, out var columns) ? columns : null;

    /// <summary>The full path of the lock file of the project at <paramref name="projectRoot"/>.</summary>
    public static string PathIn(string projectRoot) => Path.Combine(Path.GetFullPath(projectRoot), FileName);

    /// <summary>
    /// Reads the lock of the project at <paramref name="projectRoot"/>; null when there is none.
    /// Throws <c>TypeLockInvalid</c> (with file:line:column) for a file this build cannot read.
    /// </summary>
    public static TypeLockFile? Load(string projectRoot)
    {
        var path = PathIn(projectRoot);
        if (!File.Exists(path))
        {
            return null;
        }

        return TypeLockFormat.Parse(File.ReadAllText(path), FileName, path);
    }
}
