using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// Statements about items (tables, views, materialized views, indexes) and queries: names are mapped
/// onto the emulated schemas through the engine parser's references; Materialize-only forms become
/// calls of mz_emulator procedures. Statements the parser does not model (DML, DROP, ALTER) are read
/// by their header here, and the query of an INSERT … SELECT goes through the parser again.
/// </summary>
internal static partial class ObjectStatements
{
    private static readonly Dictionary<string, string> CatalogItemKinds = new()
    {
        ["index"] = "index",
        ["source"] = "source",
        ["sink"] = "sink",
        ["connection"] = "connection",
        ["secret"] = "secret",
    };

    /// <summary>The translation, or null when the statement is none of these (the caller passes it on).</summary>
    /// <param name="checkTimeDomain">False for a query with AS OF, which Materialize exempts from the time domain.</param>
    public static Translation? Translate(LexedStatement statement, string database, string label, bool checkTimeDomain = true)
    {
        var mapper = new NameMapper(database);
        var header = TranslateByHeader(statement, mapper, label);
        if (header != null)
            return header;

        var script = SqlParser.Parse(statement.Text);
        if (!script.Succeeded || script.Statements.Count != 1)
            return null;
        var parsed = script.Statements[0];
        var text = statement.Text;
        switch (parsed)
        {
            case QueryStatement:
                var query = Apply(text, mapper.Edits(parsed, text));
                return new Translation(checkTimeDomain ? TimeDomain.Wrap(query, parsed, mapper) : query, StatementClass.Read, label);
            case CreateViewStatement { Materialized: true } view:
                return CreateMaterializedView(view, text, mapper);
            case CreateViewStatement view:
                return CreateView(view, text, mapper);
            case CreateIndexStatement index:
                return CreateIndex(index, text, mapper);
            case CreateTableStatement { Kind: StatementKind.CreateTable }:
                return new Translation(Apply(text, mapper.Edits(parsed, text)), StatementClass.Single, label);
            case CreateSourceStatement source:
                return SourceStatements.WithSubsources(
                    CatalogItem("source", source, text, mapper, source.ConnectorKind, needsCluster: true, source.IfNotExists),
                    statement, mapper.PgSchemaOf(source.Name!), source.Name!.Item.Value);
            case CreateSinkStatement sink:
                return CatalogItem("sink", sink, text, mapper, sink.ConnectorKind, needsCluster: true, sink.IfNotExists);
            case CreateConnectionStatement connection:
                return ConnectionStatements.WithOptions(
                    CatalogItem("connection", connection, text, mapper, connection.ConnectorKind, needsCluster: false, connection.IfNotExists),
                    statement, mapper.PgSchemaOf(connection.Name!), connection.Name!.Item.Value);
            case CreateTableStatement { Kind: StatementKind.CreateTableFromSource } table:
                return CreateSourceTable(table, text, mapper);
            case AlterRoleStatement alterRole:
                return AlterRole(alterRole, text, mapper);
            case CommentStatement comment:
                return Comment(comment, text, mapper);
            case GrantStatement grant when grant.ObjectType is "CLUSTER" or "CLUSTERS" or "SYSTEM" or "DATABASE" or "DATABASES":
                return CatalogGrant(grant);
            case GrantStatement { All: false, ObjectType: "SOURCE" or "CONNECTION" or "SECRET" } grant:
                return ItemGrant(grant, mapper);
            case GrantStatement { All: false, ObjectType: "MATERIALIZED VIEW" or "VIEW" or "TABLE" } grant:
                return RelationGrant(grant, text, mapper);
            case GrantStatement { All: false, ObjectType: "SCHEMA" } grant:
                return SchemaGrant(grant, text, mapper);
            case GrantStatement or GrantRoleStatement or CreateRoleStatement or AlterDefaultPrivilegesStatement:
                return new Translation(Apply(text, mapper.Edits(parsed, text)), StatementClass.Single, label);
            default:
                return null;
        }
    }

