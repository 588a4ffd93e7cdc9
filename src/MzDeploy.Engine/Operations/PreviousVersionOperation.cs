using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Operations;

/// <summary>
/// Drops kept previous versions now instead of at the end of their window: exactly the recorded copies, after proving
/// they hold only what the project manages, then their records. Prepare plans on one verified deployer session;
/// Execute runs the plans on it.
/// </summary>
public sealed class PreviousVersionOperation : PlannedOperation<IReadOnlyList<PreviousVersionPlan>>
{
    private PreviousVersionOperation(VerifiedSession verified, IReadOnlyList<PreviousVersionPlan> plan)
        : base(verified, plan)
    {
    }

    /// <summary>Plans the drop of <paramref name="deployId"/>'s kept version, or of every one (null).</summary>
    /// <exception cref="Errors.MzDeployException"><c>NoPreviousVersion</c>: a named deployment keeps nothing that can be dropped.</exception>
    public static async Task<PreviousVersionOperation> PrepareAsync(ConnectionTarget target, string? deployId, IOperationLog log,
        CancellationToken cancellationToken)
    {
        var id = deployId is null ? (DeployId?)null : Model.DeployId.Parse(deployId);
        var verified = await VerifiedSession.OpenAsync(target, RoleRequirement.Deployer, log, cancellationToken, dropExpiredKeptVersions: false)
            .ConfigureAwait(false);
        try
        {
            var plans = await KeptVersionDrops.DroppableAsync(verified.Session, id, cancellationToken).ConfigureAwait(false);
            if (id is { } named && plans.Count == 0)
            {
                throw KeptVersionPlanner.NothingKept(named, "nothing is kept for it, or a promote or undo of it is unfinished");
            }

            return new PreviousVersionOperation(verified, plans);
        }
        catch
        {
            await verified.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Drops one planned kept version (the caller asks per version).</summary>
    /// <exception cref="Errors.MzDeployException"><c>UnmanagedObjects</c>: nothing of it is dropped.</exception>
    public Task ExecuteAsync(PreviousVersionPlan plan, IOperationLog log, CancellationToken cancellationToken) =>
        KeptVersionDrops.DropAsync(Verified.Session, plan, log, cancellationToken);
}
