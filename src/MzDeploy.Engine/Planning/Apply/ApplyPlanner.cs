using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning.Apply;

/// <summary>
/// Plans an apply: compares the compiled project's durable objects — roles, clusters, network policies,
/// secrets, connections, sources, tables, with their grants and comments — with an
/// <see cref="InfrastructureSnapshot"/> and says, per object, what converging it takes. Pure: no catalog access,
/// no exceptions for planning outcomes (they are items with a reason). Never plans a DROP.
/// </summary>
public static class ApplyPlanner
{
    public static ApplyPlan Plan(CompiledProject project, InfrastructureSnapshot snapshot, ApplyOptions options, IEnumerable<ISecretProvider>? secretProviders = null)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        var suffix = project.ProfileSuffix;
        var names = new ApplyNames(suffix, project.Objects.Select(o => o.Id));
        var objects = new SchemaObjectPlanner(names, snapshot, options, new SecretValueResolver(options, secretProviders));
        var items = new List<ApplyItem>();
        var definitions = project.Definitions.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();

        if (options.Includes(InfrastructureKind.Role))
        {
            var roles = definitions.Where(d => d.Kind == ProjectFileKind.Role && d.Statements.OfType<CreateRoleStatement>().Any()).ToList();
            items.AddRange(roles.Select(d => GlobalObjectPlanner.PlanRole(d, snapshot)));
            var defined = roles.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            items.AddRange(snapshot.Roles.Values
                .Where(r => !defined.Contains(r.Name) && r.Login != true && !IsReservedRole(r.Name))
                .OrderBy(r => r.Name, StringComparer.Ordinal)
                .Select(r => Unmanaged(InfrastructureKind.Role, r.Name)));
        }

        if (options.Includes(InfrastructureKind.Cluster))
        {
            var clusters = definitions.Where(d => d.Kind == ProjectFileKind.Cluster && d.Statements.OfType<CreateClusterStatement>().Any()).ToList();
            items.AddRange(clusters.Select(d => GlobalObjectPlanner.PlanCluster(d, names.Cluster(d.Name), snapshot)));
            var defined = clusters.Select(d => names.Cluster(d.Name)).ToList();
            items.AddRange(snapshot.Clusters.Values
                // A staging clone (<production cluster>_<deploy id>) belongs to a deployment, not to apply.
                // The tracking cluster belongs to setup, like the roles setup creates.
                .Where(c => !defined.Contains(c.Name) && !c.Name.StartsWith("mz_", StringComparison.Ordinal)
                    && c.Name != CatalogConnectionFactory.ServerCluster
                    && !defined.Any(d => c.Name.StartsWith(d + "_", StringComparison.Ordinal)))
                .OrderBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => Unmanaged(InfrastructureKind.Cluster, c.Name)));
        }

        if (options.Includes(InfrastructureKind.NetworkPolicy))
        {
            var policies = definitions.Where(d => d.Kind == ProjectFileKind.NetworkPolicy && d.Statements.OfType<CreateNetworkPolicyStatement>().Any()).ToList();
            items.AddRange(policies.Select(d => GlobalObjectPlanner.PlanNetworkPolicy(d, snapshot)));
            var defined = policies.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            items.AddRange((snapshot.NetworkPolicies?.Values ?? [])
                .Where(p => !defined.Contains(p.Name))
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => Unmanaged(InfrastructureKind.NetworkPolicy, p.Name)));
        }

        var managed = project.Objects
            .Where(o => o.Constraint is null && InfrastructureKinds.FromObjectKind(o.Kind) is not null)
            .Select(o => (Object: o, Kind: InfrastructureKinds.FromObjectKind(o.Kind)!.Value))
            .ToList();
        var projectSchemas = project.Objects.Select(o => new SchemaId(names.Database(o.Id.Database), o.Id.Schema)).ToHashSet();
        var namespaces = new NamespacePlanner(snapshot);
        foreach (var kind in new[] { InfrastructureKind.Secret, InfrastructureKind.Connection, InfrastructureKind.Source, InfrastructureKind.Table })
        {
            if (!options.Includes(kind))
            {
                continue;
            }

            var ofKind = managed.Where(m => m.Kind == kind).ToList();
            foreach (var (compiled, _) in ofKind)
            {
                var item = objects.Plan(compiled, kind);
                items.Add(item.Action == ApplyAction.Created ? namespaces.Prepend(item, names.Production(compiled.Id)) : item);
            }

            var defined = ofKind.Select(m => names.Production(m.Object.Id)).ToHashSet();
            items.AddRange(snapshot.Objects.Values
                .Where(o => o.Kind == kind && !defined.Contains(o.Id) && projectSchemas.Contains(SchemaId.Of(o.Id))
                    && o.Type is not ("progress" or "subsource"))
                .OrderBy(o => o.Id, ObjectId.Ordinal)
                .Select(o => Unmanaged(kind, o.Id.ToString())));
        }

        return new ApplyPlan(items);
    }

    private static ApplyItem Unmanaged(InfrastructureKind kind, string name) =>
        new(kind, name, ApplyAction.Unmanaged, "in production but defined by no project file; apply leaves it alone", []);

    // System and predefined roles, and the roles setup creates, are nobody's project.
    private static bool IsReservedRole(string name) =>
        name.StartsWith("mz_", StringComparison.Ordinal) || name is RoleCheck.DeployerRole or RoleCheck.DeveloperRole or RoleCheck.MonitorRole
            or "materialize" or "PUBLIC";

    /// <summary>Creates a missing database and schema once, before the first object created in them.</summary>
    private sealed class NamespacePlanner(InfrastructureSnapshot snapshot)
    {
        private readonly HashSet<string> _databases = new(snapshot.Databases, StringComparer.Ordinal);
        private readonly HashSet<SchemaId> _schemas = new(snapshot.Schemas);

        public ApplyItem Prepend(ApplyItem item, ObjectId production)
        {
            var first = new List<ApplyStatement>();
            if (_databases.Add(production.Database))
            {
                first.Add(new ApplyStatement($"CREATE DATABASE IF NOT EXISTS {SqlIdentifier.Quote(production.Database)}"));
            }

            if (_schemas.Add(SchemaId.Of(production)))
            {
                first.Add(new ApplyStatement($"CREATE SCHEMA IF NOT EXISTS {SqlIdentifier.Quote(production.Database)}.{SqlIdentifier.Quote(production.Schema)}"));
            }

            return first.Count == 0 ? item : new ApplyItem(item.Type, item.Name, item.Action, item.Reason, [.. first, .. item.Statements]);
        }
    }
}
