namespace MzDeploy.Engine.Model;

/// <summary>One rule of a network policy; action and direction lower case, as the catalog stores them.</summary>
public sealed record NetworkPolicyRule(string Name, string Action, string Direction, string Address)
{
    public override string ToString() => $"{Name} ({Action} {Direction} {Address})";
}

/// <summary>A network policy as production holds it (<c>mz_network_policies</c>, <c>mz_network_policy_rules</c>).</summary>
public sealed record InfrastructureNetworkPolicy(string Name)
{
    /// <summary>The rules, by name (ordinal order).</summary>
    public IReadOnlyList<NetworkPolicyRule> Rules { get; init; } = [];

    public IReadOnlyList<InfrastructureGrant> Grants { get; init; } = [];

    public string? Comment { get; init; }
}
