namespace MzDeploy;

/// <summary>
/// What Update-MzTypeLock wrote (or, with -WhatIf, would write) to types.lock; also the last object Invoke-MzApply emits
/// when it regenerated the lock after applying.
/// </summary>
public sealed class MzTypeLockResult
{
    internal MzTypeLockResult(string path, int objects, bool changed, string[]? skipped = null)
    {
        Path = path;
        Objects = objects;
        Changed = changed;
        Skipped = skipped ?? [];
    }

    /// <summary>Full path of types.lock.</summary>
    public string Path { get; }

    /// <summary>How many objects it locks: declared dependencies and the project's tables fed by sources.</summary>
    public int Objects { get; }

    /// <summary>True when the file was written (or, with -WhatIf, would be); false when it already held exactly these objects.</summary>
    public bool Changed { get; }

    /// <summary>The project's tables fed by sources that the server does not have yet (<c>db.schema.name</c>), left out of the lock.</summary>
    public string[] Skipped { get; }

    public override string ToString() => Path;
}
