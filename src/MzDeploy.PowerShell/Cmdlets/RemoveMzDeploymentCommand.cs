using System.Management.Automation;
using MzDeploy.Engine;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Abandons a staged deployment: drops its staging schemas and clusters and its tracking rows (mz-deploy abort).</para>
/// Drops exactly what the deployment recorded. An unknown or promoted deployment is a non-terminating error, so a
/// pipeline goes on with the next one. Emits nothing unless -PassThru.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "MzDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MzAbortResult))]
public sealed class RemoveMzDeploymentCommand : MzConnectedCmdlet
{
    /// <summary>The deployments to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] DeployId { get; set; } = [];

    /// <summary>Emit an <see cref="MzAbortResult"/> per removed deployment.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var factory = ResolveConnection();
        foreach (var id in DeployId)
        {
            // The plan pass reads the deployment and lists what would be dropped. An ID that cannot be removed (unknown,
            // promoted) is reported and the next one is tried; anything else (connection, role, setup) stops the command.
            MzDeployException? refused = null;
            var plan = InvokeAsync(async (_, stopping) =>
            {
                try
                {
                    return await AbortOperation.RunAsync(factory, id, dryRun: true, NullOperationLog.Instance, stopping).ConfigureAwait(false);
                }
                catch (MzDeployException e) when (e.ErrorId is DeploymentQueries.NotFoundErrorId or PlanErrors.DeploymentAlreadyPromoted
                                                      or PlanErrors.DeploymentPartiallyPromoted)
                {
                    refused = e;
                    return null;
                }
            }, id);
            if (plan is null)
            {
                WriteError(ErrorRecords.From(refused!, id));
                continue;
            }

            var description = $"Remove deployment '{id}': drop {plan.Schemas.Count} schema(s) ({string.Join(", ", plan.Schemas)}) and "
                              + $"{plan.Clusters.Count} cluster(s) ({string.Join(", ", plan.Clusters)}), delete its tracking rows:{Environment.NewLine}  "
                              + string.Join(";" + Environment.NewLine + "  ", plan.Statements) + ";";
            if (!ShouldProcess(description, $"Remove staged deployment '{id}' and drop its staging schemas and clusters?", "Remove-MzDeployment"))
            {
                continue;
            }

            var result = InvokeAsync((log, stopping) => AbortOperation.RunAsync(factory, id, dryRun: false, log, stopping), id);
            if (PassThru)
            {
                WriteObject(StageMapper.ToOutput(result));
            }
        }
    }
}
