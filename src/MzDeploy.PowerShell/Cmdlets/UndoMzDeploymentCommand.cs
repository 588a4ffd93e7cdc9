using System.Management.Automation;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Swaps the previous production version, kept by Publish-MzDeployment -KeepPrevious, back into production in one transaction.</para>
/// The swap back has promote's guarantees: a compare-and-swap on every schema and cluster (a concurrent or later promote
/// wins or refuses it), and running it again after an interruption finishes it. Sinks are moved back onto the restored
/// objects, the rollback is recorded as a promotion (Get-MzDeploymentHistory), and the rolled-back version is dropped.
/// Refuses once the window ended or a later promote changed the same schemas or clusters. Asks first.
/// </summary>
[Cmdlet(VerbsCommon.Undo, "MzDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MzRollback))]
public sealed class UndoMzDeploymentCommand : MzConnectedCmdlet
{
    /// <summary>The promoted deployment to undo; without it, the latest promote that kept its previous version.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployIdCompleter))]
    public string? DeployId { get; set; }

    /// <summary>Undo without asking for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit the plan (an <see cref="MzRollback"/> with DryRun set) instead of undoing.</summary>
    [Parameter]
    public SwitchParameter DryRun { get; set; }

    private const string Action = "changes production back to its previous version and drops the rolled-back one";

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken) =>
        Confirmation.EnsureCanAskUnlessDryRun(this, DryRun, Force, Action);

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var factory = ResolveConnection();
        var id = DeployId;
        await using var operation = await ForItemAsync(() => UndoOperation.PrepareAsync(factory, id, Log, cancellationToken), id ?? "latest kept version");
        if (operation is null)
        {
            return;
        }

        var plan = operation.Plan;
        if (DryRun)
        {
            WriteObject(new MzRollback(plan, dryRun: true));
            return;
        }

        var action = plan.StartedFrom == PromoteState.Swapped ? "Finish undoing" : "Undo";
        var description = $"{action} deployment '{plan.DeployId}': swap {plan.SchemaSwaps.Count} schema(s) and {plan.ClusterSwaps.Count} cluster(s) "
                          + $"back to the previous version on {factory.Server}, then drop the rolled-back version:{Environment.NewLine}  "
                          + string.Join(";" + Environment.NewLine + "  ", plan.Statements.Select(s => s.ReplaceLineEndings(Environment.NewLine + "  "))) + ";";
        if (!Confirmation.ShouldProcess(this, Force, Action, description,
                $"{action} deployment '{plan.DeployId}' on {factory.Server}: production goes back to the previous version and '{plan.DeployId}' is dropped?",
                "Undo-MzDeployment"))
        {
            return;
        }

        if (await ForItemAsync(() => operation.ExecuteAsync(), plan.DeployId) is { } result)
        {
            Inform($"Undid deployment '{result.DeployId}': {result.SchemaSwaps.Count} schema(s), {result.ClusterSwaps.Count} cluster(s) back on the previous version; "
                   + $"recorded as '{result.RollbackId}'.");
            WriteObject(new MzRollback(result, dryRun: false));
        }
    }
}
