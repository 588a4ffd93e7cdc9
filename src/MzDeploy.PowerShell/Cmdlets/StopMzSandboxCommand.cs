using System.Management.Automation;
using MzDeploy.Engine.Sandbox;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Stops the private sandbox and its PostgreSQL, and removes its data. The next command that needs one starts a new one.</para>
/// Does nothing when none is running.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "MzSandbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(MzSandbox))]
public sealed class StopMzSandboxCommand : MzCmdlet
{
    /// <summary>Writes the stopped sandbox (IsRunning false).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        if (PrivateSandbox.Current is not { } running)
        {
            WriteVerbose("No private sandbox is running.");
            return;
        }

        if (!ShouldProcess($"the private sandbox at {running.Host}:{running.Port} ({running.DataDirectory})", "Stop"))
        {
            return;
        }

        await PrivateSandbox.StopAsync();
        if (PassThru)
        {
            WriteObject(new MzSandbox(running));
        }
    }
}
