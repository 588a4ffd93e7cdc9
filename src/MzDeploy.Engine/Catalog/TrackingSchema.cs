using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Catalog;

/// <summary>Kinds of objects in the tracking database, as <c>mz_objects.type</c> names them.</summary>
internal enum TrackingObjectKind
{
    Table,
    Index,
    View,
}

/// <summary>One object of the tracking database and the statement that creates it (idempotently).</summary>
/// <param name="Schema"><see cref="TrackingSchema.TablesSchema"/> or <see cref="TrackingSchema.PublicSchema"/>.</param>
/// <param name="Name">The object's name.</param>
/// <param name="Kind">Table, index or view.</param>
/// <param name="CreateSql">The <c>CREATE … IF NOT EXISTS</c> statement.</param>
internal sealed record TrackingObject(string Schema, string Name, TrackingObjectKind Kind, string CreateSql)
{
    /// <summary><c>_mz_deploy.&lt;schema&gt;.&lt;name&gt;</c>.</summary>
    public string FullName => $"{TrackingSchema.Database}.{Schema}.{Name}";

    /// <summary>How messages name it: <c>table _mz_deploy.tables.deployments</c>.</summary>
    public string Description => $"{Kind.ToString().ToLowerInvariant()} {FullName}";

    /// <summary>The <c>mz_objects.type</c> value.</summary>
    public string CatalogType => Kind.ToString().ToLowerInvariant();
}

/// <summary>
/// The tracking database <c>_mz_deploy</c>, compatible with mz-deploy's tracking schema version 1, so both
/// tools list each other's deployments: base tables in schema <c>tables</c> (no keys; secondary indexes on
/// <c>_mz_deploy_server</c>) and the views readers use in schema <c>public</c>. Every identifier is quoted by
/// <see cref="SqlIdentifier.Quote"/>. <see cref="Objects"/> is in creation order (tables, their indexes, views,
/// view indexes).
/// </summary>
internal static class TrackingSchema
{
    public const string Database = "_mz_deploy";
    public const string TablesSchema = "tables";
    public const string PublicSchema = "public";

    /// <summary>The tracking schema version this module writes and reads.</summary>
    public const long Version = 1;

    public const string Deployments = "deployments";
    public const string ObjectsTable = "objects";
    public const string Clusters = "clusters";
    public const string PendingStatements = "pending_statements";
    public const string ReplacementMvs = "replacement_mvs";
    public const string VersionTable = "version";
    public const string DevOverlays = "dev_overlays";
    public const string Production = "production";
    public const string StagingDeployments = "staging_deployments";
    public const string DeploymentClusters = "deployment_clusters";
    public const string MissingClusters = "missing_clusters";

    /// <summary>
    /// MzDeploy's own table (mz-deploy v1 never reads it): each deployment's production clusters by name and by the id
    /// they had at stage time. mz-deploy's <c>clusters</c> table keeps ids only, which lose their meaning once another
    /// promote swaps and drops the cluster; names let abort drop exactly the staging clones this deployment created.
    /// </summary>
    public const string ClusterNames = "cluster_names";

    /// <summary>MzDeploy's own table: objects a promote dropped on purpose (the promotion record of them).</summary>
    public const string UnmanagedDrops = "unmanaged_drops";

    /// <summary>
    /// MzDeploy's own table: the previous production version a promote kept instead of dropping (one row per schema or
    /// cluster, under its staging name), the epoch its promote moved the resource's marker to, and when the window ends.
    /// </summary>
    public const string KeptVersions = "kept_versions";

    /// <summary><c>"_mz_deploy"."&lt;schema&gt;"."&lt;name&gt;"</c>.</summary>
    public static string Qualified(string schema, string name) =>
        $"{SqlIdentifier.Quote(Database)}.{SqlIdentifier.Quote(schema)}.{SqlIdentifier.Quote(name)}";

    /// <summary>A base table: <c>"_mz_deploy"."tables"."&lt;name&gt;"</c>.</summary>
    public static string Table(string name) => Qualified(TablesSchema, name);

    /// <summary>
    /// SQL true when the deployment in <c><paramref name="deployIdColumn"/></c> has no <see cref="ClusterNames"/> rows
    /// (mz-deploy staged it), so readers fall back to mz-deploy's id-only <see cref="Clusters"/>.
    /// </summary>
    public static string HasNoClusterNames(string deployIdColumn) =>
        $"NOT EXISTS (SELECT 1 FROM {View(ClusterNames)} cn WHERE cn.deploy_id = {deployIdColumn})";

    /// <summary>A reader view: <c>"_mz_deploy"."public"."&lt;name&gt;"</c>.</summary>
    public static string View(string name) => Qualified(PublicSchema, name);

    public static string CreateDatabaseSql { get; } = $"CREATE DATABASE IF NOT EXISTS {SqlIdentifier.Quote(Database)}";

