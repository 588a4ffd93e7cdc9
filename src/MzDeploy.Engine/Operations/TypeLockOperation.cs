using System.Text;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning.Lock;
using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Engine.Operations;

/// <summary>What to lock: the project whose dependencies and tables fed by sources are read from the server.</summary>
public sealed record TypeLockRequest(string ProjectRoot);

/// <summary>What a lock did.</summary>
/// <param name="Path">Full path of <c>types.lock</c>.</param>
/// <param name="Objects">How many objects it locks.</param>
/// <param name="Changed">Whether the file was (re)written; false when it already held exactly these objects.</param>
public sealed record TypeLockResult(string Path, int Objects, bool Changed)
{
    /// <summary>The project's tables fed by sources the server does not have yet (project names), left out of the lock.</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];
}

/// <summary>
/// mz-deploy <c>lock</c>: <see cref="PrepareAsync"/> compiles the project, reads its declared dependencies and its
/// <c>CREATE TABLE … FROM SOURCE</c> tables from the server (one catalog read; no mz-deploy setup or role needed, only the
/// right to read the catalog) and plans the exact text of types.lock; <see cref="ExecuteAsync"/> writes it when it
/// differs from the file there. Apply runs the same operation on its own session after it succeeds.
/// </summary>
public sealed class TypeLockOperation
{
    private TypeLockOperation(TypeLockPlan plan) => Plan = plan;

    /// <summary>The text to write and whether it changes the file.</summary>
    public TypeLockPlan Plan { get; }

    /// <summary>Compiles, reads and plans; writes nothing. Connects only when there is something to lock.</summary>
    /// <exception cref="Errors.MzDeployException"><c>ProjectNotFound</c>, <c>ProjectConfigInvalid</c>, <c>CompilationFailed</c>,
    /// connection errors, <c>ExternalDependencyNotFound</c>.</exception>
    public static async Task<TypeLockOperation> PrepareAsync(ConnectionTarget target, TypeLockRequest request, IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        // The tables fed by sources are found by compiling: a broken project is reported before connecting.
        var project = ProjectCompiler.Compile(request.ProjectRoot, target.ProfileName).EnsureSucceeded();
        if (!HasSomethingToLock(project))
        {
            return await PrepareOnAsync(null, project, log, cancellationToken).ConfigureAwait(false);
        }

        // Not pinned: the catalog is readable without the tracking cluster, and a lock needs no mz-deploy setup.
        await using var session = await target.Factory.OpenAsync(cancellationToken, pinned: false).ConfigureAwait(false);
        log.Verbose($"Connected: {target.Description}");
        return await PrepareOnAsync(session, project, log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads on <paramref name="session"/> (null: nothing to read) and plans; writes nothing.</summary>
    internal static async Task<TypeLockOperation> PrepareOnAsync(CatalogSession? session, CompiledProject project, IOperationLog log,
        CancellationToken cancellationToken)
    {
        var dependencies = project.Config.Dependencies;
        var tables = TablesFedBySources(project);
        var subjects = Subjects(project, tables);
        IReadOnlyDictionary<string, LockedObject> found = new Dictionary<string, LockedObject>();
        if (subjects.Count == 0)
        {
            log.Verbose("The project declares no dependencies and feeds no table from a source: nothing to lock.");
        }
        else
        {
            ArgumentNullException.ThrowIfNull(session);
            found = await LockedObjectReader.ReadAsync(session, subjects, cancellationToken).ConfigureAwait(false);
        }

        var path = TypeLockFile.PathIn(project.Root);
        var current = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : null;
        var plan = TypeLockPlanner.Plan(dependencies, tables, found, path, current);
        log.Verbose(plan.Changed ? $"{path} will hold {plan.Objects} object(s)." : $"{path} is up to date.");
        return new TypeLockOperation(plan);
    }

    /// <summary>Writes the lock when it changed; an unchanged file is left untouched.</summary>
    public async Task<TypeLockResult> ExecuteAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (Plan.Changed)
        {
            await File.WriteAllTextAsync(Plan.Path, Plan.Text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken)
                .ConfigureAwait(false);
            log.Verbose($"Wrote {Plan.Path}.");
        }

        return new TypeLockResult(Plan.Path, Plan.Objects, Plan.Changed) { Skipped = Plan.Skipped };
    }

    /// <summary>Whether <paramref name="project"/> has anything a lock reads: a declared dependency or a table fed by a source.</summary>
    internal static bool HasSomethingToLock(CompiledProject project) =>
        project.Config.Dependencies.Count > 0 || project.Objects.Any(IsTableFedBySource);

    private static List<LockSubject> Subjects(CompiledProject project, List<LockSubject> tables) =>
        [.. project.Config.Dependencies.Select(d => new LockSubject(d.QualifiedName, d.Database, d.Schema, d.Name)), .. tables];

    /// <summary>
    /// The project's <c>CREATE TABLE … FROM SOURCE</c> tables, keyed by their project names and found under their
    /// production names (the profile's suffix on the database), where apply creates them.
    /// </summary>
    private static List<LockSubject> TablesFedBySources(CompiledProject project)
    {
        var suffix = project.ProfileSuffix ?? string.Empty;
        return project.Objects.Where(IsTableFedBySource)
            .Select(o => new LockSubject(o.Id.ToString(), o.Id.Database + suffix, o.Id.Schema, o.Id.Name))
            .ToList();
    }

    private static bool IsTableFedBySource(CompiledObject o) => o.Kind == ObjectKind.TableFromSource && o.Constraint is null;
}
