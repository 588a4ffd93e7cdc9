using System.Management.Automation;
using MzDeploy.Engine.Sandbox;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Shows the private sandbox: the emulator the module starts for unit tests and type checks; -Start starts it.</para>
/// Writes nothing when no sandbox is running (and -Start is not given).
/// </summary>
[Cmdlet(VerbsCommon.Get, "MzSandbox")]
[OutputType(typeof(MzSandbox))]
public sealed class GetMzSandboxCommand : MzCmdlet
{
    /// <summary>Starts the private sandbox when none is running (over the PostgreSQL the machine has).</summary>
    [Parameter]
    public SwitchParameter Start { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var running = PrivateSandbox.Current;
        if (running is null && Start)
        {
            running = await PrivateSandbox.GetOrStartAsync(SandboxModule.EmulatorAssembly, cancellationToken);
            WriteVerbose($"Started the private sandbox at {running.Host}:{running.Port} in {running.StartTime.TotalSeconds:0.00} s over {running.DataDirectory}.");
        }

        if (running is not null)
        {
            WriteObject(new MzSandbox(running));
        }
    }
}
