using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// Databases and schemas: a Materialize database is a namespace whose schemas are PostgreSQL schemas
/// named <c>db.schema</c> (see <see cref="SqlText.PgSchema"/>); each statement becomes one CALL.
/// </summary>
internal static class NamespaceStatements
{
    public static Translation CreateDatabase(TokenCursor c)
    {
        var ifNotExists = c.Words("if", "not", "exists");
        var name = c.Identifier();
        ClusterStatements.EnsureEnd(c);
        return new Translation($"CALL mz_emulator.create_database({SqlText.Literal(name)}, {SqlText.Bool(ifNotExists)})",
            StatementClass.Single, "CREATE DATABASE", "CREATE DATABASE");
    }

    /// <summary>DROP DATABASE: CASCADE is Materialize's default.</summary>
    public static Translation DropDatabase(TokenCursor c)
    {
        var ifExists = c.Words("if", "exists");
        var name = c.Identifier();
        var restrict = c.Words("restrict");
        if (!restrict)
            c.Words("cascade");
        ClusterStatements.EnsureEnd(c);
        return new Translation(
            $"CALL mz_emulator.drop_database({SqlText.Literal(name)}, {SqlText.Bool(ifExists)}, {SqlText.Bool(!restrict)})",
            StatementClass.Single, "DROP DATABASE", "DROP DATABASE");
    }

    public static Translation AlterDatabase(TokenCursor c)
    {
        var name = c.Identifier();
        if (c.Words("owner", "to"))
            return ClusterStatements.AlterOwner("database", name, c);
        if (!c.Words("rename", "to"))
            throw new NotSupportedStatementException("ALTER DATABASE");
        var newName = c.Identifier();
        ClusterStatements.EnsureEnd(c);
        return new Translation($"CALL mz_emulator.rename_database({SqlText.Literal(name)}, {SqlText.Literal(newName)})",
            StatementClass.SwapOrRename, "ALTER DATABASE", "ALTER DATABASE");
    }

    public static Translation CreateSchema(TokenCursor c, string currentDatabase)
    {
        var ifNotExists = c.Words("if", "not", "exists");
        var (database, schema) = SchemaName(c, currentDatabase);
        ClusterStatements.EnsureEnd(c);
        return new Translation(
            $"CALL mz_emulator.create_schema({SqlText.Literal(database)}, {SqlText.Literal(schema)}, {SqlText.Bool(ifNotExists)})",
            StatementClass.Single, "CREATE SCHEMA", "CREATE SCHEMA");
    }

    /// <summary>DROP SCHEMA: RESTRICT is the default, as in PostgreSQL.</summary>
    public static Translation DropSchema(TokenCursor c, string currentDatabase)
    {
        var ifExists = c.Words("if", "exists");
        var names = new List<(string, string)> { SchemaName(c, currentDatabase) };
        while (c.Symbol(","))
            names.Add(SchemaName(c, currentDatabase));
        var cascade = ClusterStatements.DropBehaviour(c);
        var calls = names.Select(n =>
            $"CALL mz_emulator.drop_schema({SqlText.Literal(n.Item1)}, {SqlText.Literal(n.Item2)}, {SqlText.Bool(ifExists)}, {SqlText.Bool(cascade)})")
            .ToList();
        return new Translation(ClusterStatements.Block(calls), StatementClass.Single, "DROP SCHEMA", "DROP SCHEMA");
    }

    /// <summary>ALTER SCHEMA [db.]a SWAP WITH b | RENAME TO b: the second name is in a's database.</summary>
    public static Translation AlterSchema(TokenCursor c, string currentDatabase)
    {
        var ifExists = c.Words("if", "exists");
        var (database, schema) = SchemaName(c, currentDatabase);
        if (c.Words("owner", "to"))
        {
            // A schema is a PostgreSQL schema, changed natively after Materialize's checks in its words.
            var role = c.Identifier();
            ClusterStatements.EnsureEnd(c);
            var pgSchema = SqlText.PgSchema(database, schema);
            return new Translation(ClusterStatements.Block([
                    $"PERFORM mz_emulator.check_owner_change((SELECT nspowner FROM pg_catalog.pg_namespace WHERE nspname = {SqlText.Literal(pgSchema)}), " +
                    $"'SCHEMA', {SqlText.Literal(database + "." + schema)}, {SqlText.Literal(role)})",
                    $"ALTER SCHEMA {SqlText.Identifier(pgSchema)} OWNER TO {SqlText.Identifier(role)}"]),
                StatementClass.Single, "ALTER SCHEMA", "ALTER SCHEMA");
        }
        string procedure;
        if (c.Words("swap", "with"))
            procedure = "swap_schemas";
        else if (c.Words("rename", "to"))
            procedure = "rename_schema";
        else
            throw new NotSupportedStatementException("ALTER SCHEMA (other than SWAP WITH, RENAME TO and OWNER TO)");
        var other = c.Identifier();
        ClusterStatements.EnsureEnd(c);
        var call = $"CALL mz_emulator.{procedure}({SqlText.Literal(database)}, {SqlText.Literal(schema)}, {SqlText.Literal(other)})";
        if (ifExists)
            call = IfExists($"mz_emulator.schema_exists({SqlText.Literal(database)}, {SqlText.Literal(schema)})", call,
                $"schema \"{schema}\" does not exist, skipping");
        return new Translation(call, StatementClass.SwapOrRename, "ALTER SCHEMA", "ALTER SCHEMA");
    }

