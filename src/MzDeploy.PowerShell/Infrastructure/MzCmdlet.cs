using System.Management.Automation;
using MzDeploy.Engine;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// Base of every MzDeploy cmdlet: resolves paths against the PowerShell location (not the process
/// directory), turns engine exceptions into terminating ErrorRecords, and cancels engine work on Ctrl+C.
/// All members run on the pipeline thread.
/// </summary>
public abstract class MzCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing).</summary>
    protected CancellationToken Stopping => _stopping.Token;

    /// <summary>
    /// A path the user typed, resolved like PowerShell's own cmdlets do (relative to the current
    /// location, <c>~</c> expanded); null or empty means the current location.
    /// </summary>
    protected string ResolvePath(string? path) =>
        string.IsNullOrEmpty(path)
            ? SessionState.Path.CurrentFileSystemLocation.ProviderPath
            : GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Runs engine work, converting its expected failures into a terminating error.</summary>
    protected T Invoke<T>(Func<T> work, object? target = null)
    {
        try
        {
            return work();
        }
        catch (MzDeployException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, target));
            throw; // unreachable: ThrowTerminatingError always throws
        }
        catch (OperationCanceledException) when (Stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    protected override void StopProcessing() => _stopping.Cancel();

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
