using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using MzDeploy.Engine.Operations;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// Tab completion from the project at <c>-Path</c>, compiled for the <c>-Profile</c> typed: each subclass picks which
/// names it offers. Nothing (silently) outside a project: completion must never throw.
/// </summary>
public abstract class ProjectNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            return CompletionContext.Results(Candidates(CompletionContext.ProjectNames(fakeBoundParameters)), wordToComplete);
        }
        catch (Exception)
        {
            // Not a project, or project.toml unreadable: nothing to offer.
            return [];
        }
    }

    /// <summary>The completions (text, tooltip) the project offers.</summary>
    private protected abstract IEnumerable<(string Text, string Tooltip)> Candidates(ProjectNames names);
}
