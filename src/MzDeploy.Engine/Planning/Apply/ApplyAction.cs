namespace MzDeploy.Engine.Planning.Apply;

/// <summary>What an apply does, or would do, to one object.</summary>
public enum ApplyAction
{
    /// <summary>Missing from production: created (with its grants and comments).</summary>
    Created,

    /// <summary>Present and different in ways Materialize can change in place: altered.</summary>
    Altered,

    /// <summary>Present and as the project defines it: nothing to run.</summary>
    Unchanged,

    /// <summary>Present and different in a way that cannot change in place; reported with the reason, nothing dropped.</summary>
    Drifted,

    /// <summary>In production but defined by no project file; reported, never touched.</summary>
    Unmanaged,

    /// <summary>Cannot be planned (a secret value that cannot be resolved, a catalog the server lacks); the reason says why.</summary>
    Refused,
}
