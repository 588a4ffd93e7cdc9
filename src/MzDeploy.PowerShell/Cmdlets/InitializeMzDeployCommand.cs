using System.Management.Automation;
using MzDeploy.Engine.Operations;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Creates or repairs MzDeploy's tracking infrastructure (mz-deploy setup).</para>
/// Prepares on one session (reads and plans), shows the plan to -WhatIf/-Confirm, then runs it on that session. Emits an <see cref="MzSetupResult"/>.
/// </summary>
[Cmdlet(VerbsData.Initialize, "MzDeploy", SupportsShouldProcess = true)]
[OutputType(typeof(MzSetupResult))]
public sealed class InitializeMzDeployCommand : MzConnectedCmdlet
{
    /// <summary>Size of the <c>_mz_deploy_server</c> cluster when it has to be created.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ClusterSize { get; set; } = SetupOptions.DefaultClusterSize;

    private string? _server;

    protected override object? ErrorTarget => _server;

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var factory = ResolveConnection();
        _server = factory.Server;
        await using var operation = await SetupOperation.PrepareAsync(factory, new SetupOptions(ClusterSize), Log, cancellationToken);
        var plan = operation.Preview;
        var description = plan.Statements.Count == 0
            ? $"Initialize mz-deploy on {factory.Server}: nothing to run."
            : $"Initialize mz-deploy on {factory.Server}: create {plan.Created.Count} item(s), issue {plan.Grants.Count} grant(s); "
              + $"run {plan.Statements.Count} statement(s):{Environment.NewLine}  "
              + string.Join(";" + Environment.NewLine + "  ", plan.Statements) + ";";
        if (!ShouldProcess(description, $"Create or repair mz-deploy's tracking infrastructure on {factory.Server}?", "Initialize-MzDeploy"))
        {
            return;
        }

        var result = await operation.ExecuteAsync(Log, cancellationToken);
        WriteObject(DeploymentMapper.ToOutput(result));
    }
}
