using System.Text;
using System.Text.RegularExpressions;
using MzDeploy.Emulator;
using MzDeploy.Engine;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Tests.Integration.Catalog;
using MzDeploy.Tests.Integration.Emulator;
using Npgsql;

namespace MzDeploy.Tests.Integration.Faults;

/// <summary>An emulator of its own, set up, for the fault tests (faults and the statement log are server-wide).</summary>
public sealed class FaultEmulator : CatalogEmulator
{
    protected override bool RunSetup => true;
}

/// <summary>A log that keeps the warnings.</summary>
internal sealed class WarningLog : IOperationLog
{
    public List<string> Warnings { get; } = [];

    public void Verbose(string message) { }

    public void Warning(OperationWarning warning) => Warnings.Add(warning.Message);
}

/// <summary>How one operation ended: the error ID (or exception type) it failed with, else null, and its warnings.</summary>
internal sealed record Outcome(string? ErrorId, string? Message, IReadOnlyList<string> Warnings, object? Result)
{
    public override string ToString() => ErrorId is null ? "ok" : $"{ErrorId}: {Message}";
}

/// <summary>What production shows: the view's multiplier (0 when missing) and the cluster the materialized view runs on.</summary>
internal readonly record struct ProductionState(int Factor, string? MvCluster, bool ClusterExists)
{
    public override string ToString() => $"v factor {Factor}, mv on {MvCluster ?? "(none)"}, cluster {(ClusterExists ? "present" : "MISSING")}";
}

/// <summary>
/// The smallest deployable project (one schema with a materialized view on one cluster and a view over it), made unique
/// per test, with the reads a fault test asserts on. Version k of the project multiplies by k in the view, so
/// production's view definition says which version is live.
/// </summary>
internal sealed class FaultProject : IDisposable
{
    private readonly FaultEmulator _emulator;

    public FaultProject(FaultEmulator emulator)
    {
        _emulator = emulator;
        Schema = TestData.UniqueName("app");
        Cluster = TestData.UniqueName("compute");
        Root = Directory.CreateTempSubdirectory("mzfault-test-").FullName;
        WriteFile("project.toml", "# fault tests\n");
        WriteFile($"clusters/{Cluster}.sql", $"CREATE CLUSTER {Cluster} (SIZE = 'xsmall');");
        WriteFile($"models/materialize/{Schema}/mv.sql", $"CREATE MATERIALIZED VIEW mv IN CLUSTER {Cluster} AS SELECT 1 AS n;");
    }

    public string Root { get; }

    public string Schema { get; }

    public string Cluster { get; }

    public void Dispose() => TestData.DeleteQuietly(Root);

    /// <summary>Makes version <paramref name="factor"/> of the view the project's.</summary>
    public void Version(int factor) =>
        WriteFile($"models/materialize/{Schema}/v.sql", $"CREATE VIEW v AS SELECT n * {factor} AS n FROM materialize.{Schema}.mv;");

    private void WriteFile(string path, string text)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    public async Task CreateProductionClusterAsync()
    {
        await using var admin = await _emulator.AdminAsync();
        await admin.ExecAsync($"CREATE CLUSTER {Cluster} (SIZE = 'xsmall')");
    }

    public CatalogConnectionFactory Factory() => _emulator.Factory();

    /// <summary>Prepares and executes a stage of the project as it is now.</summary>
    public async Task<Outcome> StageAsync(string id)
    {
        var log = new WarningLog();
        return await RunAsync(log, async () =>
        {
            await using var stage = await StageOperation.PrepareAsync(Factory(), new StageRequest(Root, id), log, CancellationToken.None);
            return await stage.ExecuteAsync(log, CancellationToken.None);
        });
    }

    public async Task<Outcome> PromoteAsync(string id)
    {
        var log = new WarningLog();
        return await RunAsync(log, async () =>
            await PromoteOperation.RunAsync(Factory(), new PromoteRequest(id), log, CancellationToken.None));
    }

    /// <summary>A promote prepared (state read and planned) now, to execute later with <see cref="ExecuteAsync"/>.</summary>
    public Task<PromoteOperation> PreparePromoteAsync(string id) =>
        PromoteOperation.PrepareAsync(Factory(), new PromoteRequest(id), new WarningLog(), CancellationToken.None);

    public async Task<Outcome> ExecuteAsync(PromoteOperation prepared)
    {
        var log = new WarningLog();
        return await RunAsync(log, async () => await prepared.ExecuteAsync(log, CancellationToken.None));
    }

    private static async Task<Outcome> RunAsync(WarningLog log, Func<Task<object>> run)
    {
        try
        {
            var result = await run();
            return new Outcome(null, null, log.Warnings, result);
        }
        catch (MzDeployException e)
        {
            return new Outcome(e.ErrorId, e.Message, log.Warnings, null);
        }
        catch (Exception e)
        {
            // Anything else is a misreport: the user would see a .NET exception instead of an MzDeploy error.
            return new Outcome(e.GetType().Name, e.Message, log.Warnings, null);
        }
    }

    public async Task<ProductionState> ProductionAsync()
    {
        await using var admin = await _emulator.AdminAsync();
        var definition = (string?)await admin.ScalarAsync(
            $"SELECT v.definition FROM mz_views v JOIN mz_schemas s ON s.id = v.schema_id WHERE s.name = '{Schema}' AND v.name = 'v'");
        var factor = definition is null ? 0 : int.Parse(Regex.Match(definition, @"n \* (\d+)").Groups[1].Value);
        var mvCluster = (string?)await admin.ScalarAsync(
            $"SELECT c.name FROM mz_materialized_views m JOIN mz_schemas s ON s.id = m.schema_id JOIN mz_clusters c ON c.id = m.cluster_id "
            + $"WHERE s.name = '{Schema}' AND m.name = 'mv'");
        var exists = (long)(await admin.ScalarAsync($"SELECT count(*) FROM mz_clusters WHERE name = '{Cluster}'"))! == 1;
        return new ProductionState(factor, mvCluster, exists);
    }

