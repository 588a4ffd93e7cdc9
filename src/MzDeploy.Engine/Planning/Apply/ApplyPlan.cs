using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning.Apply;

/// <summary>
/// The plan of one apply: one item per object, kinds in dependency order (roles, clusters, network
/// policies, secrets, connections, sources, tables), objects of one kind in the project's dependency order,
/// unmanaged objects after the project's own.
/// </summary>
public sealed class ApplyPlan
{
    internal ApplyPlan(IReadOnlyList<ApplyItem> items) => Items = items;

    public IReadOnlyList<ApplyItem> Items { get; }

    /// <summary>Every statement of every item, in the order they run.</summary>
    public IEnumerable<ApplyStatement> Statements => Items.SelectMany(i => i.Statements);

    /// <summary>Whether running the plan changes anything.</summary>
    public bool HasChanges => Items.Any(i => i.Statements.Count > 0);

    /// <summary>The items of one kind.</summary>
    public IEnumerable<ApplyItem> OfType(InfrastructureKind type) => Items.Where(i => i.Type == type);

    /// <summary>Every statement as displayed, one per line with a terminating semicolon (secrets masked).</summary>
    public string Display => string.Concat(Statements.Select(s => s.Sql + ";\n"));

    public override string ToString() => $"{Items.Count} objects, {Statements.Count()} statements";
}
