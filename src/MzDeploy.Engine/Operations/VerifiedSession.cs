using MzDeploy.Engine.Catalog;

namespace MzDeploy.Engine.Operations;

/// <summary>
/// A session of a connecting command other than setup, after the pre-flight: pinned to the server cluster,
/// the tracking infrastructure verified, the user's mz-deploy role checked against what the command needs.
/// </summary>
internal sealed class VerifiedSession : IAsyncDisposable
{
    private VerifiedSession(CatalogSession session, ConnectedRole role)
    {
        Session = session;
        Role = role;
    }

    public CatalogSession Session { get; }

    public ConnectedRole Role { get; }

    /// <summary>
    /// Opens, verifies setup (<c>SetupRequired</c>), then checks the role (<c>NoMzDeployRole</c>, …). A deployer session then
    /// drops the kept previous versions whose rollback window has ended (<see cref="KeptVersionDrops.DropExpiredAsync"/>):
    /// this is the one place every command that may change the environment passes through (stage, promote, apply, abort,
    /// delete), after the role that may drop them is proven, and before the command reads the state it plans from.
    /// Commands that only read (list, wait) run as any role and leave them. An undo and the explicit drop pass
    /// <paramref name="dropExpiredKeptVersions"/> false: they deal with kept versions themselves and say what they did.
    /// </summary>
    public static async Task<VerifiedSession> OpenAsync(ConnectionTarget target, RoleRequirement required, IOperationLog log,
        CancellationToken cancellationToken, IStatementRecorder? recorder = null, bool dropExpiredKeptVersions = true)
    {
        var session = await target.Factory.OpenAsync(cancellationToken, pinned: true, recorder).ConfigureAwait(false);
        try
        {
            log.Verbose($"Connected: {target.Description}");
            var rbac = await RoleCheck.IsRbacActiveAsync(session, target.EmulatorMode, cancellationToken).ConfigureAwait(false);
            await SetupVerifier.VerifyAsync(session, rbac, cancellationToken).ConfigureAwait(false);
            var role = await RoleCheck.CheckAsync(session, rbac, required, cancellationToken).ConfigureAwait(false);
            log.Verbose(rbac
                ? $"Connected as '{role.User}' ({RoleCheck.RoleName(role.Role)})."
                : $"Connected as '{role.User}' (RBAC off: no role check).");
            if (required == RoleRequirement.Deployer && dropExpiredKeptVersions)
            {
                await KeptVersionDrops.DropExpiredAsync(session, log, cancellationToken).ConfigureAwait(false);
            }

            return new VerifiedSession(session, role);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => Session.DisposeAsync();
}
