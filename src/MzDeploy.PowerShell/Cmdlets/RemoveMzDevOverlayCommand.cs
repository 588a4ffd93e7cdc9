using System.Management.Automation;
using MzDeploy.Engine.Operations;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Drops your dev overlay: every overlay database recorded for the profile and project, and stray ones an interrupted run left (mz-deploy dev --down).</para>
/// Safe when nothing exists. -WhatIf shows the drops. Never touches another profile's overlay or production.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "MzDevOverlay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MzDevOverlayRemoval))]
public sealed class RemoveMzDevOverlayCommand : MzConnectedCmdlet
{
    private const string ConfirmAction = "drops your dev overlay";

    private string? _root;

    protected override object? ErrorTarget => _root;

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        if (MyInvocation.BoundParameters.ContainsKey("Confirm"))
        {
            Confirmation.EnsureCanAsk(this, force: false, ConfirmAction);
        }

        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var target = ResolveConnection();
        var root = _root = ResolvePath(Path);
        await using var operation = await DevOverlayOperation.PrepareRemovalAsync(target, root, Log, cancellationToken);
        var plan = operation.Plan;
        if (plan.Dropped.Count == 0)
        {
            Inform($"No dev overlay of profile '{plan.Profile}' for project '{plan.Project}': nothing to drop.");
            WriteObject(DevOverlayMapper.ToRemoval(plan));
            return;
        }

        var statements = plan.Statements.ToList();
        var description = $"Drop the dev overlay of profile '{plan.Profile}' ({string.Join(", ", plan.Dropped)}) on {target.Server}:"
                          + Environment.NewLine + "  " + string.Join(";" + Environment.NewLine + "  ", statements.Select(s => s.Display)) + ";";
        if (!Confirmation.ShouldProcess(this, force: false, ConfirmAction, description,
                $"Drop {string.Join(", ", plan.Dropped)} on {target.Server}?", "Remove-MzDevOverlay"))
        {
            return;
        }

        await operation.ExecuteAsync(Log, cancellationToken);
        Inform($"Dropped the dev overlay of profile '{plan.Profile}': {string.Join(", ", plan.Dropped)}.");
        WriteObject(DevOverlayMapper.ToRemoval(plan));
    }
}
