using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Engine.Catalog;

/// <summary>What of the tracking infrastructure exists on the server.</summary>
internal sealed class SetupState
{
    internal SetupState(bool serverClusterExists, bool databaseExists, IReadOnlySet<string> schemas,
        IReadOnlySet<(string Schema, string Name, string Type)> objects, IReadOnlySet<string> roles)
    {
        ServerClusterExists = serverClusterExists;
        DatabaseExists = databaseExists;
        Schemas = schemas;
        Objects = objects;
        Roles = roles;
    }

    public bool ServerClusterExists { get; }

    public bool DatabaseExists { get; }

    /// <summary>Schema names of <c>_mz_deploy</c>.</summary>
    public IReadOnlySet<string> Schemas { get; }

    /// <summary>(schema, name, <c>mz_objects.type</c>) of the objects in <c>_mz_deploy.tables</c> and <c>_mz_deploy.public</c>.</summary>
    public IReadOnlySet<(string Schema, string Name, string Type)> Objects { get; }

    /// <summary>Which of the three mz-deploy roles exist.</summary>
    public IReadOnlySet<string> Roles { get; }

    public bool Has(TrackingObject item) => Objects.Contains((item.Schema, item.Name, item.CatalogType));

    /// <summary>
    /// What is missing for MzDeploy to work, as messages name it (<c>cluster _mz_deploy_server</c>,
    /// <c>table _mz_deploy.tables.deployments</c>, <c>role materialize_deployer</c>). Indexes are not required:
    /// they only speed reads up, and mz-deploy installations may name them differently.
    /// </summary>
    public IReadOnlyList<string> Missing(bool rbacActive)
    {
        var missing = new List<string>();
        if (!ServerClusterExists)
        {
            missing.Add($"cluster {CatalogConnectionFactory.ServerCluster}");
        }

        if (!DatabaseExists)
        {
            missing.Add($"database {TrackingSchema.Database}");
        }

        foreach (var schema in (string[])[TrackingSchema.TablesSchema, TrackingSchema.PublicSchema])
        {
            if (!Schemas.Contains(schema))
            {
                missing.Add($"schema {TrackingSchema.Database}.{schema}");
            }
        }

        missing.AddRange(TrackingSchema.Objects.Where(o => o.Kind != TrackingObjectKind.Index && !Has(o)).Select(o => o.Description));
        if (rbacActive)
        {
            missing.AddRange(RoleCheck.RoleNames.Where(r => !Roles.Contains(r)).Select(r => $"role {r}"));
        }

        return missing;
    }
}

/// <summary>Who setup runs as: whether RBAC is enforced, whether the role is a superuser, its name.</summary>
internal sealed record SetupSessionInfo(bool RbacActive, bool Superuser, string User);

/// <summary>
/// The reads of setup and of every command's pre-flight: the setup state (one catalog query), who is connected, who
/// owns the tracking database, whether its version row is seeded; and the facts setup plans from.
/// </summary>
internal static class SetupCatalog
{
    internal const string SuperuserQuery = "SELECT mz_is_superuser(), current_user()";

    internal const string DatabaseOwnerQuery =
        "SELECT r.name FROM mz_catalog.mz_databases d JOIN mz_catalog.mz_roles r ON r.id = d.owner_id WHERE d.name = $1";

    // $1 server cluster, $2 tracking database, $3 the role names (one text parameter: no array binds on Materialize).
    internal const string StateQuery =
        "SELECT 'cluster' AS what, NULL::text AS schema, name, NULL::text AS type FROM mz_catalog.mz_clusters WHERE name = $1 "
        + "UNION ALL SELECT 'database', NULL::text, name, NULL::text FROM mz_catalog.mz_databases WHERE name = $2 "
        + "UNION ALL SELECT 'schema', NULL::text, s.name, NULL::text FROM mz_catalog.mz_schemas s "
        + "JOIN mz_catalog.mz_databases d ON d.id = s.database_id WHERE d.name = $2 "
        + "UNION ALL SELECT 'object', s.name, o.name, o.type FROM mz_catalog.mz_objects o "
        + "JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id JOIN mz_catalog.mz_databases d ON d.id = s.database_id "
        + "WHERE d.name = $2 AND s.name IN ('tables', 'public') "
        + "UNION ALL SELECT 'role', NULL::text, name, NULL::text FROM mz_catalog.mz_roles WHERE name = ANY($3::text::text[])";