    private static Translation CreateMaterializedView(CreateViewStatement view, string text, NameMapper mapper)
    {
        var (database, schema, item) = mapper.Resolve(view.Name!);
        // An unqualified name goes to the session's current schema, which the procedure knows (the
        // translation is cached per text and database, so it cannot hold the search path).
        var pgSchema = view.Name!.Parts.Count == 1 ? null : SqlText.PgSchema(database, schema);
        var query = view.Query.Span;
        var edits = mapper.Edits(view, text, includeName: false)
            .Where(e => query.Contains(e.Span))
            .Select(e => (new TextSpan(e.Span.Start - query.Start, e.Span.Length), e.Replacement));
        var queryText = SqlRewriter.Apply(query.Slice(text), edits);
        var columns = view.Columns.Count == 0 ? null : string.Join(", ", view.Columns.Select(c => SqlText.Identifier(c.Value)));
        // The WITH (…) options as written: the catalog rebuilds the statement around them with current names.
        var options = view.Options.Count == 0 ? "" : "WITH (" + string.Join(", ", view.Options.Select(o => o.Span.Slice(text))) + ")";
        if (view.Replacement)
        {
            var target = mapper.MapItem(view.Target!, text) ?? view.Target!.Span.Slice(text);
            var replacement = "CALL mz_emulator.create_replacement_materialized_view(" + string.Join(", ",
                SqlText.Literal(pgSchema), SqlText.Literal(item), SqlText.Literal(target),
                SqlText.Literal(columns), SqlText.Literal(queryText), SqlText.Literal(view.InCluster?.Value), SqlText.Literal(text),
                SqlText.Literal(options)) + ")";
            return new Translation(replacement, StatementClass.Single, "CREATE MATERIALIZED VIEW", "CREATE MATERIALIZED VIEW");
        }
        var sql = "CALL mz_emulator.create_materialized_view(" + string.Join(", ",
            SqlText.Literal(pgSchema), SqlText.Literal(item), SqlText.Literal(columns),
            SqlText.Literal(queryText), SqlText.Literal(view.InCluster?.Value), SqlText.Bool(view.IfNotExists),
            SqlText.Bool(view.OrReplace), SqlText.Literal(text), SqlText.Literal(options)) + ")";
        return new Translation(sql, StatementClass.Single, "CREATE MATERIALIZED VIEW", "CREATE MATERIALIZED VIEW");
    }

    private static Translation CreateView(CreateViewStatement view, string text, NameMapper mapper)
    {
        var edits = view.Temporary ? mapper.Edits(view, text, includeName: false) : mapper.Edits(view, text);
        if (!view.IfNotExists)
            return new Translation(Apply(text, edits), StatementClass.Single, "CREATE VIEW") { Positions = PositionMap.From(edits) };

        // PostgreSQL has no CREATE VIEW IF NOT EXISTS: drop the words and check first.
        var tokens = view.Tokens;
        for (var k = 0; k + 2 < tokens.Count; k++)
        {
            if (tokens[k].IsKeyword("if") && tokens[k + 1].IsKeyword("not") && tokens[k + 2].IsKeyword("exists"))
            {
                edits.Add((TextSpan.FromBounds(tokens[k].Span.Start, tokens[k + 2].Span.End), ""));
                break;
            }
        }
        var schema = view.Temporary ? null : mapper.PgSchemaOf(view.Name!);
        var sql = $"CALL mz_emulator.create_view_if_not_exists({SqlText.Literal(schema)}, {SqlText.Literal(view.Name!.Item.Value)}, " +
                  $"{SqlText.Literal(Apply(text, edits))})";
        return new Translation(sql, StatementClass.Single, "CREATE VIEW", "CREATE VIEW");
    }

    private static Translation CreateIndex(CreateIndexStatement index, string text, NameMapper mapper)
    {
        var on = index.Target!;
        var onText = mapper.MapItem(on, text) ?? on.Span.Slice(text);
        string? key = null;
        if (index.KeyParts.Count > 0)
            key = string.Join("_", index.KeyParts.Select(k => k.SimpleValue ?? "expr"));
        // The key as Materialize prints it (a column quoted, an expression as written) and the WITH (…) options as
        // written: the catalog rebuilds the statement around them with current names. No key: a default index.
        var keyText = index.KeyParts.Count == 0 ? null : string.Join(", ",
            index.KeyParts.Select(k => k.Tokens is [{ IsWord: true } column] ? SqlText.Identifier(column.Value) : k.Text));
        var options = index.Options.Count == 0 ? "" : "WITH (" + string.Join(", ", index.Options.Select(o => o.Span.Slice(text))) + ")";
        var sql = "CALL mz_emulator.create_index(" + string.Join(", ",
            SqlText.Literal(index.Name?.Item.Value), SqlText.Literal(onText), SqlText.Literal(index.InCluster?.Value),
            SqlText.Bool(index.IfNotExists), SqlText.Literal(text), SqlText.Literal(key), SqlText.Literal(keyText),
            SqlText.Literal(options)) + ")";
        return new Translation(sql, StatementClass.Single, "CREATE INDEX", "CREATE INDEX");
    }

