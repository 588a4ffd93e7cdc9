namespace MzDeploy.Engine.TypeLock;

/// <summary>The kind names types.lock writes: <c>mz_objects.type</c>'s spelling, plus one for a table fed by a source.</summary>
public static class LockedKinds
{
    public const string Table = "table";
    public const string View = "view";
    public const string MaterializedView = "materialized-view";
    public const string Source = "source";

    /// <summary>A project's <c>CREATE TABLE … FROM SOURCE</c>: the server's catalog calls it a table; the project knows more.</summary>
    public const string TableFromSource = "table-from-source";
}