    /// <summary>Reads what exists (one query).</summary>
    public static async Task<SetupState> ReadStateAsync(CatalogSession session, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(StateQuery,
            r => (What: r.GetString(0), Schema: r.IsDBNull(1) ? null : r.GetString(1), Name: r.GetString(2), Type: r.IsDBNull(3) ? null : r.GetString(3)),
            cancellationToken,
            CatalogConnectionFactory.ServerCluster, TrackingSchema.Database, CatalogSession.TextArray(RoleCheck.RoleNames)).ConfigureAwait(false);
        return new SetupState(
            rows.Any(r => r.What == "cluster"),
            rows.Any(r => r.What == "database"),
            rows.Where(r => r.What == "schema").Select(r => r.Name).ToHashSet(StringComparer.Ordinal),
            rows.Where(r => r.What == "object").Select(r => (r.Schema!, r.Name, r.Type!)).ToHashSet(),
            rows.Where(r => r.What == "role").Select(r => r.Name).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Whether RBAC is enforced, and who is connected.</summary>
    public static async Task<SetupSessionInfo> ReadSessionAsync(CatalogSession session, bool emulatorMode, CancellationToken cancellationToken)
    {
        var rbac = await RoleCheck.IsRbacActiveAsync(session, emulatorMode, cancellationToken).ConfigureAwait(false);
        var (superuser, user) = await session.QuerySingleAsync(SuperuserQuery, r => (r.GetBoolean(0), r.GetString(1)), cancellationToken)
            .ConfigureAwait(false);
        return new SetupSessionInfo(rbac, superuser, user);
    }

    /// <summary>The owner of the tracking database, or null when it does not exist.</summary>
    public static async Task<string?> DatabaseOwnerAsync(CatalogSession session, CancellationToken cancellationToken) =>
        (await session.QueryAsync(DatabaseOwnerQuery, r => r.GetString(0), cancellationToken, TrackingSchema.Database)
            .ConfigureAwait(false)).FirstOrDefault();

    /// <summary>
    /// The facts setup plans from: <paramref name="state"/> matched against the tracking schema's definition (and the
    /// version row read when its table exists), the roles and their grants.
    /// </summary>
    public static async Task<SetupFacts> ReadFactsAsync(CatalogSession session, SetupState state, bool rbacActive, CancellationToken cancellationToken)
    {
        var items = new List<SetupItem>
        {
            Item(state.DatabaseExists, $"database {TrackingSchema.Database}", PlannedStatementKind.CreateDatabase, TrackingSchema.CreateDatabaseSql),
        };
        foreach (var schema in (string[])[TrackingSchema.TablesSchema, TrackingSchema.PublicSchema])
        {
            items.Add(Item(state.Schemas.Contains(schema), $"schema {TrackingSchema.Database}.{schema}", PlannedStatementKind.CreateSchema,
                TrackingSchema.CreateSchemaSql(schema)));
        }

        items.AddRange(TrackingSchema.Objects.Select(o => Item(state.Has(o), o.Description, PlannedStatementKind.CreateTrackingItem, o.CreateSql)));
        var versionTable = TrackingSchema.Objects.First(o => o.Kind == TrackingObjectKind.Table && o.Name == TrackingSchema.VersionTable);
        var seeded = state.Has(versionTable)
            && await session.QuerySingleAsync(TrackingSchema.VersionSeededQuery, r => r.GetBoolean(0), cancellationToken).ConfigureAwait(false);
        items.Add(Item(seeded, $"version {TrackingSchema.Version} row in {versionTable.FullName}", PlannedStatementKind.TrackingRows,
            TrackingSchema.SeedVersionSql));
        return new SetupFacts(rbacActive, CatalogConnectionFactory.ServerCluster, state.ServerClusterExists, items, RoleCheck.RoleNames, state.Roles,
            RoleCheck.RoleNames.SelectMany(TrackingSchema.GrantStatements).ToList());
    }

    private static SetupItem Item(bool exists, string description, PlannedStatementKind kind, string sql) =>
        new(description, exists, new PlannedStatement(kind, description, sql));
}
