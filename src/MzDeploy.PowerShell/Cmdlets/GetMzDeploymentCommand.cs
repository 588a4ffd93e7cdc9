using System.Management.Automation;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Lists staged deployments with their readiness, or describes deployments by ID (mz-deploy list / describe).</para>
/// Without -DeployId: the staged deployments. With -DeployId: every deployment whose ID matches, staged or promoted.
/// With -Promoted: promoted deployments only.
/// </summary>
[Cmdlet(VerbsCommon.Get, "MzDeployment")]
[OutputType(typeof(MzDeployment))]
public sealed class GetMzDeploymentCommand : MzConnectedCmdlet
{
    /// <summary>Deploy IDs; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployIdCompleter))]
    public string[]? DeployId { get; set; }

    /// <summary>Promoted deployments instead of staged ones.</summary>
    [Parameter]
    public SwitchParameter Promoted { get; set; }

    /// <summary>Lag (seconds) above which a hydrated cluster counts as lagging.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int AllowedLag { get; set; } = ClusterLag.DefaultAllowedSeconds;

    protected override object? ErrorTarget => DeployId;

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var factory = ResolveConnection();
        var filter = DeployIdFilter.From(DeployId);
        var scope = Promoted ? DeploymentScope.Promoted : DeployId is null ? DeploymentScope.Staging : DeploymentScope.All;
        var deployments = await DeploymentQueries.GetAsync(factory, scope, filter.Match, AllowedLag, Log, cancellationToken);

        if (deployments.Count == 0)
        {
            WriteVerbose(DeployId is not null ? $"No deployment matches {string.Join(", ", DeployId)}."
                : Promoted ? "No promoted deployments." : "No staged deployments. Invoke-MzStage stages one.");
        }

        foreach (var deployment in deployments)
        {
            WriteObject(DeploymentMapper.ToOutput(deployment));
        }

        foreach (var missing in filter.LiteralsNotIn(deployments.Select(d => d.DeployId)))
        {
            WriteError(ErrorRecords.From(DeploymentQueries.NotFound(missing)));
        }
    }
}
