using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Project;

namespace MzDeploy.Engine.Planning;

/// <summary>
/// One thing production must hold before a stage can run: a cluster to clone, or an object a staged object reads that
/// the stage does not create (a table, source, secret or connection the project defines, or an external dependency).
/// </summary>
/// <param name="Description">How a user names it: <c>cluster orders</c>, <c>table materialize.sales.orders</c>.</param>
/// <param name="DefinedIn">The project file that defines it (apply creates it from there), or null when the project does not.</param>
/// <param name="Why">What it is when the project does not define it (an external dependency, an undefined cluster).</param>
internal sealed record StagePrerequisite(string Description, string? DefinedIn, string? Why)
{
    public override string ToString() => DefinedIn is not null ? $"{Description} ({DefinedIn})" : $"{Description} ({Why})";
}

/// <summary>
/// What a stage needs production to hold already, and the one error that lists every missing piece at once: a first
/// stage of a new project used to stop on the first missing cluster, then fail again on the missing table, so a
/// user fixed one thing per attempt. Pure: the operation reads which of these exist and asks <see cref="EnsureSatisfied"/>.
/// </summary>
internal sealed class StagePrerequisites
{
    private readonly IReadOnlyList<(string Cluster, StagePrerequisite Prerequisite)> _clusters;
    private readonly IReadOnlyList<(ObjectId Object, StagePrerequisite Prerequisite)> _objects;

    private StagePrerequisites(IReadOnlyList<(string, StagePrerequisite)> clusters, IReadOnlyList<(ObjectId, StagePrerequisite)> objects)
    {
        _clusters = clusters;
        _objects = objects;
    }

    /// <summary>Production names of the clusters the stage clones.</summary>
    public IReadOnlyList<string> Clusters => _clusters.Select(c => c.Cluster).ToList();

    /// <summary>Production names of the objects staged objects read and the stage does not create.</summary>
    public IReadOnlyList<ObjectId> Objects => _objects.Select(o => o.Object).ToList();

    /// <summary>
    /// The prerequisites of staging <paramref name="changes"/>: every cluster it clones, and what each staged object,
    /// sink and replacement reads that is not staged itself (tables, sources, secrets, connections, external dependencies).
    /// </summary>
    public static StagePrerequisites Of(CompiledProject project, ChangeSet changes, StagingNames names)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(names);
        var clusterFiles = project.Definitions.Where(d => d.Kind == ProjectFileKind.Cluster)
            .GroupBy(d => d.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Source.File.RelativePath, StringComparer.Ordinal);
        var clusters = changes.Clusters
            .Select(c => (names.ProductionCluster(c), new StagePrerequisite($"cluster {names.ProductionCluster(c)}",
                clusterFiles.GetValueOrDefault(c), "no file under clusters/ defines it")))
            .ToList();

        var objects = project.Objects.ToDictionary(o => o.Id);
        var readers = changes.Objects.Concat(changes.Sinks).Concat(changes.ReplacementMaterializedViews);
        var needed = new SortedDictionary<ObjectId, StagePrerequisite>(ObjectId.Ordinal);
        foreach (var dependency in readers.SelectMany(o => o.DependsOn))
        {
            if (dependency.Database.Length == 0)
            {
                continue;  // a system object (mz_catalog.mz_tables): always there
            }

            if (!objects.TryGetValue(dependency, out var defined))
            {
                needed.TryAdd(dependency, new StagePrerequisite($"object {dependency}", null, "an external dependency in project.toml"));
            }
            else if (defined.Kind.IsStorage() && defined.Kind != ObjectKind.Sink)
            {
                var production = names.Production(dependency);
                needed.TryAdd(production, new StagePrerequisite($"{defined.Kind.Describe()} {production}", defined.Source.File.RelativePath, null));
            }
        }

        return new StagePrerequisites(clusters, needed.Select(n => (n.Key, n.Value)).ToList());
    }

    /// <summary>Throws one error naming every prerequisite that production lacks; returns when it has them all.</summary>
    /// <param name="existingClusters">The clusters among <see cref="Clusters"/> that exist.</param>
    /// <param name="existingObjects">The objects among <see cref="Objects"/> that exist; null when they were not read
    /// (the planner, which sees only clusters, checks those; the operation checks everything before planning).</param>
    /// <exception cref="MzDeployException"><c>PrerequisitesMissing</c>.</exception>
    public void EnsureSatisfied(IEnumerable<string> existingClusters, IEnumerable<ObjectId>? existingObjects)
    {
        var clusters = existingClusters.ToHashSet(StringComparer.Ordinal);
        var objects = existingObjects?.ToHashSet();
        var missing = _clusters.Where(c => !clusters.Contains(c.Cluster)).Select(c => c.Prerequisite)
            .Concat(objects is null ? [] : _objects.Where(o => !objects.Contains(o.Object)).Select(o => o.Prerequisite))
            .ToList();
        if (missing.Count > 0)
        {
            throw Missing(missing);
        }
    }

    /// <summary>The error for <paramref name="missing"/>: all of them in the message, what creates each in the remedy.</summary>
    public static MzDeployException Missing(IReadOnlyList<StagePrerequisite> missing)
    {
        var text = missing.Count == 1
            ? $"production lacks {missing[0]}, which this deployment needs"
            : $"production lacks {missing.Count} things this deployment needs: {string.Join("; ", missing)}";
        return new MzDeployException(ErrorIds.PrerequisitesMissing, text, missing[0].Description.Split(' ', 2)[1],
            new CreatePrerequisites(
                missing.Where(m => m.DefinedIn is not null).Select(m => m.Description).ToList(),
                missing.Where(m => m.DefinedIn is null).Select(m => m.Description).ToList()));
    }
}
