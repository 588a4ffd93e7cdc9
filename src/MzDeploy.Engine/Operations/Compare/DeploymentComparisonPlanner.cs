using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Operations.Compare;

/// <summary>A staged relation paired with its production counterpart (same database and name, the schema without the suffix).</summary>
internal sealed record ComparedPair(ObjectId Production, ObjectId Staging, ObjectKind Kind);

/// <summary>
/// Plans a deployment's comparison with production from what the catalog holds; no I/O. Pairs each view or materialized
/// view of a staging schema with the relation of the same name in the production schema it replaces, then plans one
/// <see cref="ResultComparer"/> SELECT per pair (the staged object on the left).
/// </summary>
internal static class DeploymentComparisonPlanner
{
    /// <summary>The pairs to compare, and the staged relations production has no counterpart of.</summary>
    /// <param name="names">The deployment's names.</param>
    /// <param name="schemas">The production schemas the deployment staged a copy of.</param>
    /// <param name="relations">The views and materialized views of those schemas and their staging copies.</param>
    public static (IReadOnlyList<ComparedPair> Pairs, IReadOnlyList<ObjectId> Uncompared) Pair(StagingNames names,
        IReadOnlyCollection<SchemaId> schemas, IReadOnlyList<ComparableRelation> relations)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(schemas);
        ArgumentNullException.ThrowIfNull(relations);
        var byId = relations.ToDictionary(r => r.Id);
        var pairs = new List<ComparedPair>();
        var uncompared = new List<ObjectId>();
        foreach (var production in schemas.Distinct().Order(SchemaId.Ordinal))
        {
            var staging = names.StagingSchemaOfProduction(production);
            foreach (var staged in relations.Where(r => r.Id.Database == staging.Database && r.Id.Schema == staging.Schema))
            {
                var counterpart = new ObjectId(production.Database, production.Schema, staged.Id.Name);
                if (byId.ContainsKey(counterpart))
                {
                    pairs.Add(new ComparedPair(counterpart, staged.Id, KindOf(staged.Type)));
                }
                else
                {
                    uncompared.Add(staged.Id);
                }
            }
        }

        return (pairs.OrderBy(p => p.Production, ObjectId.Ordinal).ToList(), uncompared);
    }

    /// <summary>The plan: one SELECT per pair over the columns both sides have.</summary>
    /// <param name="deployId">The deployment.</param>
    /// <param name="cluster">The cluster to run on, or null for the session's.</param>
    /// <param name="pairs">What <see cref="Pair"/> found.</param>
    /// <param name="uncompared">Staged relations without a production counterpart.</param>
    /// <param name="columns">Each relation's columns, in order.</param>
    /// <param name="sampleSize">At most this many differing rows per side and object.</param>
    public static DeploymentComparisonPlan Plan(DeployId deployId, string? cluster, IReadOnlyList<ComparedPair> pairs,
        IReadOnlyList<ObjectId> uncompared, IReadOnlyDictionary<ObjectId, IReadOnlyList<string>> columns, int sampleSize)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleSize);
        var objects = pairs.Select(p => new PlannedObjectComparison(p.Production, p.Staging, p.Kind,
            ResultComparer.Plan(p.Staging, p.Production, columns[p.Staging], columns[p.Production], sampleSize))).ToList();
        return new DeploymentComparisonPlan(deployId, objects.Count == 0 ? null : cluster, objects, uncompared);
    }

    private static ObjectKind KindOf(string type) => type == "materialized-view" ? ObjectKind.MaterializedView : ObjectKind.View;
}
