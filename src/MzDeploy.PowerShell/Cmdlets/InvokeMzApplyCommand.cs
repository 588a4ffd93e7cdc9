using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Security;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning.Apply;
using MzDeploy.Engine.Project;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Converges the project's durable infrastructure in place: roles, clusters, network policies, secrets, connections, sources and tables (mz-deploy apply).</para>
/// Plans first (one catalog read); -DryRun emits the plan, -WhatIf/-Confirm show its SQL with secret values masked;
/// otherwise runs it object by object and emits one <see cref="MzApplyResult"/> per object as it is done. Never drops.
/// When the apply includes tables (no -Type, or -Type with Table) and succeeds, it then regenerates types.lock on the same
/// connection, as mz-deploy does, and emits one <see cref="MzTypeLockResult"/> last; a project with nothing to lock is not
/// locked. -DryRun and -WhatIf only say the lock would run.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "MzApply", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MzApplyResult), typeof(MzTypeLockResult))]
public sealed class InvokeMzApplyCommand : MzConnectedCmdlet
{
    /// <summary>The kinds to converge; default: every kind.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public MzInfrastructureKind[]? Type { get; set; }

    /// <summary>Leave secrets out: none is resolved, created or altered.</summary>
    [Parameter]
    public SwitchParameter SkipSecrets { get; set; }

    /// <summary>
    /// Secret values by the secret's project name (<c>'db.schema.name' = SecureString</c>). They win over the file's value,
    /// and an existing secret is altered to the value given.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? SecretValue { get; set; }

    /// <summary>Emit the plan instead of running it.</summary>
    [Parameter]
    public SwitchParameter DryRun { get; set; }

    private const string ConfirmAction = "changes infrastructure";

    private string? _root;

    protected override object? ErrorTarget => _root;

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        Confirmation.EnsureCanAskWhenConfirmBound(this, ConfirmAction);
        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var options = new ApplyOptions
        {
            Types = Type?.Select(ApplyMapper.ToEngine).ToHashSet(),
            SkipSecrets = SkipSecrets,
            SecretValues = SecretValues(),
        };
        var factory = ResolveConnection();
        var root = _root = ResolvePath(Path);
        await using var operation = await ApplyOperation.PrepareAsync(factory, root, options, Log, cancellationToken);
        var plan = operation.Plan;
        if (DryRun)
        {
            foreach (var item in plan.Items)
            {
                WriteObject(ApplyMapper.ToOutput(item, dryRun: true));
            }

            Inform($"Dry run: {Summary(plan.Items)}; nothing was changed."
                   + (operation.Relocks ? $" Applying would then regenerate {operation.TypeLockPath}." : ""));
            return;
        }

        var description = Description(plan, factory.Server)
                          + (operation.Relocks ? $"{Environment.NewLine}Then regenerate {operation.TypeLockPath} from {factory.Server}." : "");
        if (!Confirmation.ShouldProcess(this, force: false, ConfirmAction, description,
                $"Apply the project's infrastructure on {factory.Server}?", "Invoke-MzApply"))
        {
            return;
        }

        const string Activity = "Applying infrastructure";
        try
        {
            await operation.ExecuteAsync(Log, cancellationToken,
                p => ReportStep(Activity, p.Done, p.Total, $"{p.Next.Action} {p.Next.Type} {p.Next.Name}", "object"),
                item => Post(() => Emit(item)));
        }
        finally
        {
            CompleteProgress(Activity);
        }

        Inform(plan.HasChanges ? $"Applied: {Summary(plan.Items)}." : $"Nothing to change: {Summary(plan.Items)}.");
        await RelockAsync(operation, factory.Server, cancellationToken);
    }

    /// <summary>After a successful apply that included tables: types.lock regenerated on the apply's connection, reported last.</summary>
    private async Task RelockAsync(ApplyOperation operation, string server, CancellationToken cancellationToken)
    {
        TypeLockOperation? relock;
        TypeLockResult result;
        try
        {
            relock = await operation.PrepareLockAsync(Log, cancellationToken);
            if (relock is null)
            {
                return;
            }

            TypeLockOutput.WarnSkipped(this, relock.Plan, server);
            result = await relock.ExecuteAsync(Log, cancellationToken);
        }
        catch (MzDeployException e)
        {
            // The apply has finished and its results are out: a lock that cannot be regenerated (a declared dependency
            // missing on the server) is reported without hiding that, and without stopping the rest of a script.
            var record = ErrorRecords.From(e, operation.TypeLockPath);
            record.ErrorDetails = new ErrorDetails($"The apply finished, but {operation.TypeLockPath} was not regenerated: {e.Message}")
            {
                RecommendedAction = record.ErrorDetails?.RecommendedAction ?? string.Empty,
            };
            WriteError(record);
            return;
        }

        WriteObject(TypeLockOutput.Result(relock.Plan, result.Changed));
        Inform(result.Changed
            ? $"Regenerated {result.Path}: {result.Objects} object(s)."
            : $"{result.Path} is up to date ({result.Objects} object(s)).");
    }

    private void Emit(ApplyItem item)
    {
        if (item.Action == ApplyAction.Drifted)
        {
            WriteWarning($"{item.Type} {item.Name} differs from the project in a way that cannot change in place: {item.Reason}");
        }

        WriteObject(ApplyMapper.ToOutput(item, dryRun: false));
    }

    /// <summary>What -WhatIf prints and -Confirm asks about: the counts and every statement, secret values masked.</summary>
    private static string Description(ApplyPlan plan, string server)
    {
        var statements = plan.Statements.ToList();
        var refused = plan.Items.Where(i => i.Action == ApplyAction.Refused).ToList();
        var text = statements.Count == 0
            ? $"Apply infrastructure on {server}: {Summary(plan.Items)}; nothing to run."
            : $"Apply infrastructure on {server}: {Summary(plan.Items)}; run {statements.Count} statement(s):{Environment.NewLine}  "
              + string.Join(";" + Environment.NewLine + "  ", statements.Select(s => s.Sql.ReplaceLineEndings(Environment.NewLine + "  "))) + ";";
        return refused.Count == 0
            ? text
            : text + Environment.NewLine + "Refused (nothing runs until resolved): "
              + string.Join("; ", refused.Select(i => $"{i.Type} {i.Name}: {i.Reason}"));
    }

    /// <summary>"2 created, 1 altered, 5 unchanged" — the actions that occur, in the enum's order.</summary>
    private static string Summary(IEnumerable<ApplyItem> items)
    {
        var counts = items.GroupBy(i => i.Action).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}").ToList();
        return counts.Count == 0 ? "no objects" : string.Join(", ", counts);
    }

    /// <summary>-SecretValue as the engine takes it; a value that is not a SecureString stops the command before it connects.</summary>
    private Dictionary<string, SecretString> SecretValues()
    {
        var values = new Dictionary<string, SecretString>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in SecretValue ?? [])
        {
            var name = LanguagePrimitives.ConvertTo<string>(entry.Key);
            var value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
            if (value is not SecureString)
            {
                // Name the key only: the value may be the secret itself.
                ThrowTerminatingError(ErrorRecords.From(new MzDeployException(ModuleErrorIds.SecretValueNotSecure,
                    $"-SecretValue '{name}' is a {value?.GetType().Name ?? "null"}, not a SecureString", name,
                    new Advice("Pass a SecureString: Get-Secret from SecretManagement, Read-Host -AsSecureString, or ConvertTo-SecureString -AsPlainText for a CI variable."))));
            }

            values[name] = new SecretString(new NetworkCredential(string.Empty, (SecureString)value!).Password);
        }

        return values;
    }
}
