namespace MzDeploy.Engine.Model;

/// <summary>
/// One privilege on one object held by one role (<c>PUBLIC</c> for everyone), as <c>mz_aclexplode</c> reports it:
/// privilege upper case (<c>SELECT</c>, <c>USAGE</c>, <c>CREATE</c>), grantee as the catalog names it.
/// </summary>
public sealed record InfrastructureGrant(string Privilege, string Grantee)
{
    /// <summary>The grantee that stands for every role.</summary>
    public const string Public = "PUBLIC";

    public override string ToString() => $"{Privilege} to {Grantee}";
}
