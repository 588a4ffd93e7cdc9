using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.Sandbox;

/// <summary>
/// Where to look for PostgreSQL. <see cref="FromEnvironment"/> is the real machine; tests pass their own PATH and folders
/// to check the order and the refusals without depending on what the machine has installed.
/// </summary>
public sealed record PostgresSearch(string? PathVariable, IReadOnlyList<string> WellKnownPatterns)
{
    /// <summary>The variable naming the only folders to search (path-separated), for a PostgreSQL installed elsewhere.</summary>
    public const string FoldersVariable = "MZ_DEPLOY_POSTGRES_FOLDERS";

    /// <summary>
    /// The machine's PATH and the folders package managers install PostgreSQL into; when <see cref="FoldersVariable"/> is
    /// set, only the folders it names (a PostgreSQL outside the usual places, or a test that hides the machine's).
    /// </summary>
    public static PostgresSearch FromEnvironment() =>
        Environment.GetEnvironmentVariable(FoldersVariable) is { Length: > 0 } folders
            ? new(folders, [])
            : new(Environment.GetEnvironmentVariable("PATH"), DefaultPatterns);

    /// <summary>
    /// Folders holding one installation per major version (the <c>*</c>); Debian and Ubuntu, the PostgreSQL installers
    /// for macOS (Homebrew on Apple and Intel, Postgres.app) and Windows, and a source build.
    /// </summary>
    public static IReadOnlyList<string> DefaultPatterns { get; } =
    [
        "/usr/lib/postgresql/*/bin",
        "/usr/pgsql-*/bin",
        "/opt/homebrew/opt/postgresql@*/bin",
        "/usr/local/opt/postgresql@*/bin",
        "/Applications/Postgres.app/Contents/Versions/*/bin",
        @"C:\Program Files\PostgreSQL\*\bin",
        "/usr/local/pgsql/bin",
    ];
}

/// <summary>
/// Finds a PostgreSQL server of <see cref="MinimumMajorVersion"/> or newer for the sandbox, in this order: the PATH, the
/// bin folder <c>pg_config --bindir</c> reports, then the well-known folders (newest version first). A folder counts when
/// it holds <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>; its version is what <c>postgres --version</c> prints.
/// </summary>
public static class PostgresLocator
{
    /// <summary>The emulator's catalog uses PostgreSQL 15 features (MERGE, security-invoker views).</summary>
    public const int MinimumMajorVersion = 15;

    private static readonly string Exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? ".exe" : "";

    /// <summary>The first usable installation, or <see cref="ErrorIds.PostgresNotFound"/> naming every folder examined.</summary>
    public static PostgresInstallation Locate(PostgresSearch search)
    {
        var examined = Examine(search);
        if (examined.FirstOrDefault(c => c.Rejection is null) is { Version: { } version } found)
        {
            return new PostgresInstallation(found.BinDirectory, version);
        }

        var detail = examined.Count == 0
            ? "no PostgreSQL programs were found on the PATH or in the usual installation folders"
            : "none of the PostgreSQL installations found can be used: "
                + string.Join("; ", examined.Select(c => $"{c.BinDirectory} ({c.Source}): {c.Rejection}"));
        throw new MzDeployException(ErrorIds.PostgresNotFound,
            $"The local sandbox needs PostgreSQL {MinimumMajorVersion} or newer, and {detail}.",
            remedy: new InstallPostgres(MinimumMajorVersion));
    }

    /// <summary>Every candidate folder in search order, each once, with its verdict.</summary>
    public static IReadOnlyList<PostgresCandidate> Examine(PostgresSearch search)
    {
        var seen = new HashSet<string>(RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        var candidates = new List<PostgresCandidate>();
        void Consider(string folder, string source)
        {
            var full = Path.GetFullPath(folder);
            if (seen.Add(full) && HasServerPrograms(full))
            {
                candidates.Add(Judge(full, source));
            }
        }

        foreach (var folder in PathFolders(search.PathVariable))
        {
            Consider(folder, "PATH");
        }

        if (PathFolders(search.PathVariable).Select(f => Path.Combine(f, "pg_config" + Exe)).FirstOrDefault(File.Exists) is { } pgConfig
            && Run(pgConfig, "--bindir") is { } reported && reported.Trim() is { Length: > 0 } bindir)
        {
            Consider(bindir, "pg_config --bindir");
        }

        foreach (var pattern in search.WellKnownPatterns)
        {
            foreach (var folder in Expand(pattern))
            {
                Consider(folder, "installation folder");
            }
        }

        return candidates;
    }

    /// <summary>The major.minor in <c>postgres (PostgreSQL) 15.18 (Debian …)</c> or <c>postgres (PostgreSQL) 17beta1</c>.</summary>
    public static Version? ParseVersion(string? versionOutput)
    {
        var match = Regex.Match(versionOutput ?? "", @"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?");
        return match.Success
            ? new Version(int.Parse(match.Groups[1].Value), match.Groups[2].Success ? int.Parse(match.Groups[2].Value) : 0)
            : null;
    }

    private static PostgresCandidate Judge(string folder, string source)
    {
        var version = ParseVersion(Run(Path.Combine(folder, "postgres" + Exe), "--version"));
        var rejection = version is null ? "postgres --version did not report a version"
            : version.Major < MinimumMajorVersion ? $"version {version} is older than {MinimumMajorVersion}"
            : null;
        return new PostgresCandidate(folder, source, version, rejection);
    }

    private static bool HasServerPrograms(string folder) =>
        new[] { "initdb", "pg_ctl", "postgres" }.All(program => File.Exists(Path.Combine(folder, program + Exe)));

    private static IEnumerable<string> PathFolders(string? pathVariable) =>
        (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(Path.IsPathFullyQualified);

    // One '*' per pattern, in a folder name: the installations side by side, newest major version first.
    private static IEnumerable<string> Expand(string pattern)
    {
        var star = pattern.IndexOf('*');
        if (star < 0)
        {
            return Directory.Exists(pattern) ? [pattern] : [];
        }

        var parentEnd = pattern.LastIndexOfAny(['/', '\\'], star);
        var parent = pattern[..parentEnd];
        var nameEnd = pattern.IndexOfAny(['/', '\\'], star);
        var namePattern = nameEnd < 0 ? pattern[(parentEnd + 1)..] : pattern[(parentEnd + 1)..nameEnd];
        var rest = nameEnd < 0 ? "" : pattern[(nameEnd + 1)..];
        if (!Path.IsPathFullyQualified(pattern) || !Directory.Exists(parent))
        {
            return [];
        }

        return Directory.EnumerateDirectories(parent, namePattern)
            .OrderByDescending(d => LeadingNumber(Path.GetFileName(d)))
            .Select(d => rest.Length == 0 ? d : Path.Combine(d, rest))
            .Where(Directory.Exists);
    }

    private static int LeadingNumber(string name)
    {
        var digits = new string(name.SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, out var number) ? number : -1;
    }

    // A program's standard output, or null when it cannot be run or does not answer within 10 s.
    private static string? Run(string program, string argument)
    {
        try
        {
            var start = new ProcessStartInfo(program, argument)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(10_000))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            return process.ExitCode == 0 ? output.Result : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
