using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Operations;

/// <summary>How to run setup.</summary>
/// <param name="ClusterSize">Size of <c>_mz_deploy_server</c> when it has to be created.</param>
/// <param name="DryRun">Read what exists and plan, but change nothing (a preview).</param>
public sealed record SetupOptions(string ClusterSize = SetupOptions.DefaultClusterSize, bool DryRun = false)
{
    /// <summary>The smallest Materialize Cloud size; self-managed installations pass their own (e.g. <c>scale=1,workers=1</c>).</summary>
    public const string DefaultClusterSize = "25cc";
}

/// <summary>What setup found, created and granted.</summary>
public sealed record SetupResult(
    string Profile,
    string Server,
    string User,
    bool RbacActive,
    bool DryRun,
    IReadOnlyList<string> Created,
    IReadOnlyList<string> AlreadyPresent,
    IReadOnlyList<string> Grants,
    IReadOnlyList<string> Statements);

/// <summary>
/// Creates or repairs the tracking infrastructure: the <c>_mz_deploy_server</c> cluster, the <c>_mz_deploy</c>
/// database with its tables, indexes and views (schema version 1, seeded), and — when RBAC is enforced — the three
/// mz-deploy roles and their grants. Idempotent: what exists is left alone (existing columns are never altered), so
/// a second run creates nothing; grants are re-issued every time to heal drift (a repeated GRANT changes nothing).
/// One statement per round trip; the first session is not pinned to the server cluster, which may not exist yet.
/// </summary>
public static class SetupOperation
{
    internal const string SuperuserQuery = "SELECT mz_is_superuser(), current_user()";

    internal const string DatabaseOwnerQuery =
        "SELECT r.name FROM mz_catalog.mz_databases d JOIN mz_catalog.mz_roles r ON r.id = d.owner_id WHERE d.name = $1";

    public static async Task<SetupResult> RunAsync(ConnectionTarget target, SetupOptions options, IOperationLog log,
        CancellationToken cancellationToken)
    {
        var statements = new StatementLog();
        await using var session = await target.Factory.OpenAsync(cancellationToken, pinned: false, statements, options.DryRun).ConfigureAwait(false);
        log.Verbose($"Connected: {target.Description}");

        var rbac = await RoleCheck.IsRbacActiveAsync(session, target.EmulatorMode, cancellationToken).ConfigureAwait(false);
        var (superuser, user) = await session.QuerySingleAsync(SuperuserQuery, r => (r.GetBoolean(0), r.GetString(1)), cancellationToken)
            .ConfigureAwait(false);
        log.Verbose(target.EmulatorMode
            ? "Emulator profile: roles and grants are skipped."
            : $"RBAC is {(rbac ? "enforced" : "off")}; connected as '{user}'{(superuser ? " (superuser)" : "")}.");
        if (rbac && !superuser)
        {
            throw new MzDeployException(ErrorIds.SetupRequiresSuperuser,
                $"setup requires a superuser role when RBAC is enforced (current role: '{user}')",
                user,
                new RunSetupAsSuperuser());
        }

        var state = await SetupVerifier.ReadStateAsync(session, cancellationToken).ConfigureAwait(false);
        var created = new List<string>();
        var present = new List<string>();

        async Task Ensure(bool exists, string description, string sql)
        {
            if (exists)
            {
                present.Add(description);
                return;
            }

            log.Verbose($"{(options.DryRun ? "Would create" : "Creating")} {description}");
            await session.ExecuteAsync(sql, cancellationToken).ConfigureAwait(false);
            created.Add(description);
        }

        // CREATE CLUSTER has no IF NOT EXISTS: the state read above is the pre-check. The creator owns the cluster,
        // which the GRANT USAGE below needs.
        await Ensure(state.ServerClusterExists, $"cluster {CatalogConnectionFactory.ServerCluster}",
            $"CREATE CLUSTER {SqlIdentifier.Quote(CatalogConnectionFactory.ServerCluster)} (SIZE = {SqlLiteral.Quote(options.ClusterSize)})")
            .ConfigureAwait(false);

        if (rbac && state.DatabaseExists)
        {
            // Only the owner can re-grant on _mz_deploy; find out before changing anything.
            var owner = (await session.QueryAsync(DatabaseOwnerQuery, r => r.GetString(0), cancellationToken, TrackingSchema.Database)
                .ConfigureAwait(false)).FirstOrDefault();
            if (owner is not null && owner != user)
            {
                throw new MzDeployException(ErrorIds.SetupNotDatabaseOwner,
                    $"{TrackingSchema.Database} is owned by role '{owner}', not by the current role '{user}'",
                    TrackingSchema.Database,
                    new RunSetupAsOwner(owner, $"ALTER DATABASE {SqlIdentifier.Quote(TrackingSchema.Database)} OWNER TO {SqlIdentifier.QuoteIfNeeded(user)}"));
            }
        }

        await Ensure(state.DatabaseExists, $"database {TrackingSchema.Database}", TrackingSchema.CreateDatabaseSql).ConfigureAwait(false);
        foreach (var schema in (string[])[TrackingSchema.TablesSchema, TrackingSchema.PublicSchema])
        {
            await Ensure(state.Schemas.Contains(schema), $"schema {TrackingSchema.Database}.{schema}", TrackingSchema.CreateSchemaSql(schema))
                .ConfigureAwait(false);
        }

        foreach (var item in TrackingSchema.Objects)
        {
            await Ensure(state.Has(item), item.Description, item.CreateSql).ConfigureAwait(false);
        }

        var versionTable = TrackingSchema.Objects.First(o => o.Kind == TrackingObjectKind.Table && o.Name == TrackingSchema.VersionTable);
        var seeded = state.Has(versionTable)
            && await session.QuerySingleAsync(TrackingSchema.VersionSeededQuery, r => r.GetBoolean(0), cancellationToken).ConfigureAwait(false);
        await Ensure(seeded, $"version {TrackingSchema.Version} row in {versionTable.FullName}", TrackingSchema.SeedVersionSql)
            .ConfigureAwait(false);

        var grants = new List<string>();
        if (rbac)
        {
            foreach (var role in RoleCheck.RoleNames)
            {
                await Ensure(state.Roles.Contains(role), $"role {role}", $"CREATE ROLE {SqlIdentifier.Quote(role)}").ConfigureAwait(false);
            }

            foreach (var role in RoleCheck.RoleNames)
            {
                foreach (var grant in TrackingSchema.GrantStatements(role))
                {
                    await session.ExecuteAsync(grant, cancellationToken).ConfigureAwait(false);
                    grants.Add(grant);
                }
            }

            log.Verbose($"{(options.DryRun ? "Would issue" : "Issued")} {grants.Count} grants to {string.Join(", ", RoleCheck.RoleNames)}.");
        }

        log.Verbose(created.Count == 0
            ? "mz-deploy is already set up: nothing to create."
            : $"{(options.DryRun ? "Would create" : "Created")} {created.Count} item(s).");
        return new SetupResult(target.ProfileName, target.Server, user, rbac, options.DryRun, created, present, grants, statements.Statements);
    }
}
