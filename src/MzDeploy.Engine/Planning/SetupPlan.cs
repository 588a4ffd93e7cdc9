using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning;

/// <summary>One piece of the tracking infrastructure: how messages name it, whether it exists, the statement that creates it.</summary>
public sealed record SetupItem(string Description, bool Exists, PlannedStatement Create);

/// <summary>
/// What setup read from the server, everything its plan depends on. The catalog layer knows the tracking schema, so it
/// lists <see cref="TrackingItems"/> and <see cref="Grants"/>; the plan decides what runs.
/// </summary>
/// <param name="RbacActive">Whether RBAC is enforced (and the profile is not the emulator's): roles and grants are part of setup.</param>
/// <param name="ServerCluster">The cluster MzDeploy's sessions run on.</param>
/// <param name="ServerClusterExists">Whether it exists.</param>
/// <param name="TrackingItems">The tracking database, its schemas, tables, indexes, views and version row, in creation order.</param>
/// <param name="Roles">The mz-deploy roles.</param>
/// <param name="ExistingRoles">Which of them exist.</param>
/// <param name="Grants">Every grant to the roles, re-issued on every run to heal drift (a repeated GRANT changes nothing).</param>
internal sealed record SetupFacts(bool RbacActive, string ServerCluster, bool ServerClusterExists, IReadOnlyList<SetupItem> TrackingItems,
    IReadOnlyList<string> Roles, IReadOnlySet<string> ExistingRoles, IReadOnlyList<string> Grants);

/// <summary>
/// What setup runs, as a value: every item of the infrastructure (those that exist are left alone, so a second run
/// creates nothing), then the grants when RBAC is enforced. A preview shows <see cref="Statements"/>; the
/// executor runs them one per round trip, in order.
/// </summary>
/// <param name="Items">Every item, in creation order.</param>
/// <param name="Grants">The grants, after the items.</param>
public sealed record SetupPlan(IReadOnlyList<SetupItem> Items, IReadOnlyList<PlannedStatement> Grants)
{
    /// <summary>The items setup creates.</summary>
    public IReadOnlyList<string> Created => Items.Where(i => !i.Exists).Select(i => i.Description).ToList();

    /// <summary>The items that exist already.</summary>
    public IReadOnlyList<string> AlreadyPresent => Items.Where(i => i.Exists).Select(i => i.Description).ToList();

    /// <summary>Every statement, in execution order.</summary>
    public IReadOnlyList<PlannedStatement> Statements => Items.Where(i => !i.Exists).Select(i => i.Create).Concat(Grants).ToList();
}

internal static class SetupPlanner
{
    /// <param name="facts">What exists.</param>
    /// <param name="clusterSize">The size of the server cluster when it has to be created.</param>
    public static SetupPlan Plan(SetupFacts facts, string clusterSize)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentException.ThrowIfNullOrEmpty(clusterSize);
        // CREATE CLUSTER has no IF NOT EXISTS: the state read is the pre-check. The creator owns the cluster, which the
        // grant of USAGE on it needs.
        var items = new List<SetupItem>
        {
            new($"cluster {facts.ServerCluster}", facts.ServerClusterExists, new PlannedStatement(PlannedStatementKind.CreateCluster, facts.ServerCluster,
                $"CREATE CLUSTER {SqlIdentifier.Quote(facts.ServerCluster)} (SIZE = {SqlLiteral.Quote(clusterSize)})")),
        };
        items.AddRange(facts.TrackingItems);
        if (!facts.RbacActive)
        {
            return new SetupPlan(items, []);
        }

        items.AddRange(facts.Roles.Select(role => new SetupItem($"role {role}", facts.ExistingRoles.Contains(role),
            new PlannedStatement(PlannedStatementKind.CreateRole, role, $"CREATE ROLE {SqlIdentifier.Quote(role)}"))));
        return new SetupPlan(items, facts.Grants.Select(g => new PlannedStatement(PlannedStatementKind.Grant, "grant", g)).ToList());
    }
}
