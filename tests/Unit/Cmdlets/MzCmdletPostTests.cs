using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MzDeploy.Engine.Errors;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Cmdlets;

/// <summary>
/// The async cmdlet base: a cmdlet body awaits engine work that runs on the thread pool, and everything PowerShell
/// allows only on the pipeline thread (Write*, ShouldProcess, progress) works in straight-line code after each await
/// and from the engine's log and posted callbacks.
/// </summary>
public class MzCmdletPostTests
{
    [Cmdlet(VerbsDiagnostic.Test, "MzPost", SupportsShouldProcess = true)]
    public sealed class TestMzPostCommand : MzCmdlet
    {
        /// <summary>Post an error that -ErrorAction Stop turns into an exception, while the work waits to be cancelled.</summary>
        [Parameter]
        public SwitchParameter Fail { get; set; }

        /// <summary>Items whose engine work fails with an error of <see cref="ErrorScope.Item"/> scope.</summary>
        [Parameter]
        public string[] Refuse { get; set; } = [];

        /// <summary>Fail the whole command with an error of <see cref="ErrorScope.Command"/> scope on this item.</summary>
        [Parameter]
        public string? StopOn { get; set; }

        public static bool WorkCancelled { get; set; }

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            var pipelineThread = Environment.CurrentManagedThreadId;
            var workThread = await Task.Run(async () =>
            {
                await Task.Yield();
                Log.Verbose("first");
                Post(() => WriteObject($"posted on the pipeline thread: {Environment.CurrentManagedThreadId == pipelineThread}"));
                Log.Verbose("second");
                if (Fail)
                {
                    Post(() => WriteError(new ErrorRecord(new InvalidOperationException("posted failure"), "PostedFailure", ErrorCategory.NotSpecified, null)));
                    try
                    {
                        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        WorkCancelled = true;
                        throw;
                    }
                }

                return Environment.CurrentManagedThreadId;
            }, cancellationToken);

            WriteObject($"work ran off the pipeline thread: {workThread != pipelineThread}");
            WriteObject($"resumed on the pipeline thread: {Environment.CurrentManagedThreadId == pipelineThread}");
            if (ShouldProcess("target", "act"))
            {
                WriteObject("acted");
            }

            foreach (var item in new[] { "a", "b", "c" })
            {
                var done = await ForItemAsync(() => WorkOnAsync(item), item);
                if (done is not null)
                {
                    WriteObject(done);
                }
            }
        }

        private async Task<string> WorkOnAsync(string item)
        {
            await Task.Delay(1).ConfigureAwait(false);
            if (Refuse.Contains(item))
            {
                throw new MzDeployException(ErrorIds.DeploymentNotFound, $"refused {item}");
            }

            if (StopOn == item)
            {
                throw new MzDeployException(ErrorIds.ConnectionFailed, $"lost on {item}");
            }

            return $"done {item}";
        }
    }

    private static System.Management.Automation.PowerShell CreateShell()
    {
        var state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry("Test-MzPost", typeof(TestMzPostCommand), null));
        return System.Management.Automation.PowerShell.Create(state);
    }

    [Fact]
    public void Posted_actions_and_code_after_each_await_run_on_the_pipeline_thread_in_order_with_the_log()
    {
        using var shell = CreateShell();
        shell.AddCommand("Test-MzPost").AddParameter("Verbose");

        var output = shell.Invoke().Select(o => o.BaseObject).ToList();

        Assert.Equal([
            "posted on the pipeline thread: True", "work ran off the pipeline thread: True", "resumed on the pipeline thread: True",
            "acted", "done a", "done b", "done c",
        ], output);
        Assert.Equal(["first", "second"], shell.Streams.Verbose.Select(v => v.Message).Take(2));
        Assert.Empty(shell.Streams.Error);
    }

    [Fact]
    public void ShouldProcess_after_an_await_answers_WhatIf()
    {
        using var shell = CreateShell();
        shell.AddCommand("Test-MzPost").AddParameter("WhatIf");

        var output = shell.Invoke().Select(o => o.BaseObject).ToList();

        Assert.DoesNotContain("acted", output);
        Assert.Contains("done c", output);
    }

    [Fact]
    public void An_item_error_is_written_for_that_item_and_the_command_goes_on()
    {
        using var shell = CreateShell();
        shell.AddCommand("Test-MzPost").AddParameter("Refuse", new[] { "b" });

        var output = shell.Invoke().Select(o => o.BaseObject).ToList();

        Assert.Contains("done a", output);
        Assert.DoesNotContain("done b", output);
        Assert.Contains("done c", output);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("DeploymentNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("b", error.TargetObject);
    }

    [Fact]
    public void A_command_error_stops_the_command_naming_the_item_it_worked_on()
    {
        using var shell = CreateShell();
        shell.AddCommand("Test-MzPost").AddParameter("StopOn", "b");

        var thrown = Assert.ThrowsAny<RuntimeException>(() => shell.Invoke());

        Assert.Equal("ConnectionFailed", thrown.ErrorRecord.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("b", thrown.ErrorRecord.TargetObject);
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
