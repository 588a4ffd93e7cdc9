using System.Text;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Planning.Lock;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Engine.Operations;

/// <summary>What to lock: the project whose <c>dependencies</c> are read from the server.</summary>
public sealed record TypeLockRequest(string ProjectRoot);

/// <summary>What a lock did.</summary>
/// <param name="Path">Full path of <c>types.lock</c>.</param>
/// <param name="Objects">How many objects it locks.</param>
/// <param name="Changed">Whether the file was (re)written; false when it already held exactly these columns.</param>
public sealed record TypeLockResult(string Path, int Objects, bool Changed);

/// <summary>
/// mz-deploy <c>lock</c>: <see cref="PrepareAsync"/> reads project.toml's external dependencies and their columns from
/// the server (one catalog read; no mz-deploy setup or role needed, only the right to read the catalog) and plans the
/// exact text of types.lock; <see cref="ExecuteAsync"/> writes it when it differs from the file there.
/// </summary>
public sealed class TypeLockOperation
{
    private TypeLockOperation(TypeLockPlan plan) => Plan = plan;

    /// <summary>The text to write and whether it changes the file.</summary>
    public TypeLockPlan Plan { get; }

    /// <summary>Reads and plans; writes nothing.</summary>
    /// <exception cref="Errors.MzDeployException"><c>ProjectNotFound</c>, <c>ProjectConfigInvalid</c>, connection errors,
    /// <c>ExternalDependencyNotFound</c>.</exception>
    public static async Task<TypeLockOperation> PrepareAsync(ConnectionTarget target, TypeLockRequest request, IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        var config = ProjectConfig.Load(request.ProjectRoot);
        var path = TypeLockFile.PathIn(config.ProjectRoot);
        IReadOnlyDictionary<string, IReadOnlyList<LockedColumn>> found = new Dictionary<string, IReadOnlyList<LockedColumn>>();
        if (config.Dependencies.Count == 0)
        {
            log.Verbose("project.toml declares no dependencies: the lock is empty.");
        }
        else
        {
            // Not pinned: the catalog is readable without the tracking cluster, and a lock needs no mz-deploy setup.
            await using var session = await target.Factory.OpenAsync(cancellationToken, pinned: false).ConfigureAwait(false);
            log.Verbose($"Connected: {target.Description}");
            found = await DependencyColumnReader.ReadAsync(session, config.Dependencies, cancellationToken).ConfigureAwait(false);
        }

        var current = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : null;
        var plan = TypeLockPlanner.Plan(config.Dependencies, found, path, current);
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

        return new TypeLockResult(Plan.Path, Plan.Objects, Plan.Changed);
    }
}
