using System.Management.Automation;
using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Operations;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// Base of every MzDeploy cmdlet, an async cmdlet base: a cmdlet overrides <see cref="ProcessRecordAsync"/> (and, when
/// it needs them, <see cref="BeginProcessingAsync"/> and <see cref="EndProcessingAsync"/>) and writes straight-line
/// async code — await an engine operation, WriteObject, ShouldProcess, await the next — because the body runs on the
/// pipeline thread under <see cref="PipelineSynchronizationContext"/>: every await in cmdlet code resumes there, and
/// <see cref="Log"/> and <see cref="Post"/> carry the engine's messages and progress from the thread pool to it. It also
/// resolves paths against the PowerShell location, turns engine exceptions into ErrorRecords (<see cref="ForItemAsync{T}"/>
/// for one pipeline item, terminating otherwise) and cancels engine work on Ctrl+C.
/// </summary>
public abstract class MzCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private PipelineSynchronizationContext? _pipeline;
    private string? _item;

    /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing).</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>The engine's log for the running body: verbose messages and warnings, shown on the pipeline thread.</summary>
    protected IOperationLog Log => new PipelineLog(this);

    /// <summary>
    /// A path the user typed, resolved like PowerShell's own cmdlets do (relative to the current
    /// location, <c>~</c> expanded); null or empty means the current location.
    /// </summary>
    protected string ResolvePath(string? path) =>
        string.IsNullOrEmpty(path)
            ? SessionState.Path.CurrentFileSystemLocation.ProviderPath
            : GetUnresolvedProviderPathFromPSPath(path);

    protected sealed override void BeginProcessing() => RunBody(BeginProcessingAsync);

    protected sealed override void ProcessRecord() => RunBody(ProcessRecordAsync);

    protected sealed override void EndProcessing() => RunBody(EndProcessingAsync);

    /// <summary>Once, before the first pipeline item. Runs on the pipeline thread; <paramref name="cancellationToken"/> is Ctrl+C.</summary>
    protected virtual Task BeginProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Once per pipeline item (once without pipeline input).</summary>
    protected virtual Task ProcessRecordAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Once, after the last pipeline item.</summary>
    protected virtual Task EndProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs <paramref name="action"/> on the pipeline thread (Write-Progress from an engine callback), in order with the log.</summary>
    protected void Post(Action action)
    {
        if (_pipeline is null)
        {
            throw new InvalidOperationException("Post is only available while a cmdlet body runs.");
        }

        _pipeline.Post(action);
    }

    /// <summary>The progress activity of a cmdlet that runs one plan's steps (stage, apply).</summary>
    protected const int StepProgressId = 1;

    /// <summary>A line for the person at the console (the information stream, shown by the host), not pipeline output.</summary>
    protected void Inform(string message) =>
        WriteInformation(new HostInformationMessage { Message = message }, ["PSHOST"]);

    /// <summary>
    /// Moves the progress bar of a run through a plan's steps to step <paramref name="done"/> + 1 of <paramref name="total"/>
    /// (a <paramref name="unit"/> each); safe from engine callbacks, which may run off the pipeline thread.
    /// </summary>
    protected void ReportStep(string activity, int done, int total, string status, string unit) =>
        Post(() => WriteProgress(new ProgressRecord(StepProgressId, activity, status)
        {
            PercentComplete = total == 0 ? 100 : done * 100 / total,
            CurrentOperation = $"{unit} {done + 1} of {total}",
        }));

    /// <summary>Ends the progress bar of <paramref name="activity"/>; after Ctrl+C the host clears it itself.</summary>
    protected void CompleteProgress(string activity)
    {
        try
        {
            WriteProgress(new ProgressRecord(StepProgressId, activity, "done") { RecordType = ProgressRecordType.Completed });
        }
        catch (PipelineStoppedException)
        {
            // Ctrl+C: nothing more may be written.
        }
    }

    /// <summary>Runs synchronous engine work, converting its expected failures into a terminating error.</summary>
    protected internal T Invoke<T>(Func<T> work, object? target = null)
    {
        try
        {
            return work();
        }
        catch (MzDeployException ex)
        {
            ThrowTerminatingError(Report(ex, target));
            throw; // unreachable: ThrowTerminatingError always throws
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// Awaits engine work for one pipeline item (one deploy ID). A failure of <see cref="ErrorScope.Item"/> scope concerns
    /// only that item: it is written as a non-terminating error and null is returned, so the cmdlet goes on with the next
    /// item. A failure of <see cref="ErrorScope.Command"/> scope (connection, setup, role) propagates and stops the command.
    /// </summary>
    protected async Task<T?> ForItemAsync<T>(Func<Task<T>> work, string item)
        where T : class
    {
        _item = item;
        try
        {
            return await work();
        }
        catch (MzDeployException e) when (e.Scope == ErrorScope.Item)
        {
            WriteError(Report(e, item));
            return null;
        }
    }

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// The ErrorRecord of an engine failure. The SQL statement behind a server failure is MzDeploy's own (a catalog read,
    /// a tracking write, a rewritten DDL): it is never in the message, only on the debug stream, for whoever asks with -Debug.
    /// </summary>
    private ErrorRecord Report(MzDeployException exception, object? target)
    {
        for (Exception? cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is MzDeployException { Statement: { } statement } failed)
            {
                WriteDebug($"{failed.ErrorId}: the statement was: {statement}");
                break;
            }
        }

        return ErrorRecords.From(exception, target);
    }

    /// <summary>
    /// Runs one body on the pipeline thread until it ends. An engine error that escapes it becomes a terminating
    /// ErrorRecord naming <see cref="ErrorTarget"/>; Ctrl+C becomes PipelineStoppedException.
    /// </summary>
    private void RunBody(Func<CancellationToken, Task> body)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
        try
        {
            PipelineSynchronizationContext.Run(async () =>
            {
                _pipeline = (PipelineSynchronizationContext)SynchronizationContext.Current!;
                await body(cancel.Token);
                return true;
            }, cancel.Cancel);
        }
        catch (MzDeployException ex)
        {
            ThrowTerminatingError(Report(ex, ErrorTarget));
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            _pipeline = null;
        }
    }

    /// <summary>
    /// The object a terminating engine error is reported against when the error names none itself: by default the
    /// item <see cref="ForItemAsync{T}"/> last worked on.
    /// </summary>
    protected virtual object? ErrorTarget => _item;

    /// <summary>Hands log messages from any thread to the pipeline thread; warnings in this module's words.</summary>
    private sealed class PipelineLog(MzCmdlet cmdlet) : IOperationLog
    {
        public void Verbose(string message) => cmdlet.Post(() => cmdlet.WriteVerbose(message));

        public void Warning(OperationWarning warning) => cmdlet.Post(() => cmdlet.WriteWarning(RemedyText.Render(warning)));
    }

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
