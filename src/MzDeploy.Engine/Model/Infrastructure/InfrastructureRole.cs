namespace MzDeploy.Engine.Model;

/// <summary>A role as production holds it (<c>mz_roles</c>, <c>mz_role_members</c>, <c>mz_role_parameters</c>).</summary>
public sealed record InfrastructureRole(string Name)
{
    public bool Inherit { get; init; } = true;

    /// <summary>Whether the role can log in; null where the catalog does not say.</summary>
    public bool? Login { get; init; }

    /// <summary>Whether the role is a superuser; null where the catalog does not say.</summary>
    public bool? Superuser { get; init; }

    /// <summary>The roles this role is granted to (its members), ordinal order.</summary>
    public IReadOnlyList<string> Members { get; init; } = [];

    /// <summary>Session defaults set by <c>ALTER ROLE … SET</c>: parameter name (lower case) to value as the catalog prints it.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public string? Comment { get; init; }
}
