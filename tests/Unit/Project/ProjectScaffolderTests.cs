using LibGit2Sharp;
using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Git;
using MzDeploy.Engine.Project;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Project;

public class ProjectScaffolderTests
{
    private static readonly string ExampleRoot = FindExampleRoot();

    private static string FindExampleRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MzDeploy.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("repository root not found"),
            "examples", "order-monitoring");
    }

    [Fact]
    public void A_new_project_has_config_gitignore_readme_and_the_example_as_a_clean_git_repository()
    {
        using var dir = new TempDirectory();

        var path = ProjectScaffolder.Create(dir.Path, "shop-monitoring", initializeGit: true, ModuleProjectGuide.Instance);

        Assert.Equal(Path.Combine(dir.Path, "shop-monitoring"), path);
        foreach (var file in new[]
        {
            "project.toml", ".gitignore", "README.md", "clusters/orders.sql", "models/materialize/sales/orders.sql",
            "models/materialize/monitoring/stalled_orders.sql", "models/materialize/monitoring/stalled_orders_by_customer.sql",
            "roles/.gitkeep", "network-policies/.gitkeep",
        })
        {
            Assert.True(File.Exists(Path.Combine(path, file)), $"{file} is missing");
        }

        Assert.Equal("target/\n.mzprofile\n", File.ReadAllText(Path.Combine(path, ".gitignore")));

        var repository = GitRepository.TryOpen(path)!;
        Assert.NotNull(repository.HeadSha);
        Assert.False(repository.IsDirty);
        Assert.Equal(path, repository.WorkingDirectory);
        using var git = new Repository(path);
        Assert.Equal("Create shop-monitoring with New-MzProject", git.Head.Tip.MessageShort);
        Assert.NotNull(git.Head.Tip["models/materialize/monitoring/stalled_orders.sql"]);
        Assert.NotNull(git.Head.Tip["roles/.gitkeep"]);
    }

    [Fact]
    public void The_scaffolded_project_loads_and_maps_like_the_example()
    {
        using var dir = new TempDirectory();
        var path = ProjectScaffolder.Create(dir.Path, "demo", initializeGit: false, ModuleProjectGuide.Instance);

        var config = ProjectConfig.Load(path);
        var layout = ProjectLayout.Discover(path, null);

        Assert.Empty(config.Dependencies);
        Assert.Empty(config.Profiles);
        Assert.Empty(layout.Diagnostics);
        Assert.Equal(
            ["orders", "materialize.monitoring.stalled_orders", "materialize.monitoring.stalled_orders_by_customer", "materialize.sales.orders"],
            layout.Files.Select(f => f.QualifiedName));
        Assert.False(Directory.Exists(Path.Combine(path, ".git")));
    }

    [Fact]
    public void The_example_sql_holds_what_the_demo_relies_on()
    {
        var layout = ProjectLayout.Discover(ExampleRoot, null);
        Assert.Empty(layout.Diagnostics);
        string Text(string name) => layout.Files.Single(f => f.Name == name && f.Kind == ProjectFileKind.Object).Text;

        var cluster = layout.Files.Single(f => f.Kind == ProjectFileKind.Cluster);
        Assert.Equal("orders", cluster.Name);
        Assert.StartsWith("CREATE CLUSTER orders (SIZE = '", cluster.Text.Split('\n').Single(l => l.StartsWith("CREATE CLUSTER")));
        Assert.Contains("CREATE TABLE orders", layout.Files.Single(f => f.QualifiedName == "materialize.sales.orders").Text);
        var stalled = Text("stalled_orders");
        Assert.Contains("CREATE MATERIALIZED VIEW stalled_orders\nIN CLUSTER orders", stalled);
        Assert.Contains("COMMENT ON MATERIALIZED VIEW stalled_orders IS", stalled);
        // The demo edits this line to '1 hour': the literal must stay alone on one line.
        Assert.Single(stalled.Split('\n'), l => l.Contains("INTERVAL '30 minutes'"));
        Assert.Equal("WHERE mz_now() > o.created_at + INTERVAL '30 minutes'", stalled.Split('\n').Single(l => l.Contains("'30 minutes'")));
        var byCustomer = Text("stalled_orders_by_customer");
        Assert.Contains("FROM materialize.monitoring.stalled_orders", byCustomer);
        Assert.Contains("CREATE INDEX stalled_orders_by_customer_idx\nIN CLUSTER orders\nON stalled_orders_by_customer (customer);", byCustomer);
    }

    [Fact]
    public void Scaffolded_files_are_byte_for_byte_the_example_files()
    {
        using var dir = new TempDirectory();
        var path = ProjectScaffolder.Create(dir.Path, "copy", initializeGit: false, ModuleProjectGuide.Instance);

        var exampleFiles = Directory.EnumerateFiles(ExampleRoot, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(f => Path.GetRelativePath(ExampleRoot, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("target/") && f != ".mzprofile")
            .Order(StringComparer.Ordinal)
            .ToList();
        var scaffolded = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(f => Path.GetRelativePath(path, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(exampleFiles, scaffolded);
        foreach (var file in exampleFiles.Where(f => f != "README.md"))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(ExampleRoot, file)), File.ReadAllBytes(Path.Combine(path, file)));
        }
    }

    [Fact]
    public void The_readme_names_the_project_shows_the_cmdlets_and_includes_the_example_description()
    {
        using var dir = new TempDirectory();
        var path = ProjectScaffolder.Create(dir.Path, "shop-monitoring", initializeGit: false, ModuleProjectGuide.Instance);

        var readme = File.ReadAllText(Path.Combine(path, "README.md"));

        Assert.StartsWith("# shop-monitoring\n", readme);
        foreach (var cmdlet in new[] { "Build-MzProject", "Invoke-MzStage", "Wait-MzDeployment", "Publish-MzDeployment" })
        {
            Assert.Contains(cmdlet, readme);
        }

        Assert.Contains("## The example: order monitoring", readme);
        Assert.Contains("### What is in it", readme);
        Assert.DoesNotContain("# order-monitoring\n", readme);
        Assert.Contains("stalled_orders_by_customer", readme);
        Assert.DoesNotContain("\r", readme);
        Assert.Contains("### Change it", readme);
        // The example's "Try it" commands duplicate the project's own section, so they are left out...
        Assert.DoesNotContain("Try it", readme);
        Assert.Single(readme.Split('\n'), l => l.StartsWith("Build-MzProject "));
        // ...and comments inside code blocks are not headings: they stay as written.
        Assert.Contains("Build-MzProject                                   # compile and check every file; no connection", readme);
    }

    [Fact]
    public void The_project_toml_has_a_commented_out_staging_example_that_is_valid_once_uncommented()
    {
        using var dir = new TempDirectory();
        var text = File.ReadAllText(Path.Combine(ExampleRoot, "project.toml"));
        Assert.Contains("# [staging]", text);

        var uncommented = string.Join('\n', text.Split('\n').Select(l => l.StartsWith("# [") || l.StartsWith("# profile_suffix")
            || l.StartsWith("# emulator") || l.StartsWith("# orders_cluster_size") || l.StartsWith("# aws_profile") || l.StartsWith("# mz_version")
            ? l[2..] : l));
        dir.Write("project.toml", uncommented);
        var config = ProjectConfig.Load(dir.Path);

        Assert.Equal("cloud", config.MzVersion);
        var staging = config.GetProfileSettings("staging")!;
        Assert.Equal("_staging", staging.ProfileSuffix);
        Assert.False(staging.Emulator);
        Assert.Equal("50cc", staging.Variables["orders_cluster_size"]);
        Assert.Equal("staging", staging.AwsProfile);
    }

    [Fact]
    public void An_existing_empty_folder_is_used()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "empty"));

        var path = ProjectScaffolder.Create(dir.Path, "empty", initializeGit: false, ModuleProjectGuide.Instance);

        Assert.True(File.Exists(Path.Combine(path, "project.toml")));
    }

    [Fact]
    public void A_non_empty_folder_or_a_file_in_the_way_is_ProjectExists_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        dir.Write("taken/notes.txt", "mine");
        dir.Write("afile", "x");

        var e = Assert.Throws<MzDeployException>(() => ProjectScaffolder.Create(dir.Path, "taken", initializeGit: true, ModuleProjectGuide.Instance));
        var fileInTheWay = Assert.Throws<MzDeployException>(() => ProjectScaffolder.Create(dir.Path, "afile", initializeGit: false, ModuleProjectGuide.Instance));

        Assert.Equal("ProjectExists", e.ErrorId);
        Assert.Equal(ErrorKind.ResourceExists, e.Kind);
        Assert.Equal($"cannot create project 'taken': {Path.Combine(dir.Path, "taken")} already exists and is not empty", e.Message);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(Path.Combine(dir.Path, "taken")).Select(Path.GetFileName));
        Assert.Equal("ProjectExists", fileInTheWay.ErrorId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("with space")]
    [InlineData("-dash")]
    [InlineData("trailing.")]
    [InlineData("caf\u00e9")]
    public void An_invalid_name_is_InvalidProjectName(string name)
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<MzDeployException>(() => ProjectScaffolder.Create(dir.Path, name, initializeGit: false, ModuleProjectGuide.Instance));

        Assert.Equal("InvalidProjectName", e.ErrorId);
        Assert.Contains($"'{name}' is not a valid project name", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("order-monitoring")]
    [InlineData("Shop_2.v3")]
    public void Valid_names_create_the_folder(string name)
    {
        using var dir = new TempDirectory();

        var path = ProjectScaffolder.Create(Path.Combine(dir.Path, "missing", "parent"), name, initializeGit: false, ModuleProjectGuide.Instance);

        Assert.Equal(name, Path.GetFileName(path));
        Assert.True(File.Exists(Path.Combine(path, "project.toml")));
    }
}
