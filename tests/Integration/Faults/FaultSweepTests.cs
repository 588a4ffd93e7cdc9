using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Tests.Integration.Faults;

/// <summary>
/// A fault on every statement stage and promote send, one at a time, each as an error and as a dropped connection:
/// production is always entirely the old or entirely the new version, the error says which (its ID is documented per
/// position), and running the operation again finishes the job. The statement lists come from a clean run recorded by
/// the emulator, so a new statement is swept without editing the test. Every mismatch is collected and reported together.
/// </summary>
public sealed class FaultSweepTests(FaultEmulator emulator) : IClassFixture<FaultEmulator>
{
    private static readonly string[] Actions = ["error", "close"];

    /// <summary>Stage: a fault anywhere fails the stage with the statement's own error (or, on the final read, warns).</summary>
    [Fact]
    public async Task A_fault_on_any_stage_statement_rolls_back_and_staging_again_works()
    {
        using var project = new FaultProject(emulator);
        await project.CreateProductionClusterAsync();
        project.Version(1);
        var (probe, sweep) = ("sprobe", "ssweep");
        Expect(await project.StageAsync("sbase"), null);
        Expect(await project.PromoteAsync("sbase"), null);
        project.Version(2);
        var clean = await project.RecordAsync(async () => Expect(await project.StageAsync(probe), null));
        await AbortOperation.RunAsync(project.Factory(), probe, NullOperationLog.Instance, CancellationToken.None);
        // The last statements read the staged deployment back for the result: the stage is finished by then.
        var finalReads = clean.Count - clean.FindLastIndex(s => !s.StartsWith("SELECT", StringComparison.Ordinal) && !s.StartsWith("WITH", StringComparison.Ordinal)) - 1;
        Assert.InRange(finalReads, 1, 5);

        var problems = new List<string>();
        for (var position = 0; position < clean.Count; position++)
        {
            foreach (var action in Actions)
            {
                var where = $"stage, {action} on #{position} {Short(clean[position])}";
                var (pattern, nth) = StatementFault.For(clean, probe, position, sweep);
                await StatementFault.InjectAsync(emulator, pattern, nth, action);
                var outcome = await project.StageAsync(sweep);
                if (!await StatementFault.FiredAndClearAsync(emulator))
                {
                    problems.Add($"{where}: the fault never fired ({outcome})");
                }

                var finished = position >= clean.Count - finalReads;
                var expected = finished ? null : action == "close" ? ErrorIds.ConnectionFailed.Id : ErrorIds.SqlStatementFailed.Id;
                if (outcome.ErrorId != expected)
                {
                    problems.Add($"{where}: expected {expected ?? "success"}, got {outcome}");
                }

                if (await project.ProductionIsAsync(1) is { } wrong)
                {
                    problems.Add($"{where}: {wrong}");
                }

                if (finished)
                {
                    if (!outcome.Warnings.Any(w => w.Contains("is staged; reading its status back failed", StringComparison.Ordinal)))
                    {
                        problems.Add($"{where}: no warning about the failed read-back ({string.Join(" | ", outcome.Warnings)})");
                    }

                    var again = await project.StageAsync(sweep);
                    if (again.ErrorId != ErrorIds.DeploymentExists.Id)
                    {
                        problems.Add($"{where}: staging again should say DeploymentExists, got {again}");
                    }

                    await AbortOperation.RunAsync(project.Factory(), sweep, NullOperationLog.Instance, CancellationToken.None);
                }

                if (await project.LeftoversAsync(sweep) is { Count: > 0 } left)
                {
                    problems.Add($"{where}: leftovers {string.Join(", ", left)}");
                }
            }
        }

        // The next stage of the same ID (each faulted attempt above was one too) works.
        Expect(await project.StageAsync(sweep), null);
        Expect(await project.PromoteAsync(sweep), null);
        Assert.Null(await project.ProductionIsAsync(2));
        Assert.True(problems.Count == 0, $"{problems.Count} problem(s):\n" + string.Join("\n", problems));
    }

