using System.Management.Automation;
using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning.Review;
using MzDeploy.PowerShell.Infrastructure;
using MzDeploy.PowerShell.Infrastructure.Ci;
using MzDeploy.PowerShell.Infrastructure.Plans;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Stages the project's changes next to production as a blue/green deployment (mz-deploy stage).</para>
/// Plans first (reads only); -DryRun emits the <see cref="MzStagePlan"/> (and with -PlanPath saves it, with the fingerprint of
/// the state it was computed from, for review), -WhatIf/-Confirm show its SQL; otherwise records the deployment, creates its
/// staging schemas, clusters and objects, and emits the <see cref="MzDeployment"/>. -PlanPath without -DryRun runs a saved
/// plan exactly as reviewed, or refuses (PlanStale) when production or the commit moved since.
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

    /// <summary>
    /// With -DryRun: the file to save the plan to, for review. Without: a saved plan to run exactly as reviewed (its deploy ID
    /// and redeploy choices are the plan's), refused when production or the commit moved since it was saved.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PlanPath { get; set; }

    private string? _target;

    protected override object? ErrorTarget => _target;

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        if (RedeployAll && RedeploySchema is not null)
        {
            ThrowTerminatingError(ErrorRecords.From(new MzDeployException(ModuleErrorIds.RedeployOptionsConflict,
                "-RedeployAll and -RedeploySchema cannot be used together", null, new Advice("Pass one of them."))));
        }

        var reviewedPath = PlanPath is null || DryRun ? null : ResolvePath(PlanPath);
        if (reviewedPath is not null && (DeployId is not null || RedeploySchema is not null || RedeployAll))
        {
            ThrowTerminatingError(ErrorRecords.From(new MzDeployException(ModuleErrorIds.PlanPathConflict,
                "-PlanPath without -DryRun runs the saved plan as reviewed: -DeployId, -RedeploySchema and -RedeployAll come from the plan",
                PlanPath, new Advice("Leave them out, or pass them with -DryRun -PlanPath to make (and review) a new plan."))));
        }

        _target = DeployId;
        var factory = ResolveConnection();
        var request = new StageRequest(ResolvePath(Path), DeployId, AllowDirty, NoRollback, RedeploySchema, RedeployAll, DropUnmanagedObjects);
        var ci = CiOutput.For(this);
        await using var operation = reviewedPath is null
            ? await ci.AnnotatingCompile(request.ProjectRoot,
                () => StageOperation.PrepareAsync(factory, request, Log, cancellationToken), op => op.CompileWarnings)
            : await PrepareReviewedAsync(reviewedPath, factory, request, cancellationToken);
        var plan = operation.Plan;
        _target = plan.DeployId.Value;
        if (DryRun && PlanPath is not null)
        {
            var path = ResolvePath(PlanPath);
            var reviewed = new ReviewedStagePlan(plan, operation.Fingerprint);
            StagePlanFile.Write(path, reviewed, factory.ProfileName, factory.Server, DateTimeOffset.UtcNow);
            Inform($"Saved the plan of '{plan.DeployId}' to {path} (computed from {operation.Fingerprint.Digest}); "
                   + $"after review, run it with: Invoke-MzStage -PlanPath {PlanPath}");
            ci.SummarizeReviewedPlan(reviewed, PlanPath);
        }
        else if (plan.IsEmpty || DryRun)
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

        Inform($"Staged {plan.StagedObjectCount} object(s) as deployment '{plan.DeployId}'"
               + (reviewedPath is null ? "." : $", exactly as planned in {reviewedPath}."));
        ci.SummarizeStage(plan, staged: true);
        WriteObject(DeploymentMapper.ToOutput(deployment));
    }

    /// <summary>Reads the saved plan and prepares it to run, refusing a plan made for another profile or server.</summary>
    private async Task<StageOperation> PrepareReviewedAsync(string path, ConnectionTarget target, StageRequest request,
        CancellationToken cancellationToken)
    {
        var saved = StagePlanFile.Read(path);
        _target = saved.Reviewed.Plan.DeployId.Value;
        if (saved.Profile != target.ProfileName || saved.Server != target.Server)
        {
            throw StagePlanFile.Invalid(path, $"{path} was made for profile '{saved.Profile}' on {saved.Server}, "
                                              + $"not for profile '{target.ProfileName}' on {target.Server}");
        }

        WriteVerbose($"Plan of '{saved.Reviewed.Plan.DeployId}' saved {saved.CreatedAt}, computed from {saved.Reviewed.Fingerprint.Digest}.");
        return await StageOperation.PrepareReviewedAsync(target, request, saved.Reviewed, Log, cancellationToken);
    }
}
