namespace MzDeploy.Engine.TypeLock;

/// <summary>
/// One object types.lock records: its normalised name (<c>db.schema.object</c>, or <c>schema.object</c> in a system
/// schema), its kind when known, and its columns in the relation's own order.
/// </summary>
/// <param name="Name">The normalised qualified name.</param>
/// <param name="Kind">One of <see cref="LockedKinds"/>' names (or another kind a newer catalog reports), or null for an object locked by a build that did not record
/// kinds (a version 1 file).</param>
/// <param name="Columns">The columns, in position order.</param>
public sealed record LockedObject(string Name, string? Kind, IReadOnlyList<LockedColumn> Columns);