    public static string CreateSchemaSql(string schema) =>
        $"CREATE SCHEMA IF NOT EXISTS {SqlIdentifier.Quote(Database)}.{SqlIdentifier.Quote(schema)}";

    /// <summary>Seeds the version table (run only when it is empty: there is no INSERT … IF NOT EXISTS).</summary>
    public static string SeedVersionSql { get; } = $"INSERT INTO {Table(VersionTable)} (version) VALUES ({Version})";

    /// <summary>Whether the version table has a row.</summary>
    public static string VersionSeededQuery { get; } = $"SELECT EXISTS (SELECT 1 FROM {Table(VersionTable)})";

    /// <summary>Every table, index and view, in creation order.</summary>
    public static IReadOnlyList<TrackingObject> Objects { get; } = BuildObjects();

    private static IReadOnlyList<TrackingObject> BuildObjects()
    {
        var objects = new List<TrackingObject>();

        void CreateTable(string name, string columns, string? indexName = null, string? indexColumns = null)
        {
            objects.Add(new TrackingObject(TablesSchema, name, TrackingObjectKind.Table,
                $"CREATE TABLE IF NOT EXISTS {Table(name)} ({columns})"));
            if (indexName is not null)
            {
                objects.Add(Index(TablesSchema, indexName, name, indexColumns!));
            }
        }

        void CreateView(string name, string query, string? indexName = null, string? indexColumns = null)
        {
            objects.Add(new TrackingObject(PublicSchema, name, TrackingObjectKind.View,
                $"CREATE VIEW IF NOT EXISTS {View(name)} AS {query}"));
            if (indexName is not null)
            {
                objects.Add(Index(PublicSchema, indexName, name, indexColumns!));
            }
        }

        CreateTable(Deployments,
            "deploy_id text NOT NULL, deployed_at timestamptz NOT NULL, promoted_at timestamptz, database text NOT NULL, "
            + "schema text NOT NULL, deployed_by text NOT NULL, commit text, kind text NOT NULL, mode text NOT NULL",
            "deployments_deploy_id_idx", "deploy_id");
        CreateTable(ObjectsTable,
            "deploy_id text NOT NULL, database text NOT NULL, schema text NOT NULL, object text NOT NULL, hash text NOT NULL",
            "objects_deploy_id_idx", "deploy_id");
        CreateTable(Clusters, "deploy_id text NOT NULL, cluster_id text NOT NULL");
        CreateTable(PendingStatements,
            "deploy_id text NOT NULL, sequence_num int NOT NULL, database text NOT NULL, schema text NOT NULL, "
            + "object text NOT NULL, object_hash text NOT NULL, statement_sql text NOT NULL, statement_kind text NOT NULL, "
            + "executed_at timestamptz",
            "pending_statements_deploy_id_idx", "deploy_id");
        CreateTable(ReplacementMvs,
            "deploy_id text NOT NULL, target_database text NOT NULL, target_schema text NOT NULL, target_name text NOT NULL, "
            + "replacement_schema text NOT NULL");
        CreateTable(VersionTable, "version bigint NOT NULL", "version_idx", "version");
        CreateTable(ClusterNames, "deploy_id text NOT NULL, cluster_name text NOT NULL, cluster_id text NOT NULL",
            "cluster_names_deploy_id_idx", "deploy_id");
        CreateTable(UnmanagedDrops,
            "deploy_id text NOT NULL, kind text NOT NULL, object text NOT NULL, owner text NOT NULL, dropped_at timestamptz NOT NULL",
            "unmanaged_drops_deploy_id_idx", "deploy_id");
        CreateTable(KeptVersions,
            "deploy_id text NOT NULL, kind text NOT NULL, database text, name text NOT NULL, staging_name text NOT NULL, "
            + "previous_deploy_id text, epoch bigint NOT NULL, kept_at timestamptz NOT NULL, expires_at timestamptz NOT NULL",
            "kept_versions_deploy_id_idx", "deploy_id");
        CreateTable(DevOverlays,
            "profile text NOT NULL, project text NOT NULL, overlay_db text NOT NULL, created_at timestamptz NOT NULL",
            "dev_overlays_profile_project_idx", "profile, project");

        // The latest promoted deployment of each schema that still exists. Unlike mz-deploy's view, the schema is
        // matched inside its own database (mz-deploy joins schema and database names independently).
        CreateView(Production,
            "WITH latest AS (SELECT DISTINCT ON (database, schema) database, schema, deploy_id, promoted_at, commit, kind "
            + $"FROM {Table(Deployments)} WHERE promoted_at IS NOT NULL ORDER BY database, schema, promoted_at DESC) "
            + "SELECT l.database, l.schema, l.deploy_id, l.promoted_at, l.commit, l.kind FROM latest l "
            + "JOIN mz_catalog.mz_databases d ON d.name = l.database "
            + "JOIN mz_catalog.mz_schemas s ON s.name = l.schema AND s.database_id = d.id",
            "production_database_schema_idx", "database, schema");
        CreateView(StagingDeployments,
            "SELECT deploy_id, deployed_at, database, schema, deployed_by, commit, kind, mode "
            + $"FROM {Table(Deployments)} WHERE promoted_at IS NULL",
            "staging_deployments_deploy_id_idx", "deploy_id");
        CreateView(DeploymentClusters,
            $"SELECT dc.deploy_id, c.name FROM {Table(Clusters)} dc "
            + "JOIN mz_catalog.mz_clusters c ON dc.cluster_id = c.id",
            "deployment_clusters_deploy_id_idx", "deploy_id");
        CreateView(MissingClusters,
            $"SELECT DISTINCT dc.deploy_id, dc.cluster_id FROM {Table(Deployments)} d "
            + $"JOIN {Table(Clusters)} dc ON dc.deploy_id = d.deploy_id "
            + "LEFT JOIN mz_catalog.mz_clusters c ON c.id = dc.cluster_id WHERE d.promoted_at IS NULL AND c.id IS NULL",
            "missing_clusters_deploy_id_idx", "deploy_id");
        CreateView(Deployments,
            $"SELECT deploy_id, deployed_at, promoted_at, database, schema, deployed_by, commit, kind, mode FROM {Table(Deployments)}");
        CreateView(ObjectsTable, $"SELECT deploy_id, database, schema, object, hash FROM {Table(ObjectsTable)}");
        CreateView(PendingStatements,
            "SELECT deploy_id, sequence_num, database, schema, object, object_hash, statement_sql, statement_kind, executed_at "
            + $"FROM {Table(PendingStatements)}");
        CreateView(ReplacementMvs,
            $"SELECT deploy_id, target_database, target_schema, target_name, replacement_schema FROM {Table(ReplacementMvs)}");
        CreateView(VersionTable, $"SELECT version FROM {Table(VersionTable)}");
        CreateView(ClusterNames, $"SELECT deploy_id, cluster_name, cluster_id FROM {Table(ClusterNames)}");
        CreateView(UnmanagedDrops, $"SELECT deploy_id, kind, object, owner, dropped_at FROM {Table(UnmanagedDrops)}");
        CreateView(KeptVersions,
            $"SELECT deploy_id, kind, database, name, staging_name, previous_deploy_id, epoch, kept_at, expires_at FROM {Table(KeptVersions)}");
        return objects;
    }

