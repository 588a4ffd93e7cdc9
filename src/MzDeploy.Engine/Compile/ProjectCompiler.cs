using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Project;

namespace MzDeploy.Engine.Compile;

/// <summary>
/// Compiles a project offline: loads project.toml and the files selected for the profile, substitutes
/// variables, parses, checks file placement and names, resolves references, orders objects by their
/// dependencies and hashes them. Every problem is collected; nothing stops at the first. Pure apart
/// from reading the project folder.
/// </summary>
public static class ProjectCompiler
{
    /// <param name="projectRoot">The project folder (holding project.toml).</param>
    /// <param name="profile">The active profile, or null when none is selected.</param>
    /// <exception cref="MzDeployException">project.toml is missing or invalid.</exception>
    public static CompiledProject Compile(string projectRoot, string? profile)
    {
        var root = Path.GetFullPath(projectRoot);
        var config = ProjectConfig.Load(root);
        var layout = ProjectLayout.Discover(root, profile);
        var diagnostics = new List<Diagnostic>(layout.Diagnostics);

        var sources = SourceLoader.Load(layout, config, profile, diagnostics);
        var (objects, definitions) = ObjectCollector.Collect(sources, diagnostics);

        // Enforced constraints become materialized views of their own, resolved, ordered and hashed like the rest.
        objects.AddRange(ConstraintCompiler.Compile(objects, config.Dependencies, diagnostics));
        var byId = objects.ToDictionary(o => o.Id);
        var resolver = new NameResolver(byId.Keys.ToHashSet(), config.Dependencies);
        var graph = ReferenceBinder.Bind(objects, resolver, diagnostics);
        ProjectRules.CheckCycles(graph, byId, diagnostics);
        ProjectRules.CheckMixedSchemas(objects, diagnostics);
        SecretProviderRules.Check(objects, diagnostics);

        Parallel.ForEach(objects, compiled => compiled.Hash = ObjectHasher.Hash(compiled));

        var ordered = graph.TopologicalOrder().Select(id => byId[id]).ToList();
        if (ordered.Count < objects.Count)
        {
            // Objects on a cycle have no valid order; list them last so the report still shows them.
            var placed = ordered.Select(o => o.Id).ToHashSet();
            ordered.AddRange(objects.Where(o => !placed.Contains(o.Id)).OrderBy(o => o.Id, ObjectId.Ordinal));
        }

        var sorted = diagnostics
            .OrderBy(d => d.Location?.File ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(d => d.Location?.Line ?? 0)
            .ThenBy(d => d.Location?.Column ?? 0)
            .ToList();
        var errors = sorted.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var warnings = sorted.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();
        return new CompiledProject(root, profile, config, ordered, definitions, graph, errors, warnings);
    }
}
