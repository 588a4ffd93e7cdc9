using System.Text;
using MzDeploy.Engine.Project;

namespace MzDeploy.PowerShell.Infrastructure.Ci;

/// <summary>
/// Azure Pipelines logging commands: <c>##vso[task.logissue type=error;sourcepath=…;linenumber=…;columnnumber=…]message</c>,
/// <c>##[group]</c> and <c>##vso[task.uploadsummary]path</c> (a Markdown file shown on the run's Extensions tab). The agent
/// ends a command at a line break, properties at <c>;</c> and the property list at <c>]</c>, so data escapes <c>%</c> (as
/// <c>%AZP25</c>, which the agent decodes), CR and LF, and properties also <c>;</c> and <c>]</c> — as azure-pipelines-task-lib does.
/// </summary>
internal sealed class AzureLoggingCommands(IEnvironment environment) : IWorkflowDialect
{
    public string Annotation(CiAnnotation annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        var properties = new StringBuilder(annotation.IsError ? "type=error;" : "type=warning;");
        if (annotation.File is { Length: > 0 } file)
        {
            properties.Append($"sourcepath={EscapeProperty(file)};");
            if (annotation.Line is { } line)
            {
                properties.Append($"linenumber={line};");
                if (annotation.Column is { } column)
                {
                    properties.Append($"columnnumber={column};");
                }
            }
        }

        if (annotation.Code is { Length: > 0 } code)
        {
            properties.Append($"code={EscapeProperty(code)};");
        }

        return $"##vso[task.logissue {properties}]{EscapeData(annotation.Message)}";
    }

    public string GroupStart(string title) => $"##[group]{EscapeData(title)}";

    public string GroupEnd() => "##[endgroup]";

    public IReadOnlyList<string> PublishSummary(string markdown)
    {
        // The agent's temporary folder is emptied after every job, so summaries never pile up on a self-hosted agent.
        var folder = environment.GetVariable("AGENT_TEMPDIRECTORY") is { Length: > 0 } temp ? temp : Path.GetTempPath();
        var path = Path.Combine(folder, $"mzdeploy-summary-{Guid.NewGuid():N}.md");
        File.WriteAllText(path, markdown, new UTF8Encoding(false));
        return [$"##vso[task.uploadsummary]{EscapeData(path)}"];
    }

    /// <summary>A command's message: <c>%</c> as <c>%AZP25</c>, CR and LF percent-encoded.</summary>
    public static string EscapeData(string value) =>
        value.Replace("%", "%AZP25", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>A property value: as <see cref="EscapeData"/>, and <c>;</c> and <c>]</c> too.</summary>
    public static string EscapeProperty(string value) =>
        EscapeData(value)
            .Replace(";", "%3B", StringComparison.Ordinal)
            .Replace("]", "%5D", StringComparison.Ordinal);
}
