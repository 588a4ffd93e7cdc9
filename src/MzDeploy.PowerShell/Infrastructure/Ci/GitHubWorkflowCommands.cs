using System.Text;
using MzDeploy.Engine.Project;

namespace MzDeploy.PowerShell.Infrastructure.Ci;

/// <summary>
/// GitHub Actions workflow commands (<c>::error file=…,line=…,col=…::message</c>, <c>::group::</c>) and the step summary
/// (Markdown appended to the file <c>GITHUB_STEP_SUMMARY</c> names). The runner ends a command at a line break and splits
/// properties at <c>,</c> and the message at <c>::</c>, so data escapes <c>%</c>, CR and LF and properties also <c>:</c> and
/// <c>,</c> — as @actions/core does.
/// </summary>
internal sealed class GitHubWorkflowCommands(IEnvironment environment) : IWorkflowDialect
{
    public string Annotation(CiAnnotation annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        var properties = new List<string>(4);
        if (annotation.File is { Length: > 0 } file)
        {
            properties.Add($"file={EscapeProperty(file)}");
            if (annotation.Line is { } line)
            {
                properties.Add($"line={line}");
                if (annotation.Column is { } column)
                {
                    properties.Add($"col={column}");
                }
            }
        }

        if (annotation.Code is { Length: > 0 } code)
        {
            properties.Add($"title={EscapeProperty(code)}");
        }

        var command = annotation.IsError ? "error" : "warning";
        var separator = properties.Count == 0 ? "" : " ";
        return $"::{command}{separator}{string.Join(',', properties)}::{EscapeData(annotation.Message)}";
    }

    public string GroupStart(string title) => $"::group::{EscapeData(title)}";

    public string GroupEnd() => "::endgroup::";

    public IReadOnlyList<string> PublishSummary(string markdown)
    {
        if (environment.GetVariable("GITHUB_STEP_SUMMARY") is not { Length: > 0 } path)
        {
            return [];
        }

        // Appending (never replacing): each cmdlet of a step adds its own section to the step's summary.
        File.AppendAllText(path, markdown.EndsWith('\n') ? markdown : markdown + "\n", new UTF8Encoding(false));
        return [];
    }

    /// <summary>A command's message: <c>%</c>, CR and LF percent-encoded.</summary>
    public static string EscapeData(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>A property value: as <see cref="EscapeData"/>, and <c>:</c> and <c>,</c> too.</summary>
    public static string EscapeProperty(string value) =>
        EscapeData(value)
            .Replace(":", "%3A", StringComparison.Ordinal)
            .Replace(",", "%2C", StringComparison.Ordinal);
}
