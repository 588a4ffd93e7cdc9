using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Catalog;

/// <summary>What the connected user is, as far as MzDeploy is concerned.</summary>
public enum MzDeployRole
{
    /// <summary>A superuser, or anybody when RBAC is off (or in emulator mode): passes every check.</summary>
    Superuser,

    /// <summary>Member of <c>materialize_deployer</c>: stage, promote, abort, delete, apply.</summary>
    Deployer,

    /// <summary>Member of <c>materialize_developer</c>: dev overlays, and reading deployments.</summary>
    Developer,

    /// <summary>Member of <c>materialize_monitor</c>: reading deployments only.</summary>
    Monitor,
}

/// <summary>The role an operation needs.</summary>
public enum RoleRequirement
{
    /// <summary>Stage, promote, abort, delete, apply.</summary>
    Deployer,

    /// <summary>Dev overlays (a deployer is refused: deployers use stage).</summary>
    Developer,

    /// <summary>List, describe, log, wait: any one of the three roles.</summary>
    AnyRole,
}

/// <summary>The connected user and the mz-deploy role they act as.</summary>
internal sealed record ConnectedRole(string User, MzDeployRole Role, bool RbacActive);

/// <summary>
/// mz-deploy's role model: a connecting user must be a superuser or a member of exactly one of the three
/// mz-deploy roles, and the role must fit the operation. With RBAC off — Materialize enforces privileges
/// when <c>enable_rbac_checks</c> (system) or <c>enable_session_rbac_checks</c> (session) is on — or with the
/// built-in emulator profile, everybody is treated as a superuser.
/// </summary>
internal static class RoleCheck
{
    public const string DeployerRole = "materialize_deployer";
    public const string DeveloperRole = "materialize_developer";
    public const string MonitorRole = "materialize_monitor";

    /// <summary>The three roles, in setup order.</summary>
    public static IReadOnlyList<string> RoleNames { get; } = [DeployerRole, DeveloperRole, MonitorRole];

    // Materialize's rule (adapter rbac.rs): checks apply when the system OR the session switch is on.
    // current_setting(name, true): a server that does not know the session switch answers NULL, read as off.
    internal const string RbacQuery =
        "SELECT coalesce(current_setting('enable_rbac_checks', true)::bool, false), "
        + "coalesce(current_setting('enable_session_rbac_checks', true)::bool, false)";

    // pg_has_role fails for a role that does not exist: the setup check (which lists missing roles) runs first.
    internal const string MembershipQuery =
        "SELECT mz_is_superuser(), current_user(), pg_has_role(current_role(), $1, 'MEMBER'), "
        + "pg_has_role(current_role(), $2, 'MEMBER'), pg_has_role(current_role(), $3, 'MEMBER')";

    /// <summary>Whether Materialize enforces privileges for this session (false in emulator mode).</summary>
    public static async Task<bool> IsRbacActiveAsync(CatalogSession session, bool emulatorMode, CancellationToken cancellationToken)
    {
        if (emulatorMode)
        {
            return false;
        }

        var (system, own) = await session.QuerySingleAsync(RbacQuery, r => (r.GetBoolean(0), r.GetBoolean(1)), cancellationToken)
            .ConfigureAwait(false);
        return system || own;
    }

    /// <summary>
    /// The connected user's role, checked against <paramref name="required"/>. Errors: <c>NoMzDeployRole</c>,
    /// <c>MultipleMzDeployRoles</c>, <c>MzDeployRoleRequired</c>, each naming the GRANT (or the switch) that fixes it.
    /// </summary>
    public static async Task<ConnectedRole> CheckAsync(CatalogSession session, bool rbacActive, RoleRequirement required,
        CancellationToken cancellationToken)
    {
        if (!rbacActive)
        {
            var user = await session.QuerySingleAsync("SELECT current_user()", r => r.GetString(0), cancellationToken).ConfigureAwait(false);
            return new ConnectedRole(user, MzDeployRole.Superuser, RbacActive: false);
        }

        var row = await session.QuerySingleAsync(MembershipQuery,
            r => (Superuser: r.GetBoolean(0), User: r.GetString(1), Deployer: r.GetBoolean(2), Developer: r.GetBoolean(3), Monitor: r.GetBoolean(4)),
            cancellationToken, DeployerRole, DeveloperRole, MonitorRole).ConfigureAwait(false);
        var memberships = new List<MzDeployRole>();
        if (row.Deployer)
        {
            memberships.Add(MzDeployRole.Deployer);
        }

        if (row.Developer)
        {
            memberships.Add(MzDeployRole.Developer);
        }

        if (row.Monitor)
        {
            memberships.Add(MzDeployRole.Monitor);
        }

        return Decide(row.User, row.Superuser, memberships, required);
    }

    /// <summary>The decision of <see cref="CheckAsync"/> from what the server said (with RBAC on).</summary>
    public static ConnectedRole Decide(string user, bool superuser, IReadOnlyCollection<MzDeployRole> memberships, RoleRequirement required)
    {
        if (superuser)
        {
            return new ConnectedRole(user, MzDeployRole.Superuser, RbacActive: true);
        }

        var grantee = SqlIdentifier.QuoteIfNeeded(user);
        var suggested = RoleName(required == RoleRequirement.AnyRole ? MzDeployRole.Monitor : Fits(required));
        if (memberships.Count == 0)
        {
            throw new MzDeployException(ErrorIds.NoMzDeployRole,
                $"the current role '{user}' is not a member of any mz-deploy role ({string.Join(", ", RoleNames)})",
                user,
                new Advice($"Ask an administrator to run: GRANT {suggested} TO {grantee}"));
        }

        if (memberships.Count > 1)
        {
            var held = string.Join(", ", memberships.Select(RoleName));
            throw new MzDeployException(ErrorIds.MultipleMzDeployRoles,
                $"the current role '{user}' is a member of several mz-deploy roles ({held}); it must hold exactly one",
                user,
                new Advice($"Use a separate user (and profile) per role, or revoke the extra ones, e.g. REVOKE {RoleName(memberships.Last())} FROM {grantee}"));
        }

        var role = memberships.First();
        var allowed = required switch
        {
            RoleRequirement.Deployer => role == MzDeployRole.Deployer,
            RoleRequirement.Developer => role == MzDeployRole.Developer,
            _ => true,
        };
        if (!allowed)
        {
            var needed = RoleName(Fits(required));
            throw new MzDeployException(ErrorIds.MzDeployRoleRequired,
                $"this command requires the '{needed}' role, but '{user}' is connected as '{RoleName(role)}'",
                user,
                new SwitchRole(needed, grantee, DeployerWantsDevelopment: required == RoleRequirement.Developer && role == MzDeployRole.Deployer));
        }

        return new ConnectedRole(user, role, RbacActive: true);
    }

    /// <summary>The database role behind an <see cref="MzDeployRole"/> (superuser has none: "superuser").</summary>
    public static string RoleName(MzDeployRole role) => role switch
    {
        MzDeployRole.Deployer => DeployerRole,
        MzDeployRole.Developer => DeveloperRole,
        MzDeployRole.Monitor => MonitorRole,
        _ => "superuser",
    };

    private static MzDeployRole Fits(RoleRequirement required) => required switch
    {
        RoleRequirement.Deployer => MzDeployRole.Deployer,
        RoleRequirement.Developer => MzDeployRole.Developer,
        _ => MzDeployRole.Monitor,
    };
}
