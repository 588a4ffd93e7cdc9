using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Project;

namespace MzDeploy.Engine.Operations;

/// <summary>
/// The names a project defines, for offering them to a person (tab completion): its schemas and the clusters it
/// defines or places objects and indexes on. Read from an offline compile that keeps going past errors, so a project
/// being edited still offers what it has.
/// </summary>
public sealed record ProjectNames(IReadOnlyList<SchemaId> Schemas, IReadOnlyList<string> Clusters)
{
    /// <summary>The names of the project at <paramref name="projectRoot"/> compiled for <paramref name="profile"/>.</summary>
    /// <exception cref="Errors.MzDeployException">project.toml is missing or invalid.</exception>
    public static ProjectNames Read(string projectRoot, string? profile)
    {
        var compiled = ProjectCompiler.Compile(projectRoot, profile);
        var schemas = compiled.Objects.Select(o => SchemaId.Of(o.Id)).Distinct().Order(SchemaId.Ordinal).ToList();
        var clusters = compiled.Definitions.Where(d => d.Kind == ProjectFileKind.Cluster).Select(d => d.Name)
            .Concat(compiled.Objects.Select(o => o.Cluster))
            .Concat(compiled.Objects.SelectMany(o => o.Indexes).Select(i => i.InCluster?.Value))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return new ProjectNames(schemas, clusters);
    }
}
