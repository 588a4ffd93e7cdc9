using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.Operations;

/// <summary>What of the tracking infrastructure exists on the server.</summary>
public sealed class SetupState
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

/// <summary>
/// The pre-flight check of every connecting command other than setup: the tracking infrastructure must exist.
/// One catalog query reads all of it.
/// </summary>
public static class SetupVerifier
{
    /// <summary>How many missing items a message lists before "and N more".</summary>
    public const int ListedItems = 5;

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

    /// <summary>Throws <c>SetupRequired</c> naming what is missing (up to five items, then "and N more").</summary>
    public static async Task VerifyAsync(CatalogSession session, bool rbacActive, CancellationToken cancellationToken)
    {
        var state = await ReadStateAsync(session, cancellationToken).ConfigureAwait(false);
        var missing = state.Missing(rbacActive);
        if (missing.Count > 0)
        {
            throw SetupRequired(missing);
        }
    }

    /// <summary>The <c>SetupRequired</c> error for a list of missing items.</summary>
    public static MzDeployException SetupRequired(IReadOnlyList<string> missing)
    {
        var listed = string.Join(", ", missing.Take(ListedItems));
        if (missing.Count > ListedItems)
        {
            listed += $" and {missing.Count - ListedItems} more";
        }

        return new MzDeployException(ErrorIds.SetupRequired,
            $"mz-deploy infrastructure is not fully initialized: missing {listed}",
            TrackingSchema.Database,
            new RunSetup());
    }
}
