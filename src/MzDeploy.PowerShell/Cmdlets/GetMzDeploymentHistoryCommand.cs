using System.Management.Automation;
using MzDeploy.Engine.Operations;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Lists promoted deployments, newest first (mz-deploy log).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "MzDeploymentHistory")]
[OutputType(typeof(MzPromotionRecord))]
public sealed class GetMzDeploymentHistoryCommand : MzConnectedCmdlet
{
    /// <summary>Only the newest N promotions.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int First { get; set; }

    /// <summary>Deploy IDs; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? DeployId { get; set; }

    protected override object? ErrorTarget => DeployId;

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var factory = ResolveConnection();
        var filter = DeployIdFilter.From(DeployId);
        int? first = MyInvocation.BoundParameters.ContainsKey(nameof(First)) ? First : null;
        var history = await DeploymentQueries.HistoryAsync(factory, filter.Match, first, Log, cancellationToken);
        if (history.Count == 0)
        {
            WriteVerbose("No deployment history found: nothing has been promoted yet.");
        }

        foreach (var promotion in history)
        {
            WriteObject(DeploymentMapper.ToOutput(promotion));
        }
    }
}
