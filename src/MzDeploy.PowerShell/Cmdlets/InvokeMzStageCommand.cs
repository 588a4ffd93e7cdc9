using System.Management.Automation;
using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.PowerShell.Infrastructure;
using MzDeploy.PowerShell.Infrastructure.Ci;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Stages the project's changes next to production as a blue/green deployment (mz-deploy stage).</para>
/// Plans first (reads only); -DryRun emits the <see cref="MzStagePlan"/>, -WhatIf/-Confirm show its SQL; otherwise records
/// the deployment, creates its staging schemas, clusters and objects, and emits the <see cref="MzDeployment"/>.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "MzStage", SupportsShouldProcess = true)]
[OutputType(typeof(MzDeployment), typeof(MzStagePlan))]
public sealed class InvokeMzStageCommand : MzConnectedCmdlet
{
    /// <summary>The deploy ID; default: the first 7 characters of the HEAD commit.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? DeployId { get; set; }

    /// <summary>Stage even when the git working tree has uncommitted changes.</summary>
    [Parameter]
    public SwitchParameter AllowDirty { get; set; }

    /// <summary>On failure, leave what was created for Remove-MzDeployment.</summary>
    [Parameter]
    public SwitchParameter NoRollback { get; set; }

    /// <summary><c>database.schema</c> names whose every object is redeployed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SchemaNameCompleter))]
    public string[]? RedeploySchema { get; set; }

    /// <summary>Redeploy every schema.</summary>
    [Parameter]
    public SwitchParameter RedeployAll { get; set; }

    /// <summary>Emit the plan instead of staging.</summary>
    [Parameter]
    public SwitchParameter DryRun { get; set; }

    /// <summary>
    /// Stage even though a schema or cluster the deployment swaps holds objects the project does not own (they are listed
    /// as a warning); Publish-MzDeployment must be given -DropUnmanagedObjects too before it drops them.
    /// </summary>
    [Parameter]
    public SwitchParameter DropUnmanagedObjects { get; set; }

    private string? _target;

    protected override object? ErrorTarget => _target;

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        if (RedeployAll && RedeploySchema is not null)
        {
            ThrowTerminatingError(ErrorRecords.From(new MzDeployException(ModuleErrorIds.RedeployOptionsConflict,
                "-RedeployAll and -RedeploySchema cannot be used together", null, new Advice("Pass one of them."))));
        }

        _target = DeployId;
        var factory = ResolveConnection();
        var request = new StageRequest(ResolvePath(Path), DeployId, AllowDirty, NoRollback, RedeploySchema, RedeployAll, DropUnmanagedObjects);
        var ci = CiOutput.For(this);
        await using var operation = await ci.AnnotatingCompile(request.ProjectRoot,
            () => StageOperation.PrepareAsync(factory, request, Log, cancellationToken), op => op.CompileWarnings);
        var plan = operation.Plan;
        _target = plan.DeployId.Value;
        if (plan.IsEmpty || DryRun)
        {
            ci.SummarizeStage(plan, staged: false);
        }

        if (plan.IsEmpty)
        {
            Inform($"No changes detected compared to production: nothing to stage for '{plan.DeployId}'.");
            return;
        }

        if (DryRun)
        {
            WriteObject(StageMapper.ToOutput(plan));
            return;
        }

        var description =
            $"Stage deployment '{plan.DeployId}': {plan.Schemas.Count} schema(s), {plan.Clusters.Count} cluster(s), {plan.StagedObjectCount} object(s); "
            + $"record its tracking rows, then run {plan.Statements.Count} statement(s):{Environment.NewLine}  "
            + string.Join(";" + Environment.NewLine + "  ", plan.Statements.Select(s => s.Sql.ReplaceLineEndings(Environment.NewLine + "  "))) + ";";
        if (!ShouldProcess(description, $"Stage deployment '{plan.DeployId}' on {factory.Server}?", "Invoke-MzStage"))
        {
            return;
        }

        var activity = $"Staging deployment '{plan.DeployId}'";
        DeploymentInfo deployment;
        try
        {
            deployment = await operation.ExecuteAsync(Log, cancellationToken,
                p => ReportStep(activity, p.Done, p.Total, $"{p.Next.Kind} {p.Next.Target}", "statement"));
        }
        finally
        {
            CompleteProgress(activity);
        }

        Inform($"Staged {plan.StagedObjectCount} object(s) as deployment '{plan.DeployId}'.");
        ci.SummarizeStage(plan, staged: true);
        WriteObject(DeploymentMapper.ToOutput(deployment));
    }
}
