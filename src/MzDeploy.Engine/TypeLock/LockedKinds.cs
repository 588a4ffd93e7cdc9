namespace MzDeploy.Engine.TypeLock;

/// <summary>
/// The kind names of locked objects: <c>mz_objects.type</c>'s spelling, which is also mz-deploy's (its lock's kinds are
/// kebab-case: table, view, materialized-view, source, sink, secret, connection), plus one this tool knows in memory for a
/// table fed by a source.
/// </summary>
public static class LockedKinds
{
    public const string Table = "table";
    public const string View = "view";
    public const string MaterializedView = "materialized-view";
    public const string Source = "source";
    public const string Sink = "sink";
    public const string Secret = "secret";
    public const string Connection = "connection";

    /// <summary>
    /// A project's <c>CREATE TABLE … FROM SOURCE</c>: the server's catalog calls it a table and so does mz-deploy's lock
    /// (it has no kind for it), so the file records it as a table; the project says which tables its sources feed.
    /// </summary>
    public const string TableFromSource = "table-from-source";

    private static readonly HashSet<string> MzDeployKinds = new(StringComparer.Ordinal)
    {
        Table, View, MaterializedView, Source, Sink, Secret, Connection,
    };

    /// <summary>
    /// The <c>kind</c> the file records for <paramref name="kind"/>, or null to leave the key out: a table (mz-deploy writes
    /// no kind for one), a table fed by a source, no kind, or a kind mz-deploy's reader would refuse (it knows only its own).
    /// </summary>
    public static string? InFile(string? kind) =>
        kind is null or Table or TableFromSource || !MzDeployKinds.Contains(kind) ? null : kind;
}
