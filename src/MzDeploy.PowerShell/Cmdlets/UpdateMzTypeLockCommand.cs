using System.Management.Automation;
using MzDeploy.Engine.Operations;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Writes types.lock: the kinds, columns and types of the project's external dependencies and of its tables fed by sources, read from Materialize (mz-deploy lock).</para>
/// Reads every object listed in project.toml's dependencies, and every CREATE TABLE … FROM SOURCE of the project, from the
/// profile's Materialize and writes their kind, columns, types and nullability to types.lock at the project root, in a
/// fixed order: running it again with nothing changed leaves the file byte for byte as it was (it is not even rewritten).
/// A declared dependency the server lacks is an error (ExternalDependencyNotFound) naming its line in project.toml; a
/// project table fed by a source that is not there yet is a warning (apply tables first) and the rest is locked.
/// -WhatIf shows what would be written. Commit types.lock: Build-MzProject -TypeCheck and mz-deploy read it.
/// </summary>
[Cmdlet(VerbsData.Update, "MzTypeLock", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(MzTypeLockResult))]
public sealed class UpdateMzTypeLockCommand : MzConnectedCmdlet
{
    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var target = ResolveConnection();
        var operation = await TypeLockOperation.PrepareAsync(target, new TypeLockRequest(ResolvePath(Path)), Log, cancellationToken);
        var plan = operation.Plan;
        TypeLockOutput.WarnSkipped(this, plan, target.Server);
        if (!plan.Changed)
        {
            WriteVerbose($"{plan.Path} already holds these columns; it is left as it is.");
            WriteObject(TypeLockOutput.Result(plan, changed: false));
            return;
        }

        var description = $"Write {plan.Path} ({plan.Objects} object(s) from {target.Server}):{Environment.NewLine}{plan.Text}";
        if (!ShouldProcess(description, $"Write {plan.Path} with {plan.Objects} object(s)?", "Update-MzTypeLock"))
        {
            return;
        }

        var result = await operation.ExecuteAsync(Log, cancellationToken);
        WriteObject(TypeLockOutput.Result(plan, result.Changed));
    }
}
