using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning;

/// <summary>
/// The guard behind "a promote changes only what its plan names". A promote swaps whole schemas and clusters and then
/// drops the old copies with CASCADE, so everything in a swapped schema or on a swapped cluster goes with them. This
/// finds what the deployment does not own there: objects that neither it nor the previous deployment of their schema
/// recorded (a table made by hand, a view someone added, an index on such an object), every object on a swapped cluster
/// that lives outside the deployment's managed objects, and every source or sink on a swapped cluster (storage objects
/// are never re-created by a deploy: mz-deploy's cluster isolation rule). Pure: no I/O.
/// </summary>
public static class OwnershipCheck
{
    /// <summary>The objects among <paramref name="items"/> a swap of <paramref name="schemas"/> and <paramref name="clusters"/> would destroy.</summary>
    /// <param name="items">What the catalog shows in those schemas and on those clusters.</param>
    /// <param name="managed">Every object the project manages (this deployment's recorded objects and every promoted deployment's).</param>
    /// <param name="schemas">The schemas swapped (or, after the swap, the old copies about to be dropped).</param>
    /// <param name="clusters">The clusters swapped (or the old copies about to be dropped).</param>
    public static IReadOnlyList<UnmanagedObject> Find(IEnumerable<CatalogItem> items, IReadOnlySet<ObjectId> managed,
        IReadOnlyCollection<SchemaId> schemas, IReadOnlyCollection<string> clusters)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(managed);
        var schemaSet = schemas.ToHashSet();
        var clusterSet = clusters.ToHashSet(StringComparer.Ordinal);
        var found = new List<UnmanagedObject>();
        foreach (var item in items)
        {
            var schema = SchemaId.Of(item.Name);
            var onCluster = item.Cluster is { } cluster && clusterSet.Contains(cluster);
            if (onCluster && item.IsStorage)
            {
                found.Add(new UnmanagedObject(item.Name, item.Kind, item.Owner, $"cluster {item.Cluster}"));
            }
            else if ((onCluster || schemaSet.Contains(schema)) && !IsManaged(item, managed))
            {
                found.Add(new UnmanagedObject(item.Name, item.Kind, item.Owner,
                    schemaSet.Contains(schema) ? $"schema {schema}" : $"cluster {item.Cluster}"));
            }
        }

        return found.DistinctBy(o => o.Name).OrderBy(o => o.Name, ObjectId.Ordinal).ToList();
    }

    /// <summary>
    /// <paramref name="managed"/> plus each managed object of <paramref name="schemas"/> under its staging schema's name:
    /// after the swap the old copy holds the previous objects under those names.
    /// </summary>
    public static IReadOnlySet<ObjectId> WithStagingCopies(IReadOnlySet<ObjectId> managed, StagingNames names, IEnumerable<SchemaId> schemas)
    {
        ArgumentNullException.ThrowIfNull(names);
        var swapped = schemas.ToHashSet();
        var result = new HashSet<ObjectId>(managed);
        foreach (var id in managed.Where(id => swapped.Contains(SchemaId.Of(id))))
        {
            result.Add(id with { Schema = names.StagingSchemaName(id.Schema) });
        }

        return result;
    }

    /// <summary>The refusal: names every object, its kind and owner, and the three ways out.</summary>
    public static MzDeployException Refusal(string deployId, IReadOnlyList<UnmanagedObject> found, string when)
    {
        ArgumentNullException.ThrowIfNull(found);
        return new MzDeployException(ErrorIds.UnmanagedObjects,
            $"deployment '{deployId}' {when} would drop {found.Count} object(s) it does not own: {string.Join("; ", found)}. "
            + "A promote swaps whole schemas and clusters and drops the old copies with everything in them",
            deployId,
            new AllowDropUnmanaged(found.Select(o => o.Name.ToString()).ToList()));
    }

    private static bool IsManaged(CatalogItem item, IReadOnlySet<ObjectId> managed) =>
        managed.Contains(item.Name)
        // An index goes with the object it indexes: the project declares indexes in the object's file, and the
        // deploy re-creates them with it.
        || (item.IndexedObject is { } on && managed.Contains(item.Name with { Name = on }));
}
