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

    /// <summary>Opens, verifies setup (<c>SetupRequired</c>), then checks the role (<c>NoMzDeployRole</c>, …).</summary>
    public static async Task<VerifiedSession> OpenAsync(ConnectionTarget target, RoleRequirement required, IOperationLog log,
        CancellationToken cancellationToken, IStatementRecorder? recorder = null)
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
