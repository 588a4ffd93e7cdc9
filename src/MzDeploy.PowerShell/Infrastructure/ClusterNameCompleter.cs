using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// Tab completion for a <c>-Cluster</c> parameter: the clusters the project at <c>-Path</c> defines or places objects
/// on, compiled for the <c>-Profile</c> typed. Nothing (silently) outside a project.
/// </summary>
public sealed class ClusterNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var names = CompletionContext.ProjectNames(fakeBoundParameters);
            return CompletionContext.Results(names.Clusters.Select(c => (c, $"cluster {c}")), wordToComplete);
        }
        catch (Exception)
        {
            // Not a project, or project.toml unreadable: nothing to offer, and completion must never throw.
            return [];
        }
    }
}
