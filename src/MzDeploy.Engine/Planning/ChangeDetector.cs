using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning;

/// <summary>
/// Computes a <see cref="ChangeSet"/>: which objects differ from production and everything that must be
/// redeployed with them. Rules (mz-deploy's, plus one safety rule):
/// <list type="number">
/// <item>changed objects (hash differs, new, deleted) are dirty;</item>
/// <item>every object of a forced schema is dirty;</item>
/// <item>a dirty view or materialized view on cluster <c>c</c> (its own or an index's) dirties every object whose own
/// <c>IN CLUSTER</c> is <c>c</c>. mz-deploy applies this to changed objects only; but every cluster of a redeployed
/// object is cloned, swapped and its old copy dropped with CASCADE, which would drop co-resident materialized views
/// that were not redeployed, so here it applies to every redeployed object;</item>
/// <item>dependents of a dirty object are dirty, except through a materialized view replaced in place;</item>
/// <item>a dirty non-sink object dirties its whole schema (schemas are swapped whole), except in-place replacements.</item>
/// </list>
/// </summary>
internal static class ChangeDetector
{
    /// <exception cref="MzDeployException"><c>InvalidRedeploySchema</c> for a forced schema the project lacks;
    /// <c>NewObjectInExistingStableSchema</c> for a new materialized view in a stable schema production already has.</exception>
    public static ChangeSet Compute(CompiledProject project, ProductionSnapshot production, ChangeSetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(production);
        options ??= ChangeSetOptions.None;

        var objects = project.Objects.ToDictionary(o => o.Id);
        var bySchema = project.Objects.GroupBy(o => SchemaId.Of(o.Id)).ToDictionary(g => g.Key, g => g.ToList());
        var stable = StableSchemas(project);
        var forced = ForcedSchemas(options, bySchema);

        bool IsInPlace(CompiledObject o) =>
            o.Kind == ObjectKind.MaterializedView && stable.Contains(SchemaId.Of(o.Id)) &&
            production.Hashes.ContainsKey(o.Id) && production.KindOf(SchemaId.Of(o.Id)) == DeploymentKind.Replacement;

        RejectNewObjectsInStableSchemas(project, production, stable);

        var changes = Diff(project, production);
        var changed = changes.ToDictionary(c => c.Id, c => c.Kind);

        var dependents = new Dictionary<ObjectId, List<ObjectId>>();
        foreach (var o in project.Objects)
        {
            foreach (var dependency in project.Graph.DependenciesOf(o.Id))
            {
                if (!dependents.TryGetValue(dependency, out var list))
                {
                    dependents[dependency] = list = new List<ObjectId>();
                }

                list.Add(o.Id);
            }
        }

        var onCluster = project.Objects
            .Where(o => o.Cluster is not null)
            .GroupBy(o => o.Cluster!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(o => o.Id).ToList(), StringComparer.Ordinal);

        var dirty = new Dictionary<ObjectId, DirtyObject>();
        var queue = new Queue<ObjectId>();
        void Mark(ObjectId id, DirtyReason reason, ObjectId? cause = null, string? cluster = null)
        {
            if (dirty.ContainsKey(id))
            {
                return;
            }

            var kind = objects.TryGetValue(id, out var o) ? o.Kind : (ObjectKind?)null;
            ChangeKind? change = reason == DirtyReason.Changed ? changed[id] : null;
            dirty[id] = new DirtyObject(id, kind, reason, cause, cluster, change, cause is not null && changed.ContainsKey(cause));
            queue.Enqueue(id);
        }

        foreach (var change in changes)
        {
            Mark(change.Id, DirtyReason.Changed);
        }

        foreach (var schema in forced.Order(SchemaId.Ordinal))
        {
            foreach (var o in bySchema[schema].OrderBy(o => o.Id, ObjectId.Ordinal))
            {
                Mark(o.Id, options.RedeployAll ? DirtyReason.ForcedAll : DirtyReason.ForcedSchema);
            }
        }

        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            objects.TryGetValue(id, out var o);
            var schema = SchemaId.Of(id);
            var inPlace = o is not null && IsInPlace(o);
            var isSink = o is null ? production.KindOf(schema) == DeploymentKind.Sinks : o.Kind == ObjectKind.Sink;

            if (o is { Kind: ObjectKind.View or ObjectKind.MaterializedView })
            {
                foreach (var cluster in ClustersOf(o))
                {
                    foreach (var resident in onCluster.GetValueOrDefault(cluster) ?? [])
                    {
                        Mark(resident, DirtyReason.SharesCluster, id, cluster);
                    }
                }
            }

            if (!inPlace)
            {
                foreach (var dependent in dependents.GetValueOrDefault(id) ?? [])
                {
                    Mark(dependent, DirtyReason.DependsOn, id);
                }
            }

            if (!isSink && !inPlace && bySchema.TryGetValue(schema, out var siblings))
            {
                foreach (var sibling in siblings.OrderBy(s => s.Id, ObjectId.Ordinal))
                {
                    Mark(sibling.Id, DirtyReason.SameSchema, id);
                }
            }
        }

