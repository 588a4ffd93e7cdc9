namespace MzDeploy.PowerShell.Infrastructure.Ci;

/// <summary>
/// How one CI system is told things: the lines that annotate, open and close a collapsible group, and how a Markdown
/// summary reaches the run's page. The lines are complete and escaped; the caller writes them to standard output.
/// </summary>
internal interface IWorkflowDialect
{
    string Annotation(CiAnnotation annotation);

    string GroupStart(string title);

    string GroupEnd();

    /// <summary>
    /// Publishes <paramref name="markdown"/> as part of the run's summary and returns the lines to write for it (none
    /// when the file is all it takes); nothing, when the runner gave no place for it.
    /// </summary>
    IReadOnlyList<string> PublishSummary(string markdown);
}
