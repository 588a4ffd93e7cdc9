using MzDeploy.Engine.Project;
using MzDeploy.PowerShell.Infrastructure.Ci;

namespace MzDeploy.Tests.Unit.Ci;

/// <summary>The exact lines the runners parse: a wrong escape ends a command early or lets a message inject another one.</summary>
public class WorkflowCommandTests
{
    private static readonly MapEnvironment NoVariables = new();

    [Fact]
    public void GitHub_error_names_the_file_line_and_column_and_the_error_id()
    {
        var line = new GitHubWorkflowCommands(NoVariables).Annotation(
            new CiAnnotation(true, "unknown object nothing_here", "db/models/materialize/app/a.sql", 3, 14, "UnresolvedReference"));

        Assert.Equal("::error file=db/models/materialize/app/a.sql,line=3,col=14,title=UnresolvedReference::unknown object nothing_here", line);
    }

    [Fact]
    public void GitHub_message_escapes_percent_and_line_breaks_but_keeps_colons_and_commas()
    {
        var line = new GitHubWorkflowCommands(NoVariables).Annotation(new CiAnnotation(false, "100% wrong:\r\nsee a, b::c"));

        Assert.Equal("::warning::100%25 wrong:%0D%0Asee a, b::c", line);
    }

    [Fact]
    public void GitHub_properties_also_escape_colons_and_commas_so_a_path_cannot_add_a_property()
    {
        var line = new GitHubWorkflowCommands(NoVariables).Annotation(
            new CiAnnotation(true, "m", "a,line=99:x%\n.sql", 1, 2, "Id,col=5"));

        Assert.Equal("::error file=a%2Cline=99%3Ax%25%0A.sql,line=1,col=2,title=Id%2Ccol=5::m", line);
        Assert.Equal("a%3Ab%2Cc%25d%0De%0Af", GitHubWorkflowCommands.EscapeProperty("a:b,c%d\re\nf"));
        Assert.Equal("a:b,c%25d%0De%0Af", GitHubWorkflowCommands.EscapeData("a:b,c%d\re\nf"));
    }

    [Fact]
    public void GitHub_annotation_without_a_file_has_no_position()
    {
        var line = new GitHubWorkflowCommands(NoVariables).Annotation(new CiAnnotation(true, "no profiles.toml", null, 4, 5));

        Assert.Equal("::error::no profiles.toml", line);
    }

    [Fact]
    public void GitHub_groups_escape_their_title()
    {
        var commands = new GitHubWorkflowCommands(NoVariables);

        Assert.Equal("::group::Waiting for 'a%0A::error::x'", commands.GroupStart("Waiting for 'a\n::error::x'"));
        Assert.Equal("::endgroup::", commands.GroupEnd());
    }

    [Fact]
    public void GitHub_summary_is_appended_to_the_step_summary_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"summary-{Guid.NewGuid():N}.md");
        try
        {
            File.WriteAllText(path, "earlier step\n");
            var commands = new GitHubWorkflowCommands(new MapEnvironment([new("GITHUB_STEP_SUMMARY", path)]));

            var lines = commands.PublishSummary("### one");
            commands.PublishSummary("### two\n");

            Assert.Empty(lines);
            Assert.Equal("earlier step\n### one\n### two\n", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void GitHub_summary_without_a_step_summary_file_writes_nothing()
    {
        Assert.Empty(new GitHubWorkflowCommands(NoVariables).PublishSummary("### x"));
    }

    [Fact]
    public void Azure_issue_names_the_source_path_line_and_column()
    {
        var line = new AzureLoggingCommands(NoVariables).Annotation(
            new CiAnnotation(true, "unknown object nothing_here", "db/models/a.sql", 3, 14, "UnresolvedReference"));

        Assert.Equal("##vso[task.logissue type=error;sourcepath=db/models/a.sql;linenumber=3;columnnumber=14;code=UnresolvedReference;]unknown object nothing_here",
            line);
    }

    [Fact]
    public void Azure_escapes_semicolons_and_brackets_in_properties_and_percent_and_line_breaks_everywhere()
    {
        var line = new AzureLoggingCommands(NoVariables).Annotation(new CiAnnotation(false, "50% ]done;\r\n##vso[task.complete]", "a;b]c%.sql"));

        Assert.Equal("##vso[task.logissue type=warning;sourcepath=a%3Bb%5Dc%AZP25.sql;]50%AZP25 ]done;%0D%0A##vso[task.complete]", line);
        Assert.Equal("a%3Bb%5D%AZP25%0D%0A", AzureLoggingCommands.EscapeProperty("a;b]%\r\n"));
        Assert.Equal("a;b]%AZP25%0D%0A", AzureLoggingCommands.EscapeData("a;b]%\r\n"));
    }

    [Fact]
    public void Azure_groups_use_the_formatting_commands()
    {
        var commands = new AzureLoggingCommands(NoVariables);

        Assert.Equal("##[group]Waiting for 'x'", commands.GroupStart("Waiting for 'x'"));
        Assert.Equal("##[endgroup]", commands.GroupEnd());
    }

    [Fact]
    public void Azure_summary_is_a_file_in_the_agent_temp_folder_uploaded_by_a_command()
    {
        var folder = Directory.CreateTempSubdirectory("agent-temp").FullName;
        try
        {
            var lines = new AzureLoggingCommands(new MapEnvironment([new("AGENT_TEMPDIRECTORY", folder)])).PublishSummary("### stage\n");

            var line = Assert.Single(lines);
            Assert.StartsWith("##vso[task.uploadsummary]", line);
            var path = line["##vso[task.uploadsummary]".Length..];
            Assert.Equal(folder, Path.GetDirectoryName(path));
            Assert.Equal("### stage\n", File.ReadAllText(path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
