using System.Collections.Concurrent;
using System.Management.Automation;
using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
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
    protected T InvokeAsync<T>(Func<IOperationLog, CancellationToken, Task<T>> work, object? target = null) =>
        InvokeAsync((log, _, stopping) => work(log, stopping), target);

    /// <summary>
    /// <see cref="InvokeAsync{T}(Func{IOperationLog, CancellationToken, Task{T}}, object?)"/> for work that also needs the
    /// pipeline thread for something other than log messages (Write-Progress, WriteObject while it runs): the work
    /// calls <c>post(action)</c> from any thread, and this thread runs the action, in order with the log messages,
    /// before InvokeAsync returns. Actions posted after the work finished are dropped. An exception thrown by an
    /// action (PipelineStoppedException, an -ErrorAction Stop error) cancels the work and propagates once it ends.
    /// </summary>
    protected T InvokeAsync<T>(Func<IOperationLog, Action<Action>, CancellationToken, Task<T>> work, object? target = null)
    {
        using var queue = new BlockingCollection<Action>();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
        var log = new QueuedLog(queue, this);
        var task = Task.Run(async () =>
        {
            try
            {
                return await work(log, action => Post(queue, action), cancel.Token).ConfigureAwait(false);
            }
            finally
            {
                queue.CompleteAdding();
            }
        });

        Exception? failed = null;
        foreach (var action in queue.GetConsumingEnumerable())
        {
            if (failed is not null)
            {
                continue; // drain, so the work is never blocked on a full queue
            }

            try
            {
                action();
            }
            catch (Exception e)
            {
                failed = e;
                cancel.Cancel();
            }
        }

        if (failed is not null)
        {
            // The work was cancelled because of the action's exception: that exception is the one to report.
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (Exception)
            {
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed).Throw();
        }

        return Invoke(() => task.GetAwaiter().GetResult(), target);
    }

    /// <summary>
    /// Runs engine work for one pipeline item (one deploy ID) as <see cref="InvokeAsync{T}(Func{IOperationLog, Action{Action}, CancellationToken, Task{T}}, object?)"/>
    /// does, except that a failure of <see cref="ErrorScope.Item"/> scope concerns only that item: it is written as a
    /// non-terminating error and null is returned, so the pipeline goes on with the next item. A failure of
    /// <see cref="ErrorScope.Command"/> scope (connection, setup, role) stops the command.
    /// </summary>
    protected T? InvokeForItem<T>(Func<IOperationLog, Action<Action>, CancellationToken, Task<T>> work, string item)
        where T : class
    {
        MzDeployException? refused = null;
        var result = InvokeAsync<T?>(async (log, post, stopping) =>
        {
            try
            {
                return await work(log, post, stopping).ConfigureAwait(false);
            }
            catch (MzDeployException e) when (e.Scope == ErrorScope.Item)
            {
                refused = e;
                return null;
            }
        }, item);
        if (refused is not null)
        {
            WriteError(ErrorRecords.From(refused, item));
        }

        return result;
    }

    /// <summary><see cref="InvokeForItem{T}(Func{IOperationLog, Action{Action}, CancellationToken, Task{T}}, string)"/> for work that posts nothing.</summary>
    protected T? InvokeForItem<T>(Func<IOperationLog, CancellationToken, Task<T>> work, string item)
        where T : class =>
        InvokeForItem((log, _, stopping) => work(log, stopping), item);

    protected override void StopProcessing() => _stopping.Cancel();

    private static void Post(BlockingCollection<Action> queue, Action action)
    {
        try
        {
            queue.Add(action);
        }
        catch (InvalidOperationException)
        {
            // The work finished (or the cmdlet stopped): nobody is listening any more.
        }
    }

    /// <summary>Hands log messages from any thread to the pipeline thread; warnings in this module's words.</summary>
    private sealed class QueuedLog(BlockingCollection<Action> queue, Cmdlet cmdlet) : IOperationLog
    {
        public void Verbose(string message) => Post(queue, () => cmdlet.WriteVerbose(message));

        public void Warning(OperationWarning warning) => Post(queue, () => cmdlet.WriteWarning(RemedyText.Render(warning)));
    }

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
