using System.Collections.Concurrent;
using System.Management.Automation;
using MzDeploy.Engine;
using MzDeploy.Engine.Operations;

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
    protected CancellationToken StopToken => _stopping.Token;

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
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// Runs asynchronous engine work on the thread pool while this (pipeline) thread writes the work's log messages
    /// as verbose and warning records as they arrive — Write* may only be called from the pipeline thread. Ctrl+C
    /// cancels the work through <see cref="StopToken"/>; failures become terminating errors as in <see cref="Invoke{T}"/>.
    /// </summary>
    protected T InvokeAsync<T>(Func<IOperationLog, CancellationToken, Task<T>> work, object? target = null)
    {
        using var messages = new BlockingCollection<(bool Warning, string Text)>();
        var log = new QueuedLog(messages);
        var task = Task.Run(async () =>
        {
            try
            {
                return await work(log, StopToken).ConfigureAwait(false);
            }
            finally
            {
                messages.CompleteAdding();
            }
        });

        foreach (var (warning, text) in messages.GetConsumingEnumerable())
        {
            if (warning)
            {
                WriteWarning(text);
            }
            else
            {
                WriteVerbose(text);
            }
        }

        return Invoke(() => task.GetAwaiter().GetResult(), target);
    }

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Hands log messages from any thread to the pipeline thread.</summary>
    private sealed class QueuedLog(BlockingCollection<(bool Warning, string Text)> messages) : IOperationLog
    {
        public void Verbose(string message) => Add(false, message);

        public void Warning(string message) => Add(true, message);

        private void Add(bool warning, string message)
        {
            try
            {
                messages.Add((warning, message));
            }
            catch (InvalidOperationException)
            {
                // The work finished (or the cmdlet stopped): nobody is listening any more.
            }
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
