namespace MzDeploy.Engine.Project;

/// <summary>
/// The parts of a new project that say how to use it, in the words of whoever scaffolds it (the PowerShell module names
/// its cmdlets): the README's usage section (Markdown, without a title of its own) and the first commit's message.
/// </summary>
/// <param name="Usage">Markdown placed after the README's layout table: choosing a profile, then building, staging and promoting.</param>
/// <param name="CommitMessage">The first commit's message; <c>{0}</c> is the project name.</param>
public sealed record ProjectGuide(string Usage, string CommitMessage)
{
    public string FirstCommitMessage(string projectName) => string.Format(System.Globalization.CultureInfo.InvariantCulture, CommitMessage, projectName);
}
