using MzDeploy.Engine.Model;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Compile;

/// <summary>How a reference resolved.</summary>
internal enum ResolutionKind
{
    ProjectObject,
    ExternalDependency,
    SystemObject,
    Unresolved,
}

internal readonly record struct Resolution(ObjectId Id, ResolutionKind Kind);

/// <summary>
/// Qualifies names the way Materialize does for a file's location (1-part → the file's database and
/// schema; 2-part → the file's database, unless the schema is a system schema) and decides what each
/// name refers to: a project object, a dependency declared in project.toml, or a system object.
/// </summary>
internal sealed class NameResolver
{
    private readonly IReadOnlySet<ObjectId> _projectObjects;
    private readonly HashSet<ObjectId> _dependencies;

    public NameResolver(IReadOnlySet<ObjectId> projectObjects, IEnumerable<ExternalDependency> dependencies)
    {
        _projectObjects = projectObjects;
        _dependencies = dependencies.Select(d => new ObjectId(d.Database ?? string.Empty, d.Schema, d.Name)).ToHashSet();
    }

    /// <summary>The fully qualified name <paramref name="name"/> denotes in a file of <paramref name="database"/>.<paramref name="schema"/>.</summary>
    public static ObjectId Qualify(ObjectName name, string database, string schema)
    {
        var values = name.Values;
        return values.Count switch
        {
            1 => new ObjectId(database, schema, values[0]),
            2 when ExternalDependency.SystemSchemas.Contains(values[0]) => new ObjectId(string.Empty, values[0], values[1]),
            2 => new ObjectId(database, values[0], values[1]),
            _ => new ObjectId(values[^3], values[^2], values[^1]),
        };
    }

    public Resolution Resolve(ObjectName name, string database, string schema)
    {
        var id = Qualify(name, database, schema);
        if (_projectObjects.Contains(id))
        {
            return new Resolution(id, ResolutionKind.ProjectObject);
        }

        if (_dependencies.Contains(id))
        {
            return new Resolution(id, ResolutionKind.ExternalDependency);
        }

        if (IsSystemName(name, id))
        {
            return new Resolution(id, ResolutionKind.SystemObject);
        }

        return new Resolution(id, ResolutionKind.Unresolved);
    }

    // System schemas are always readable. Materialize also puts mz_catalog and pg_catalog on every
    // search path, so an unqualified mz_*/pg_* name that no project object claims is a catalog relation.
    private static bool IsSystemName(ObjectName name, ObjectId id) =>
        ExternalDependency.SystemSchemas.Contains(id.Schema) ||
        (name.Parts.Count == 1 && (id.Name.StartsWith("mz_", StringComparison.Ordinal) || id.Name.StartsWith("pg_", StringComparison.Ordinal)));

    /// <summary>Whether a reference of this kind names a schema object (as opposed to a cluster, role, …).</summary>
    public static bool NamesSchemaObject(ReferenceKind kind) =>
        kind is ReferenceKind.Relation or ReferenceKind.Source or ReferenceKind.Sink or ReferenceKind.Connection
            or ReferenceKind.Secret;
}
