using System.Text;
using System.Text.RegularExpressions;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Git;

namespace MzDeploy.Engine.Project;

/// <summary>
/// Creates a new project folder: project.toml, .gitignore, a README and the order-monitoring example, optionally as a
/// git repository with a first commit. How to use the project (which commands to type) is the caller's
/// <see cref="ProjectGuide"/>: the engine names no command.
/// </summary>
public static partial class ProjectScaffolder
{
    private const string ReadmeFile = "README.md";

    /// <summary>
    /// Creates <c>&lt;parentDirectory&gt;/&lt;name&gt;</c> (creating missing parents) and fills it. An existing
    /// empty folder is used as is; a non-empty one is <c>ProjectExists</c>. Names are letters, digits, '.', '_'
    /// and '-', starting with a letter or digit (<c>InvalidProjectName</c> otherwise). With
    /// <paramref name="initializeGit"/> the folder becomes a git repository holding one commit of every file.
    /// Returns the full path of the project folder.
    /// </summary>
    public static string Create(string parentDirectory, string name, bool initializeGit, ProjectGuide guide)
    {
        ArgumentNullException.ThrowIfNull(guide);
        if (name is null || !ProjectName().IsMatch(name))
        {
            throw new MzDeployException(ErrorIds.InvalidProjectName,
                $"'{name}' is not a valid project name: use up to 100 letters, digits, '.', '_' and '-', starting with a letter or digit and not ending with '.'",
                name, new Advice("Choose a name such as order-monitoring."));
        }

        var target = Path.Combine(Path.GetFullPath(parentDirectory), name);
        if (File.Exists(target) || (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any()))
        {
            throw new MzDeployException(ErrorIds.ProjectExists,
                $"cannot create project '{name}': {target} already exists and is not empty",
                target, new Advice("Choose another name or location, or remove the existing folder."));
        }

        Directory.CreateDirectory(target);
        foreach (var (relativePath, content) in ExampleProject.Files())
        {
            var path = Path.Combine(target, relativePath.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (relativePath == ReadmeFile)
            {
                File.WriteAllText(path, BuildReadme(name, guide, Encoding.UTF8.GetString(content)), new UTF8Encoding(false));
            }
            else
            {
                File.WriteAllBytes(path, content);
            }
        }

        if (initializeGit)
        {
            GitRepository.InitializeWithInitialCommit(target, guide.FirstCommitMessage(name));
        }

        return target;
    }

    /// <summary>The new project's README: its name and layout, the guide's usage, then the example's own README.</summary>
    internal static string BuildReadme(string name, ProjectGuide guide, string exampleReadme)
    {
        var text = new StringBuilder();
        text.Append($$"""
            # {{name}}

            A Materialize project deployed with MzDeploy: every object is a SQL file, the files are compiled and
            checked before anything connects, and deployments are blue/green (new versions are built beside
            production, then swapped in atomically).

            ## Layout

            | Path | Defines |
            |---|---|
            | `models/<database>/<schema>/<object>.sql` | one object: view, materialized view, table, source, sink, ... |
            | `models/<database>/<schema>.sql` | schema settings (comments, grants) |
            | `models/<database>.sql` | database settings |
            | `clusters/<name>.sql`, `roles/<name>.sql`, `network-policies/<name>.sql` | clusters, roles, network policies |
            | `<name>#<profile>.sql` | replaces `<name>.sql` when that profile is active |
            | `project.toml` | project settings and per-profile variables |

            {{guide.Usage}}

            ## The example: order monitoring

            """);
        text.Append('\n');
        // The example's "Try it" repeats the commands shown above; keep the rest of its description.
        text.Append(DemoteHeadings(WithoutSection(WithoutTitle(exampleReadme), "## Try it")));
        return text.ToString().ReplaceLineEndings("\n");
    }

    /// <summary>The README without its first-level title line and the blank lines after it.</summary>
    private static string WithoutTitle(string readme)
    {
        var lines = readme.ReplaceLineEndings("\n").Split('\n').ToList();
        if (lines.Count > 0 && lines[0].StartsWith("# ", StringComparison.Ordinal))
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && lines[0].Trim().Length == 0)
        {
            lines.RemoveAt(0);
        }

        return string.Join('\n', lines);
    }

    /// <summary>The markdown without the section that starts with <paramref name="heading"/>, up to the next heading of its level.</summary>
    private static string WithoutSection(string markdown, string heading)
    {
        var lines = markdown.Split('\n').ToList();
        var start = lines.FindIndex(l => l.TrimEnd() == heading);
        if (start < 0)
        {
            return markdown;
        }

        var level = heading.TakeWhile(c => c == '#').Count();
        var end = start + 1;
        var inCode = false;
        for (; end < lines.Count; end++)
        {
            if (lines[end].StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }
            else if (!inCode && lines[end].StartsWith('#') && lines[end].TakeWhile(c => c == '#').Count() <= level)
            {
                break;
            }
        }

        lines.RemoveRange(start, end - start);
        return string.Join('\n', lines);
    }

    /// <summary>Moves every markdown heading one level down, leaving code blocks alone.</summary>
    private static string DemoteHeadings(string markdown)
    {
        var inCode = false;
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }
            else if (!inCode && lines[i].StartsWith('#'))
            {
                lines[i] = "#" + lines[i];
            }
        }

        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9_-])?$")]
    private static partial Regex ProjectName();
}
