using System.Security.Cryptography;

namespace MzDeploy.Engine.Sandbox;

/// <summary>
/// A stopped, bootstrapped emulator data folder that private sandboxes start as copies of: initdb and the emulator's
/// first bootstrap cost several seconds, a copy a fraction of one. Made once per user, emulator build and PostgreSQL
/// version, under the temp folder (the PostgreSQL user must be able to reach it when the module runs as root, which a
/// home folder does not allow).
/// </summary>
public static class SandboxTemplate
{
    /// <summary>The folder the templates of this user live in.</summary>
    public static string CacheFolder =>
        Path.Combine(Path.GetTempPath(), $"mzdeploy-sandbox-templates-{Environment.UserName}");

    /// <summary>The template for this emulator and PostgreSQL: its folder (whether made yet or not).</summary>
    public static string FolderFor(string emulatorAssembly, PostgresInstallation postgres) =>
        Path.Combine(CacheFolder, $"pg{postgres.Version.Major}.{postgres.Version.Minor}-{EmulatorHash(emulatorAssembly)}");

    /// <summary>
    /// The template's folder, made first when missing: an emulator started on a fresh folder and stopped cleanly, then
    /// moved into place in one rename, so a concurrent session never sees half a template. Templates of other emulator
    /// builds unused for a day are removed (not sooner: another session, or another checkout, may be copying one now).
    /// </summary>
    public static async Task<string> EnsureAsync(string emulatorAssembly, PostgresInstallation postgres, CancellationToken cancellationToken)
    {
        var folder = FolderFor(emulatorAssembly, postgres);
        if (IsReady(folder))
        {
            MarkUsed(folder);
            return folder;
        }

        Directory.CreateDirectory(CacheFolder);
        var building = Path.Combine(CacheFolder, "building-" + Guid.NewGuid().ToString("n")[..12]);
        var emulator = await SandboxEmulator.StartAsync(new SandboxOptions(emulatorAssembly, postgres, building), cancellationToken)
            .ConfigureAwait(false);
        await emulator.StopAsync(keepData: true).ConfigureAwait(false);
        try
        {
            Directory.Delete(Path.Combine(building, "run"), recursive: true);
            Directory.Move(building, folder);
            MarkUsed(folder);
            RemoveStale(folder);
        }
        catch (IOException) when (IsReady(folder))
        {
            // Another session made it first.
            TryDelete(building);
        }

        return folder;
    }

    private static bool IsReady(string folder) =>
        File.Exists(Path.Combine(folder, "pgdata", "PG_VERSION")) && !File.Exists(Path.Combine(folder, "pgdata", "postmaster.pid"));

    private const string UsedMark = "last-used";

    private static void MarkUsed(string folder)
    {
        try
        {
            File.WriteAllText(Path.Combine(folder, UsedMark), "");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only the clean-up reads it.
        }
    }

    private static void RemoveStale(string keep)
    {
        var stale = DateTime.UtcNow - TimeSpan.FromDays(1);
        foreach (var other in Directory.EnumerateDirectories(CacheFolder, "pg*"))
        {
            var mark = Path.Combine(other, UsedMark);
            if (other != keep && (File.Exists(mark) ? File.GetLastWriteTimeUtc(mark) : Directory.GetLastWriteTimeUtc(other)) < stale)
            {
                TryDelete(other);
            }
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A template another session is copying right now, or a leftover: a cache, not worth failing for.
        }
    }

    // The emulator's bootstrap scripts are embedded in its assembly: its content names what a template holds.
    private static string EmulatorHash(string emulatorAssembly)
    {
        if (!File.Exists(emulatorAssembly))
        {
            return "missing"; // starting it then says what is missing
        }

        using var file = File.OpenRead(emulatorAssembly);
        return Convert.ToHexString(SHA256.HashData(file))[..12].ToLowerInvariant();
    }
}
