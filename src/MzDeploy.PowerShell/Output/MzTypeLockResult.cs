namespace MzDeploy;

/// <summary>What Update-MzTypeLock wrote (or, with -WhatIf, would write) to types.lock.</summary>
public sealed class MzTypeLockResult
{
    internal MzTypeLockResult(string path, int objects, bool changed)
    {
        Path = path;
        Objects = objects;
        Changed = changed;
    }

    /// <summary>Full path of types.lock.</summary>
    public string Path { get; }

    /// <summary>How many external dependencies it locks.</summary>
    public int Objects { get; }

    /// <summary>True when the file was written (or, with -WhatIf, would be); false when it already held exactly these columns.</summary>
    public bool Changed { get; }

    public override string ToString() => Path;
}
