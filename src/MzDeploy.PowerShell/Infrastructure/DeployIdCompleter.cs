using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Project;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// Tab completion for <c>-DeployId</c>: the staged deployments on the server of the <c>-Profile</c> (and <c>-Path</c>)
/// already typed. A person is waiting on the Tab key, so the server gets <see cref="Timeout"/> to answer; a server that
/// is down, not set up or refuses the user offers nothing, silently.
/// </summary>
public sealed class DeployIdCompleter : IArgumentCompleter
{
    /// <summary>How long the server may take to connect and answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var target = ConnectionTarget.Resolve(CompletionContext.Profile(fakeBoundParameters),
                CompletionContext.ProjectRoot(fakeBoundParameters), ProcessEnvironment.Instance);
            // On the thread pool, with a hard stop a little after the timeout: completion must never hang the prompt,
            // even if the driver overlooks its own limits.
            var listing = Task.Run(() => DeploymentQueries.ListStagedAsync(target, Timeout, CancellationToken.None));
            if (!listing.Wait(Timeout + TimeSpan.FromSeconds(1)))
            {
                return [];
            }

            return CompletionContext.Results(listing.Result.Select(d => (d.DeployId, Tooltip(d))), wordToComplete);
        }
        catch (Exception)
        {
            // Completion must never throw or print: no answer is the answer.
            return [];
        }
    }

    private static string Tooltip(StagedDeploymentSummary deployment) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{deployment.DeployId}: staged {deployment.DeployedAt.ToLocalTime():yyyy-MM-dd HH:mm} by {deployment.DeployedBy}")
        + (deployment.Commit is { Length: > 0 } commit ? $" from {commit[..Math.Min(7, commit.Length)]}" : string.Empty);
}