    private static Translation Comment(CommentStatement comment, string text, NameMapper mapper)
    {
        var literal = SqlText.Literal(comment.Comment);
        switch (comment.ObjectType)
        {
            case "TABLE" or "VIEW" or "COLUMN" or "TYPE" or "FUNCTION":
                return new Translation(Apply(text, mapper.Edits(comment, text)), StatementClass.Single, "COMMENT", "COMMENT");
            case "MATERIALIZED VIEW":
                var target = mapper.MapItem(comment.Target!, text) ?? comment.Target!.Span.Slice(text);
                return new Translation($"COMMENT ON VIEW {target} IS {literal}", StatementClass.Single, "COMMENT", "COMMENT");
            case "SCHEMA":
                var s = mapper.SchemaOf(comment.Target!) ?? throw new NotSupportedStatementException("COMMENT ON a system schema");
                return new Translation($"COMMENT ON SCHEMA {SqlText.Identifier(SqlText.PgSchema(s.Database, s.Schema))} IS {literal}",
                    StatementClass.Single, "COMMENT", "COMMENT");
            case "ROLE":
                // Roles are PostgreSQL's: COMMENT ON ROLE is native (mz_comments shows it with object_type 'role').
                return new Translation($"COMMENT ON ROLE {SqlText.Identifier(comment.Target!.Item.Value)} IS {literal}",
                    StatementClass.Single, "COMMENT", "COMMENT");
            case "CLUSTER" or "DATABASE":
                return new Translation(
                    $"CALL mz_emulator.comment_on({SqlText.Literal(comment.ObjectType.ToLowerInvariant())}, " +
                    $"{SqlText.Literal(comment.Target!.Item.Value)}, {literal})",
                    StatementClass.Single, "COMMENT", "COMMENT");
            case "INDEX" or "SOURCE" or "SINK" or "CONNECTION" or "SECRET":
                return new Translation(
                    $"CALL mz_emulator.comment_on_item({SqlText.Literal(comment.ObjectType.ToLowerInvariant())}, " +
                    $"{SqlText.Literal(mapper.PgSchemaOf(comment.Target!))}, {SqlText.Literal(comment.Target!.Item.Value)}, {literal})",
                    StatementClass.Single, "COMMENT", "COMMENT");
            default:
                throw new NotSupportedStatementException($"COMMENT ON {comment.ObjectType}");
        }
    }

    /// <summary>
    /// CREATE TABLE t [(columns)] FROM SOURCE src (REFERENCE …): an empty PostgreSQL table with the declared
    /// columns (a name alone is a text column), or without a list the columns the source makes knowable (the
    /// REFERENCE's last part, the table's FORMAT, its TEXT COLUMNS: see mz_emulator.source_table_columns),
    /// recorded with its source.
    /// </summary>
    private static Translation CreateSourceTable(CreateTableStatement table, string text, NameMapper mapper)
    {
        if (table.Temporary)
            throw new NotSupportedStatementException("CREATE TEMPORARY TABLE … FROM SOURCE");
        var columns = table.Columns.Count == 0 ? null : string.Join(", ",
            table.Columns.Select(c => SqlText.Identifier(c.Name.Value) + " " + (string.IsNullOrWhiteSpace(c.DataType) ? "text" : c.DataType)));
        var source = table.From!;
        var sql = "CALL mz_emulator.create_source_table(" + string.Join(", ",
            SqlText.Literal(mapper.PgSchemaOf(table.Name!)), SqlText.Literal(table.Name!.Item.Value), SqlText.Literal(columns),
            SqlText.Literal(mapper.PgSchemaOf(source)), SqlText.Literal(source.Item.Value), SqlText.Bool(table.IfNotExists),
            SqlText.Literal(CreateSqlTemplate.Build(table, text, withCluster: false, [(source.Span, 1)])), SqlText.Literal(table.UpstreamReference?.Item.Value), SqlText.Literal(SourceTableFormat(table)),
            SqlText.TextArray(TextColumns(table))) + ")";
        return new Translation(sql, StatementClass.Single, "CREATE TABLE", "CREATE TABLE");
    }

