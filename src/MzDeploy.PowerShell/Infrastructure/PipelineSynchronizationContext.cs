using System.Collections.Concurrent;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// Runs an async cmdlet body on the pipeline thread. PowerShell allows <c>Write*</c>, <c>ShouldProcess</c> and
/// <c>ShouldContinue</c> only on the thread that called the cmdlet's override, so while the body runs, this context is
/// current and the pipeline thread does nothing but execute what is posted to it: the body's continuations (every
/// <c>await</c> in cmdlet code resumes here) and the callbacks the engine posts from the thread pool (log messages,
/// progress). The engine awaits with <c>ConfigureAwait(false)</c>, so its I/O never occupies the pipeline thread.
/// </summary>
internal sealed class PipelineSynchronizationContext : SynchronizationContext, IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly int _pipelineThread = Environment.CurrentManagedThreadId;

    /// <summary>
    /// Runs <paramref name="body"/> with this context current and pumps posted work until the returned task ends. An
    /// exception thrown by a posted callback (not by the body's own continuations, whose exceptions fault the task)
    /// calls <paramref name="onCallbackFailed"/> once and is rethrown after the task ends; later callbacks are skipped.
    /// </summary>
    public static T Run<T>(Func<Task<T>> body, Action onCallbackFailed)
    {
        var previous = Current;
        using var context = new PipelineSynchronizationContext();
        SetSynchronizationContext(context);
        try
        {
            Task<T> task;
            try
            {
                task = body();
            }
            catch (Exception e)
            {
                task = Task.FromException<T>(e);
            }

            task.ContinueWith(_ => context._queue.CompleteAdding(), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            var failed = context.Pump(onCallbackFailed);
            if (failed is not null)
            {
                _ = task.Exception; // observed: the callback's exception is the one to report
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed).Throw();
            }

            return task.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            _queue.Add((d, state));
        }
        catch (InvalidOperationException)
        {
            // The body has ended: a late log message or progress update has nobody to show it to.
        }
    }

    public override void Send(SendOrPostCallback d, object? state)
    {
        if (Environment.CurrentManagedThreadId == _pipelineThread)
        {
            d(state);
            return;
        }

        using var done = new ManualResetEventSlim();
        Exception? error = null;
        Post(_ =>
        {
            try
            {
                d(state);
            }
            catch (Exception e)
            {
                error = e;
            }
            finally
            {
                done.Set();
            }
        }, null);
        done.Wait();
        if (error is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        }
    }

    public override SynchronizationContext CreateCopy() => this;

    public void Dispose() => _queue.Dispose();

    private Exception? Pump(Action onCallbackFailed)
    {
        Exception? failed = null;
        foreach (var (callback, state) in _queue.GetConsumingEnumerable())
        {
            if (failed is not null && callback.Target is PostedAction)
            {
                // After a failed callback the body is cancelled and unwinds: its continuations still run (their
                // exceptions go into the task), but log messages and progress updates are shown no more.
                continue;
            }

            try
            {
                callback(state);
            }
            catch (Exception e) when (failed is null)
            {
                failed = e;
                onCallbackFailed();
            }
        }

        return failed;
    }

    /// <summary>Wraps an action posted through <see cref="Post(Action)"/> so a drain can tell it from a continuation.</summary>
    private sealed class PostedAction(Action action)
    {
        public void Invoke(object? _) => action();
    }

    /// <summary>Posts an action (a log message, a progress update) to run on the pipeline thread.</summary>
    public void Post(Action action) => Post(new PostedAction(action).Invoke, null);
}
