using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning.Apply;

/// <summary>
/// What apply does to one object: its kind, its production name, the action, why, and the exact statements in
/// the order they run (the object's own statement first, then its grants and comments).
/// </summary>
public sealed class ApplyItem
{
    internal ApplyItem(InfrastructureKind type, string name, ApplyAction action, string reason, IReadOnlyList<ApplyStatement> statements)
    {
        Type = type;
        Name = name;
        Action = action;
        Reason = reason;
        Statements = statements;
    }

    public InfrastructureKind Type { get; }

    /// <summary>The production name: a cluster's (profile suffix included), a role's, or <c>db.schema.name</c>.</summary>
    public string Name { get; }

    public ApplyAction Action { get; }

    /// <summary>Why: what is created or changed, what differs and cannot change in place, or why nothing happens. Never a secret value.</summary>
    public string Reason { get; }

    /// <summary>The statements to run, in order; empty for Unchanged, Drifted, Unmanaged and Refused.</summary>
    public IReadOnlyList<ApplyStatement> Statements { get; }

    public override string ToString() => $"{Action} {Type} {Name}: {Reason}";
}
