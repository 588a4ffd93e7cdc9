using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Operations;

/// <summary>How to run setup.</summary>
/// <param name="ClusterSize">Size of <c>_mz_deploy_server</c> when it has to be created.</param>
public sealed record SetupOptions(string ClusterSize = SetupOptions.DefaultClusterSize)
{
    /// <summary>The smallest Materialize Cloud size; self-managed installations pass their own (e.g. <c>scale=1,workers=1</c>).</summary>
    public const string DefaultClusterSize = "25cc";
}

/// <summary>What setup found, created and granted (or, in a <see cref="SetupOperation.Preview"/>, would).</summary>
public sealed record SetupResult(
    string Profile,
    string Server,
    string User,
    bool RbacActive,
    bool DryRun,
    IReadOnlyList<string> Created,
    IReadOnlyList<string> AlreadyPresent,
    IReadOnlyList<string> Grants,
    IReadOnlyList<string> Statements);

/// <summary>
/// Creates or repairs the tracking infrastructure: the <c>_mz_deploy_server</c> cluster, the <c>_mz_deploy</c>
/// database with its tables, indexes and views (schema version 1, seeded), and — when RBAC is enforced — the three
/// mz-deploy roles and their grants. Idempotent: what exists is left alone (existing columns are never altered), so
/// a second run creates nothing; grants are re-issued every time to heal drift (a repeated GRANT changes nothing).
/// In two steps on one session (not pinned to the server cluster, which may not exist yet): <see cref="PrepareAsync"/>
/// reads what exists, refuses a role that may not run setup, and plans (<see cref="SetupPlanner"/>);
/// <see cref="ExecuteAsync"/> runs the plan one statement per round trip. Between the two, the caller shows
/// <see cref="Preview"/> or asks for confirmation. Not thread-safe.
/// </summary>
public sealed class SetupOperation : IAsyncDisposable
{
    private readonly ConnectionTarget _target;
    private readonly CatalogSession _session;
    private readonly SetupSessionInfo _info;

    private SetupOperation(ConnectionTarget target, CatalogSession session, SetupSessionInfo info, SetupPlan plan)
    {
        _target = target;
        _session = session;
        _info = info;
        Plan = plan;
    }

    /// <summary>What setup will run.</summary>
    public SetupPlan Plan { get; }

    /// <summary>The plan as a result: what would be created and granted, every statement in order.</summary>
    public SetupResult Preview => Result(preview: true);

    /// <summary>Reads what exists and plans; changes nothing.</summary>
    /// <exception cref="MzDeployException"><c>SetupRequiresSuperuser</c>, <c>SetupNotDatabaseOwner</c>, connection errors.</exception>
    public static async Task<SetupOperation> PrepareAsync(ConnectionTarget target, SetupOptions options, IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var session = await target.Factory.OpenAsync(cancellationToken, pinned: false).ConfigureAwait(false);
        try
        {
            log.Verbose($"Connected: {target.Description}");
            var info = await SetupCatalog.ReadSessionAsync(session, target.EmulatorMode, cancellationToken).ConfigureAwait(false);
            var (rbac, superuser, user) = (info.RbacActive, info.Superuser, info.User);
            log.Verbose(target.EmulatorMode
                ? "Emulator profile: roles and grants are skipped."
                : $"RBAC is {(rbac ? "enforced" : "off")}; connected as '{user}'{(superuser ? " (superuser)" : "")}.");
            if (rbac && !superuser)
            {
                throw new MzDeployException(ErrorIds.SetupRequiresSuperuser,
                    $"setup requires a superuser role when RBAC is enforced (current role: '{user}')",
                    user,
                    new RunSetupAsSuperuser());
            }

            var state = await SetupCatalog.ReadStateAsync(session, cancellationToken).ConfigureAwait(false);
            if (rbac && state.DatabaseExists)
            {
                // Only the owner can re-grant on _mz_deploy; find out before changing anything.
                var owner = await SetupCatalog.DatabaseOwnerAsync(session, cancellationToken).ConfigureAwait(false);
                if (owner is not null && owner != user)
                {
                    throw new MzDeployException(ErrorIds.SetupNotDatabaseOwner,
                        $"{TrackingSchema.Database} is owned by role '{owner}', not by the current role '{user}'",
                        TrackingSchema.Database,
                        new RunSetupAsOwner(owner, $"ALTER DATABASE {SqlIdentifier.Quote(TrackingSchema.Database)} OWNER TO {SqlIdentifier.QuoteIfNeeded(user)}"));
                }
            }

            var facts = await SetupCatalog.ReadFactsAsync(session, state, rbac, cancellationToken).ConfigureAwait(false);
            return new SetupOperation(target, session, info, SetupPlanner.Plan(facts, options.ClusterSize));
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary><see cref="PrepareAsync"/> then <see cref="ExecuteAsync"/>, for callers that show nothing in between.</summary>
    public static async Task<SetupResult> RunAsync(ConnectionTarget target, SetupOptions options, IOperationLog log,
        CancellationToken cancellationToken)
    {
        await using var operation = await PrepareAsync(target, options, log, cancellationToken).ConfigureAwait(false);
        return await operation.ExecuteAsync(log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the plan, one statement per round trip, in order.</summary>
    public async Task<SetupResult> ExecuteAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        foreach (var item in Plan.Items.Where(i => !i.Exists))
        {
            log.Verbose($"Creating {item.Description}");
            await _session.ExecuteAsync(item.Create, cancellationToken).ConfigureAwait(false);
        }

        foreach (var grant in Plan.Grants)
        {
            await _session.ExecuteAsync(grant, cancellationToken).ConfigureAwait(false);
        }

        if (_info.RbacActive)
        {
            log.Verbose($"Issued {Plan.Grants.Count} grants to {string.Join(", ", RoleCheck.RoleNames)}.");
        }

        log.Verbose(Plan.Created.Count == 0
            ? "mz-deploy is already set up: nothing to create."
            : $"Created {Plan.Created.Count} item(s).");
        return Result(preview: false);
    }

    public ValueTask DisposeAsync() => _session.DisposeAsync();

    private SetupResult Result(bool preview) =>
        new(_target.ProfileName, _target.Server, _info.User, _info.RbacActive, preview, Plan.Created, Plan.AlreadyPresent,
            Plan.Grants.Select(g => g.Sql).ToList(), Plan.Statements.Select(s => s.Sql).ToList());
}
