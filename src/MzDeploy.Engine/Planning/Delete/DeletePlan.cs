using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning.Delete;

/// <summary>An object that would stop a drop: its full name and its kind as the catalog names it (<c>view</c>, <c>index</c>).</summary>
public sealed record ObjectDependent(string Name, string Kind)
{
    public override string ToString() => $"{Name} ({Kind})";
}

/// <summary>
/// What a delete does: one <c>DROP</c> without CASCADE, and the project file that defines the object, which is removed
/// only when <see cref="RemovesFile"/> (asked for) — otherwise it is reported and left alone.
/// </summary>
/// <param name="Target">The object.</param>
/// <param name="Statement">The exact DROP.</param>
/// <param name="ProjectFile">The file defining the object (relative to the project root), or null when no project file does.</param>
/// <param name="ProjectFilePath">The same file's full path, or null.</param>
/// <param name="RemovesFile">Whether the file is removed after the drop.</param>
public sealed record DeletePlan(DeleteTarget Target, PlannedStatement Statement, string? ProjectFile, string? ProjectFilePath, bool RemovesFile);
