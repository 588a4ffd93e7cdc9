using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning.Delete;

/// <summary>
/// The object a delete drops: its kind and its production name. Clusters, roles and network policies are named by one
/// plain name; secrets, connections, sources and tables by <c>database.schema.name</c> (<see cref="Object"/>), as the
/// catalog stores each part.
/// </summary>
public sealed record DeleteTarget(InfrastructureKind Kind, string Name)
{
    /// <summary>The schema object's name; null for clusters, roles and network policies.</summary>
    public ObjectId? Object { get; private init; }

    /// <summary>Whether the kind lives in a schema (and is named <c>database.schema.name</c>).</summary>
    public bool InSchema => Object is not null;

    /// <summary>The kind in words, lower case (<c>network policy</c>, <c>table</c>).</summary>
    public string KindWords => Kind.SqlType().ToLowerInvariant();

    /// <summary>
    /// Reads <paramref name="name"/> for <paramref name="kind"/>; <c>InvalidObjectReference</c> for an empty name or a schema
    /// object not named by three non-empty dotted parts.
    /// </summary>
    public static DeleteTarget Parse(InfrastructureKind kind, string? name)
    {
        var text = name?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            throw new MzDeployException(ErrorIds.InvalidObjectReference, $"no name given for the {kind.SqlType().ToLowerInvariant()} to drop", name);
        }

        if (kind is InfrastructureKind.Cluster or InfrastructureKind.Role or InfrastructureKind.NetworkPolicy)
        {
            return new DeleteTarget(kind, text);
        }

        var parts = text.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            throw new MzDeployException(ErrorIds.InvalidObjectReference,
                $"invalid {kind.SqlType().ToLowerInvariant()} name '{text}': expected a qualified 'database.schema.name'", text);
        }

        return new DeleteTarget(kind, text) { Object = new ObjectId(parts[0], parts[1], parts[2]) };
    }

    /// <summary><c>table 'materialize.public.t'</c>, for messages.</summary>
    public override string ToString() => $"{KindWords} '{Name}'";
}