    // The value's format: the word after FORMAT or VALUE FORMAT (not KEY FORMAT), upper case; null without one.
    private static string? SourceTableFormat(CreateTableStatement table)
    {
        var tokens = table.Tokens;
        for (var k = 0; k + 1 < tokens.Count; k++)
        {
            if (tokens[k].IsKeyword("format") && !(k > 0 && tokens[k - 1].IsKeyword("key")))
                return tokens[k + 1].Value.ToUpperInvariant();
        }
        return null;
    }

    // The names in TEXT COLUMNS [=] (a, b, …), wherever the option stands.
    private static List<string> TextColumns(CreateTableStatement table)
    {
        var tokens = table.Tokens;
        var names = new List<string>();
        for (var k = 0; k + 2 < tokens.Count; k++)
        {
            if (!tokens[k].IsKeyword("text") || !tokens[k + 1].IsKeyword("columns"))
                continue;
            var j = k + 2;
            if (tokens[j].Kind == TokenKind.Operator && tokens[j].Value == "=")
                j++;
            if (j >= tokens.Count || tokens[j].Kind != TokenKind.LeftParen)
                continue;
            for (j++; j < tokens.Count && tokens[j].Kind != TokenKind.RightParen; j++)
            {
                if (tokens[j].Kind is TokenKind.Identifier or TokenKind.QuotedIdentifier)
                    names.Add(tokens[j].Value);
            }
        }
        return names;
    }

    /// <summary>CREATE SOURCE | SINK | CONNECTION | SECRET: catalog entries that record what they reference.</summary>
    private static Translation CatalogItem(string kind, SqlStatement statement, string text, NameMapper mapper, string? connector,
        bool needsCluster, bool ifNotExists)
    {
        var name = statement.Name!;
        var schema = mapper.PgSchemaOf(name);
        var relations = new List<string>();
        var itemSchemas = new List<string?>();
        var itemNames = new List<string>();
        var relationSpans = new List<TextSpan>();
        var itemSpans = new List<TextSpan>();
        foreach (var reference in statement.References)
        {
            if (reference.Kind is ReferenceKind.Relation or ReferenceKind.Source)
            {
                relations.Add(mapper.MapItem(reference.Name, text) ?? reference.Span.Slice(text));
                relationSpans.Add(reference.Span);
            }
            else if (reference.Kind is ReferenceKind.Connection or ReferenceKind.Secret)
            {
                itemSchemas.Add(mapper.PgSchemaOf(reference.Name));
                itemNames.Add(reference.Name.Item.Value);
                itemSpans.Add(reference.Span);
            }
        }
        // The procedure binds the relations' ids first, then the items'.
        var template = CreateSqlTemplate.Build(statement, text, needsCluster,
            relationSpans.Select((span, k) => (span, k + 1)).Concat(itemSpans.Select((span, k) => (span, relations.Count + k + 1))));
        var sql = "CALL mz_emulator.create_catalog_item(" + string.Join(", ",
            SqlText.Literal(kind), SqlText.Literal(schema), SqlText.Literal(name.Item.Value),
            SqlText.Literal(connector?.ToLowerInvariant().Replace(' ', '-')), SqlText.Bool(needsCluster),
            SqlText.Literal(statement.InCluster?.Value), SqlText.Bool(ifNotExists), SqlText.Literal(template),
            SqlText.TextArray(relations),
            "ARRAY[" + string.Join(", ", itemSchemas.Select(SqlText.Literal)) + "]::text[]",
            SqlText.TextArray(itemNames)) + ")";
        var label = "CREATE " + kind.ToUpperInvariant();
        return new Translation(sql, StatementClass.Single, label, label);
    }

    /// <summary>ALTER ROLE r SET cluster TO x: Materialize's session variables are PostgreSQL's mz.* settings.</summary>
    private static Translation AlterRole(AlterRoleStatement statement, string text, NameMapper mapper)
    {
        var edits = mapper.Edits(statement, text);
        var tokens = statement.Action?.Tokens ?? [];
        if (tokens.Count >= 2 && (tokens[0].IsKeyword("set") || tokens[0].IsKeyword("reset"))
            && tokens[1].Value is "cluster" or "cluster_replica" or "database")
            edits.Add((tokens[1].Span, "mz." + tokens[1].Value));
        return new Translation(Apply(text, edits), StatementClass.Single, "ALTER ROLE");
    }

