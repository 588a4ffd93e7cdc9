using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// Session and system variables Materialize has and PostgreSQL does not (<c>cluster</c>, <c>database</c>, its
/// <c>search_path</c> of Materialize schemas, RBAC switches): SET, RESET and SHOW of them, ALTER SYSTEM, and
/// DISCARD ALL. Variables PostgreSQL knows are left to PostgreSQL (the handlers answer null).
/// </summary>
internal static class SessionStatements
{
    // Materialize session variables that PostgreSQL does not know; they live in custom GUCs mz.<name>.
    private static readonly HashSet<string> SessionVariables = ["cluster", "cluster_replica"];

    // Variables SHOW answers through mz_catalog.current_setting (system settings, version numbers).
    private static readonly HashSet<string> EmulatedShowVariables =
        ["enable_rbac_checks", "enable_session_rbac_checks", "server_version", "server_version_num", "mz_version", "database", "cluster", "cluster_replica", "search_path"];

    /// <summary>SHOW of a variable the emulator keeps itself (cursor after SHOW); null for PostgreSQL's own.</summary>
    public static Translation? Show(TokenCursor c)
    {
        if (c.Current is not { IsWord: true } t || !c.PeekAt(1).IsEnd)
            return null;
        var name = t.Value;
        if (!EmulatedShowVariables.Contains(name))
            return null;
        return new Translation($"SELECT mz_catalog.current_setting({SqlText.Literal(name)}) AS {SqlText.Identifier(name)}", StatementClass.Read, "SHOW");
    }

    /// <summary>RESET of a variable the emulator keeps itself, or RESET ALL (cursor after RESET); null for PostgreSQL's own.</summary>
    public static Translation? Reset(TokenCursor c)
    {
        if (c.Current is not { IsWord: true } r || !c.PeekAt(1).IsEnd)
            return null;
        if (SessionVariables.Contains(r.Value))
            return new Translation($"RESET mz.{r.Value}", StatementClass.Session, "RESET", "RESET", (r.Value, null));
        if (r.Value == "database")
            return new Translation("CALL mz_emulator.reset_database()", StatementClass.Session, "RESET", "RESET", ("database", null));
        if (r.Value == "enable_session_rbac_checks")
            return new Translation("CALL mz_emulator.set_session_rbac_checks(NULL, false)", StatementClass.Session, "RESET", "RESET");
        if (r.Value == "all")
            return new Translation(c.Statement.Text, StatementClass.Session, "RESET") { ResetsSession = true };
        return null;
    }

    /// <summary>SET [LOCAL | SESSION] of a variable the emulator keeps itself (cursor after SET); null for PostgreSQL's own.</summary>
    public static Translation? Set(TokenCursor c)
    {
        var local = c.Words("local");
        if (!local)
            c.Words("session");
        if (c.Current is not { IsWord: true } v)
            return null;
        var variable = v.Value;
        if (variable == "search_path")
        {
            c.Index++;
            if (!c.Symbol("=") && !c.Words("to"))
                return null;
            var schemas = new List<string>();
            if (!c.Words("default"))
            {
                do
                {
                    var schema = c.AtEnd ? throw c.Error("expected a schema name") : c.Current;
                    if (schema.Kind is not (TokenKind.Identifier or TokenKind.QuotedIdentifier or TokenKind.String))
                        throw c.Error("expected a schema name");
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
            if (!c.Symbol("=") && !c.Words("to"))
                return null;
            var setting = c.AtEnd ? throw c.Error("expected a value") : c.Current;
            c.Index++;
            ClusterStatements.EnsureEnd(c);
            var text = setting.IsKeyword("default") ? null : setting.Value;
            if (text != null && !bool.TryParse(text is "on" ? "true" : text is "off" ? "false" : text, out _))
                throw TokenCursor.SyntaxError($"parameter \"enable_session_rbac_checks\" requires a boolean value");
            return new Translation($"CALL mz_emulator.set_session_rbac_checks({SqlText.Literal(text)}, {SqlText.Bool(local)})",
                StatementClass.Session, "SET", "SET");
        }
        if (!SessionVariables.Contains(variable) && variable != "database")
            return null;
        c.Index++;
        if (!c.Symbol("=") && !c.Words("to"))
            return null;
        if (c.Words("default") && c.AtEnd)
            return variable == "database"
                ? new Translation("CALL mz_emulator.reset_database()", StatementClass.Session, "SET", "SET", ("database", null))
                : new Translation($"RESET mz.{variable}", StatementClass.Session, "SET", "SET", (variable, null));
        var value = c.AtEnd ? throw c.Error("expected a value") : c.Current;
        c.Index++;
        ClusterStatements.EnsureEnd(c);
        if (variable == "database")
            return NamespaceStatements.SetDatabase(value.Value);
        return new Translation(
            $"SET {(local ? "LOCAL " : "")}mz.{variable} = {SqlText.Literal(value.Value)}",
            StatementClass.Session, "SET", "SET", (variable, value.Value));
    }

    /// <summary>ALTER SYSTEM SET name = value | TO value | ALTER SYSTEM RESET name (cursor after ALTER SYSTEM).</summary>
    public static Translation AlterSystem(TokenCursor c)
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
        if (!c.Symbol("="))
            c.ExpectWords("to");
        var value = c.AtEnd ? throw c.Error("expected a value") : c.Current;
        c.Index++;
        ClusterStatements.EnsureEnd(c);
        var text = value.IsKeyword("default") ? null : value.Value;
        return new Translation($"CALL mz_emulator.alter_system_set({SqlText.Literal(variable)}, {SqlText.Literal(text)})",
            StatementClass.Single, "ALTER SYSTEM", "ALTER SYSTEM");
    }

    /// <summary>DISCARD ALL: every variable returns to its connection-time value.</summary>
    public static Translation DiscardAll(TokenCursor c) =>
        new(c.Statement.Text, StatementClass.Session, "DISCARD") { ResetsSession = true };
}
