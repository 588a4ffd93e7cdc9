using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// The interception point: every statement a client sends (one per Query statement or Parse message)
/// comes here and leaves as exactly one PostgreSQL statement — unchanged, rewritten, answered by an
/// emulator procedure, or replaced by one that raises Materialize's error.
/// </summary>
internal static class StatementTranslator
{
    // Materialize statements the emulator does not implement yet: leading words → label.
    private static readonly string[][] Unsupported =
    [
        ["alter", "source"], ["alter", "connection"],
        ["alter", "secret"],
        ["drop", "source"], ["drop", "sink"], ["drop", "connection"], ["drop", "secret"],
        ["subscribe"], ["execute", "unit", "test"],
        ["savepoint"], ["release"], ["rollback", "to"], ["listen"], ["notify"],
        ["set", "role"], ["reset", "role"], ["show", "redacted", "create"],
    ];

    public static Translation Translate(LexedStatement statement, string currentDatabase)
    {
        var label = Label(statement);
        // Rewrites in place, before the statement is read: each keeps a map so an error's position still points into
        // the client's text. Dropping a trailing AS OF clause moves nothing before it.
        var positions = PositionMap.Identity;
        statement = Rewrite(statement, NiladicCallEdits(statement), ref positions);
        var asOf = AsOfClause.Strip(statement);
        var hasAsOf = !ReferenceEquals(asOf, statement.Text);
        if (hasAsOf && LexedStatement.Split(asOf) is [var current])
            statement = current;
        statement = Rewrite(statement, IntervalUnits.Edits(statement), ref positions);
        statement = Rewrite(statement, MzTimestampCasts.Edits(statement), ref positions);
        if (IsMutuallyRecursive(statement))
            return Translation.Refusal(label, "0A000", new NotSupportedStatementException("WITH MUTUALLY RECURSIVE").Message);
        if (FastPath(statement, label) is { } unchanged)
            return ThroughRewrites(unchanged, statement, positions);
        try
        {
            return ThroughRewrites(TranslateCore(statement, currentDatabase, label, checkTimeDomain: !hasAsOf), statement, positions);
        }
        catch (NotSupportedStatementException e)
        {
            return Translation.Refusal(e.Label, "0A000", e.Message);
        }
        catch (Exception e) when (TokenCursor.IsSyntaxError(e))
        {
            return Translation.Refusal(label, "42601", e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A defect in the emulator: fail this statement, keep the session, leave a trace.
            Console.Error.WriteLine($"emulator: cannot translate \"{SecretStatements.Redact(statement)}\": {e}");
            return Translation.Refusal(label, "0A000", $"the emulator cannot translate this statement ({e.Message})");
        }
    }

    /// <summary>
    /// Whether the statement holds <c>WITH MUTUALLY RECURSIVE</c> anywhere (a view's or a subquery's query
    /// too). PostgreSQL's WITH RECURSIVE iterates differently (one self-referencing term, UNION semantics,
    /// no fixpoint over several bindings), so the emulator refuses rather than approximates.
    /// </summary>
    private static bool IsMutuallyRecursive(LexedStatement statement)
    {
        var tokens = statement.Tokens;
        for (var k = 1; k + 1 < tokens.Count; k++)
        {
            if (tokens[k].IsKeyword("mutually") && tokens[k - 1].IsKeyword("with") && tokens[k + 1].IsKeyword("recursive"))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Statements that need no rewriting, recognised without the parser: queries that name no qualified
    /// object (unqualified names are the search path's business, so <c>SELECT 1</c> or
    /// <c>SELECT * FROM t</c> pass unchanged) and transaction control. Null for everything else.
    /// </summary>
    private static Translation? FastPath(LexedStatement statement, string label)
    {
        var tokens = statement.Tokens;
        if (tokens.Count == 0 || tokens[0].Kind != TokenKind.Identifier)
            return null;
        switch (tokens[0].Value)
        {
            case "select" or "values":
                foreach (var token in tokens)
                    if (token.IsSymbol("."))
                        return null;
                return new Translation(statement.Text, StatementClass.Read, label);
            case "commit" or "end" or "rollback" or "abort" when ChainsTransaction(tokens):
                // Materialize does not chain transactions: COMMIT/ROLLBACK AND CHAIN is refused as unsupported.
                return Translation.Refusal(label, "0A000", $"{label} AND CHAIN not yet supported");
            case "begin" or "start":
                return new Translation(statement.Text, StatementClass.Begin, label) { OpensReadOnly = OpensReadOnly(tokens) };
            case "commit" or "end" or "abort":
                return new Translation(statement.Text, Classify(statement), label);
            case "rollback" when !(tokens.Count > 1 && tokens[1].IsKeyword("to")):
                return new Translation(statement.Text, StatementClass.End, label);
            default:
                return null;
        }
    }

    private static bool ChainsTransaction(IReadOnlyList<Token> tokens)
    {
        for (var k = 1; k + 1 < tokens.Count; k++)
            if (tokens[k].IsKeyword("and") && tokens[k + 1].IsKeyword("chain"))
                return true;
        return false;
    }

    private static bool OpensReadOnly(IReadOnlyList<Token> tokens)
    {
        for (var k = 1; k + 1 < tokens.Count; k++)
            if (tokens[k].IsKeyword("read") && tokens[k + 1].IsKeyword("only"))
                return true;
        return false;
    }

    /// <summary>
    /// The family the statement's leading keywords route it to (<see cref="StatementRoutes"/>); then the statements
    /// the parser reads (<see cref="ObjectStatements"/>); then Materialize statements not emulated, refused; the
    /// rest PostgreSQL runs as written.
    /// </summary>
    private static Translation TranslateCore(LexedStatement statement, string database, string label, bool checkTimeDomain)
    {
        if (StatementRoutes.Find(statement) is var (route, cursor) && route.Handler(cursor, database, label) is { } routed)
            return routed;
        if (ObjectStatements.Translate(statement, database, label, checkTimeDomain) is { } item)
            return item;
        var c = statement.Cursor();
        foreach (var words in Unsupported)
        {
            c.Index = 0;
            if (c.Words(words))
                throw new NotSupportedStatementException(string.Join(' ', words).ToUpperInvariant());
        }
        return new Translation(statement.Text, Classify(statement), label);
    }

    /// <summary>The class of a statement PostgreSQL runs as written.</summary>
    public static StatementClass Classify(LexedStatement statement)
    {
        var tokens = statement.Tokens;
        if (tokens.Count == 0)
            return StatementClass.Session;
        var first = tokens[0].Value;
        switch (first)
        {
            case "begin" or "start":
                return StatementClass.Begin;
            case "commit" or "end" or "rollback" or "abort":
                return StatementClass.End;
            case "select" or "with" or "values" or "table" or "show" or "explain" or "fetch" or "declare" or "close" or "move":
                return StatementClass.Read;
            case "insert":
                return StatementClass.Insert;
            case "set" or "reset" or "discard" or "deallocate" or "prepare" or "execute" or "unlisten":
                return StatementClass.Session;
            case "alter":
                // ALTER <object> name RENAME TO new (not RENAME COLUMN/CONSTRAINT).
                for (var k = 1; k + 1 < tokens.Count; k++)
                {
                    if (tokens[k].IsKeyword("rename") && tokens[k + 1].IsKeyword("to"))
                        return StatementClass.SwapOrRename;
                    if (tokens[k].IsKeyword("swap") && tokens[k + 1].IsKeyword("with"))
                        return StatementClass.SwapOrRename;
                }
                return StatementClass.Single;
            default:
                return StatementClass.Single;
        }
    }

    /// <summary>Materialize's name for a statement: its leading keywords (<c>CREATE TABLE</c>).</summary>
    public static string Label(LexedStatement statement)
    {
        var tokens = statement.Tokens;
        if (tokens.Count == 0)
            return "EMPTY";
        var words = new List<string> { tokens[0].Value.ToUpperInvariant() };
        if (tokens[0].Value is "create" or "drop" or "alter")
        {
            for (var k = 1; k < tokens.Count && tokens[k].Kind == TokenKind.Identifier; k++)
            {
                var w = tokens[k].Value;
                if (w is "or" or "replace" or "temporary" or "temp" or "if" or "not" or "exists" or "unique")
                    continue;
                if (w is not ("materialized" or "view" or "table" or "cluster" or "replica" or "schema" or "database"
                    or "index" or "source" or "sink" or "connection" or "secret" or "role" or "type" or "default"
                    or "function" or "system" or "sequence" or "user" or "network" or "policy"))
                    break;
                words.Add(w.ToUpperInvariant());
                if (w is "view" or "table" or "schema" or "database" or "index" or "source" or "sink" or "connection"
                    or "secret" or "role" or "type" or "function" or "system" or "sequence" or "user")
                    break;
            }
        }
        return string.Join(' ', words);
    }

    /// <summary>
    /// <c>current_user()</c>, <c>current_role()</c> and <c>session_user()</c>: Materialize accepts the
    /// parentheses, PostgreSQL does not; drop them by span. Materialize has no SET ROLE, so its current
    /// user is the session user, while a PostgreSQL session with RBAC checks off runs as mz_rbac_bypass
    /// (Bootstrap/80-rbac.sql): <c>current_user</c> and <c>current_role</c> become the functions
    /// <c>mz_catalog."current_user"()</c> / <c>"current_role"()</c> (which answer session_user, under the
    /// same column name), or <c>session_user</c> where a role name is expected (<c>OWNER TO current_user</c>).
    /// </summary>
    public static List<(TextSpan Span, string Replacement)> NiladicCallEdits(LexedStatement statement)
    {
        var tokens = statement.Tokens;
        var edits = new List<(TextSpan Span, string Replacement)>();
        for (var k = 0; k < tokens.Count; k++)
        {
            if (tokens[k].Kind != TokenKind.Identifier || tokens[k].Value is not ("current_user" or "current_role" or "session_user" or "current_schema")
                || (k > 0 && tokens[k - 1].IsSymbol(".")))
                continue;
            var parenthesised = k + 2 < tokens.Count && tokens[k + 1].IsSymbol("(") && tokens[k + 2].IsSymbol(")");
            if (tokens[k].Value == "current_schema")
            {
                // Bare current_schema is PostgreSQL's keyword and would answer the internal "materialize.public";
                // with parentheses the search path already finds mz_catalog.current_schema() (Bootstrap/65-definitions.sql).
                if (k + 1 < tokens.Count && tokens[k + 1].IsSymbol("("))
                    continue;
                edits.Add((tokens[k].Span, "mz_catalog.current_schema()"));
                continue;
            }
            if (tokens[k].Value == "session_user" && !parenthesised)
                continue;
            var roleName = k > 0 && tokens[k - 1].Kind == TokenKind.Identifier && tokens[k - 1].Value is "to" or "authorization" or "by" or "role" or "user";
            var end = parenthesised ? tokens[k + 2].Span.End : tokens[k].Span.End;
            edits.Add((TextSpan.FromBounds(tokens[k].Span.Start, end),
                tokens[k].Value == "session_user" || roleName ? "session_user" : $"\"{tokens[k].Value}\"()"));
            if (parenthesised)
                k += 2;
        }
        return edits;
    }

    /// <summary>
    /// <paramref name="statement"/> with <paramref name="edits"/> applied and lexed again, and <paramref name="positions"/>
    /// extended by their map (so an error's position in the final text maps back to the client's); unchanged without edits.
    /// </summary>
    private static LexedStatement Rewrite(LexedStatement statement, List<(TextSpan Span, string Replacement)> edits, ref PositionMap positions)
    {
        if (edits.Count == 0 || LexedStatement.Split(SqlRewriter.Apply(statement.Text, edits)) is not [var rewritten])
            return statement;
        positions = PositionMap.From(edits).Then(positions);
        return rewritten;
    }

    /// <summary>
    /// <paramref name="translation"/> with positions that map back through the rewrites made before it
    /// (<paramref name="positions"/>): its own map composed with them, or them alone when PostgreSQL runs the rewritten
    /// text as it is.
    /// </summary>
    private static Translation ThroughRewrites(Translation translation, LexedStatement rewritten, PositionMap positions)
    {
        if (positions.IsIdentity)
            return translation;
        if (translation.Positions is { } own)
            return translation with { Positions = own.Then(positions) };
        return translation.Sql == rewritten.Text ? translation with { Positions = positions } : translation;
    }
}
