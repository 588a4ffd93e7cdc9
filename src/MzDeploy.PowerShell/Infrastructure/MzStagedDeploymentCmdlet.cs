using System.Management.Automation;

namespace MzDeploy.PowerShell.Infrastructure;

/// <summary>
/// A cmdlet that acts on staged deployments named by <see cref="DeployId"/>, usually piped from Invoke-MzStage or
/// Wait-MzDeployment. Wait-MzDeployment emits one status per cluster, so the same deployment arrives several times in
/// one pipeline: <see cref="NewDeployIds"/> yields each one only the first time, and the cmdlet acts on it once.
/// </summary>
public abstract class MzStagedDeploymentCmdlet : MzConnectedCmdlet
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>The deployments to act on.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeployIdCompleter))]
    public string[] DeployId { get; set; } = [];

    /// <summary>This record's deployment IDs that no earlier record of the pipeline named.</summary>
    protected IEnumerable<string> NewDeployIds() => DeployId.Where(_seen.Add);
}
