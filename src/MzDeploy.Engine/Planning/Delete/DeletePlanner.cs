using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning.Delete;

/// <summary>What a delete read before planning: whether the object exists (or what else holds its name) and what depends on it.</summary>
/// <param name="Exists">An object of the target's kind and name exists.</param>
/// <param name="OtherKind">When it does not: the kind of the object that holds the name instead (catalog words), if any.</param>
/// <param name="Dependents">What would stop a drop without CASCADE, in name order.</param>
/// <param name="ProjectFile">The project file defining the object (relative path), or null.</param>
/// <param name="ProjectFilePath">That file's full path, or null.</param>
public sealed record DeleteFacts(bool Exists, string? OtherKind, IReadOnlyList<ObjectDependent> Dependents, string? ProjectFile = null,
    string? ProjectFilePath = null);

/// <summary>
/// Plans mz-deploy <c>delete</c>: exactly one <c>DROP</c> of the target, never with CASCADE, refused up front when the
/// catalog already shows dependents (the server would refuse it too). Pure: the facts are read by the operation.
/// </summary>
public static class DeletePlanner
{
    /// <summary>The plan, or <c>ObjectNotFound</c>, <c>ObjectKindMismatch</c>, <c>ObjectHasDependents</c>.</summary>
    public static DeletePlan Plan(DeleteTarget target, DeleteFacts facts, bool removeFile)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.Exists)
        {
            if (facts.OtherKind is { } other)
            {
                throw new MzDeployException(ErrorIds.ObjectKindMismatch,
                    $"'{target.Name}' is a {other}, not a {target.KindWords}", target.Name,
                    new CheckObjectName(null));
            }

            throw new MzDeployException(ErrorIds.ObjectNotFound,
                $"{target} does not exist" + (facts.ProjectFile is null ? "" : $" (the project still defines it in {facts.ProjectFile})"),
                target.Name, new CheckObjectName(facts.ProjectFile));
        }

        if (facts.Dependents.Count > 0)
        {
            throw HasDependents(target, facts.Dependents);
        }

        var statement = new PlannedStatement(PlannedStatementKind.DropObject, target.Name, DropStatement(target));
        return new DeletePlan(target, statement, facts.ProjectFile, facts.ProjectFilePath, removeFile && facts.ProjectFilePath is not null);
    }

    /// <summary><c>DROP &lt;KIND&gt; &lt;name&gt;</c>, every part quoted, no CASCADE (RESTRICT is Materialize's default).</summary>
    public static string DropStatement(DeleteTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var name = target.Object is { } id
            ? $"{SqlIdentifier.Quote(id.Database)}.{SqlIdentifier.Quote(id.Schema)}.{SqlIdentifier.Quote(id.Name)}"
            : SqlIdentifier.Quote(target.Name);
        return $"DROP {target.Kind.SqlType()} {name}";
    }

    /// <summary>The refusal naming every dependent by full name; <paramref name="serverMessage"/> when the server refused first.</summary>
    public static MzDeployException HasDependents(DeleteTarget target, IReadOnlyList<ObjectDependent> dependents, string? serverMessage = null,
        Exception? inner = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(dependents);
        var listed = dependents.Select(d => d.ToString()).ToList();
        var message = listed.Count > 0
            ? $"cannot drop {target}: {listed.Count} object(s) depend on it: {string.Join(", ", listed)}"
            : $"cannot drop {target}: objects depend on it ({serverMessage})";
        return new MzDeployException(ErrorIds.ObjectHasDependents, message, target.Name, new DropDependentsFirst(listed), inner);
    }
}
