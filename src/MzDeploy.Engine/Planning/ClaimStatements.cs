using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning;

/// <summary>
/// The statements that claim and release a deploy ID. A stage claims its ID by creating the promote progress marker
/// <c>_mz_deploy.deploy_&lt;id&gt;_pending</c> with a plain <c>CREATE SCHEMA</c> (not IF NOT EXISTS): of two stages of
/// one ID racing past the existence check, the second fails there, before it records or creates anything. Abort,
/// rollback and a promote that lost a race to its own twin release it; a promote renames it inside the swap.
/// </summary>
internal static class ClaimStatements
{
    /// <summary><c>CREATE SCHEMA _mz_deploy.deploy_&lt;id&gt;_pending</c>: fails (SQLSTATE 42P06) when the ID is claimed.</summary>
    public static PlannedStatement Claim(StagingNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return Claim(names.PendingMarker);
    }

    /// <summary><c>CREATE SCHEMA _mz_deploy.&lt;marker&gt;</c>: claims any progress marker (an undo claims its own).</summary>
    public static PlannedStatement Claim(string marker) =>
        new(PlannedStatementKind.CreateMarker, $"{PromotionMarker.Database}.{marker}", $"CREATE SCHEMA {PromotionMarker.Sql(marker)}");

    /// <summary><c>DROP SCHEMA IF EXISTS _mz_deploy.deploy_&lt;id&gt;_pending</c>.</summary>
    public static PlannedStatement Release(StagingNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return new PlannedStatement(PlannedStatementKind.DropMarker, $"{PromotionMarker.Database}.{names.PendingMarker}",
            $"DROP SCHEMA IF EXISTS {PromotionMarker.Sql(names.PendingMarker)}");
    }
}