    /// <summary>
    /// The grants setup gives <paramref name="role"/> (one of <see cref="RoleCheck.RoleNames"/>), in order: every role
    /// may use the server cluster and read the <c>public</c> views; the deployer also writes the base tables, creates
    /// promote's marker schemas in <c>_mz_deploy</c> and creates databases and clusters; the developer writes the
    /// dev-overlay manifest and creates databases.
    /// </summary>
    public static IReadOnlyList<string> GrantStatements(string role)
    {
        var grantee = SqlIdentifier.Quote(role);
        var database = SqlIdentifier.Quote(Database);
        var publicSchema = $"{database}.{SqlIdentifier.Quote(PublicSchema)}";
        var tablesSchema = $"{database}.{SqlIdentifier.Quote(TablesSchema)}";
        var grants = new List<string>
        {
            $"GRANT USAGE ON CLUSTER {SqlIdentifier.Quote(CatalogConnectionFactory.ServerCluster)} TO {grantee}",
            $"GRANT USAGE ON DATABASE {database} TO {grantee}",
            $"GRANT USAGE ON SCHEMA {publicSchema} TO {grantee}",
            $"GRANT USAGE ON SCHEMA {tablesSchema} TO {grantee}",
            $"GRANT SELECT ON ALL TABLES IN SCHEMA {publicSchema} TO {grantee}",
        };
        if (role == RoleCheck.DeployerRole)
        {
            grants.Add($"GRANT CREATE ON DATABASE {database} TO {grantee}");
            grants.Add($"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {tablesSchema} TO {grantee}");
            grants.Add($"GRANT CREATEDB, CREATECLUSTER ON SYSTEM TO {grantee}");
        }
        else if (role == RoleCheck.DeveloperRole)
        {
            grants.Add($"GRANT SELECT, INSERT, DELETE ON TABLE {Table(DevOverlays)} TO {grantee}");
            grants.Add($"GRANT CREATEDB ON SYSTEM TO {grantee}");
        }

        return grants;
    }

    private static TrackingObject Index(string schema, string indexName, string on, string columns) =>
        new(schema, indexName, TrackingObjectKind.Index,
            $"CREATE INDEX IF NOT EXISTS {SqlIdentifier.Quote(indexName)} IN CLUSTER {SqlIdentifier.Quote(CatalogConnectionFactory.ServerCluster)} "
            + $"ON {Qualified(schema, on)} ({columns})");
}
