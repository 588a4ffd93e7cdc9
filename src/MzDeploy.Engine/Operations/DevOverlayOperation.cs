using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations.Compare;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine.Planning.DevOverlay;

namespace MzDeploy.Engine.Operations;

/// <summary>What to overlay: the project and the developer's cluster.</summary>
public sealed record DevOverlayRequest(string ProjectRoot, string Cluster);

/// <summary>How far a dev overlay run is: <paramref name="Done"/> of <paramref name="Total"/> statements ran; <paramref name="Next"/> runs now.</summary>
public readonly record struct DevOverlayProgress(int Done, int Total, PlannedStatement Next);

/// <summary>One overlaid object compared with its production counterpart.</summary>
public sealed record DevOverlayComparison(DevOverlayObject Object, RelationComparison Comparison);

/// <summary>
/// mz-deploy <c>dev</c> (and <c>dev --down</c>), on one verified session (developer role): PrepareAsync compiles the project,
/// checks the CREATEDB privilege and the developer's cluster — refusing one that production runs on, before any DDL or
/// manifest write — reads the promoted snapshot once, computes stage's change set against it (<see cref="ChangeDetector"/>)
/// and the previous overlay's leftovers, and plans (<see cref="DevOverlayPlanner"/>); <see cref="ExecuteAsync"/> runs the
/// plan, one statement per round trip. <see cref="CompareAsync"/> then compares each overlaid object with production.
/// Not thread-safe.
/// </summary>
public sealed class DevOverlayOperation : PlannedOperation<DevOverlayPlan>
{
    private DevOverlayOperation(VerifiedSession verified, DevOverlayPlan plan)
        : base(verified, plan)
    {
    }

    /// <summary>Reads and plans a rebuild of the overlay; changes nothing.</summary>
    /// <exception cref="MzDeployException"><c>CompilationFailed</c>, <c>ProjectNameUnavailable</c>, setup and role errors,
    /// <c>DevOverlayPrivilegeRequired</c>, <c>DevClusterNotFound</c>, <c>DevOverlayOnProductionCluster</c>, change set errors.</exception>
    public static async Task<DevOverlayOperation> PrepareAsync(ConnectionTarget target, DevOverlayRequest request, IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentException.ThrowIfNullOrEmpty(request.Cluster);
        var (project, projectName, names) = Compile(target, request.ProjectRoot, log);
        return await PrepareOnAsync(target, RoleRequirement.Developer, log, cancellationToken, async verified =>
        {
            var session = verified.Session;
            var databases = DevOverlayPlanner.CandidateNames(project, names);
            await CheckCreateDatabaseAsync(verified, databases.FirstOrDefault() ?? names.OverlayDatabase("materialize"), cancellationToken)
                .ConfigureAwait(false);
            await CheckClusterAsync(session, request.Cluster, cancellationToken).ConfigureAwait(false);

            var production = await StageRecorder.ReadProductionAsync(session, names.ProfileSuffix, cancellationToken).ConfigureAwait(false);
            log.Verbose(production.IsEmpty
                ? "Production has no promoted objects: every view and materialized view is overlaid."
                : $"Production snapshot: {production.Hashes.Count} object(s) in {production.Schemas.Count} schema(s).");
            var changes = ChangeDetector.Compute(project, production);
            var leftovers = await DevOverlayCatalog.ReadLeftoversAsync(session, names.Profile, projectName, databases, cancellationToken)
                .ConfigureAwait(false);
            var plan = DevOverlayPlanner.Plan(project, changes, production, names, projectName, request.Cluster, leftovers,
                DevOverlayCatalog.Tracking(names.Profile, projectName));
            foreach (var o in plan.Objects)
            {
                log.Verbose($"Overlay {o.Id} as {o.Overlay}: {o.Reason}");
            }

            foreach (var s in plan.Skipped)
            {
                log.Verbose($"Skip {s.Kind?.ToString() ?? "deleted object"} {s.Id}: a dev overlay holds only views and materialized views ({s.Reason}).");
            }

            return new DevOverlayOperation(verified, plan);
        }).ConfigureAwait(false);
    }

