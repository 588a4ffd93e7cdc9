using LibGit2Sharp;
using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.Git;

/// <summary>
/// What a deployment needs to know about the git repository a project lives in: the HEAD commit and
/// whether the working tree has uncommitted changes. A snapshot taken when opened; nothing stays open.
/// </summary>
internal sealed class GitRepository
{
    /// <summary>Author used for commits MzDeploy makes when git has no user.name/user.email configured.</summary>
    public const string DefaultAuthorName = "MzDeploy";

    /// <summary>E-mail of <see cref="DefaultAuthorName"/>.</summary>
    public const string DefaultAuthorEmail = "mzdeploy@localhost";

    private GitRepository(string workingDirectory, string? headSha, string? branchName, bool isDirty)
    {
        WorkingDirectory = workingDirectory;
        HeadSha = headSha;
        BranchName = branchName;
        IsDirty = isDirty;
    }

    /// <summary>Full path of the repository's working tree root.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The 40-character sha of HEAD, or <c>null</c> when the repository has no commit yet.</summary>
    public string? HeadSha { get; }

    /// <summary>The checked-out branch (<c>main</c>), or <c>null</c> when HEAD is detached.</summary>
    public string? BranchName { get; }

    /// <summary>
    /// Whether anything is uncommitted anywhere in the repository: staged or unstaged changes, deletions,
    /// or untracked files that are not ignored.
    /// </summary>
    public bool IsDirty { get; }

    public override string ToString() =>
        $"{WorkingDirectory} @ {HeadSha?[..Math.Min(7, HeadSha.Length)] ?? "(no commits)"}{(IsDirty ? " (dirty)" : "")}";

    /// <summary>
    /// Opens the repository that contains <paramref name="path"/> (searching parent folders).
    /// Returns <c>null</c> when <paramref name="path"/> is not inside a git repository.
    /// </summary>
    public static GitRepository? TryOpen(string path)
    {
        NativeLibraries.EnsureRegistered();
        var start = Path.GetFullPath(path);
        try
        {
            var gitDirectory = Repository.Discover(start);
            if (gitDirectory is null)
            {
                return null;
            }

            using var repository = new Repository(gitDirectory);
            if (repository.Info.IsBare)
            {
                return null;
            }

            var head = repository.Head;
            var headSha = head.Tip?.Sha;
            var branch = repository.Info.IsHeadDetached ? null : head.FriendlyName;
            var status = repository.RetrieveStatus(new StatusOptions
            {
                IncludeUntracked = true,
                RecurseUntrackedDirs = true,
                IncludeIgnored = false,
            });
            var workingDirectory = Path.GetFullPath(repository.Info.WorkingDirectory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            return new GitRepository(workingDirectory, headSha, branch, status.IsDirty);
        }
        catch (LibGit2SharpException e)
        {
            throw new MzDeployException(ErrorIds.GitError,
                $"git could not read the repository at {start}: {e.Message}", start,
                new Advice("Check the repository with 'git status'."), e);
        }
    }

    /// <summary>
    /// <c>git init</c> in <paramref name="directory"/>, stage every file (honouring .gitignore) and commit them
    /// with <paramref name="message"/>. The author is git's configured user.name/user.email, or
    /// "MzDeploy" &lt;mzdeploy@localhost&gt; when they are not set. Returns the commit sha.
    /// </summary>
    public static string InitializeWithInitialCommit(string directory, string message)
    {
        NativeLibraries.EnsureRegistered();
        try
        {
            var gitDirectory = Repository.Init(directory);
            using var repository = new Repository(gitDirectory);
            Commands.Stage(repository, "*");
            var signature = repository.Config.BuildSignature(DateTimeOffset.Now)
                ?? new Signature(DefaultAuthorName, DefaultAuthorEmail, DateTimeOffset.Now);
            var commit = repository.Commit(message, signature, signature);
            return commit.Sha;
        }
        catch (LibGit2SharpException e)
        {
            throw new MzDeployException(ErrorIds.GitError,
                $"git could not create the first commit in {directory}: {e.Message}", directory,
                new Advice("The project files are written; run 'git init', 'git add .' and 'git commit' yourself."), e);
        }
    }
}
