using System.Management.Automation;
using MzDeploy.Engine.Operations;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Compares a staged deployment's results with production's before you promote it: row counts and sampled differing rows per view and materialized view.</para>
/// For each staged view or materialized view that has a production counterpart, one SELECT reads both versions at one
/// timestamp and emits an <see cref="MzDeploymentComparison"/>. It reads (and so computes) both versions in full, on a
/// staging cluster of the deployment; it changes nothing. -DryRun emits the plan with the exact statements instead.
/// An unknown or promoted deployment is a non-terminating error, so a pipeline goes on with the next one.
/// </summary>
[Cmdlet(VerbsData.Compare, "MzDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(MzDeploymentComparison), typeof(MzDeploymentComparisonPlan))]
public sealed class CompareMzDeploymentCommand : MzStagedDeploymentCmdlet
{
    /// <summary>At most this many differing rows per side and object (default 10; 0: counts only).</summary>
    [Parameter]
    [ValidateRange(0, 10000)]
    public int SampleSize { get; set; } = 10;

    /// <summary>The cluster the comparison runs on; default: the deployment's first staging cluster.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ClusterNameCompleter))]
    public string? Cluster { get; set; }

    /// <summary>Emit the plan (an <see cref="MzDeploymentComparisonPlan"/> with the exact SELECTs) instead of reading.</summary>
    [Parameter]
    public SwitchParameter DryRun { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var target = ResolveConnection();
        foreach (var id in NewDeployIds())
        {
            await using var operation = await ForItemAsync(
                () => CompareOperation.PrepareAsync(target, new CompareRequest(id, SampleSize, Cluster), Log, cancellationToken), id);
            if (operation is not null)
            {
                await CompareAsync(target.Server, operation, id, cancellationToken);
            }
        }
    }

    private async Task CompareAsync(string server, CompareOperation operation, string id, CancellationToken cancellationToken)
    {
        var plan = operation.Plan;
        if (DryRun)
        {
            WriteObject(ComparisonMapper.ToPlan(plan));
            Inform($"Dry run: {plan.Objects.Count} object(s) of deployment '{id}' would be compared; nothing was read.");
            return;
        }

        var description = $"Compare deployment '{id}' with production on {server} (reads both versions of {plan.Objects.Count} object(s)):"
                          + Environment.NewLine + "  " + string.Join(";" + Environment.NewLine + "  ", plan.Statements) + ";";
        if (!ShouldProcess(description, description, "Compare-MzDeployment"))
        {
            return;
        }

        var activity = $"Comparing deployment '{id}' with production";
        var done = 0;
        try
        {
            var results = await ForItemAsync(() => operation.ExecuteAsync(Log, cancellationToken, result => Post(() =>
            {
                done++;
                WriteProgress(new ProgressRecord(StepProgressId, activity, result.Object.Production.ToString())
                {
                    PercentComplete = plan.Objects.Count == 0 ? 100 : done * 100 / plan.Objects.Count,
                });
                WriteObject(ComparisonMapper.ToOutput(id, result));
            })), id);
            if (results is not null)
            {
                var changed = results.Count(r => r.ChangedRows > 0);
                Inform($"Deployment '{id}': {results.Count} object(s) compared, {changed} with different results"
                       + (plan.Uncompared.Count == 0 ? "." : $"; {plan.Uncompared.Count} new object(s) not compared."));
            }
        }
        finally
        {
            CompleteProgress(activity);
        }
    }
}