    /// <summary>Reads and plans the removal of the overlay (recorded and stray databases); changes nothing.</summary>
    public static async Task<DevOverlayOperation> PrepareRemovalAsync(ConnectionTarget target, string projectRoot, IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(log);
        var (project, projectName, names) = Compile(target, projectRoot, log);
        return await PrepareOnAsync(target, RoleRequirement.Developer, log, cancellationToken, async verified =>
        {
            var leftovers = await DevOverlayCatalog.ReadLeftoversAsync(verified.Session, names.Profile, projectName,
                DevOverlayPlanner.CandidateNames(project, names), cancellationToken).ConfigureAwait(false);
            return new DevOverlayOperation(verified, DevOverlayPlanner.Remove(names, projectName, leftovers,
                DevOverlayCatalog.Tracking(names.Profile, projectName)));
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the plan: the teardown, then the build. A failing statement stops the run; what it created is recorded (each
    /// database right after its creation), so the next run or a removal cleans it.
    /// </summary>
    /// <param name="log">Verbose messages: each statement.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <param name="progress">Called before each statement, from the operation's thread.</param>
    /// <returns>The number of statements run.</returns>
    public async Task<int> ExecuteAsync(IOperationLog log, CancellationToken cancellationToken, Action<DevOverlayProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var statements = Plan.Statements.ToList();
        var ran = 0;
        foreach (var statement in statements)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Invoke(new DevOverlayProgress(ran, statements.Count, statement));
            log.Verbose(statement.Display);
            await Verified.Session.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            ran++;
        }

        log.Verbose(Plan.Build.Count == 0
            ? $"Removed {Plan.Dropped.Count} overlay database(s)."
            : $"Built {Plan.Objects.Count} object(s) in {Plan.Databases.Count} overlay database(s) ({ran} statement(s)).");
        return ran;
    }

    /// <summary>
    /// Compares each overlaid object that has a production counterpart with it, on the developer's cluster, one statement per
    /// object (<see cref="ResultComparer"/>). Run after <see cref="ExecuteAsync"/>.
    /// </summary>
    /// <param name="sampleSize">At most this many differing rows per side and object.</param>
    /// <param name="log">Verbose messages.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <param name="compared">Called with each comparison as it is done, from the operation's thread.</param>
    public async Task<IReadOnlyList<DevOverlayComparison>> CompareAsync(int sampleSize, IOperationLog log, CancellationToken cancellationToken,
        Action<DevOverlayComparison>? compared = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var session = Verified.Session;
        var results = new List<DevOverlayComparison>();
        var objects = Plan.Objects.Where(o => o.Production is not null).ToList();
        if (objects.Count == 0 || Plan.Cluster is null)
        {
            return results;
        }

        // The overlaid objects are computed on the developer's cluster, never on the tracking server's.
        await session.ExecuteAsync(RelationComparisonQuery.UseClusterSql(Plan.Cluster), cancellationToken).ConfigureAwait(false);
        foreach (var o in objects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var comparison = await ResultComparer.CompareAsync(session, o.Overlay, o.Production!, sampleSize, cancellationToken)
                .ConfigureAwait(false);
            log.Verbose($"Compared {o.Overlay} with {o.Production}: {comparison.LeftCount} against {comparison.RightCount} row(s), "
                        + $"{comparison.OnlyLeftCount} only in the overlay, {comparison.OnlyRightCount} only in production.");
            var result = new DevOverlayComparison(o, comparison);
            results.Add(result);
            compared?.Invoke(result);
        }

        return results;
    }

    // Compile first: a broken project is reported without a connection.
    private static (CompiledProject Project, string ProjectName, DevOverlayNames Names) Compile(ConnectionTarget target, string projectRoot,
        IOperationLog log)
    {
        ArgumentNullException.ThrowIfNull(projectRoot);
        var project = ProjectCompiler.Compile(projectRoot, target.ProfileName).EnsureSucceeded();
        log.Verbose($"Compiled {project.Objects.Count} object(s) with profile '{target.ProfileName}'.");
        var projectName = DevOverlayNames.ProjectName(projectRoot)
            ?? throw new MzDeployException(ErrorIds.ProjectNameUnavailable,
                $"cannot derive the project's name from the folder '{projectRoot}': a dev overlay is recorded under it", projectRoot,
                new Advice("Keep the project in a folder of its own (its name identifies the project's overlays)."));
        var names = new DevOverlayNames(target.ProfileName, project.ProfileSuffix);
        return (project, projectName, names);
    }

    // With RBAC on, a developer needs CREATEDB (mz-deploy's setup grants it to materialize_developer); say which GRANT fixes it
    // before anything runs, not after the teardown.
    private static async Task CheckCreateDatabaseAsync(VerifiedSession verified, string sampleDatabase, CancellationToken cancellationToken)
    {
        if (!verified.Role.RbacActive || verified.Role.Role == MzDeployRole.Superuser)
        {
            return;
        }

        if (!await DevOverlayCatalog.CanCreateDatabasesAsync(verified.Session, cancellationToken).ConfigureAwait(false))
        {
            var user = verified.Role.User;
            throw new MzDeployException(ErrorIds.DevOverlayPrivilegeRequired,
                $"user '{user}' lacks the CREATEDB privilege, required to create overlay database '{sampleDatabase}'", user,
                new Advice($"Ask an administrator to run: GRANT CREATEDB ON SYSTEM TO {Sql.SqlIdentifier.QuoteIfNeeded(user)}"));
        }
    }

    private static async Task CheckClusterAsync(CatalogSession session, string cluster, CancellationToken cancellationToken)
    {
        if (!await DevOverlayCatalog.ClusterExistsAsync(session, cluster, cancellationToken).ConfigureAwait(false))
        {
            throw new MzDeployException(ErrorIds.DevClusterNotFound, $"cluster '{cluster}' does not exist", cluster, new CreateDevCluster(cluster, Sql.SqlIdentifier.QuoteIfNeeded(cluster)));
        }

        var residents = await DevOverlayCatalog.ProductionResidentsAsync(session, cluster, cancellationToken).ConfigureAwait(false);
        if (residents.Count > 0)
        {
            var schemas = residents.GroupBy(r => r.Schema)
                .Select(g => $"{g.Key} ({string.Join(", ", g.Select(r => r.Object))}), promoted {g.First().PromotedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC")
                .ToList();
            throw new MzDeployException(ErrorIds.DevOverlayOnProductionCluster,
                $"refusing to build a dev overlay on production cluster '{cluster}': it runs {string.Join("; ", schemas)}", cluster,
                new UseDevCluster(cluster, Sql.SqlIdentifier.QuoteIfNeeded(cluster + "_dev")));
        }
    }
}
