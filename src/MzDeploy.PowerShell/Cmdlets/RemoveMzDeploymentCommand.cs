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
/// <para>With -Previous it drops the previous production version a promote kept (Publish-MzDeployment -KeepPrevious) now,
/// instead of at the end of its window: of the deployments named, or every kept version.</para>
[Cmdlet(VerbsCommon.Remove, "MzDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = DeploymentSet)]
[OutputType(typeof(MzAbortResult), ParameterSetName = new[] { DeploymentSet })]
[OutputType(typeof(MzPreviousVersionRemoval), ParameterSetName = new[] { PreviousSet })]
public sealed class RemoveMzDeploymentCommand : MzConnectedCmdlet
{
    private const string DeploymentSet = "Deployment";
    private const string PreviousSet = "Previous";

    /// <summary>The deployments to remove (with -Previous: whose kept previous version to drop; all when omitted).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = DeploymentSet)]
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PreviousSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployIdCompleter))]
    public string[] DeployId { get; set; } = [];

    /// <summary>Drop the kept previous version of promoted deployments now (their rollback window ends: no undo after it).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PreviousSet)]
    public SwitchParameter Previous { get; set; }

    /// <summary>Emit an <see cref="MzAbortResult"/> per removed deployment (with -Previous: an <see cref="MzPreviousVersionRemoval"/> per kept version dropped).</summary>
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
        if (Previous)
        {
            await RemovePreviousAsync(factory, cancellationToken);
            return;
        }

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

    private async Task RemovePreviousAsync(ConnectionTarget factory, CancellationToken cancellationToken)
    {
        foreach (var id in DeployId.Length == 0 ? [null] : DeployId.Select(d => (string?)d))
        {
            await using var operation = await ForItemAsync(() => PreviousVersionOperation.PrepareAsync(factory, id, Log, cancellationToken),
                id ?? "previous versions");
            if (operation is null)
            {
                continue;
            }

            foreach (var plan in operation.Plan)
            {
                var kept = plan.Kept.DeployId.Value;
                var description = $"Drop the previous version kept by deployment '{kept}' ({string.Join(", ", plan.DroppedResources)}); it can no longer "
                                  + $"be undone:{Environment.NewLine}  " + string.Join(";" + Environment.NewLine + "  ", plan.Statements.Select(s => s.Display)) + ";";
                if (!Confirmation.ShouldProcess(this, force: false, Action, description,
                        $"Drop the previous version kept by deployment '{kept}'? It can no longer be undone.", "Remove-MzDeployment"))
                {
                    continue;
                }

                if (await ForItemAsync(async () =>
                    {
                        await operation.ExecuteAsync(plan, Log, cancellationToken);
                        return plan;
                    }, kept) is not null)
                {
                    Inform($"Dropped the previous version kept by deployment '{kept}': {string.Join(", ", plan.DroppedResources)}.");
                    if (PassThru)
                    {
                        WriteObject(new MzPreviousVersionRemoval(plan));
                    }
                }
            }
        }
    }
}
