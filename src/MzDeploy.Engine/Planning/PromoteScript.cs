using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning;

/// <summary>
/// The tracking-row statements a promote runs, supplied by whoever knows the tracking schema (the catalog layer), so
/// the script stays pure.
/// </summary>
/// <param name="SinkExecuted">Marks a deferred sink's statement (its target, its sequence number) executed.</param>
/// <param name="Promoted">Records the cutover: sets <c>promoted_at</c> (a promote), or records the rollback (an undo).</param>
/// <param name="DeleteTransientRows">Deletes the rows a finished promote no longer needs.</param>
internal sealed record PromoteTracking(Func<string, int, PlannedStatement> SinkExecuted, IReadOnlyList<PlannedStatement> Promoted,
    IReadOnlyList<PlannedStatement> DeleteTransientRows);

/// <summary>
/// Every statement a promote plan runs, in order, as a dry run or preview shows them: the marker
/// creations, <c>BEGIN</c>, the swap transaction, <c>COMMIT</c>, the post-swap steps (their guards evaluated against
/// <paramref name="Existing"/>: a sink that exists is not created again, a replacement applied already is not applied
/// again), the tracking-row updates with their parameters, the drops of the old copies, the tracking-row deletes and
/// the progress marker's drop. The executor runs the same plan through the same guards.
/// </summary>
/// <param name="Statements">In execution order.</param>
/// <param name="CreatedSinks">Sinks whose CREATE is in <paramref name="Statements"/>.</param>
/// <param name="RepointedSinks"><c>sink -> object</c>.</param>
/// <param name="Replacements">Materialized views replaced in place.</param>
/// <param name="Existing">The guard objects that exist.</param>
internal sealed record PromoteScript(IReadOnlyList<PlannedStatement> Statements, IReadOnlyList<string> CreatedSinks,
    IReadOnlyList<string> RepointedSinks, IReadOnlyList<string> Replacements, IReadOnlySet<ObjectId> Existing)
{
    /// <summary>The <c>BEGIN</c> that opens the swap transaction.</summary>
    public static readonly PlannedStatement Begin = new(PlannedStatementKind.Transaction, "transaction", "BEGIN");

    /// <summary>The <c>COMMIT</c> that ends it.</summary>
    public static readonly PlannedStatement Commit = new(PlannedStatementKind.Transaction, "transaction", "COMMIT");

    /// <param name="plan">The promote plan.</param>
    /// <param name="tracking">The tracking-row statements of the deployment.</param>
    /// <param name="existing">Which guard objects (<see cref="PlannedStatement.GuardObject"/>) exist now.</param>
    public static PromoteScript Build(PromotePlan plan, PromoteTracking tracking, IReadOnlySet<ObjectId> existing)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(tracking);
        ArgumentNullException.ThrowIfNull(existing);
        var statements = new List<PlannedStatement>(plan.PreSwap);
        if (plan.SwapTransaction.Count > 0)
        {
            statements.Add(Begin);
            statements.AddRange(plan.SwapTransaction);
            statements.Add(Commit);
        }

        var sinks = new List<string>();
        var repointed = new List<string>();
        var replacements = new List<string>();
        foreach (var step in plan.PostSwap)
        {
            switch (step.Kind)
            {
                case PlannedStatementKind.CreateSink:
                    if (!(step.Guard == StatementGuard.SkipIfTargetExists && existing.Contains(step.GuardObject!)))
                    {
                        statements.Add(step);
                        sinks.Add(step.Target);
                    }

                    if (step.PendingSequenceNumber is { } sequence)
                    {
                        statements.Add(tracking.SinkExecuted(step.Target, sequence));
                    }

                    break;
                case PlannedStatementKind.ApplyReplacement when step.Guard == StatementGuard.SkipIfGuardObjectMissing && !existing.Contains(step.GuardObject!):
                    break;
                case PlannedStatementKind.ApplyReplacement:
                    statements.Add(step);
                    replacements.Add(step.Target);
                    break;
                case PlannedStatementKind.RepointSink:
                    statements.Add(step);
                    repointed.Add($"{step.Target} -> {step.GuardObject}");
                    break;
                default:
                    statements.Add(step);
                    break;
            }
        }

        statements.AddRange(tracking.Promoted);
        statements.AddRange(plan.Cleanup);
        statements.AddRange(tracking.DeleteTransientRows);
        statements.AddRange(plan.Finish);
        return new PromoteScript(statements, sinks, repointed, replacements, existing);
    }
}
