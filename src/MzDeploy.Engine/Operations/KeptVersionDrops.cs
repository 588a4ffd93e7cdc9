using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Operations;

/// <summary>
/// Dropping kept previous versions, shared by the housekeeping every deployer session does (expired ones) and by the
/// explicit drop (any of them, at once): which kept versions may be dropped, the ownership proof before the drops, and the
/// run of a <see cref="PreviousVersionPlan"/>.
/// </summary>
internal static class KeptVersionDrops
{
    /// <summary>
    /// The kept versions that may be dropped: those of a promote that set <c>promoted_at</c> and is not swapping, with no
    /// undo of it under way (an unfinished promote or undo owns those names until it finishes). With
    /// <paramref name="deployId"/>, only its own.
    /// </summary>
    public static async Task<IReadOnlyList<PreviousVersionPlan>> DroppableAsync(CatalogSession session, DeployId? deployId,
        CancellationToken cancellationToken)
    {
        var kept = await KeptVersionCatalog.ReadAsync(session, deployId, cancellationToken).ConfigureAwait(false);
        if (kept.Count == 0)
        {
            return [];
        }

        var markers = (await PromoteCatalog.MarkerNamesAsync(session, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        return kept
            .Where(k => k.Promoted && !InFlight(k.DeployId, markers))
            .Select(k => KeptVersionPlanner.Drop(k, [KeptVersionCatalog.Forget(k.DeployId)]))
            .ToList();
    }

    /// <summary>Whether a promote or an undo of <paramref name="deployId"/> has swapped and not finished.</summary>
    public static bool InFlight(DeployId deployId, IReadOnlySet<string> markers) =>
        markers.Contains(PromotionMarker.SwappedName(deployId)) || markers.Contains(PromotionMarker.UndoPendingName(deployId))
                                                                || markers.Contains(PromotionMarker.UndoSwappedName(deployId));

    /// <summary>
    /// Proves the kept copies hold only what the project manages (the previous version's recorded objects and the
    /// deployment's, under the staging names), then runs the plan.
    /// </summary>
    /// <exception cref="MzDeployException"><c>UnmanagedObjects</c>, naming each object; nothing is dropped.</exception>
    public static async Task DropAsync(CatalogSession session, PreviousVersionPlan plan, IOperationLog log, CancellationToken cancellationToken)
    {
        var unmanaged = await UnmanagedAsync(session, plan.Kept, cancellationToken).ConfigureAwait(false);
        if (unmanaged.Count > 0)
        {
            throw OwnershipCheck.Refusal(plan.Kept.DeployId, unmanaged, "keeps a previous version, but dropping it");
        }

        foreach (var statement in plan.Statements)
        {
            log.Verbose($"{statement.Kind} {statement.Target}");
            await session.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The housekeeping of every deployer session: drops each kept version whose window has ended. Best effort once read: a
    /// version it cannot drop (objects the project does not own in it, a failed statement) is left, with a warning, and
    /// the command goes on.
    /// </summary>
    public static async Task DropExpiredAsync(CatalogSession session, IOperationLog log, CancellationToken cancellationToken)
    {
        // The read fails the command like any read of the tracking tables, except for a role not allowed to read kept
        // versions (RBAC off, no grants): it cannot drop them either, so it leaves them with a warning.
        IReadOnlyList<PreviousVersionPlan> plans;
        try
        {
            plans = (await DroppableAsync(session, null, cancellationToken).ConfigureAwait(false)).Where(p => p.Kept.Expired).ToList();
        }
        catch (MzDeployException e) when (e.SqlState == "42501")
        {
            log.Warning(new($"Reading the kept previous versions failed: {e.Message}"));
            return;
        }
        foreach (var plan in plans)
        {
            try
            {
                await DropAsync(session, plan, log, cancellationToken).ConfigureAwait(false);
                log.Warning(new($"The rollback window of deployment '{plan.Kept.DeployId}' ended at {plan.Kept.ExpiresAt:u}: dropped its kept previous "
                                + $"version ({string.Join(", ", plan.DroppedResources)})."));
            }
            catch (MzDeployException e) when (e.ErrorId != ErrorIds.ConnectionFailed.Id)
            {
                log.Warning(new($"The rollback window of deployment '{plan.Kept.DeployId}' ended, but dropping its kept previous version failed: {e.Message}",
                    e.Remedy));
            }
        }
    }

    private static async Task<IReadOnlyList<UnmanagedObject>> UnmanagedAsync(CatalogSession session, KeptVersion kept, CancellationToken cancellationToken)
    {
        var names = new StagingNames(kept.DeployId);
        var schemas = kept.Resources.Where(r => r.Kind == KeptResourceKind.Schema).ToList();
        var clusters = kept.Resources.Where(r => r.Kind == KeptResourceKind.Cluster).Select(r => r.StagingName).ToList();
        var previousIds = schemas.Select(s => s.PreviousDeployId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var previous = await DeploymentReader.ReadObjectsAsync(session, previousIds, cancellationToken).ConfigureAwait(false);
        // The previous version's own objects, as the swap renamed their schemas.
        var kepts = schemas.Where(s => s.PreviousDeployId is not null)
            .SelectMany(s => previous[s.PreviousDeployId!].Where(o => o.Database == s.Database && o.Schema == s.Name)
                .Select(o => new ObjectId(o.Database, s.StagingName, o.Name)))
            .ToList();
        return await OwnershipCatalog.FindUnmanagedAsync(session, kept.DeployId, schemas.Select(s => s.StagingSchema).ToList(), clusters,
            recorded =>
            {
                var managed = new HashSet<ObjectId>(OwnershipCheck.WithStagingCopies(recorded, names, schemas.Select(s => s.ProductionSchema)));
                managed.UnionWith(kepts);
                return managed;
            }, cancellationToken).ConfigureAwait(false);
    }
}
