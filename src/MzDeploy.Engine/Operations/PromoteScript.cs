using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Operations;

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
    public static PromoteScript Build(PromotePlan plan, string deployId, IReadOnlySet<ObjectId> existing)
    {
        var statements = new List<PlannedStatement>(plan.PreSwap);
        if (plan.SwapTransaction.Count > 0)
        {
            statements.Add(new PlannedStatement(PlannedStatementKind.Transaction, "transaction", "BEGIN"));
            statements.AddRange(plan.SwapTransaction);
            statements.Add(new PlannedStatement(PlannedStatementKind.Transaction, "transaction", "COMMIT"));
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
                        statements.Add(Tracking(step.Target, PromoteCatalog.MarkSinkExecutedSql, deployId, sequence));
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

        statements.Add(Tracking(deployId, PromoteCatalog.MarkPromotedSql, deployId));
        statements.AddRange(plan.Cleanup);
        statements.AddRange(StageRecorder.DeleteStatements(deployId, PromoteCatalog.TransientTables));
        statements.AddRange(plan.Finish);
        return new PromoteScript(statements, sinks, repointed, replacements, existing);
    }

    private static PlannedStatement Tracking(string target, string sql, params object?[] parameters) =>
        new(PlannedStatementKind.TrackingRows, target, sql) { Parameters = parameters };
}
