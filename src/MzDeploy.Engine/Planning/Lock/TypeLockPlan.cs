namespace MzDeploy.Engine.Planning.Lock;

/// <summary>
/// What a lock will write: the exact text of <c>types.lock</c>, and whether it differs from the file there now (an
/// unchanged lock is not rewritten at all, so its timestamp and any editor's view of it stay as they are).
/// </summary>
/// <param name="Path">Full path of the lock file.</param>
/// <param name="Text">The file's new contents, byte for byte (UTF-8 without a byte order mark).</param>
/// <param name="Objects">How many objects it locks.</param>
/// <param name="Changed">Whether <paramref name="Text"/> differs from the file there now (true when there is none).</param>
public sealed record TypeLockPlan(string Path, string Text, int Objects, bool Changed)
{
    /// <summary>The project's tables fed by sources that the server does not have yet (project names): not locked, not an error.</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    /// <summary>True when the project declares no dependencies and feeds no table from a source: there is nothing to read.</summary>
    public bool NothingToLock { get; init; }
}
