using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Cmdlets;

/// <summary>MzCmdlet.InvokeAsync with posted actions: engine work on the thread pool, Write* on the pipeline thread.</summary>
public class MzCmdletPostTests
{
    /// <summary>Logs, posts WriteObject from the pool, and with -Fail posts an error that -ErrorAction Stop turns into an exception.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "MzPost")]
    public sealed class TestMzPostCommand : MzCmdlet
    {
        [Parameter]
        public SwitchParameter Fail { get; set; }

        public static bool WorkCancelled { get; set; }

        protected override void ProcessRecord()
        {
            var pipelineThread = Environment.CurrentManagedThreadId;
            var result = InvokeAsync(async (log, post, stopping) =>
            {
                await Task.Yield();
                var workThread = Environment.CurrentManagedThreadId;
                log.Verbose("first");
                post(() => WriteObject($"posted on the pipeline thread: {Environment.CurrentManagedThreadId == pipelineThread}"));
                log.Verbose("second");
                if (Fail)
                {
                    post(() => WriteError(new ErrorRecord(new InvalidOperationException("posted failure"), "PostedFailure", ErrorCategory.NotSpecified, null)));
                    try
                    {
                        await Task.Delay(Timeout.Infinite, stopping);
                    }
                    catch (OperationCanceledException)
                    {
                        WorkCancelled = true;
                        throw;
                    }
                }

                return $"work ran off the pipeline thread: {workThread != pipelineThread}";
            });
            WriteObject(result);
        }
    }

    private static System.Management.Automation.PowerShell CreateShell()
    {
        var state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry("Test-MzPost", typeof(TestMzPostCommand), null));
        return System.Management.Automation.PowerShell.Create(state);
    }

    [Fact]
    public void Posted_actions_run_on_the_pipeline_thread_in_order_with_the_log()
    {
        using var shell = CreateShell();
        shell.AddCommand("Test-MzPost").AddParameter("Verbose");

        var output = shell.Invoke().Select(o => o.BaseObject).ToList();

        Assert.Equal(["posted on the pipeline thread: True", "work ran off the pipeline thread: True"], output);
        Assert.Equal(["first", "second"], shell.Streams.Verbose.Select(v => v.Message));
    }

    [Fact]
    public void An_exception_from_a_posted_action_cancels_the_work_and_is_the_one_reported()
    {
        using var shell = CreateShell();
        shell.AddCommand("Test-MzPost").AddParameter("Fail").AddParameter("ErrorAction", ActionPreference.Stop);
        TestMzPostCommand.WorkCancelled = false;

        var thrown = Assert.ThrowsAny<RuntimeException>(() => shell.Invoke());

        Assert.Equal("PostedFailure", thrown.ErrorRecord.FullyQualifiedErrorId.Split(',')[0]);
        Assert.True(TestMzPostCommand.WorkCancelled);
    }
}
