using System.Management.Automation;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning;
using MzDeploy.PowerShell.Infrastructure;
using MzDeploy.PowerShell.Infrastructure.Ci;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Waits until every staging cluster of a deployment is hydrated and within the allowed lag (mz-deploy wait).</para>
/// Polls the clusters' status (one query per poll) with a progress bar per cluster, then emits an <see cref="MzClusterStatus"/>
/// per cluster, or with -PassThru the <see cref="MzDeployment"/>. A failing cluster, an expired -Timeout, an unknown or
/// promoted deployment are non-terminating errors, so a pipeline goes on with the next deployment.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "MzDeployment")]
[OutputType(typeof(MzClusterStatus), typeof(MzDeployment))]
public sealed class WaitMzDeploymentCommand : MzConnectedCmdlet
{
    /// <summary>The deployments to wait for, one after the other; default: every staged deployment.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployIdCompleter))]
    public string[] DeployId { get; set; } = [];

    /// <summary>Seconds to wait for each deployment before reporting <c>WaitTimeout</c>; default: no limit.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; }

    /// <summary>Lag (seconds) above which a hydrated cluster counts as lagging.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int AllowedLag { get; set; } = ClusterLag.DefaultAllowedSeconds;

    /// <summary>Poll once and emit the statuses as they are.</summary>
    [Parameter]
    public SwitchParameter Once { get; set; }

    /// <summary>Emit the deployment instead of its cluster statuses.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>
    /// The freshness gate: ready only once every staging cluster has stayed ready (hydrated, lag within -AllowedLag) at
    /// every poll for this many seconds, with no replica OOM-killed in that time; a break restarts the timer. 0: ready at once.
    /// </summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int StableFor { get; set; }

    /// <summary>Seconds between polls.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int PollInterval { get; set; } = 1;

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var factory = ResolveConnection();
        var options = new WaitOptions(AllowedLag, MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? TimeSpan.FromSeconds(Timeout) : null,
            Once, TimeSpan.FromSeconds(PollInterval), ReadDeployment: PassThru, StableFor: StableFor > 0 ? TimeSpan.FromSeconds(StableFor) : null);
        var ci = CiOutput.For(this);
        foreach (var id in DeployId.Length > 0 ? DeployId : await StagedDeployIdsAsync(factory, cancellationToken))
        {
            var progress = new WaitProgress(AllowedLag);
            // Redirected output (CI logs) shows no progress bar: a line per state change keeps the log alive.
            var lines = Console.IsOutputRedirected ? new WaitStatusLines(AllowedLag) : null;
            WaitResult? result;
            try
            {
                result = await ci.WaitAsync(id, () => ForItemAsync(() => WaitOperation.RunAsync(factory, id, options, poll =>
                {
                    var records = progress.Update(poll);
                    var changed = lines?.Update(poll) ?? [];
                    Post(() =>
                    {
                        WriteProgress(records);
                        foreach (var line in changed)
                        {
                            Inform(line);
                        }
                    });
                }, retry =>
                {
                    var record = progress.Retrying(retry);
                    Post(() =>
                    {
                        WriteProgress(record);
                        if (lines is not null)
                        {
                            Inform(WaitStatusLines.Retrying(retry));
                        }
                    });
                }, Log, cancellationToken), id));
            }
            finally
            {
                CompleteProgress(progress);
            }

            if (result is null)
            {
                continue;
            }

            if (PassThru)
            {
                WriteObject(DeploymentMapper.ToOutput(result.Deployment!));
            }
            else
            {
                foreach (var cluster in result.Clusters)
                {
                    WriteObject(DeploymentMapper.ToOutput(cluster));
                }
            }
        }
    }

    /// <summary>Without -DeployId: the deployments staged now (none is not an error: there is nothing to wait for).</summary>
    private async Task<IReadOnlyList<string>> StagedDeployIdsAsync(ConnectionTarget factory, CancellationToken cancellationToken)
    {
        var staged = await DeploymentQueries.GetAsync(factory, DeploymentScope.Staging, null, AllowedLag, Log, cancellationToken);
        WriteVerbose(staged.Count == 0 ? "No staged deployments: nothing to wait for."
            : $"Waiting for every staged deployment: {string.Join(", ", staged.Select(d => d.DeployId))}.");
        return staged.Select(d => d.DeployId).ToList();
    }

    private void WriteProgress(IEnumerable<ProgressRecord> records)
    {
        foreach (var record in records)
        {
            WriteProgress(record);
        }
    }

    private void CompleteProgress(WaitProgress progress)
    {
        try
        {
            WriteProgress(progress.Complete());
        }
        catch (PipelineStoppedException)
        {
            // Ctrl+C: the host clears its progress display itself.
        }
    }
}
