using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning.Apply;
using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Engine.Operations;

/// <summary>How far an apply is: <paramref name="Done"/> of <paramref name="Total"/> objects to change are done; <paramref name="Next"/> is changed now.</summary>
public readonly record struct ApplyProgress(int Done, int Total, ApplyItem Next);

/// <summary>
/// mz-deploy <c>apply</c>, in two steps on one verified session (deployer role): PrepareAsync compiles the
/// project, reads production's infrastructure once (<see cref="InfrastructureReader"/>: one catalog round trip) and plans
/// (<see cref="ApplyPlanner"/>); <see cref="ExecuteAsync"/> runs each object's statements in the plan's order, one per
/// round trip. Never drops: what cannot change in place is only reported. Secret values reach the server through the
/// executor alone (<see cref="CatalogSession.ExecuteSecretAsync"/>); the plan, the log and errors show them masked.
/// Between the two steps the caller shows <see cref="PlannedOperation{TPlan}.Plan"/> or asks. After a successful apply that
/// included the tables phase, <see cref="PrepareLockAsync"/> regenerates types.lock on the same session, as mz-deploy's
/// apply does. Not thread-safe.
/// </summary>
public sealed class ApplyOperation : PlannedOperation<ApplyPlan>
{
    private readonly CompiledProject _project;

    private ApplyOperation(VerifiedSession verified, ApplyPlan plan, CompiledProject project, ApplyOptions options)
        : base(verified, plan)
    {
        _project = project;
        // mz-deploy locks after a full apply and after `apply tables`: here, whenever the tables phase is part of the apply.
        // A project with nothing to lock (no dependencies, no table fed by a source) is not locked at all: no file appears.
        Relocks = options.Includes(InfrastructureKind.Table) && TypeLockOperation.HasSomethingToLock(project);
    }

    /// <summary>Whether a successful <see cref="ExecuteAsync"/> is followed by regenerating types.lock.</summary>
    public bool Relocks { get; }

    /// <summary>The project's types.lock, which <see cref="PrepareLockAsync"/> plans.</summary>
    public string TypeLockPath => TypeLockFile.PathIn(_project.Root);

    /// <summary>
    /// After a successful apply: reads what types.lock records on the apply's session and plans the file (the same
    /// operation as a lock on its own); the caller executes it. Null when <see cref="Relocks"/> is false.
    /// </summary>
    /// <exception cref="MzDeployException"><c>ExternalDependencyNotFound</c>, connection errors.</exception>
    public async Task<TypeLockOperation?> PrepareLockAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (!Relocks)
        {
            return null;
        }

        return await TypeLockOperation.PrepareOnAsync(Verified.Session, _project, log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads and plans; changes nothing.</summary>
    /// <exception cref="MzDeployException">Setup and role errors, <c>CompilationFailed</c>, connection errors.</exception>
    public static async Task<ApplyOperation> PrepareAsync(ConnectionTarget target, string projectRoot, ApplyOptions options, IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(projectRoot);
        // Compile first: a broken project is reported without a connection.
        var project = ProjectCompiler.Compile(projectRoot, target.ProfileName).EnsureSucceeded();
        log.Verbose($"Compiled {project.Objects.Count} object(s) with profile '{target.ProfileName}'.");
        return await PrepareAsync(target, project, options, log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads and plans an already compiled project; changes nothing.</summary>
    public static async Task<ApplyOperation> PrepareAsync(ConnectionTarget target, CompiledProject project, ApplyOptions options, IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        return await PrepareOnAsync(target, RoleRequirement.Deployer, log, cancellationToken, async verified =>
        {
            var snapshot = await InfrastructureReader.ReadAsync(verified.Session, cancellationToken).ConfigureAwait(false);
            log.Verbose($"Production: {snapshot.Clusters.Count} cluster(s), {snapshot.Roles.Count} role(s), {snapshot.Objects.Count} object(s)"
                        + (snapshot.NetworkPolicies is null ? " (no network-policy catalog)." : $", {snapshot.NetworkPolicies.Count} network policy(ies)."));
            var plan = ApplyPlanner.Plan(project, snapshot, options);
            foreach (var item in plan.Items)
            {
                log.Verbose($"{item.Action} {item.Type} {item.Name}: {item.Reason}");
            }

            return new ApplyOperation(verified, plan, project, options);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the plan: each object's statements in order, one per round trip. Refuses before running anything when an
    /// object could not be planned (<c>ApplyRefused</c>). A failing statement stops the apply; what ran before it stays.
    /// </summary>
    /// <param name="log">Verbose messages: each statement as displayed (secrets masked).</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <param name="progress">Called before the statements of each object that changes, from the operation's thread.</param>
    /// <param name="applied">Called for every item in plan order once it is done (at once for one with nothing to run).</param>
    /// <returns>The number of statements run.</returns>
    public async Task<int> ExecuteAsync(IOperationLog log, CancellationToken cancellationToken, Action<ApplyProgress>? progress = null,
        Action<ApplyItem>? applied = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var refused = Plan.Items.Where(i => i.Action == ApplyAction.Refused).ToList();
        if (refused.Count > 0)
        {
            throw new MzDeployException(ErrorIds.ApplyRefused,
                $"apply cannot plan {refused.Count} object(s), so it changes nothing: "
                + string.Join("; ", refused.Select(i => $"{i.Type} {i.Name}: {i.Reason}")),
                refused[0].Name,
                new ResolveRefusedObjects(refused.Select(i => i.Name).ToList()));
        }

        var session = Verified.Session;
        var total = Plan.Items.Count(i => i.Statements.Count > 0);
        var done = 0;
        var ran = 0;
        foreach (var item in Plan.Items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (item.Statements.Count > 0)
            {
                progress?.Invoke(new ApplyProgress(done, total, item));
                foreach (var statement in item.Statements)
                {
                    log.Verbose(statement.Sql);
                    await RunAsync(session, statement, cancellationToken).ConfigureAwait(false);
                    ran++;
                }

                done++;
            }

            applied?.Invoke(item);
        }

        log.Verbose(ran == 0 ? "Nothing to change." : $"Applied {done} object(s) with {ran} statement(s).");
        return ran;
    }

    /// <summary>A statement with a secret goes through the executor's secret path, which shows only its masked text.</summary>
    private static Task<int> RunAsync(CatalogSession session, ApplyStatement statement, CancellationToken cancellationToken) =>
        statement.SecretSql is { } secret
            ? session.ExecuteSecretAsync(statement.Sql, secret, cancellationToken)
            : session.ExecuteAsync(statement.Sql, cancellationToken);
}
