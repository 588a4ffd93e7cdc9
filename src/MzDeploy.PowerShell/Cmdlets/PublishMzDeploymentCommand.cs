using System.Management.Automation;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning;
using MzDeploy.PowerShell.Infrastructure;
using MzDeploy.PowerShell.Infrastructure.Ci;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Promotes a staged deployment: swaps its schemas and clusters into production in one transaction (mz-deploy promote).</para>
/// Checks readiness, conflicts and the staging copies first; the swap is a race-free compare-and-swap; afterwards deferred
/// sinks are created, other sinks repointed and the old copies dropped. Running it again after an interruption finishes
/// the job. A deployment that cannot be promoted is a non-terminating error, so a pipeline goes on with the next one.
/// It changes production and drops the previous version, so it asks first, once per deployment; -Force (or -Confirm:$false)
/// answers in advance, and a session that cannot answer fails at once with <c>ConfirmationRequired</c>.
/// </summary>
[Cmdlet(VerbsData.Publish, "MzDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MzPromotion), typeof(MzPromotePlan))]
public sealed class PublishMzDeploymentCommand : MzStagedDeploymentCmdlet
{
    /// <summary>Promote without asking for confirmation (for scripts and CI). It does not override conflicts: see <see cref="OverwriteConflicts"/>.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Promote even when another deployment promoted one of the same schemas after this one was staged (mz-deploy's promote --force).</summary>
    [Parameter]
    public SwitchParameter OverwriteConflicts { get; set; }

    /// <summary>Skip the check that every staging cluster is hydrated and within the allowed lag.</summary>
    [Parameter]
    public SwitchParameter NoReadyCheck { get; set; }

    /// <summary>Lag, in seconds, up to which a hydrated cluster counts as ready.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int AllowedLag { get; set; } = ClusterLag.DefaultAllowedSeconds;

    /// <summary>
    /// Drop objects the deployment does not own that sit in a schema or on a cluster it swaps (a table made by hand, a
    /// source on a swapped cluster) instead of refusing; the promotion record lists each one.
    /// </summary>
    [Parameter]
    public SwitchParameter DropUnmanagedObjects { get; set; }

    /// <summary>
    /// Keep the previous production version for this many seconds instead of dropping it: it stays under the staging
    /// names, hydrated and running (its clusters keep costing), so Undo-MzDeployment can swap it back at once. When the
    /// window ends, the next deployer command drops it; Remove-MzDeployment -Previous drops it earlier. 0 (the default)
    /// keeps nothing, so a script can pass its window from a variable and turn it off with 0.
    /// </summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int KeepPrevious { get; set; }

    /// <summary>Emit the plan (an <see cref="MzPromotePlan"/>) instead of promoting.</summary>
    [Parameter]
    public SwitchParameter DryRun { get; set; }

    /// <summary>
    /// Refuse (<c>ChangedRowsExceeded</c>) when a staged view or materialized view's results differ from production's in more
    /// than this many rows (rows only in production plus rows only in staging, as Compare-MzDeployment counts them). Reads
    /// both versions of every compared object first; skipped with -DryRun and when finishing an interrupted promote.
    /// </summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MaxChangedRows { get; set; }

    /// <summary>
    /// The freshness gate: before promoting, watch the deployment for this many seconds; promote only if every staging
    /// cluster stays ready (hydrated, lag within -AllowedLag) the whole time and no replica is OOM-killed
    /// (<c>DeploymentNotStable</c> otherwise). 0 (the default): the one readiness check. Not with -DryRun or -NoReadyCheck.
    /// </summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int StableFor { get; set; }

    private const string Action = "changes production and drops the previous version";

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken) =>
        Confirmation.EnsureCanAskUnlessDryRun(this, DryRun, Force, Action);

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var factory = ResolveConnection();
        foreach (var id in NewDeployIds())
        {
            if (StableFor > 0 && !DryRun && !NoReadyCheck && !WhatIfRequested && !await WatchStableAsync(factory, id, cancellationToken))
            {
                continue;
            }

            var request = new PromoteRequest(id, OverwriteConflicts, NoReadyCheck, AllowedLag, DropUnmanagedObjects,
                KeepPrevious > 0 ? TimeSpan.FromSeconds(KeepPrevious) : null);
            // One session per deployment: it reads and plans, the plan is shown (-DryRun, -WhatIf) or asked about, then
            // the same session promotes, checking everything again (readiness included).
            await using var operation = await ForItemAsync(() => PromoteOperation.PrepareAsync(factory, request, Log, cancellationToken), id);
            if (operation is not null && await WithinChangedRowsAsync(factory, operation, id, cancellationToken))
            {
                await PromoteAsync(factory.Server, operation, id, cancellationToken);
            }
        }
    }

    // -MaxChangedRows: compare before anything changes (a refusal is this deployment's error; production stays as it is).
    // A promote that already swapped is finished whatever the results: its staging names now hold the old version.
    private async Task<bool> WithinChangedRowsAsync(ConnectionTarget target, PromoteOperation operation, string id, CancellationToken cancellationToken)
    {
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(MaxChangedRows)) || DryRun || operation.Preview.StartedFrom != PromoteState.NotStarted)
        {
            return true;
        }

        var compared = await ForItemAsync(() => CompareOperation.CheckChangedRowsAsync(target, id, MaxChangedRows, Log, cancellationToken), id);
        if (compared is not null)
        {
            WriteVerbose($"Deployment '{id}': {compared.Count} object(s) compared, none changes more than {MaxChangedRows} row(s).");
        }

        return compared is not null;
    }

    private async Task PromoteAsync(string server, PromoteOperation operation, string id, CancellationToken cancellationToken)
    {
        var plan = operation.Preview;
        if (DryRun)
        {
            WriteObject(PromoteMapper.ToPlan(plan));
            return;
        }

        var action = plan.StartedFrom == PromoteState.Swapped ? "Finish promoting" : "Promote";
        var description = $"{action} deployment '{id}': swap {plan.SchemaSwaps.Count} schema(s) and {plan.ClusterSwaps.Count} cluster(s) "
                          + $"into production, then drop the old copies:{Environment.NewLine}  "
                          + string.Join(";" + Environment.NewLine + "  ", plan.Statements.Select(s => s.ReplaceLineEndings(Environment.NewLine + "  "))) + ";";
        if (!Confirmation.ShouldProcess(this, Force, Action, description, PromoteQuestion.For(action, plan, server), "Publish-MzDeployment"))
        {
            return;
        }

        if (await ForItemAsync(() => operation.ExecuteAsync(Log, cancellationToken), id) is { } result)
        {
            Inform($"Promoted deployment '{id}': {result.SchemaSwaps.Count} schema(s), {result.ClusterSwaps.Count} cluster(s) swapped.");
            if (result.Kept.Count > 0)
            {
                // Said as a warning: the kept clusters run, and cost cluster time, until the window ends.
                WriteWarning($"Kept the previous version of deployment '{id}' until {result.KeptUntil:u}: "
                             + string.Join(", ", result.Kept.Select(k => $"{k.Production} as {k.Kept}"))
                             + ". Its clusters keep running and costing cluster time until then. Undo-MzDeployment -DeployId " + id
                             + " swaps it back; Remove-MzDeployment -Previous -DeployId " + id + " drops it now.");
            }

            var promotion = PromoteMapper.ToPromotion(result);
            CiOutput.For(this).SummarizePromotion(promotion);
            WriteObject(promotion);
        }
    }

    private bool WhatIfRequested => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && whatIf is SwitchParameter { IsPresent: true };

    /// <summary>
    /// -StableFor: watches <paramref name="id"/> (one status query a poll) until it has been stable for the whole time; false
    /// when it was not ready, stopped being ready or lost a replica meanwhile (reported as the item's error).
    /// </summary>
    private async Task<bool> WatchStableAsync(ConnectionTarget factory, string id, CancellationToken cancellationToken)
    {
        var stableFor = TimeSpan.FromSeconds(StableFor);
        // A little past the window: the last poll lands right at its end, and a slow query must not fail a stable deployment.
        var options = new WaitOptions(AllowedLag, stableFor + TimeSpan.FromSeconds(30), StableFor: stableFor, RefuseUnstable: true);
        var progress = new WaitProgress(AllowedLag);
        try
        {
            var watched = await ForItemAsync(() => WaitOperation.RunAsync(factory, id, options,
                poll =>
                {
                    var records = progress.Update(poll);
                    Post(() =>
                    {
                        foreach (var record in records)
                        {
                            WriteProgress(record);
                        }
                    });
                }, null, Log, cancellationToken), id);
            if (watched is not null)
            {
                Inform($"Deployment '{id}' stayed ready for {WaitOperation.FormatElapsed(stableFor)} with no replica OOM-killed: promoting.");
            }

            return watched is not null;
        }
        finally
        {
            foreach (var record in progress.Complete())
            {
                WriteProgress(record);
            }
        }
    }
}
