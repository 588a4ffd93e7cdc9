using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning.Apply;
using MzDeploy.Engine.Planning.Delete;
using MzDeploy.Engine.Project;

namespace MzDeploy.Engine.Operations;

/// <summary>What to delete.</summary>
/// <param name="Kind">The object's kind.</param>
/// <param name="Name">Its production name: a cluster's, role's or network policy's, or <c>database.schema.name</c>.</param>
/// <param name="ProjectRoot">The project folder whose file defining the object is found (and removed when asked); null: none.</param>
/// <param name="RemoveFile">Remove the project file that defines the object once it is dropped.</param>
public sealed record DeleteRequest(InfrastructureKind Kind, string Name, string? ProjectRoot = null, bool RemoveFile = false);

/// <summary>What a delete did.</summary>
/// <param name="Kind">The object's kind.</param>
/// <param name="Name">Its production name.</param>
/// <param name="Statement">The DROP that ran.</param>
/// <param name="ProjectFile">The project file that defines it (relative to the project root), or null when none does.</param>
/// <param name="FileRemoved">Whether that file was removed.</param>
public sealed record DeleteResult(InfrastructureKind Kind, string Name, string Statement, string? ProjectFile, bool FileRemoved);

/// <summary>
/// mz-deploy <c>delete</c>, in two steps on one verified session (deployer role): <see cref="PrepareAsync"/> looks the object up,
/// reads what depends on it and finds the project file that defines it, then plans one DROP without CASCADE (refusing up
/// front when dependents are known); <see cref="ExecuteAsync"/> runs it, turning the server's dependency refusal into a
/// message naming the dependents, and removes the project file only when the request asks. Not thread-safe.
/// </summary>
public sealed class DeleteOperation : PlannedOperation<DeletePlan>
{
    /// <summary>SQLSTATE dependent_objects_still_exist: the server refused a drop because of dependents.</summary>
    private const string DependentObjectsStillExist = "2BP01";

    private DeleteOperation(VerifiedSession verified, DeletePlan plan)
        : base(verified, plan)
    {
    }

    /// <summary>Reads and plans; changes nothing.</summary>
    /// <exception cref="MzDeployException"><c>InvalidObjectReference</c>, setup and role errors, <c>ObjectNotFound</c>,
    /// <c>ObjectKindMismatch</c>, <c>ObjectHasDependents</c>.</exception>
    public static async Task<DeleteOperation> PrepareAsync(ConnectionTarget target, DeleteRequest request, IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        var deleteTarget = DeleteTarget.Parse(request.Kind, request.Name);
        return await PrepareOnAsync(target, RoleRequirement.Deployer, log, cancellationToken, async verified =>
        {
            var session = verified.Session;
            var (id, otherKind) = await DeleteCatalog.FindAsync(session, deleteTarget, cancellationToken).ConfigureAwait(false);
            var dependents = id is null
                ? []
                : await DeleteCatalog.DependentsAsync(session, deleteTarget, id, cancellationToken).ConfigureAwait(false);
            var file = FindProjectFile(request.ProjectRoot, target.ProfileName, deleteTarget, log);
            var facts = new DeleteFacts(id is not null, otherKind, dependents, file?.RelativePath, file?.FullPath);
            var plan = DeletePlanner.Plan(deleteTarget, facts, request.RemoveFile);
            log.Verbose(plan.ProjectFile is null
                ? $"No project file defines {deleteTarget}."
                : $"{deleteTarget} is defined by {plan.ProjectFile}" + (plan.RemovesFile ? ", which is removed after the drop." : ", which stays."));
            return new DeleteOperation(verified, plan);
        }).ConfigureAwait(false);
    }

    /// <summary>Runs the DROP, then removes the project file when the plan says so.</summary>
    /// <exception cref="MzDeployException"><c>ObjectHasDependents</c> when the server refuses because of dependents.</exception>
    public async Task<DeleteResult> ExecuteAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var session = Verified.Session;
        try
        {
            await session.ExecuteAsync(Plan.Statement, cancellationToken).ConfigureAwait(false);
        }
        catch (MzDeployException e) when (e.SqlState == DependentObjectsStillExist)
        {
            // Something came to depend on it since Prepare read (or the catalog does not show the dependency): name what the
            // catalog shows now, else pass on the server's words.
            IReadOnlyList<ObjectDependent> dependents = [];
            var (id, _) = await DeleteCatalog.FindAsync(session, Plan.Target, cancellationToken).ConfigureAwait(false);
            if (id is not null)
            {
                dependents = await DeleteCatalog.DependentsAsync(session, Plan.Target, id, cancellationToken).ConfigureAwait(false);
            }

            throw DeletePlanner.HasDependents(Plan.Target, dependents, e.Message, e);
        }

        log.Verbose($"Dropped {Plan.Target}.");
        var removed = Plan.RemovesFile && RemoveFile(Plan.ProjectFilePath!, log);
        return new DeleteResult(Plan.Target.Kind, Plan.Target.Name, Plan.Statement.Display, Plan.ProjectFile, removed);
    }

    private static bool RemoveFile(string path, IOperationLog log)
    {
        try
        {
            File.Delete(path);
            log.Verbose($"Removed {path}.");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning(new OperationWarning($"the object was dropped, but its project file {path} could not be removed: {e.Message}",
                new Advice($"Delete {path} by hand, or the next apply creates the object again.")));
            return false;
        }
    }

    /// <summary>
    /// The project file that defines the target under the active profile (production names: the profile suffix on
    /// clusters and databases), or null when there is no project or no file defines it. A project that does not compile
    /// cleanly is still searched: delete may be what fixes it.
    /// </summary>
    internal static ProjectFile? FindProjectFile(string? projectRoot, string? profile, DeleteTarget target, IOperationLog log)
    {
        if (projectRoot is null || !File.Exists(Path.Combine(projectRoot, ProjectConfig.FileName)))
        {
            return null;
        }

        CompiledProject project;
        try
        {
            project = ProjectCompiler.Compile(projectRoot, profile);
        }
        catch (MzDeployException e)
        {
            log.Verbose($"The project at {projectRoot} could not be read ({e.Message}): no project file is looked for.");
            return null;
        }

        var suffix = project.ProfileSuffix;
        var names = new ApplyNames(suffix, project.Objects.Select(o => o.Id));
        if (target.Object is { } id)
        {
            return project.Objects
                .Where(o => o.Constraint is null && InfrastructureKinds.FromObjectKind(o.Kind) == target.Kind && names.Production(o.Id) == id)
                .Select(o => o.Source.File)
                .FirstOrDefault();
        }

        var fileKind = target.Kind switch
        {
            InfrastructureKind.Cluster => ProjectFileKind.Cluster,
            InfrastructureKind.Role => ProjectFileKind.Role,
            _ => ProjectFileKind.NetworkPolicy,
        };
        return project.Definitions
            .Where(d => d.Kind == fileKind
                && string.Equals(fileKind == ProjectFileKind.Cluster ? names.Cluster(d.Name) : d.Name, target.Name, StringComparison.Ordinal))
            .Select(d => d.Source.File)
            .FirstOrDefault();
    }
}
