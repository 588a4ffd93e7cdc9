using LibGit2Sharp;
using MzDeploy.Engine.Git;
using MzDeploy.Tests.Unit.Project;

namespace MzDeploy.Tests.Unit.Git;

public class GitRepositoryTests
{
    private static string InitWithCommit(TempDirectory dir)
    {
        dir.Write("project.toml", "");
        dir.Write(".gitignore", "target/\n");
        return GitRepository.InitializeWithInitialCommit(dir.Path, "first");
    }

    [Fact]
    public void A_folder_outside_any_repository_gives_null()
    {
        using var dir = new TempDirectory();

        // The temp folder is outside any repository unless a machine keeps one above it; ask git which it is.
        var expectedNull = Repository.Discover(dir.Path) is null;
        var repository = GitRepository.TryOpen(dir.Path);

        Assert.Equal(expectedNull, repository is null);
    }

    [Fact]
    public void The_first_commit_holds_every_file_and_leaves_a_clean_tree()
    {
        using var dir = new TempDirectory();
        var sha = InitWithCommit(dir);

        var repository = GitRepository.TryOpen(dir.Path)!;

        Assert.Equal(sha, repository.HeadSha);
        Assert.Equal(40, sha.Length);
        Assert.False(repository.IsDirty);
        Assert.Equal(dir.Path, repository.WorkingDirectory);
        Assert.NotNull(repository.BranchName);
        using var git = new Repository(dir.Path);
        Assert.Equal([".gitignore", "project.toml"], git.Head.Tip.Tree.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("first", git.Head.Tip.MessageShort);
    }

    [Fact]
    public void The_author_is_the_configured_git_user_or_MzDeploy()
    {
        using var dir = new TempDirectory();
        InitWithCommit(dir);

        using var git = new Repository(dir.Path);
        var configuredName = git.Config.Get<string>("user.name")?.Value;
        var configuredEmail = git.Config.Get<string>("user.email")?.Value;
        var expected = configuredName is not null && configuredEmail is not null
            ? (configuredName, configuredEmail)
            : ("MzDeploy", "mzdeploy@localhost");

        Assert.Equal(expected, (git.Head.Tip.Author.Name, git.Head.Tip.Author.Email));
    }

    [Fact]
    public void Opening_from_a_sub_folder_finds_the_repository()
    {
        using var dir = new TempDirectory();
        var sha = InitWithCommit(dir);
        Directory.CreateDirectory(Path.Combine(dir.Path, "models", "db"));

        var repository = GitRepository.TryOpen(Path.Combine(dir.Path, "models", "db"))!;

        Assert.Equal(sha, repository.HeadSha);
        Assert.Equal(dir.Path, repository.WorkingDirectory);
    }

    [Fact]
    public void Untracked_modified_and_deleted_files_make_the_tree_dirty_but_ignored_files_do_not()
    {
        using var dir = new TempDirectory();
        InitWithCommit(dir);

        dir.Write("target/cache.bin", "ignored");
        Assert.False(GitRepository.TryOpen(dir.Path)!.IsDirty);

        dir.Write("models/db/s/new.sql", "untracked");
        Assert.True(GitRepository.TryOpen(dir.Path)!.IsDirty);
        File.Delete(Path.Combine(dir.Path, "models", "db", "s", "new.sql"));
        Assert.False(GitRepository.TryOpen(dir.Path)!.IsDirty);

        dir.Write("project.toml", "mz_version = \"cloud\"\n");
        Assert.True(GitRepository.TryOpen(dir.Path)!.IsDirty);
        using (var git = new Repository(dir.Path))
        {
            git.CheckoutPaths(git.Head.FriendlyName, ["project.toml"], new CheckoutOptions { CheckoutModifiers = CheckoutModifiers.Force });
        }

        Assert.False(GitRepository.TryOpen(dir.Path)!.IsDirty);
        File.Delete(Path.Combine(dir.Path, ".gitignore"));
        Assert.True(GitRepository.TryOpen(dir.Path)!.IsDirty);
    }

    [Fact]
    public void A_repository_without_commits_has_no_head_sha()
    {
        using var dir = new TempDirectory();
        Repository.Init(dir.Path);

        var repository = GitRepository.TryOpen(dir.Path)!;

        Assert.Null(repository.HeadSha);
        Assert.False(repository.IsDirty);
        Assert.Contains("(no commits)", repository.ToString());
    }
}
