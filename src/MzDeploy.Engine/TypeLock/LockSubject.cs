namespace MzDeploy.Engine.TypeLock;

/// <summary>
/// One object a lock reads from the server: the name types.lock records it under, and where it is on the server (a project
/// table's production database carries the profile's suffix; the lock keeps the project's name, which the type check and
/// unit tests resolve).
/// </summary>
/// <param name="Key">The name in types.lock.</param>
/// <param name="Database">The database on the server, or null in a system schema.</param>
/// <param name="Schema">The schema.</param>
/// <param name="Name">The relation.</param>
internal sealed record LockSubject(string Key, string? Database, string Schema, string Name);
