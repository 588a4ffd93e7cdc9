using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning.TypeCheck;
using MzDeploy.Engine.Sandbox;
using MzDeploy.Engine.TypeLock;
using Npgsql;

namespace MzDeploy.Engine.Operations;

/// <summary>What a type check found.</summary>
/// <param name="Errors">Server refusals mapped to file:line:column, and dependencies types.lock lacks.</param>
/// <param name="Warnings">Objects left unchecked, each with why.</param>
/// <param name="Columns">Output columns of every object created, by project name.</param>
public sealed record TypeCheckResult(IReadOnlyList<Diagnostic> Errors, IReadOnlyList<Diagnostic> Warnings,
    IReadOnlyDictionary<ObjectId, IReadOnlyList<LockedColumn>> Columns);

/// <summary>
/// mz-deploy's type-checked compile, in a sandbox: plans with <see cref="TypeCheckPlanner"/>, creates scratch databases,
/// the dependencies from types.lock and every object in dependency order, reads back their columns, and drops the scratch
/// databases afterwards even when something failed. Only errors the sandbox's planner judges the way Materialize does
/// (unknown columns, functions and operators, type mismatches, ambiguity, grouping) become errors; anything else the
/// sandbox refuses leaves that object (and what reads it) unchecked with a warning, never a false error.
/// </summary>
public static partial class TypeCheckOperation
{
    // SQLSTATEs whose verdict holds for Materialize too.
    private static readonly HashSet<string> Judged = new(StringComparer.Ordinal)
    {
        "42703", // undefined_column
        "42883", // undefined_function (and operator)
        "42804", // datatype_mismatch
        "42846", // cannot_coerce
        "42702", // ambiguous_column
        "42725", // ambiguous_function
        "42803", // grouping_error
        "42P10", // invalid_column_reference
        "42601", // syntax_error: only where the statement's own name list or the like is malformed; see IsJudged
    };

    /// <summary>Functions Materialize has and the emulator may lack: an "unknown function" about them is not a verdict.</summary>
    private static readonly HashSet<string> MaterializeOnlyFunctions = new(StringComparer.Ordinal)
    {
        "list_agg", "list_append", "list_cat", "list_length", "list_length_max", "list_n_layers", "list_prepend", "list_remove",
        "map_agg", "map_build", "map_length", "csv_extract", "date_bin_hopping", "mz_environment_id", "mz_logical_timestamp",
        "mz_version", "mz_version_num", "try_parse_monotonic_iso8601_timestamp", "kafka_murmur2", "seahash", "crc32",
        "normalize", "parse_ident", "timezone_offset", "constant_time_eq", "jsonb_agg_strict", "uuid_generate_v5", "regexp_extract",
        "regexp_split_to_array", "sha224", "sha256", "sha384", "sha512", "mz_error_if_null", "mz_row_size", "pretty_sql",
        "redact_sql", "to_timestamp", "digest", "hmac",
    };

    /// <summary>Runs the check of <paramref name="project"/> (compiled without errors) in <paramref name="sandbox"/>.</summary>
    /// <exception cref="MzDeployException"><c>TypeLockInvalid</c>, connection errors, or a failure creating the scratch databases.</exception>
    public static async Task<TypeCheckResult> RunAsync(SandboxTarget sandbox, CompiledProject project, IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(log);
        var lockFile = TypeLockFile.Load(project.Root);
        var suffix = "_tc_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var plan = TypeCheckPlanner.Plan(project, lockFile, suffix);
        var errors = new List<Diagnostic>(plan.Diagnostics);
        var warnings = plan.Skipped.Select(s => Skipped(s.Object, s.Reason)).ToList();

        await using var session = await sandbox.Factory.OpenAsync(cancellationToken, pinned: false).ConfigureAwait(false);
        log.Verbose($"Type check in {sandbox.Description}: scratch database(s) {string.Join(", ", plan.ScratchDatabases)}.");
        try
        {
            foreach (var statement in plan.Setup)
            {
                await session.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            }

            var failed = new HashSet<ObjectId>();
            foreach (var step in plan.Steps)
            {
                var o = step.Object;
                if (o.DependsOn.FirstOrDefault(failed.Contains) is { } blocked)
                {
                    warnings.Add(Skipped(o, $"it reads {blocked}, which could not be created"));
                    failed.Add(o.Id);
                    continue;
                }

                try
                {
                    await session.ExecuteAsync(step.Sql, cancellationToken).ConfigureAwait(false);
                }
                catch (MzDeployException e) when (e.InnerException is PostgresException pg && !cancellationToken.IsCancellationRequested)
                {
                    failed.Add(o.Id);
                    if (IsJudged(pg))
                    {
                        var at = pg.Position > 0 ? step.Locate(pg.Position - 1) : o.Location;
                        errors.Add(new Diagnostic(ErrorIds.TypeCheckFailed.Id, $"{o.Id}: {pg.MessageText}", at, o.Id.ToString()));
                    }
                    else
                    {
                        warnings.Add(Skipped(o, $"the sandbox cannot judge it ({pg.MessageText}, SQLSTATE {pg.SqlState})"));
                    }
                }
            }

            var scratch = await ScratchColumnReader.ReadAsync(session, plan.ScratchDatabases, cancellationToken).ConfigureAwait(false);
            var columns = plan.Steps.Where(s => scratch.ContainsKey(s.ScratchName))
                .ToDictionary(s => s.Object.Id, s => scratch[s.ScratchName]);
            log.Verbose($"Type check: {plan.Steps.Count - failed.Count} object(s) checked, {errors.Count} error(s), {warnings.Count} left unchecked.");
            return new TypeCheckResult(errors, warnings, columns);
        }
        finally
        {
            // Whatever happened (an error, Ctrl+C), the scratch databases go: not the caller's token, which may be cancelled.
            foreach (var drop in plan.Cleanup)
            {
                try
                {
                    await session.ExecuteAsync(drop, CancellationToken.None).ConfigureAwait(false);
                }
                catch (MzDeployException e)
                {
                    log.Warning(new OperationWarning($"the scratch database {drop.Target} could not be dropped: {e.Message}",
                        new Advice($"Drop it by hand: {drop.Sql}")));
                }
            }
        }
    }

    private static bool IsJudged(PostgresException pg)
    {
        if (!Judged.Contains(pg.SqlState) || pg.SqlState == "42601")
        {
            return false; // a syntax error here is the sandbox's dialect, not the user's: the compiler parsed the file
        }

        return pg.SqlState != "42883" || FunctionName().Match(pg.MessageText) is not { Success: true } m
            || !(MaterializeOnlyFunctions.Contains(m.Groups[1].Value) || m.Groups[1].Value.StartsWith("mz_", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^function (?:[a-z_][a-z0-9_]*\.)?""?([a-z_][a-z0-9_]*)""?\(")]
    private static partial Regex FunctionName();

    private static Diagnostic Skipped(CompiledObject o, string reason) =>
        new(ErrorIds.TypeCheckSkipped.Id, $"{o.Id} was not type-checked: {reason}", o.Location, o.Id.ToString())
        {
            Severity = DiagnosticSeverity.Warning,
        };
}
