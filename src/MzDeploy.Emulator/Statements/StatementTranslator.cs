using System.Text;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// The interception point: every statement a client sends (one per Query statement or Parse message)
/// comes here and leaves as exactly one PostgreSQL statement — unchanged, rewritten, answered by an
/// emulator procedure, or replaced by one that raises Materialize's error.
/// </summary>
internal static class StatementTranslator
{
    // Materialize session variables that PostgreSQL does not know; they live in custom GUCs mz.<name>.
    private static readonly HashSet<string> SessionVariables = ["cluster", "cluster_replica"];

    // Variables SHOW answers through mz_catalog.current_setting (system settings, version numbers).
    private static readonly HashSet<string> EmulatedShowVariables =
        ["enable_rbac_checks", "enable_session_rbac_checks", "server_version", "server_version_num", "mz_version", "database", "cluster", "cluster_replica", "search_path"];

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

    public static Translation Translate(ScannedStatement statement, string currentDatabase)
    {
        var label = Label(statement);
        var niladic = RewriteNiladicCalls(statement);
        if (!ReferenceEquals(niladic, statement.Text) && StatementScanner.Split(niladic) is [var rescanned]) statement = rescanned;
        if (IsMutuallyRecursive(statement))
            return Translation.Refusal(label, "0A000", new NotSupportedStatementException("WITH MUTUALLY RECURSIVE").Message);
        if (FastPath(statement, label) is { } unchanged) return unchanged;
        try
        {
            return TranslateCore(statement, currentDatabase, label);
        }
        catch (NotSupportedStatementException e)
        {
            return Translation.Refusal(e.Label, "0A000", e.Message);
        }
        catch (SqlParseException e)
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
    private static bool IsMutuallyRecursive(ScannedStatement statement)
    {
        var tokens = statement.Tokens;
        for (var k = 1; k + 1 < tokens.Count; k++)
        {
            if (tokens[k].IsWord("mutually") && tokens[k - 1].IsWord("with") && tokens[k + 1].IsWord("recursive")) return true;
        }
        return false;
    }

    /// <summary>
    /// Statements that need no rewriting, recognised without the parser: queries that name no qualified
    /// object (unqualified names are the search path's business, so <c>SELECT 1</c> or
    /// <c>SELECT * FROM t</c> pass unchanged) and transaction control. Null for everything else.
    /// </summary>
    private static Translation? FastPath(ScannedStatement statement, string label)
    {
        var tokens = statement.Tokens;
        if (tokens.Count == 0 || tokens[0].Kind != TokenKind.Word) return null;
        switch (tokens[0].Value)
        {
            case "select" or "values":
                foreach (var token in tokens)
                    if (token.IsSymbol(".")) return null;
                return new Translation(statement.Text, StatementClass.Read, label);
            case "commit" or "end" or "rollback" or "abort" when ChainsTransaction(tokens):
                // Materialize does not chain transactions: COMMIT/ROLLBACK AND CHAIN is refused as unsupported.
                return Translation.Refusal(label, "0A000", $"{label} AND CHAIN not yet supported");
            case "begin" or "start":
                return new Translation(statement.Text, StatementClass.Begin, label) { OpensReadOnly = OpensReadOnly(tokens) };
            case "commit" or "end" or "abort":
                return new Translation(statement.Text, Classify(statement), label);
            case "rollback" when !(tokens.Count > 1 && tokens[1].IsWord("to")):
                return new Translation(statement.Text, StatementClass.End, label);
            default:
                return null;
        }
    }

    private static bool ChainsTransaction(IReadOnlyList<SqlToken> tokens)
    {
        for (var k = 1; k + 1 < tokens.Count; k++)
            if (tokens[k].IsWord("and") && tokens[k + 1].IsWord("chain")) return true;
        return false;
    }

    private static bool OpensReadOnly(IReadOnlyList<SqlToken> tokens)
    {
        for (var k = 1; k + 1 < tokens.Count; k++)
            if (tokens[k].IsWord("read") && tokens[k + 1].IsWord("only")) return true;
        return false;
    }

    private static Translation TranslateCore(ScannedStatement statement, string database, string label)
    {
        var c = new TokenCursor(statement);
        if (c.Words("create", "cluster", "replica")) return ClusterStatements.CreateReplica(c);
        if (c.Words("create", "cluster")) return ClusterStatements.Create(c);
        if (c.Words("drop", "cluster", "replica")) return ClusterStatements.DropReplica(c);
        if (c.Words("drop", "cluster")) return ClusterStatements.Drop(c);
        if (c.Words("alter", "cluster") && !(c.Current?.IsWord("replica") ?? false)) return ClusterStatements.Alter(c);
        if (c.Words("show", "create", "cluster")) return ClusterStatements.ShowCreate(c);
        if (c.Words("show", "clusters")) return Read(ClusterStatements.ShowClusters, "SHOW CLUSTERS");
        if (c.Words("create", "database")) return NamespaceStatements.CreateDatabase(c);
        if (c.Words("drop", "database")) return NamespaceStatements.DropDatabase(c);
        if (c.Words("alter", "database")) return NamespaceStatements.AlterDatabase(c);
        if (c.Words("create", "schema")) return NamespaceStatements.CreateSchema(c, database);
        if (c.Words("drop", "schema")) return NamespaceStatements.DropSchema(c, database);
        if (c.Words("alter", "schema")) return NamespaceStatements.AlterSchema(c, database);
        if (c.Words("show", "databases")) return Read(NamespaceStatements.ShowDatabases, "SHOW DATABASES");
        if (c.Words("show", "schemas")) return NamespaceStatements.ShowSchemas(c, database);
        if (c.Words("alter", "system")) return AlterSystem(c);
        if (RoleStatements.Translate(statement, label) is { } role) return role;
        if (SecretStatements.Translate(statement, database) is { } secret) return secret;
        if (NetworkPolicyStatements.Translate(statement) is { } policy) return policy;
        c.Index = 0;
        if (c.Words("show") && NamespaceStatements.ShowObjects(c, database) is { } shown) return shown;
        c.Index = 0;
        if (c.Words("set") || c.Words("reset") || c.Words("show"))
        {
            var variable = SessionVariable(statement, database);
            if (variable != null) return variable;
        }
        c.Index = 0;
        if (c.Words("declare") && SubscribeStatements.Declare(statement, database) is { } subscription) return subscription;
        if (SubscribeStatements.Fetch(statement) is { } fetch) return fetch;
        c.Index = 0;
        if (ObjectStatements.Translate(statement, database, label) is { } item) return item;
        c.Index = 0;
        if (c.Words("discard", "all")) return new Translation(statement.Text, StatementClass.Session, "DISCARD") { ResetsSession = true };
        foreach (var words in Unsupported)
        {
            c.Index = 0;
            if (c.Words(words)) throw new NotSupportedStatementException(string.Join(' ', words).ToUpperInvariant());
        }
        return new Translation(statement.Text, Classify(statement), label);
    }

    /// <summary>SET/RESET/SHOW of the variables the emulator keeps itself; null for PostgreSQL's own.</summary>
    private static Translation? SessionVariable(ScannedStatement statement, string database)
    {
        var c = new TokenCursor(statement);
        if (c.Words("show"))
        {
            if (c.Current is not { IsIdentifier: true } t || c.PeekAt(1) != null) return null;
            var name = t.Value;
            if (!EmulatedShowVariables.Contains(name)) return null;
            return Read($"SELECT mz_catalog.current_setting({SqlText.Literal(name)}) AS {SqlText.Identifier(name)}", "SHOW");
        }
        if (c.Words("reset"))
        {
            if (c.Current is not { IsIdentifier: true } r || c.PeekAt(1) != null) return null;
            if (SessionVariables.Contains(r.Value))
                return new Translation($"RESET mz.{r.Value}", StatementClass.Session, "RESET", "RESET", (r.Value, null));
            if (r.Value == "database")
                return new Translation("CALL mz_emulator.reset_database()", StatementClass.Session, "RESET", "RESET", ("database", null));
            if (r.Value == "enable_session_rbac_checks")
                return new Translation("CALL mz_emulator.set_session_rbac_checks(NULL, false)", StatementClass.Session, "RESET", "RESET");
            if (r.Value == "all")
                return new Translation(statement.Text, StatementClass.Session, "RESET") { ResetsSession = true };
            return null;
        }
        c.Index = 1;
        var local = c.Words("local");
        if (!local) c.Words("session");
        if (c.Current is not { IsIdentifier: true } v) return null;
        var variable = v.Value;
        if (variable == "search_path")
        {
            c.Index++;
            if (!c.Symbol("=") && !c.Words("to")) return null;
            var schemas = new List<string>();
            if (!c.Words("default"))
            {
                do
                {
                    var schema = c.Current ?? throw c.Error("expected a schema name");
                    if (schema.Kind is not (TokenKind.Word or TokenKind.QuotedIdentifier or TokenKind.String)) throw c.Error("expected a schema name");
                    schemas.Add(schema.Value);
                    c.Index++;
                } while (c.Symbol(","));
            }
            ClusterStatements.EnsureEnd(c);
            var list = schemas.Count == 0 ? "public" : string.Join(", ", schemas);
            return new Translation($"CALL mz_emulator.set_search_path({SqlText.Literal(list)}, {SqlText.Bool(local)})",
                StatementClass.Session, "SET", "SET", ("search_path", list));
        }
        if (variable == "enable_session_rbac_checks")
        {
            c.Index++;
            if (!c.Symbol("=") && !c.Words("to")) return null;
            var setting = c.Current ?? throw c.Error("expected a value");
            c.Index++;
            ClusterStatements.EnsureEnd(c);
            var text = setting.IsWord("default") ? null : setting.Value;
            if (text != null && !bool.TryParse(text is "on" ? "true" : text is "off" ? "false" : text, out _))
                throw new SqlParseException($"parameter \"enable_session_rbac_checks\" requires a boolean value");
            return new Translation($"CALL mz_emulator.set_session_rbac_checks({SqlText.Literal(text)}, {SqlText.Bool(local)})",
                StatementClass.Session, "SET", "SET");
        }
        if (!SessionVariables.Contains(variable) && variable != "database") return null;
        c.Index++;
        if (!c.Symbol("=") && !c.Words("to")) return null;
        if (c.Words("default") && c.AtEnd)
            return variable == "database"
                ? new Translation("CALL mz_emulator.reset_database()", StatementClass.Session, "SET", "SET", ("database", null))
                : new Translation($"RESET mz.{variable}", StatementClass.Session, "SET", "SET", (variable, null));
        var value = c.Current ?? throw c.Error("expected a value");
        c.Index++;
        ClusterStatements.EnsureEnd(c);
        if (variable == "database") return NamespaceStatements.SetDatabase(value.Value);
        return new Translation(
            $"SET {(local ? "LOCAL " : "")}mz.{variable} = {SqlText.Literal(value.Value)}",
            StatementClass.Session, "SET", "SET", (variable, value.Value));
    }

    private static Translation AlterSystem(TokenCursor c)
    {
        if (c.Words("reset"))
        {
            var name = c.Identifier();
            ClusterStatements.EnsureEnd(c);
            return new Translation($"CALL mz_emulator.alter_system_set({SqlText.Literal(name)}, NULL)",
                StatementClass.Single, "ALTER SYSTEM", "ALTER SYSTEM");
        }
        c.ExpectWords("set");
        var variable = c.Identifier();
        if (!c.Symbol("=")) c.ExpectWords("to");
        var value = c.Current ?? throw c.Error("expected a value");
        c.Index++;
        ClusterStatements.EnsureEnd(c);
        var text = value.IsWord("default") ? null : value.Value;
        return new Translation($"CALL mz_emulator.alter_system_set({SqlText.Literal(variable)}, {SqlText.Literal(text)})",
            StatementClass.Single, "ALTER SYSTEM", "ALTER SYSTEM");
    }

    private static Translation Read(string sql, string label) => new(sql, StatementClass.Read, label);

    /// <summary>The class of a statement PostgreSQL runs as written.</summary>
    public static StatementClass Classify(ScannedStatement statement)
    {
        var tokens = statement.Tokens;
        if (tokens.Count == 0) return StatementClass.Session;
        var first = tokens[0].Value;
        switch (first)
        {
            case "begin" or "start": return StatementClass.Begin;
            case "commit" or "end" or "rollback" or "abort": return StatementClass.End;
            case "select" or "with" or "values" or "table" or "show" or "explain" or "fetch" or "declare" or "close" or "move":
                return StatementClass.Read;
            case "insert": return StatementClass.Insert;
            case "set" or "reset" or "discard" or "deallocate" or "prepare" or "execute" or "unlisten":
                return StatementClass.Session;
            case "alter":
                // ALTER <object> name RENAME TO new (not RENAME COLUMN/CONSTRAINT).
                for (var k = 1; k + 1 < tokens.Count; k++)
                {
                    if (tokens[k].IsWord("rename") && tokens[k + 1].IsWord("to")) return StatementClass.SwapOrRename;
                    if (tokens[k].IsWord("swap") && tokens[k + 1].IsWord("with")) return StatementClass.SwapOrRename;
                }
                return StatementClass.Single;
            default: return StatementClass.Single;
        }
    }

    /// <summary>Materialize's name for a statement: its leading keywords (<c>CREATE TABLE</c>).</summary>
    public static string Label(ScannedStatement statement)
    {
        var tokens = statement.Tokens;
        if (tokens.Count == 0) return "EMPTY";
        var words = new List<string> { tokens[0].Value.ToUpperInvariant() };
        if (tokens[0].Value is "create" or "drop" or "alter")
        {
            for (var k = 1; k < tokens.Count && tokens[k].Kind == TokenKind.Word; k++)
            {
                var w = tokens[k].Value;
                if (w is "or" or "replace" or "temporary" or "temp" or "if" or "not" or "exists" or "unique") continue;
                if (w is not ("materialized" or "view" or "table" or "cluster" or "replica" or "schema" or "database"
                    or "index" or "source" or "sink" or "connection" or "secret" or "role" or "type" or "default"
                    or "function" or "system" or "sequence" or "user" or "network" or "policy")) break;
                words.Add(w.ToUpperInvariant());
                if (w is "view" or "table" or "schema" or "database" or "index" or "source" or "sink" or "connection"
                    or "secret" or "role" or "type" or "function" or "system" or "sequence" or "user") break;
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
    public static string RewriteNiladicCalls(ScannedStatement statement)
    {
        var tokens = statement.Tokens;
        StringBuilder? text = null;
        var copied = 0;
        for (var k = 0; k < tokens.Count; k++)
        {
            if (tokens[k].Kind != TokenKind.Word || tokens[k].Value is not ("current_user" or "current_role" or "session_user" or "current_schema")
                || (k > 0 && tokens[k - 1].IsSymbol(".")))
                continue;
            var parenthesised = k + 2 < tokens.Count && tokens[k + 1].IsSymbol("(") && tokens[k + 2].IsSymbol(")");
            if (tokens[k].Value == "current_schema")
            {
                // Bare current_schema is PostgreSQL's keyword and would answer the internal "materialize.public";
                // with parentheses the search path already finds mz_catalog.current_schema() (Bootstrap/65-definitions.sql).
                if (k + 1 < tokens.Count && tokens[k + 1].IsSymbol("(")) continue;
                text ??= new StringBuilder();
                text.Append(statement.Text, copied, tokens[k].Start - copied);
                text.Append("mz_catalog.current_schema()");
                copied = tokens[k].End;
                continue;
            }
            if (tokens[k].Value == "session_user" && !parenthesised) continue;
            text ??= new StringBuilder();
            text.Append(statement.Text, copied, tokens[k].Start - copied);
            var roleName = k > 0 && tokens[k - 1].Kind == TokenKind.Word && tokens[k - 1].Value is "to" or "authorization" or "by" or "role" or "user";
            text.Append(tokens[k].Value == "session_user" || roleName ? "session_user" : $"\"{tokens[k].Value}\"()");
            copied = parenthesised ? tokens[k + 2].End : tokens[k].End;
            if (parenthesised) k += 2;
        }
        if (text == null) return statement.Text;
        text.Append(statement.Text, copied, statement.Text.Length - copied);
        return text.ToString();
    }
}
