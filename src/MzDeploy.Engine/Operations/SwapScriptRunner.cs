using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Operations;

/// <summary>
/// Runs the part of a <see cref="PromoteScript"/> after the swap, one statement per round trip, for a promote and an undo
/// alike: a sink is repointed only onto an object that exists, and the old copies are proven to hold only what the
/// deployment owns before the first drop.
/// </summary>
internal static class SwapScriptRunner
{
    /// <param name="session">The verified session.</param>
    /// <param name="script">The script, built against <paramref name="existing"/>.</param>
    /// <param name="existing">The guard objects that exist.</param>
    /// <param name="beforeFirstDrop">The ownership proof, run once before the first schema or cluster drop.</param>
    /// <param name="repointTargetMissing">The error for a sink whose new target does not exist.</param>
    /// <param name="log">Where each statement is reported.</param>
    /// <param name="cancellationToken">Cancels the statement in flight.</param>
    public static async Task RunAsync(CatalogSession session, IEnumerable<PlannedStatement> script, IReadOnlySet<ObjectId> existing,
        Func<Task> beforeFirstDrop, Func<PlannedStatement, MzDeployException> repointTargetMissing, IOperationLog log, CancellationToken cancellationToken)
    {
        var oldCopiesChecked = false;
        foreach (var statement in script)
        {
            switch (statement.Kind)
            {
                case PlannedStatementKind.RepointSink when !existing.Contains(statement.GuardObject!):
                    throw repointTargetMissing(statement);
                case PlannedStatementKind.DropSchema or PlannedStatementKind.DropCluster when !oldCopiesChecked:
                    await beforeFirstDrop().ConfigureAwait(false);
                    oldCopiesChecked = true;
                    break;
            }

            log.Verbose($"{statement.Kind} {statement.Target}");
            await session.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        }
    }
}