        var stage = new List<CompiledObject>();
        var sinks = new List<CompiledObject>();
        var replacements = new List<CompiledObject>();
        var skipped = new List<CompiledObject>();
        foreach (var o in project.Objects.Where(o => dirty.ContainsKey(o.Id)))
        {
            switch (o.Kind)
            {
                case ObjectKind.View or ObjectKind.MaterializedView when IsInPlace(o):
                    replacements.Add(o);
                    break;
                case ObjectKind.View or ObjectKind.MaterializedView:
                    stage.Add(o);
                    break;
                case ObjectKind.Sink:
                    sinks.Add(o);
                    break;
                default:
                    skipped.Add(o);
                    break;
            }
        }

        var deployed = stage.Concat(replacements).ToList();
        var schemas = deployed.Select(o => SchemaId.Of(o.Id)).Distinct().Order(SchemaId.Ordinal).ToList();
        var clusters = deployed.SelectMany(ClustersOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new ChangeSet(production.Hashes.Count == 0, changes, dirty.Values.OrderBy(d => d.Id, ObjectId.Ordinal).ToList(),
            stage, sinks, replacements, skipped, schemas, clusters, stable);
    }

    /// <summary>Schemas whose modifier file says <c>SET api = stable</c>.</summary>
    public static IReadOnlySet<SchemaId> StableSchemas(CompiledProject project) =>
        project.Definitions
            .Where(d => d.Kind == Project.ProjectFileKind.SchemaModifier && d.Statements.OfType<SetStatement>().Any(IsStableApi))
            .Select(d => new SchemaId(d.Source.File.Database!, d.Source.File.Schema!))
            .ToHashSet();

    internal static bool IsStableApi(SetStatement set) =>
        string.Equals(set.Variable.Value, "api", StringComparison.OrdinalIgnoreCase) &&
        string.Equals(set.Value.SimpleValue, "stable", StringComparison.OrdinalIgnoreCase);

    /// <summary>The clusters an object occupies: its own <c>IN CLUSTER</c> and its indexes'.</summary>
    internal static IEnumerable<string> ClustersOf(CompiledObject o)
    {
        if (o.Cluster is { } own)
        {
            yield return own;
        }

        foreach (var index in o.Indexes)
        {
            if (index.InCluster is { } cluster)
            {
                yield return cluster.Value;
            }
        }
    }

    private static List<ObjectChange> Diff(CompiledProject project, ProductionSnapshot production)
    {
        var changes = new List<ObjectChange>();
        var current = new HashSet<ObjectId>();
        foreach (var o in project.Objects.Where(o => HasSnapshot(o.Kind)))
        {
            current.Add(o.Id);
            if (!production.Hashes.TryGetValue(o.Id, out var hash))
            {
                changes.Add(new ObjectChange(o.Id, ChangeKind.Added));
            }
            else if (!string.Equals(hash, o.Hash, StringComparison.Ordinal))
            {
                changes.Add(new ObjectChange(o.Id, ChangeKind.Modified));
            }
        }

        changes.AddRange(production.Hashes.Keys.Where(id => !current.Contains(id)).Select(id => new ObjectChange(id, ChangeKind.Deleted)));
        return changes.OrderBy(c => c.Id, ObjectId.Ordinal).ToList();
    }

    // Apply-managed objects have no hash in snapshots: apply creates them in place.
    private static bool HasSnapshot(ObjectKind kind) => kind is ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.Sink;

    private static HashSet<SchemaId> ForcedSchemas(ChangeSetOptions options, Dictionary<SchemaId, List<CompiledObject>> bySchema)
    {
        if (options.RedeployAll)
        {
            return bySchema.Keys.ToHashSet();
        }

        var forced = new HashSet<SchemaId>();
        foreach (var schema in options.RedeploySchemas)
        {
            if (!bySchema.ContainsKey(schema))
            {
                var available = string.Join(", ", bySchema.Keys.Order(SchemaId.Ordinal).Select(s => s.ToString()));
                throw new MzDeployException(ErrorIds.InvalidRedeploySchema,
                    $"schema to redeploy '{schema}' is not a schema of this project; available: {available}", schema.ToString(),
                    new Advice("Name a schema as database.schema, as it appears under models/."));
            }

            forced.Add(schema);
        }

        return forced;
    }

    // A new materialized view in a stable schema that production already replaces in place would be lost:
    // promote applies replacements there instead of swapping the schema (mz-deploy rejects it too).
    private static void RejectNewObjectsInStableSchemas(CompiledProject project, ProductionSnapshot production, IReadOnlySet<SchemaId> stable)
    {
        foreach (var group in project.Objects
                     .Where(o => stable.Contains(SchemaId.Of(o.Id)) && production.KindOf(SchemaId.Of(o.Id)) == DeploymentKind.Replacement &&
                                 !production.Hashes.ContainsKey(o.Id))
                     .GroupBy(o => SchemaId.Of(o.Id))
                     .OrderBy(g => g.Key, SchemaId.Ordinal))
        {
            var names = string.Join(", ", group.Take(5).Select(o => o.Id.Name));
            throw new MzDeployException(ErrorIds.NewObjectInExistingStableSchema,
                $"cannot add new objects to existing stable schema '{group.Key}': {names}", group.Key.ToString(),
                new Advice("Deploy the new materialized views in a new schema, or in a separate deployment before making the schema stable."));
        }
    }
}
