namespace MzDeploy.Engine.TypeLock;

/// <summary>One column of an external dependency as types.lock records it: its name, the type as the server's catalog
/// prints it (<c>mz_columns.type</c>) and whether it may hold NULL.</summary>
public sealed record LockedColumn(string Name, string Type, bool Nullable);
