using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.Operations;

/// <summary>
/// The sessions of one wait: the verified one it starts on, then, after a transient failure broke it, a new one opened on
/// the next read. A new session checks again that the deployment is still staged (it may have been promoted or removed
/// while the connection was down); the role was checked on the first and does not change with a reconnect.
/// </summary>
internal sealed class WaitSessions(ConnectionTarget target, CatalogSession first, string deployId) : IAsyncDisposable
{
    private CatalogSession? _current = first;

    // A session this opened (the first belongs to the verified session, which closes it).
    private CatalogSession? _owned;

    /// <summary>The session to read on, reconnecting when the last one broke.</summary>
    public async Task<CatalogSession> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_current is null)
        {
            var session = await target.Factory.OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Readiness.RequireStagedAsync(session, deployId, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await session.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            _owned = _current = session;
        }

        return _current;
    }

    /// <summary>Runs <paramref name="read"/> on the current session; a transient failure drops the session so the next read reconnects.</summary>
    public async Task<T> RunAsync<T>(Func<CatalogSession, Task<T>> read, CancellationToken cancellationToken)
    {
        var session = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await read(session).ConfigureAwait(false);
        }
        catch (MzDeployException e) when (e.Transient)
        {
            await DropAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task DropAsync()
    {
        _current = null;
        if (_owned is { } owned)
        {
            _owned = null;
            await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => new(DropAsync());
}
