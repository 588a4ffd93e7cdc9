namespace MzDeploy;

/// <summary>The durable kinds Invoke-MzApply converges, in the order it converges them.</summary>
public enum MzInfrastructureKind
{
    Role,
    Cluster,
    NetworkPolicy,
    Secret,
    Connection,
    Source,

    /// <summary>A table, or a table fed by a source.</summary>
    Table,
}

/// <summary>What Invoke-MzApply did, or would do, to one object.</summary>
public enum MzApplyAction
{
    /// <summary>Missing from production: created, with its grants and comments.</summary>
    Created,

    /// <summary>Different in ways Materialize changes in place: altered.</summary>
    Altered,

    /// <summary>As the project defines it: nothing ran.</summary>
    Unchanged,

    /// <summary>Different in a way that cannot change in place: reported with the reason, nothing dropped.</summary>
    Drifted,

    /// <summary>In production but defined by no project file: reported, never touched.</summary>
    Unmanaged,

    /// <summary>Could not be planned (a secret value that cannot be resolved); the reason says why.</summary>
    Refused,
}

/// <summary>One object of an apply: its kind and production name, the action, why, and the statements (secret values shown as '***').</summary>
public sealed class MzApplyResult
{
    internal MzApplyResult(MzInfrastructureKind type, string name, MzApplyAction action, string reason, string[] statements, bool dryRun)
    {
        Type = type;
        Name = name;
        Action = action;
        Reason = reason;
        Statements = statements;
        DryRun = dryRun;
    }

    public MzInfrastructureKind Type { get; }

    /// <summary>The production name: a cluster's or role's name, or <c>db.schema.name</c>.</summary>
    public string Name { get; }

    public MzApplyAction Action { get; }

    /// <summary>Why: what was created or changed, what differs and cannot change in place, or why nothing happened.</summary>
    public string Reason { get; }

    /// <summary>The statements run (or, in a dry run, to run), in order; a secret's value shows as '***'.</summary>
    public string[] Statements { get; }

    /// <summary>True when nothing ran: the result of -DryRun, saying what would be done.</summary>
    public bool DryRun { get; }

    public override string ToString() => $"{Action} {Type} {Name}";
}