    /// <summary>Production runs version <paramref name="factor"/>, whole: the view, the materialized view on the production cluster.</summary>
    public async Task<string?> ProductionIsAsync(int factor)
    {
        var state = await ProductionAsync();
        return state == new ProductionState(factor, Cluster, true) ? null : $"production should be entirely version {factor}, is: {state}";
    }

    /// <summary>Schemas and clusters with the deployment's suffix, its promote markers and its tracking rows of a staged deployment.</summary>
    public async Task<IReadOnlyList<string>> LeftoversAsync(string id, bool trackingRows = true)
    {
        await using var admin = await _emulator.AdminAsync();
        var rows = await admin.RowsAsync(
            $"SELECT 'schema ' || d.name || '.' || s.name FROM mz_schemas s JOIN mz_databases d ON d.id = s.database_id "
            + $"WHERE s.name LIKE '%\\_{id}' OR s.name LIKE 'deploy\\_{id}\\_%' "
            + $"UNION ALL SELECT 'cluster ' || name FROM mz_clusters WHERE name LIKE '%\\_{id}' "
            + (trackingRows
                ? $"UNION ALL SELECT 'row ' || t FROM (SELECT 'deployments' AS t FROM _mz_deploy.tables.deployments WHERE deploy_id = '{id}' "
                  + $"UNION ALL SELECT 'objects' FROM _mz_deploy.tables.objects WHERE deploy_id = '{id}' "
                  + $"UNION ALL SELECT 'clusters' FROM _mz_deploy.tables.clusters WHERE deploy_id = '{id}' "
                  + $"UNION ALL SELECT 'cluster_names' FROM _mz_deploy.tables.cluster_names WHERE deploy_id = '{id}') r"
                : ""));
        return rows.Select(r => (string)r[0]!).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The deployment as Get-MzDeployment shows it, or null.</summary>
    public async Task<DeploymentInfo?> DeploymentAsync(string id) =>
        (await DeploymentQueries.GetAsync(Factory(), DeploymentScope.All, d => d == id, ClusterLag.DefaultAllowedSeconds,
            NullOperationLog.Instance, CancellationToken.None)).SingleOrDefault();

    public async Task ExecAsync(string sql)
    {
        await using var admin = await _emulator.AdminAsync();
        await admin.ExecAsync(sql);
    }

    /// <summary>Runs <paramref name="operation"/> with the statement log cleared and returns the statements other sessions sent meanwhile.</summary>
    public async Task<List<string>> RecordAsync(Func<Task> operation)
    {
        await using var admin = await _emulator.AdminAsync();
        await admin.ExecAsync("SELECT mz_emulator.clear_statement_log()");
        await operation();
        var rows = await admin.RowsAsync("SELECT sql FROM mz_emulator.statement_log WHERE connection_id <> pg_backend_pid() ORDER BY seq");
        return rows.Select(r => (string)r[0]!).ToList();
    }
}

/// <summary>
/// Faults aimed at one statement of a recorded clean run, for a run of another deployment: the deploy ID is swapped in
/// and promote epochs (which move with every promote) match any number. The pattern is an exact ILIKE pattern
/// (<c>\</c>, <c>%</c> and <c>_</c> escaped); nth counts the statements of the clean run it matches, up to the target.
/// </summary>
internal static class StatementFault
{
    private const int MaxLiteral = 100;

    public static (string Pattern, int Nth) For(IReadOnlyList<string> cleanRun, string cleanId, int position, string id)
    {
        var statements = cleanRun.Select(s => s.Replace(cleanId, id, StringComparison.Ordinal)).ToList();
        // A prefix: the emulator compiles patterns to a non-backtracking automaton, which a long literal query
        // overflows; nth (counted with the same pattern) still names the one statement.
        var target = statements[position];
        var pattern = new StringBuilder();
        foreach (var c in target.Length > MaxLiteral ? target[..MaxLiteral] : target)
        {
            if (c is '\\' or '%' or '_')
            {
                pattern.Append('\\');
            }

            pattern.Append(c);
        }

        if (target.Length > MaxLiteral)
        {
            pattern.Append('%');
        }

        var general = Regex.Replace(pattern.ToString(), @"\\_e\d+", @"\_e%");
        var like = new LikePattern(general);
        var nth = statements.Take(position + 1).Count(like.IsMatch);
        return (general, nth);
    }

    public static async Task InjectAsync(FaultEmulator emulator, string pattern, int nth, string action)
    {
        await using var admin = await emulator.AdminAsync();
        await using var command = new NpgsqlCommand("SELECT mz_emulator.inject_fault($1, $2, $3)", admin);
        command.Parameters.AddWithValue(pattern);
        command.Parameters.AddWithValue(nth);
        command.Parameters.AddWithValue(action);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Whether every injected fault fired; clears the faults either way.</summary>
    public static async Task<bool> FiredAndClearAsync(FaultEmulator emulator)
    {
        await using var admin = await emulator.AdminAsync();
        var unfired = (long)(await admin.ScalarAsync("SELECT count(*) FROM mz_emulator.faults WHERE NOT fired"))!;
        await admin.ExecAsync("SELECT mz_emulator.clear_faults()");
        return unfired == 0;
    }
}