    /// <summary>GRANT/REVOKE on clusters, databases and the system: privileges the emulator's catalog keeps.</summary>
    private static Translation CatalogGrant(GrantStatement grant)
    {
        var type = grant.ObjectType switch { "CLUSTER" or "CLUSTERS" => "cluster", "SYSTEM" => "system", _ => "database" };
        var names = grant.All ? null : grant.Targets.Select(t => t.Item.Value).ToList();
        var sql = "CALL mz_emulator.grant_privileges(" + string.Join(", ",
            SqlText.Bool(grant.IsRevoke), SqlText.Literal(type), SqlText.TextArray(names),
            SqlText.TextArray(grant.Privileges.ToList()), SqlText.TextArray(grant.Grantees.Select(g => g.Value).ToList())) + ")";
        var label = grant.IsRevoke ? "REVOKE" : "GRANT";
        return new Translation(sql, StatementClass.Single, label, label);
    }

    /// <summary>
    /// GRANT … ON [TABLE | VIEW | MATERIALIZED VIEW] names: PostgreSQL's GRANT ON TABLE, after Materialize's checks
    /// (mz_emulator.check_relation_grant: not a system object, and the session role owns it, where PostgreSQL
    /// would only warn that no privileges were granted).
    /// </summary>
    private static Translation RelationGrant(GrantStatement grant, string text, NameMapper mapper)
    {
        var edits = mapper.Edits(grant, text);
        var tokens = grant.Tokens;
        var on = tokens.ToList().FindIndex(t => t.IsKeyword("on"));
        var words = grant.ObjectType.Split(' ');
        // The type may be left out (GRANT SELECT ON t): only a written one is replaced.
        if (words.Select((w, k) => on + 1 + k < tokens.Count && tokens[on + 1 + k].IsKeyword(w.ToLowerInvariant())).All(x => x))
            edits.Add((TextSpan.FromBounds(tokens[on + 1].Span.Start, tokens[on + words.Length].Span.End), "TABLE"));
        var relations = grant.Targets.Select(t => mapper.MapItem(t, text) ?? t.Span.Slice(text)).ToList();
        var label = grant.IsRevoke ? "REVOKE" : "GRANT";
        var sql = ClusterStatements.Block([$"PERFORM mz_emulator.check_relation_grant({SqlText.TextArray(relations)})", Apply(text, edits)]);
        return new Translation(sql, StatementClass.Single, label, label);
    }

    /// <summary>
    /// GRANT | REVOKE … ON SCHEMA names: PostgreSQL's, after Materialize's checks (mz_emulator.check_schema_grant: not a
    /// system schema, and the session role owns it, where PostgreSQL would only warn that no privileges were granted).
    /// </summary>
    private static Translation SchemaGrant(GrantStatement grant, string text, NameMapper mapper)
    {
        var schemas = grant.Targets.Select(t => mapper.SchemaOf(t) is { } s ? SqlText.PgSchema(s.Database, s.Schema) : t.Item.Value).ToList();
        var label = grant.IsRevoke ? "REVOKE" : "GRANT";
        var sql = ClusterStatements.Block([$"PERFORM mz_emulator.check_schema_grant({SqlText.TextArray(schemas)})", Apply(text, mapper.Edits(grant, text))]);
        return new Translation(sql, StatementClass.Single, label, label);
    }

    /// <summary>GRANT | REVOKE … ON SOURCE | CONNECTION | SECRET names: privileges the emulator's catalog keeps.</summary>
    private static Translation ItemGrant(GrantStatement grant, NameMapper mapper)
    {
        var sql = "CALL mz_emulator.grant_item_privileges(" + string.Join(", ",
            SqlText.Bool(grant.IsRevoke), SqlText.Literal(grant.ObjectType.ToLowerInvariant()),
            "ARRAY[" + string.Join(", ", grant.Targets.Select(t => SqlText.Literal(mapper.PgSchemaOf(t)))) + "]::text[]",
            SqlText.TextArray(grant.Targets.Select(t => t.Item.Value).ToList()), SqlText.TextArray(grant.Privileges.ToList()),
            SqlText.TextArray(grant.Grantees.Select(g => g.Value).ToList())) + ")";
        var label = grant.IsRevoke ? "REVOKE" : "GRANT";
        return new Translation(sql, StatementClass.Single, label, label);
    }

    private static string Apply(string text, IEnumerable<(TextSpan, string)> edits) => SqlRewriter.Apply(text, edits);
}
