using MzDeploy.Engine.Operations;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>Tab completion for a <c>-Cluster</c> parameter: the clusters the project defines or places objects on.</summary>
public sealed class ClusterNameCompleter : ProjectNameCompleter
{
    private protected override IEnumerable<(string Text, string Tooltip)> Candidates(ProjectNames names) =>
        names.Clusters.Select(c => (c, $"cluster {c}"));
}
