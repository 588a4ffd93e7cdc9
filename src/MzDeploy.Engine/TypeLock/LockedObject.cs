using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.TypeLock;

/// <summary>
/// One object types.lock records: its normalised name (<c>db.schema.object</c>, or <c>schema.object</c> in a system
/// schema), its kind when known, and its columns in the relation's own order.
/// </summary>
/// <param name="Name">The normalised qualified name.</param>
/// <param name="Kind">One of <see cref="LockedKinds"/>' names, or null for an object locked by a build that did not record
/// kinds (a version 1 file).</param>
/// <param name="Columns">The columns, in position order.</param>
public sealed record LockedObject(string Name, string? Kind, IReadOnlyList<LockedColumn> Columns);

/// <summary>The kind names types.lock writes: <c>mz_objects.type</c>'s spelling, plus one for a table fed by a source.</summary>
public static class LockedKinds
{
    public const string Table = "table";
    public const string View = "view";
    public const string MaterializedView = "materialized-view";
    public const string Source = "source";

    /// <summary>A project's <c>CREATE TABLE … FROM SOURCE</c>: the server's catalog calls it a table; the project knows more.</summary>
    public const string TableFromSource = "table-from-source";

    /// <summary>The kind name of a project object's kind (the relations a lock records), or null for one that holds no rows.</summary>
    public static string? Of(ObjectKind kind) => kind switch
    {
        ObjectKind.Table => Table,
        ObjectKind.TableFromSource => TableFromSource,
        ObjectKind.View => View,
        ObjectKind.MaterializedView => MaterializedView,
        ObjectKind.Source => Source,
        _ => null,
    };
}
