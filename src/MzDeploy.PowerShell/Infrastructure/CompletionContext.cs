using System.Collections;
using System.Management.Automation;
using System.Text.RegularExpressions;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Project;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// What the argument completers share: the project folder and profile already typed on the command line (from
/// the completion's fake bound parameters, relative paths resolved against the PowerShell location as the cmdlet
/// itself would), and completion results that paste back as one argument.
/// </summary>
internal static partial class CompletionContext
{
    /// <summary>The <c>-Path</c> typed on the command line resolved to a folder; the current location when none.</summary>
    public static string ProjectRoot(IDictionary fakeBoundParameters)
    {
        var location = CurrentLocation();
        return fakeBoundParameters["Path"] is string { Length: > 0 } typed
            ? System.IO.Path.GetFullPath(ExpandHome(typed), location)
            : location;
    }

    /// <summary>The <c>-Profile</c> typed on the command line, or null (then the usual resolution applies).</summary>
    public static string? Profile(IDictionary fakeBoundParameters) =>
        fakeBoundParameters["Profile"] as string is { Length: > 0 } profile ? profile : null;

    /// <summary>The names of the project the command line points at, compiled for its profile.</summary>
    public static ProjectNames ProjectNames(IDictionary fakeBoundParameters)
    {
        var root = ProjectRoot(fakeBoundParameters);
        var profile = ProfileResolver.ResolveActiveProfile(Profile(fakeBoundParameters), root, ProcessEnvironment.Instance);
        return Engine.Operations.ProjectNames.Read(root, profile.Name);
    }

    /// <summary>
    /// The results among <paramref name="values"/> (value, tooltip) that start with what was typed (ignoring case and an
    /// opening quote), in the given order; a value that would not paste back as one bare word is single-quoted.
    /// </summary>
    public static IEnumerable<CompletionResult> Results(IEnumerable<(string Value, string Tooltip)> values, string? wordToComplete)
    {
        var typed = (wordToComplete ?? string.Empty).TrimStart('\'', '"');
        return values
            .Where(v => v.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(Quote(v.Value), v.Value, CompletionResultType.ParameterValue, v.Tooltip))
            .ToList();
    }

    private static string Quote(string value) =>
        BareWord().IsMatch(value) ? value : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^[\p{L}\p{N}_.\-]+$")]
    private static partial Regex BareWord();

    /// <summary>
    /// The PowerShell location of the session completing (not the process directory, which Set-Location does not move);
    /// the process directory when it cannot be read or is not a folder.
    /// </summary>
    private static string CurrentLocation()
    {
        try
        {
            using var shell = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            var location = shell.AddCommand("Microsoft.PowerShell.Management\\Get-Location").Invoke<PathInfo>().FirstOrDefault();
            if (location is { Provider.Name: "FileSystem" })
            {
                return location.ProviderPath;
            }
        }
        catch (Exception)
        {
            // No runspace on this thread (a completer called directly): fall back to the process directory.
        }

        return Directory.GetCurrentDirectory();
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;
}
