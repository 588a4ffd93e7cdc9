using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using MzDeploy.Engine.Project;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// Tab completion for <c>-Profile</c>: the connection profiles of profiles.toml (plus the built-in
/// <c>emulator</c>) and the profile sections of the project's project.toml.
/// </summary>
public sealed class ProfileNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var name in ProfileCatalog.Load(null, ProcessEnvironment.Instance).Profiles.Select(p => p.Name))
            {
                names.Add(name);
            }
        }
        catch (Exception)
        {
            // Completion must never throw: a broken profiles.toml just offers fewer names.
        }

        try
        {
            foreach (var name in ProjectConfig.Load(CompletionContext.ProjectRoot(fakeBoundParameters)).Profiles.Keys)
            {
                names.Add(name);
            }
        }
        catch (Exception)
        {
            // Not in a project folder: only connection profiles are offered.
        }

        return names
            .Where(n => n.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
