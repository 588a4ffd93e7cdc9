using System.Management.Automation;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Drops one cluster, connection, network policy, role, secret, source or table from production (mz-deploy delete).</para>
/// Drops without CASCADE: an object that others depend on is refused with a message naming each dependent. Requires the
/// materialize_deployer role. The project file that defines the object is removed only with -RemoveFile. Asks first
/// (ConfirmImpact High); -Force or -Confirm:$false skips the question, and a session that cannot answer fails at once with
/// <c>ConfirmationRequired</c>. Takes Type and Name from the pipeline, so objects Invoke-MzApply reports as Unmanaged can be
/// piped in. A refused object is a non-terminating error; the pipeline goes on with the next.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "MzObject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MzObjectRemoval))]
public sealed class RemoveMzObjectCommand : MzConnectedCmdlet
{
    /// <summary>The kind of object (case-insensitive).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Cluster", "Connection", "NetworkPolicy", "Role", "Secret", "Source", "Table", IgnoreCase = true)]
    public string Type { get; set; } = string.Empty;

    /// <summary>The production name: a cluster's, role's or network policy's; <c>database.schema.name</c> for the others.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Also remove the project file that defines the object, once it is dropped.</summary>
    [Parameter]
    public SwitchParameter RemoveFile { get; set; }

    /// <summary>Drop without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Show the exact DROP (as an <see cref="MzObjectRemoval"/> with Dropped false) and change nothing.</summary>
    [Parameter]
    public SwitchParameter DryRun { get; set; }

    private const string Action = "drops an object from production";

    private ConnectionTarget? _target;

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken) =>
        Confirmation.EnsureCanAskUnlessDryRun(this, DryRun, Force, Action);

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        _target ??= ResolveConnection();
        var target = _target;
        var kind = Enum.Parse<InfrastructureKind>(Type, ignoreCase: true);
        var request = new DeleteRequest(kind, Name, ResolvePath(Path), RemoveFile);
        // One session per object: it reads and plans, the plan is shown or asked about, then the same session drops.
        await using var operation = await ForItemAsync(() => DeleteOperation.PrepareAsync(target, request, Log, cancellationToken), Name);
        if (operation is not null)
        {
            await RemoveAsync(target, operation, cancellationToken);
        }
    }

    private async Task RemoveAsync(ConnectionTarget target, DeleteOperation operation, CancellationToken cancellationToken)
    {
        var plan = operation.Plan;
        var type = plan.Target.Kind.ToString();
        if (DryRun)
        {
            WriteObject(new MzObjectRemoval(type, plan.Target.Name, plan.Statement.Display, dropped: false, plan.ProjectFile, fileRemoved: false));
            return;
        }

        var file = plan.ProjectFile is null ? "no project file defines it"
            : plan.RemovesFile ? $"then remove its project file {plan.ProjectFile}"
            : $"its project file {plan.ProjectFile} stays (-RemoveFile removes it)";
        var description = $"Drop {plan.Target} on {target.Server} ({file}):{Environment.NewLine}  {plan.Statement.Display};";
        if (!Confirmation.ShouldProcess(this, Force, Action, description,
                $"Drop {plan.Target} on {target.Server}? It cannot be undone; {file}.", "Remove-MzObject"))
        {
            return;
        }

        if (await ForItemAsync(() => operation.ExecuteAsync(Log, cancellationToken), plan.Target.Name) is not { } result)
        {
            return;
        }

        var said = result.ProjectFile is null ? "no project file defines it."
            : result.FileRemoved ? $"removed its project file {result.ProjectFile}."
            : $"its project file {result.ProjectFile} stays (-RemoveFile removes it).";
        Inform($"Dropped {plan.Target}; {said}");
        WriteObject(new MzObjectRemoval(result.Kind.ToString(), result.Name, result.Statement, dropped: true, result.ProjectFile, result.FileRemoved));
    }
}