    /// <summary>
    /// Promote: before the swap transaction commits, a fault leaves production entirely old with the statement's own
    /// error (PromoteInterrupted for a connection lost in the transaction); after it, entirely new with
    /// PromoteIncomplete (the final read of promoted_at only warns). The next promote finishes.
    /// </summary>
    [Fact]
    public async Task A_fault_on_any_promote_statement_leaves_production_whole_and_promoting_again_finishes()
    {
        using var project = new FaultProject(emulator);
        await project.CreateProductionClusterAsync();
        project.Version(1);
        Expect(await project.StageAsync("base"), null);
        Expect(await project.PromoteAsync("base"), null);
        project.Version(2);
        Expect(await project.StageAsync("pprobe"), null);
        var clean = await project.RecordAsync(async () => Expect(await project.PromoteAsync("pprobe"), null));
        var begin = clean.IndexOf("BEGIN");
        var commit = clean.IndexOf("COMMIT");
        Assert.True(begin > 0 && commit > begin, string.Join("\n", clean));
        var problems = new List<string>();
        var version = 2;

        // Before the commit: each faulted attempt leaves production and the staged deployment as they were, so the
        // next position is tried on the same staged deployment; the last attempt, without a fault, promotes it.
        version++;
        project.Version(version);
        Expect(await project.StageAsync("pre"), null);
        for (var position = 0; position <= commit; position++)
        {
            foreach (var action in Actions)
            {
                var where = $"promote, {action} on #{position} {Short(clean[position])}";
                var outcome = await FaultedPromoteAsync(project, clean, position, action, "pre", problems, where);
                var expected = action == "close"
                    ? position >= begin ? ErrorIds.PromoteInterrupted.Id : ErrorIds.ConnectionFailed.Id
                    : ErrorIds.SqlStatementFailed.Id;
                if (outcome.ErrorId != expected)
                {
                    problems.Add($"{where}: expected {expected}, got {outcome}");
                }

                if (await project.ProductionIsAsync(version - 1) is { } wrong)
                {
                    problems.Add($"{where}: before the commit, {wrong}");
                }
            }
        }

        await FinishesAsync(project, "pre", version, problems, "promote after the pre-swap sweep");

        // After the commit: each position needs a deployment of its own, swapped by the faulted attempt.
        for (var position = commit + 1; position < clean.Count; position++)
        {
            foreach (var action in Actions)
            {
                var id = $"post{position}{action[0]}";
                var where = $"promote, {action} on #{position} {Short(clean[position])}";
                version++;
                project.Version(version);
                Expect(await project.StageAsync(id), null);
                var outcome = await FaultedPromoteAsync(project, clean, position, action, id, problems, where);
                if (position == clean.Count - 1)
                {
                    // The final read of promoted_at: the promote is complete; a failed read only warns.
                    if (outcome.ErrorId is not null || outcome.Result is not PromoteResult { PromotedAt: null })
                    {
                        problems.Add($"{where}: expected success without a promotion time, got {outcome}");
                    }

                    if (await project.LeftoversAsync(id, trackingRows: false) is { Count: > 0 } left)
                    {
                        problems.Add($"{where}: leftovers {string.Join(", ", left)}");
                    }

                    var again = await project.PromoteAsync(id);
                    if (again.ErrorId != ErrorIds.DeploymentAlreadyPromoted.Id)
                    {
                        problems.Add($"{where}: promoting again should say DeploymentAlreadyPromoted, got {again}");
                    }

                    if ((await project.DeploymentAsync(id))?.State != DeploymentState.Promoted)
                    {
                        problems.Add($"{where}: the deployment is not shown Promoted");
                    }
                }
                else
                {
                    if (outcome.ErrorId != ErrorIds.PromoteIncomplete.Id
                        || !outcome.Message!.Contains($"deployment '{id}' is live in production", StringComparison.Ordinal))
                    {
                        problems.Add($"{where}: expected PromoteIncomplete saying it is live, got {outcome}");
                    }

                    await FinishesAsync(project, id, version, problems, where);
                }

                if (await project.ProductionIsAsync(version) is { } wrong)
                {
                    problems.Add($"{where}: after the commit, {wrong}");
                }
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} problem(s):\n" + string.Join("\n", problems));
    }

    private async Task<Outcome> FaultedPromoteAsync(FaultProject project, IReadOnlyList<string> clean, int position, string action, string id,
        List<string> problems, string where)
    {
        var (pattern, nth) = StatementFault.For(clean, "pprobe", position, id);
        await StatementFault.InjectAsync(emulator, pattern, nth, action);
        var outcome = await project.PromoteAsync(id);
        if (!await StatementFault.FiredAndClearAsync(emulator))
        {
            problems.Add($"{where}: the fault never fired ({outcome})");
        }

        if (outcome.ErrorId is "InvalidOperationException" or "NullReferenceException" or "NpgsqlException" or "PostgresException")
        {
            problems.Add($"{where}: a .NET exception reached the user: {outcome}");
        }

        return outcome;
    }

    /// <summary>Promoting again (no fault) finishes: production is the new version, nothing is left, the deployment shows Promoted.</summary>
    private static async Task FinishesAsync(FaultProject project, string id, int version, List<string> problems, string where)
    {
        var again = await project.PromoteAsync(id);
        if (again.ErrorId is not null)
        {
            problems.Add($"{where}: promoting again failed: {again}");
        }

        if (await project.ProductionIsAsync(version) is { } wrong)
        {
            problems.Add($"{where}: after promoting again, {wrong}");
        }

        if (await project.LeftoversAsync(id, trackingRows: false) is { Count: > 0 } left)
        {
            problems.Add($"{where}: after promoting again, leftovers {string.Join(", ", left)}");
        }

        if ((await project.DeploymentAsync(id))?.State != DeploymentState.Promoted)
        {
            problems.Add($"{where}: after promoting again, the deployment is not shown Promoted");
        }
    }

    private static void Expect(Outcome outcome, string? errorId) =>
        Assert.True(outcome.ErrorId == errorId, $"expected {errorId ?? "success"}, got {outcome}");

    private static string Short(string sql) => sql.Length <= 90 ? sql : sql[..90] + "…";
}
