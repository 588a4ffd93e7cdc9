using MzDeploy.Engine.Catalog;

namespace MzDeploy.Engine.Operations;

/// <summary>
/// The shell every Prepare → plan → Execute operation on one verified session shares: it owns the session from the
/// moment its plan exists, exposes the plan for a preview or a question, and closes the session when disposed.
/// </summary>
/// <typeparam name="TPlan">The plan value: the exact statements the operation will run.</typeparam>
public abstract class PlannedOperation<TPlan> : IAsyncDisposable
{
    private protected PlannedOperation(VerifiedSession verified, TPlan plan)
    {
        Verified = verified;
        Plan = plan;
    }

    /// <summary>What the operation will run, as planned from the state Prepare read.</summary>
    public TPlan Plan { get; }

    /// <summary>The session Prepare read on and Execute runs on.</summary>
    private protected VerifiedSession Verified { get; }

    public ValueTask DisposeAsync() => Verified.DisposeAsync();

    /// <summary>
    /// Opens a session verified for <paramref name="required"/>, then reads and plans on it with <paramref name="prepare"/>;
    /// when that fails the session is closed, otherwise the operation it returns owns it.
    /// </summary>
    private protected static async Task<TOperation> PrepareOnAsync<TOperation>(ConnectionTarget target, RoleRequirement required,
        IOperationLog log, CancellationToken cancellationToken, Func<VerifiedSession, Task<TOperation>> prepare)
    {
        var verified = await VerifiedSession.OpenAsync(target, required, log, cancellationToken).ConfigureAwait(false);
        try
        {
            return await prepare(verified).ConfigureAwait(false);
        }
        catch
        {
            await verified.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
