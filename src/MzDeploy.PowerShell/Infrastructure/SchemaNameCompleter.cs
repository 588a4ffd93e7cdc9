using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// Tab completion for <c>-RedeploySchema</c>: the project's schemas as <c>database.schema</c> (quoted where SQL needs
/// it, so the value parses back), from the project at <c>-Path</c> compiled for the <c>-Profile</c> typed.
/// </summary>
public sealed class SchemaNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var names = CompletionContext.ProjectNames(fakeBoundParameters);
            return CompletionContext.Results(names.Schemas.Select(s => (s.ToSql(), $"schema {s}")), wordToComplete);
        }
        catch (Exception)
        {
            // Not a project, or project.toml unreadable: nothing to offer, and completion must never throw.
            return [];
        }
    }
}
