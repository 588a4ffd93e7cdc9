using System.Management.Automation;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Abandons a staged deployment: drops its staging schemas and clusters and its tracking rows (mz-deploy abort).</para>
/// Drops exactly what the deployment recorded. An unknown or promoted deployment is a non-terminating error, so a
/// pipeline goes on with the next one. Emits nothing unless -PassThru. Asks first; a session that cannot answer fails at
/// once with <c>ConfirmationRequired</c> (pass -Confirm:$false).
/// </summary>
[Cmdlet(VerbsCommon.Remove, "MzDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MzAbortResult))]
public sealed class RemoveMzDeploymentCommand : MzConnectedCmdlet
{
    /// <summary>The deployments to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployIdCompleter))]
    public string[] DeployId { get; set; } = [];

    /// <summary>Emit an <see cref="MzAbortResult"/> per removed deployment.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private const string Action = "drops the deployment's staging schemas and clusters";

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        Confirmation.EnsureCanAsk(this, force: false, Action);
        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var factory = ResolveConnection();
        foreach (var id in DeployId)
        {
            // One session per deployment: it reads and plans, the plan is shown or asked about, then the same session runs it.
            await using var operation = await ForItemAsync(() => AbortOperation.PrepareAsync(factory, id, Log, cancellationToken), id);
            if (operation is null)
            {
                continue;
            }

            var plan = operation.Plan;
            var description = $"Remove deployment '{id}': drop {plan.Schemas.Count} schema(s) ({string.Join(", ", plan.Schemas)}) and "
                              + $"{plan.Clusters.Count} cluster(s) ({string.Join(", ", plan.Clusters)}), delete its tracking rows:{Environment.NewLine}  "
                              + string.Join(";" + Environment.NewLine + "  ", plan.AllStatements.Select(s => s.Display)) + ";";
            if (!Confirmation.ShouldProcess(this, force: false, Action, description,
                    $"Remove staged deployment '{id}' and drop its staging schemas and clusters?", "Remove-MzDeployment"))
            {
                continue;
            }

            var result = await operation.ExecuteAsync(Log, cancellationToken);
            if (PassThru)
            {
                WriteObject(StageMapper.ToOutput(result));
            }
        }
    }
}
