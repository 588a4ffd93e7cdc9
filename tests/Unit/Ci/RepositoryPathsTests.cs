using MzDeploy.Engine;
using MzDeploy.Engine.Project;
using MzDeploy.PowerShell.Infrastructure.Ci;

namespace MzDeploy.Tests.Unit.Ci;

/// <summary>GitHub places an annotation on a diff only when its path is relative to the checkout.</summary>
public sealed class RepositoryPathsTests : IDisposable
{
    private readonly string _checkout = Directory.CreateTempSubdirectory("checkout").FullName;

    public void Dispose() => Directory.Delete(_checkout, recursive: true);

    [Fact]
    public void A_project_inside_the_workspace_is_placed_relative_to_it()
    {
        var project = Directory.CreateDirectory(Path.Combine(_checkout, "db", "shop")).FullName;
        var env = new MapEnvironment([new("GITHUB_WORKSPACE", _checkout)]);

        var paths = RepositoryPaths.For(project, CiSystem.GitHubActions, env);

        Assert.Equal("db/shop/models/materialize/app/a.sql", paths.FromProject(new SourceLocation("models/materialize/app/a.sql", 1, 1)));
    }

    [Fact]
    public void Azure_uses_the_sources_directory()
    {
        var project = Directory.CreateDirectory(Path.Combine(_checkout, "shop")).FullName;
        var env = new MapEnvironment([new("BUILD_SOURCESDIRECTORY", _checkout + Path.DirectorySeparatorChar)]);

        Assert.Equal("shop/x.sql", RepositoryPaths.For(project, CiSystem.AzurePipelines, env).FromProject("x.sql"));
    }

    [Fact]
    public void Outside_the_workspace_the_git_root_holding_the_project_is_the_root()
    {
        Directory.CreateDirectory(Path.Combine(_checkout, ".git"));
        var project = Directory.CreateDirectory(Path.Combine(_checkout, "shop")).FullName;
        var elsewhere = Directory.CreateTempSubdirectory("other-workspace").FullName;
        try
        {
            var env = new MapEnvironment([new("GITHUB_WORKSPACE", elsewhere)]);

            Assert.Equal("shop/models/a.sql", RepositoryPaths.For(project, CiSystem.GitHubActions, env).FromProject("models/a.sql"));
        }
        finally
        {
            Directory.Delete(elsewhere);
        }
    }
}
