using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// The statements the engine parser keeps as "other" (DML, DROP, ALTER, SHOW COLUMNS, SHOW CREATE):
/// read by their header with <see cref="TokenCursor"/>; names are mapped by span like the parser's references.
/// </summary>
internal static partial class ObjectStatements
{
    /// <summary>DML, DROP, ALTER, SHOW COLUMNS: statements the parser keeps as "other", read by their header.</summary>
    private static Translation? TranslateByHeader(LexedStatement statement, NameMapper mapper, string label)
    {
        var c = new TokenCursor(statement);
        var text = statement.Text;
        var edits = new List<(TextSpan, string)>();

        if (c.Words("insert", "into"))
        {
            MapName(c, mapper, edits);
            if (c.Current.IsSymbol("("))
                SkipParenthesised(c);
            // Materialize lets a transaction hold several constant INSERTs (VALUES, no RETURNING);
            // any other INSERT must be alone in its transaction.
            var constant = c.Current.IsKeyword("values") && !statement.Tokens.Any(t => t.IsKeyword("returning"));
            if (!c.AtEnd && !c.Current!.IsKeyword("default"))
            {
                var restStart = c.Current!.Span.Start;
                var rest = SqlParser.Parse(text[restStart..]);
                if (rest.Succeeded && rest.Statements is [QueryStatement query])
                    edits.AddRange(mapper.Edits(query, text[restStart..])
                        .Select(e => (new TextSpan(e.Span.Start + restStart, e.Span.Length), e.Replacement)));
            }
            return new Translation(Apply(text, edits), constant ? StatementClass.Insert : StatementClass.Single, "INSERT");
        }
        if (c.Words("update") || c.Words("delete", "from") || c.Words("copy"))
        {
            c.Words("only");
            MapName(c, mapper, edits);
            return new Translation(Apply(text, edits), StatementClass.Single, label);
        }
        if (c.Words("truncate"))
        {
            c.Words("table");
            do
                MapName(c, mapper, edits);
            while (c.Symbol(","));
            return new Translation(Apply(text, edits), StatementClass.Single, "TRUNCATE");
        }
        if (c.Words("show", "columns", "from") || c.Words("show", "columns", "in"))
        {
            var (name, _, _) = ReadName(c, mapper, text);
            return new Translation(
                "SELECT a.attname::text AS name, NOT a.attnotnull AS nullable, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, " +
                "coalesce(pg_catalog.col_description(a.attrelid, a.attnum), '') AS comment FROM pg_catalog.pg_attribute a " +
                $"WHERE a.attrelid = {SqlText.Literal(name)}::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                StatementClass.Read, "SHOW COLUMNS");
        }
        if (c.Words("drop"))
        {
            var kindStart = c.Index;
            var materialized = c.Words("materialized", "view");
            if (materialized)
            {
                edits.Add((TextSpan.FromBounds(statement.Tokens[kindStart].Span.Start, statement.Tokens[c.Index - 1].Span.End), "VIEW"));
            }
            else if (c.Current is { Kind: TokenKind.Identifier } kindWord && CatalogItemKinds.TryGetValue(kindWord.Value, out var itemKind))
            {
                c.Index++;
                return DropCatalogItems(c, itemKind, mapper, text);
            }
            else if (!(c.Words("table") || c.Words("view") || c.Words("type")))
            {
                return null;
            }
            c.Words("if", "exists");
            var names = new List<string>();
            do
                names.Add(MapName(c, mapper, edits));
            while (c.Symbol(","));
            var kind = materialized ? "MATERIALIZED VIEW" : statement.Tokens[kindStart].Value.ToUpperInvariant();
            var cascade = c.Words("cascade");
            var drop = Apply(text, edits);
            // Types are not items; tables and (materialized) views are checked for their kind first, and for sinks reading them.
            var sql = kind == "TYPE" ? drop
                : $"CALL mz_emulator.drop_relations({SqlText.Literal(kind.ToLowerInvariant())}, {SqlText.TextArray(names)}, {SqlText.Literal(drop)}, "
                  + $"{SqlText.Bool(cascade)})";
            return new Translation(sql, StatementClass.Single, "DROP " + kind, "DROP " + kind);
        }
        if (c.Words("show", "create"))
        {
            string? showKind = null;
            if (c.Words("materialized", "view"))
                showKind = "materialized-view";
            else if (c.Current is { Kind: TokenKind.Identifier } w && (w.Value is "view" or "table" || CatalogItemKinds.ContainsKey(w.Value)))
            {
                showKind = w.Value;
                c.Index++;
            }
            if (showKind == null)
                return null;
            var (pgName, nameSpan, _) = ReadName(c, mapper, text);
            ClusterStatements.EnsureEnd(c);
            var (schema, item) = SchemaAndItem(TokenParts(statement, nameSpan), mapper);
            return new Translation(
                $"SELECT * FROM mz_emulator.show_create({SqlText.Literal(showKind)}, {SqlText.Literal(schema)}, {SqlText.Literal(item)}, " +
                $"{SqlText.Literal(nameSpan.Slice(text))})",
                StatementClass.Read, "SHOW CREATE");
        }
        if (c.Current.IsKeyword("alter") && c.PeekAt(1) is { Kind: TokenKind.Identifier } renamed
            && CatalogItemKinds.TryGetValue(renamed.Value, out var renamedKind) && HasRename(statement))
        {
            c.Index += 2;
            c.Words("if", "exists");
            var (_, nameSpan, _) = ReadName(c, mapper, text);
            c.ExpectWords("rename", "to");
            var newName = c.Identifier();
            ClusterStatements.EnsureEnd(c);
            var (schema, item) = SchemaAndItem(TokenParts(statement, nameSpan), mapper);
            var alterLabel = "ALTER " + renamedKind.ToUpperInvariant();
            return new Translation(
                $"CALL mz_emulator.rename_catalog_item({SqlText.Literal(renamedKind)}, {SqlText.Literal(schema)}, {SqlText.Literal(item)}, " +
                $"{SqlText.Literal(newName)})",
                StatementClass.SwapOrRename, alterLabel, alterLabel);
        }
        if (c.Words("alter") && MovedKind(c) is { } movedKind)
        {
            c.Words("if", "exists");
            var (_, movedSpan, _) = ReadName(c, mapper, text);
            if (c.Words("set", "cluster"))
            {
                var cluster = c.Identifier();
                ClusterStatements.EnsureEnd(c);
                var (schema, item) = SchemaAndItem(TokenParts(statement, movedSpan), mapper);
                var movedLabel = "ALTER " + movedKind.Replace('-', ' ').ToUpperInvariant();
                return new Translation(
                    $"CALL mz_emulator.alter_set_cluster({SqlText.Literal(movedKind)}, {SqlText.Literal(schema)}, {SqlText.Literal(item)}, " +
                    $"{SqlText.Literal(cluster)})",
                    StatementClass.Single, movedLabel, movedLabel);
            }
        }
        c.Index = 0;
        if (c.Words("alter", "materialized", "view"))
        {
            var (target, _, _) = ReadName(c, mapper, text);
            if (c.Words("apply", "replacement"))
            {
                var (replacement, _, _) = ReadName(c, mapper, text);
                ClusterStatements.EnsureEnd(c);
                return new Translation(
                    $"CALL mz_emulator.apply_replacement({SqlText.Literal(target)}, {SqlText.Literal(replacement)})",
                    StatementClass.Single, "ALTER MATERIALIZED VIEW", "ALTER MATERIALIZED VIEW");
            }
            c.Index = 0;
        }
        if (c.Words("alter", "sink"))
        {
            var (_, sinkSpan, _) = ReadName(c, mapper, text);
            var sinkParts = TokenParts(statement, sinkSpan);
            c.ExpectWords("set", "from");
            var (relation, _, _) = ReadName(c, mapper, text);
            ClusterStatements.EnsureEnd(c);
            var sinkSchema = mapper.PgSchemaOf(sinkParts);
            return new Translation(
                $"CALL mz_emulator.alter_sink_set_from({SqlText.Literal(sinkSchema)}, {SqlText.Literal(sinkParts[^1])}, {SqlText.Literal(relation)})",
                StatementClass.Single, "ALTER SINK", "ALTER SINK");
        }
        if (c.Words("alter"))
        {
            var kindStart = c.Index;
            var materialized = c.Words("materialized", "view");
            if (materialized)
                edits.Add((TextSpan.FromBounds(statement.Tokens[kindStart].Span.Start, statement.Tokens[c.Index - 1].Span.End), "VIEW"));
            else if (!(c.Words("table") || c.Words("view")))
                return null;
            c.Words("if", "exists");
            var altered = MapName(c, mapper, edits);
            var kind = materialized ? "MATERIALIZED VIEW" : statement.Tokens[kindStart].Value.ToUpperInvariant();
            var alter = Apply(text, edits);
            if (c.Words("rename", "to") && c.Current is { IsWord: true } newName && c.PeekAt(1).IsEnd)
                alter = $"CALL mz_emulator.rename_relation({SqlText.Literal(kind.ToLowerInvariant())}, {SqlText.Literal(altered)}, " +
                    $"{SqlText.Literal(newName.Value)}, {SqlText.Literal(alter)})";
            else if (c.Words("owner", "to") && c.Current is { IsWord: true } owner && c.PeekAt(1).IsEnd)
                alter = ClusterStatements.Block([
                    $"PERFORM mz_emulator.check_relation_owner_change({SqlText.Literal(altered)}, {SqlText.Literal(owner.Value)})", alter]);
            return new Translation(alter, StatementTranslator.Classify(statement), "ALTER " + kind, "ALTER " + kind);
        }
        return null;
    }

    /// <summary>After ALTER: the kind of a dataflow object that ALTER … SET CLUSTER moves, or null.</summary>
    private static string? MovedKind(TokenCursor c)
    {
        if (c.Words("materialized", "view"))
            return "materialized-view";
        if (c.Current is not { Kind: TokenKind.Identifier, Value: "index" or "sink" or "source" } kind)
            return null;
        c.Index++;
        return kind.Value;
    }

    private static Translation DropCatalogItems(TokenCursor c, string kind, NameMapper mapper, string text)
    {
        var ifExists = c.Words("if", "exists");
        var names = new List<List<string>>();
        do
            names.Add(c.Name());
        while (c.Symbol(","));
        var cascade = c.Words("cascade");
        if (!cascade)
            c.Words("restrict");
        ClusterStatements.EnsureEnd(c);
        var calls = names.Select(parts =>
            $"CALL mz_emulator.drop_catalog_item({SqlText.Literal(kind)}, {SqlText.Literal(mapper.PgSchemaOf(parts))}, " +
            $"{SqlText.Literal(parts[^1])}, {SqlText.Bool(ifExists)}, {SqlText.Bool(cascade)})").ToList();
        var label = "DROP " + kind.ToUpperInvariant();
        return new Translation(ClusterStatements.Block(calls), StatementClass.Single, label, label);
    }

    /// <summary>Reads a dotted name at the cursor and adds the edit that maps it (if it needs one); returns its PostgreSQL spelling.</summary>
    private static string MapName(TokenCursor c, NameMapper mapper, List<(TextSpan, string)> edits)
    {
        var (pgName, span, mapped) = ReadName(c, mapper, c.Statement.Text);
        if (mapped)
            edits.Add((span, pgName));
        return pgName;
    }

    /// <summary>Reads a dotted name; returns its PostgreSQL spelling, span, and whether it differs from the source.</summary>
    private static (string PgName, TextSpan Span, bool Mapped) ReadName(TokenCursor c, NameMapper mapper, string text)
    {
        var first = c.AtEnd ? throw c.Error("expected a name") : c.Current;
        var startIndex = c.Index;
        var parts = c.Name();
        var last = c.Statement.Tokens[c.Index - 1];
        var span = TextSpan.FromBounds(first.Span.Start, last.Span.End);
        var identifiers = new List<Identifier>();
        for (var k = startIndex; k < c.Index; k++)
        {
            var t = c.Statement.Tokens[k];
            if (t.IsWord)
                identifiers.Add(new Identifier(t.Value, t.Kind == TokenKind.QuotedIdentifier, new TextSpan(t.Span.Start, t.Span.Length)));
        }
        var name = new ObjectName(identifiers, span);
        var mapped = mapper.MapItem(name, text);
        return (mapped ?? span.Slice(text), span, mapped != null);
    }

    private static bool HasRename(LexedStatement statement) =>
        statement.Tokens.Zip(statement.Tokens.Skip(1)).Any(p => p.First.IsKeyword("rename") && p.Second.IsKeyword("to"));

    /// <summary>The PostgreSQL schema (null: the search path) and item of a dotted name's parts.</summary>
    private static (string? Schema, string Item) SchemaAndItem(List<string> parts, NameMapper mapper) =>
        (mapper.PgSchemaOf(parts), parts[^1]);

    private static List<string> TokenParts(LexedStatement statement, TextSpan span) =>
        statement.Tokens.Where(t => t.IsWord && t.Span.Start >= span.Start && t.Span.End <= span.End).Select(t => t.Value).ToList();

    private static void SkipParenthesised(TokenCursor c)
    {
        var depth = 0;
        do
        {
            if (c.Current!.IsSymbol("("))
                depth++;
            else if (c.Current!.IsSymbol(")"))
                depth--;
            c.Index++;
        } while (!c.AtEnd && depth > 0);
    }
}
