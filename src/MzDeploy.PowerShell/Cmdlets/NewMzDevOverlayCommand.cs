using System.Management.Automation;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning.DevOverlay;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Builds your dev overlay: the project's changed views and materialized views in databases of your own, reading production data (mz-deploy dev).</para>
/// Each run drops the previous overlay of the profile and project and rebuilds it from scratch. What changed is what
/// staging would redeploy (the hash diff against the promoted production). Refuses a cluster production runs on.
/// -DryRun emits the plan with its exact SQL; -Compare compares each overlaid object's rows with production's.
/// </summary>
[Cmdlet(VerbsCommon.New, "MzDevOverlay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MzDevOverlay), typeof(MzDevOverlayComparison))]
public sealed class NewMzDevOverlayCommand : MzConnectedCmdlet
{
    /// <summary>Your cluster: every overlaid materialized view and index runs on it, whatever IN CLUSTER the files name.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ClusterNameCompleter))]
    public string Cluster { get; set; } = string.Empty;

    /// <summary>Emit the plan (with its exact SQL) instead of running it.</summary>
    [Parameter]
    public SwitchParameter DryRun { get; set; }

    /// <summary>After building, compare each overlaid object with its production counterpart at one timestamp.</summary>
    [Parameter]
    public SwitchParameter Compare { get; set; }

    /// <summary>With -Compare: at most this many differing rows per side and object (default 10).</summary>
    [Parameter]
    [ValidateRange(0, 10000)]
    public int SampleSize { get; set; } = 10;

    private const string ConfirmAction = "rebuilds your dev overlay";

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
        await using var operation = await DevOverlayOperation.PrepareAsync(target, new DevOverlayRequest(root, Cluster), Log, cancellationToken);
        var plan = operation.Plan;
        foreach (var skipped in plan.Skipped)
        {
            WriteVerbose($"Skipped {skipped.Kind?.ToString() ?? "deleted object"} {skipped.Id}: a dev overlay holds only views and materialized views.");
        }

        if (DryRun)
        {
            WriteObject(DevOverlayMapper.ToOutput(plan, dryRun: true));
            Inform($"Dry run: {Summary(plan)}; nothing was changed.");
            return;
        }

        if (!Confirmation.ShouldProcess(this, force: false, ConfirmAction, Description(plan, target.Server),
                $"Rebuild the dev overlay of profile '{plan.Profile}' on {target.Server}?", "New-MzDevOverlay"))
        {
            return;
        }

        const string Activity = "Building the dev overlay";
        try
        {
            await operation.ExecuteAsync(Log, cancellationToken,
                p => Post(() => WriteProgress(new ProgressRecord(StepProgressId, Activity, Step(p.Next))
                {
                    PercentComplete = p.Total == 0 ? 100 : p.Done * 100 / p.Total,
                    CurrentOperation = $"statement {p.Done + 1} of {p.Total}",
                })));
        }
        finally
        {
            CompleteProgress(Activity);
        }

        WriteObject(DevOverlayMapper.ToOutput(plan, dryRun: false));
        Inform(plan.Objects.Count == 0
            ? $"Nothing differs from production: no overlay{(plan.Dropped.Count == 0 ? "" : $" (dropped {string.Join(", ", plan.Dropped)})")}."
            : $"Dev overlay: {Summary(plan)}.");
        if (Compare)
        {
            await CompareAsync(operation, cancellationToken);
        }
    }

    private async Task CompareAsync(DevOverlayOperation operation, CancellationToken cancellationToken)
    {
        const string Activity = "Comparing the overlay with production";
        var total = operation.Plan.Objects.Count(o => o.Production is not null);
        var done = 0;
        try
        {
            await operation.CompareAsync(SampleSize, Log, cancellationToken, result => Post(() =>
            {
                done++;
                WriteProgress(new ProgressRecord(StepProgressId, Activity, $"{result.Object.Overlay}")
                {
                    PercentComplete = total == 0 ? 100 : done * 100 / total,
                });
                WriteObject(DevOverlayMapper.ToOutput(result));
            }));
        }
        finally
        {
            CompleteProgress(Activity);
        }

        var added = operation.Plan.Objects.Count(o => o.Production is null);
        if (added > 0)
        {
            Inform($"{added} overlaid object(s) are new (no production counterpart): not compared.");
        }
    }

    private static string Step(PlannedStatement statement) => statement.Kind switch
    {
        PlannedStatementKind.CreateObject => $"Creating {statement.Target}",
        PlannedStatementKind.CreateIndex => $"Indexing {statement.Target}",
        PlannedStatementKind.DropDatabase => $"Dropping {statement.Target}",
        PlannedStatementKind.CreateDatabase => $"Creating database {statement.Target}",
        _ => $"{statement.Kind} {statement.Target}",
    };

    /// <summary>"3 object(s) in materialize__alice on cluster dev, dropping materialize__alice first".</summary>
    private static string Summary(DevOverlayPlan plan) =>
        $"{plan.Objects.Count} object(s) in {(plan.Databases.Count == 0 ? "no database" : string.Join(", ", plan.Databases.Select(d => d.Name)))} "
        + $"on cluster {plan.Cluster}"
        + (plan.Dropped.Count == 0 ? "" : $", dropping {string.Join(", ", plan.Dropped)} first")
        + (plan.Skipped.Count == 0 ? "" : $"; {plan.Skipped.Count} changed object(s) skipped (-Verbose lists them)");

    /// <summary>What -WhatIf prints and -Confirm asks about: the summary and every statement.</summary>
    private static string Description(DevOverlayPlan plan, string server)
    {
        var statements = plan.Statements.ToList();
        return statements.Count == 0
            ? $"Rebuild the dev overlay on {server}: {Summary(plan)}; nothing to run."
            : $"Rebuild the dev overlay on {server}: {Summary(plan)}; run {statements.Count} statement(s):{Environment.NewLine}  "
              + string.Join(";" + Environment.NewLine + "  ", statements.Select(s => s.Display.ReplaceLineEndings(Environment.NewLine + "  "))) + ";";
    }
}
