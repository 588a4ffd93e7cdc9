using MzDeploy.Engine;
using MzDeploy.Engine.Project;

namespace MzDeploy.PowerShell.Infrastructure.Ci;

/// <summary>
/// Paths as CI systems place annotations: relative to the checked-out repository, with <c>/</c> separators. The root is the
/// runner's checkout (<c>GITHUB_WORKSPACE</c>, <c>BUILD_SOURCESDIRECTORY</c>) when the project lies inside it, otherwise the
/// git repository that holds the project, otherwise the project folder itself.
/// </summary>
internal sealed class RepositoryPaths
{
    private readonly string _projectRoot;
    private readonly string _repositoryRoot;

    private RepositoryPaths(string projectRoot, string repositoryRoot)
    {
        _projectRoot = projectRoot;
        _repositoryRoot = repositoryRoot;
    }

    public static RepositoryPaths For(string projectRoot, CiSystem system, IEnvironment environment)
    {
        var project = Path.GetFullPath(projectRoot);
        var checkout = system switch
        {
            CiSystem.GitHubActions => environment.GetVariable("GITHUB_WORKSPACE"),
            CiSystem.AzurePipelines => environment.GetVariable("BUILD_SOURCESDIRECTORY"),
            _ => null,
        };
        if (checkout is { Length: > 0 } && IsWithin(project, Path.GetFullPath(checkout)))
        {
            return new RepositoryPaths(project, Path.GetFullPath(checkout));
        }

        return new RepositoryPaths(project, GitRoot(project) ?? project);
    }

    /// <summary>A project-relative location's file, relative to the repository root.</summary>
    public string FromProject(SourceLocation location) => FromProject(location.File);

    /// <summary><paramref name="projectRelative"/> (or an absolute path), relative to the repository root.</summary>
    public string FromProject(string projectRelative)
    {
        var full = Path.GetFullPath(Path.Combine(_projectRoot, projectRelative));
        var relative = Path.GetRelativePath(_repositoryRoot, full);
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>The nearest folder at or above <paramref name="folder"/> with a <c>.git</c> folder (or, in a worktree or submodule, file).</summary>
    private static string? GitRoot(string folder)
    {
        for (var current = new DirectoryInfo(folder); current is not null; current = current.Parent)
        {
            var marker = Path.Combine(current.FullName, ".git");
            if (Directory.Exists(marker) || File.Exists(marker))
            {
                return current.FullName;
            }
        }

        return null;
    }

    private static bool IsWithin(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            && !Path.IsPathRooted(relative));
    }
}