    /// <summary>
    /// ALTER … IF EXISTS: the call when <paramref name="condition"/> holds, else Materialize's notice and
    /// success (one DO block, so it stays one statement in the client's transaction).
    /// </summary>
    public static string IfExists(string condition, string call, string notice)
    {
        var body = $"BEGIN IF {condition} THEN {call}; ELSE RAISE NOTICE '%', {SqlText.Literal(notice)}; END IF; END";
        var tag = "$mz$";
        for (var i = 0; body.Contains(tag); i++)
            tag = $"$mz{i}$";
        return "DO " + tag + body + tag;
    }

    public static Translation SetDatabase(string database) =>
        new($"CALL mz_emulator.set_database({SqlText.Literal(database)})", StatementClass.Session, "SET", "SET",
            ("database", database));

    /// <summary>SHOW DATABASES: name and comment of each database.</summary>
    public static Translation ShowDatabases() => new(ShowDatabasesQuery, StatementClass.Read, "SHOW DATABASES");

    private const string ShowDatabasesQuery =
        "SELECT d.name, coalesce((SELECT m.comment FROM mz_emulator.comments m WHERE m.id = d.id AND m.object_sub_id IS NULL), '') AS comment " +
        "FROM mz_catalog.mz_databases d ORDER BY d.name";

    public static Translation ShowSchemas(TokenCursor c, string currentDatabase)
    {
        var database = c.Words("from") || c.Words("in") ? c.Identifier() : currentDatabase;
        ClusterStatements.EnsureEnd(c);
        return new Translation(
            "SELECT s.name, '' AS comment FROM mz_catalog.mz_schemas s LEFT JOIN mz_catalog.mz_databases d ON d.id = s.database_id " +
            $"WHERE d.name = {SqlText.Literal(database)} OR s.database_id IS NULL ORDER BY s.name",
            StatementClass.Read, "SHOW SCHEMAS");
    }

    /// <summary>SHOW &lt;kind&gt; [FROM schema]: the mz_objects type for each plural keyword (null: every type).</summary>
    public static readonly IReadOnlyDictionary<string, string?> ShowKinds = new Dictionary<string, string?>
    {
        ["objects"] = null,
        ["tables"] = "table",
        ["views"] = "view",
        ["materialized views"] = "materialized-view",
        ["sources"] = "source",
        ["sinks"] = "sink",
        ["connections"] = "connection",
        ["secrets"] = "secret",
        ["indexes"] = "index",
    };

    /// <summary>
    /// SHOW OBJECTS | TABLES | VIEWS | MATERIALIZED VIEWS | INDEXES | SOURCES | SINKS | CONNECTIONS | SECRETS [FROM [db.]schema]
    /// (cursor after the kind; <paramref name="type"/> is its mz_objects type).
    /// </summary>
    public static Translation ShowObjects(TokenCursor c, string? type, string currentDatabase)
    {
        var (database, schema) = c.Words("from") || c.Words("in") ? SchemaName(c, currentDatabase) : (currentDatabase, "public");
        ClusterStatements.EnsureEnd(c);
        var sql =
            "SELECT o.name, " + (type == null ? "o.type, " : "") +
            (type is "materialized-view" or "index" or "source" or "sink" ? "coalesce(c.name, '') AS cluster, " : "") +
            "coalesce(m.comment, '') AS comment FROM mz_catalog.mz_objects o " +
            "JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id JOIN mz_catalog.mz_databases d ON d.id = s.database_id " +
            "LEFT JOIN mz_catalog.mz_clusters c ON c.id = o.cluster_id " +
            "LEFT JOIN mz_internal.mz_comments m ON m.id = o.id AND m.object_sub_id IS NULL " +
            $"WHERE d.name = {SqlText.Literal(database)} AND s.name = {SqlText.Literal(schema)}" +
            (type == null ? "" : $" AND o.type = {SqlText.Literal(type)}") + " ORDER BY o.name";
        return new Translation(sql, StatementClass.Read, "SHOW");
    }

    private static (string Database, string Schema) SchemaName(TokenCursor c, string currentDatabase)
    {
        var name = c.Name();
        return name.Count switch
        {
            1 => (currentDatabase, name[0]),
            2 => (name[0], name[1]),
            _ => throw c.Error("schema names have at most two parts"),
        };
    }
}

/// <summary>A Materialize statement the emulator does not implement (yet).</summary>
internal sealed class NotSupportedStatementException(string label) : Exception($"{label} is not supported by the emulator")
{
    public string Label { get; } = label;
}
