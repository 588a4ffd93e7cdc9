namespace MzDeploy.Emulator.Statements;

/// <summary>
/// CREATE ROLE / ALTER ROLE / CREATE USER / DROP ROLE where Materialize differs from PostgreSQL: reserved
/// names, attributes Materialize does not have (NOINHERIT, CREATEDB, CREATEROLE, …), and roles that still
/// own objects only the emulator's catalog knows (clusters, databases). Everything else is PostgreSQL's.
/// </summary>
internal static class RoleStatements
{
    private const string RoleDocs = "for more information consult the documentation at https://materialize.com/docs/sql/create-role/#details";

    // PostgreSQL role attributes Materialize replaced by system privileges (GRANT CREATEDB ON SYSTEM …).
    private static readonly HashSet<string> SystemPrivilegeAttributes =
        ["createdb", "nocreatedb", "createrole", "nocreaterole", "createcluster", "nocreatecluster", "replication", "noreplication", "bypassrls", "nobypassrls"];

    /// <summary>The refusal or rewrite of a role statement, or null to let PostgreSQL run it as written.</summary>
    public static Translation? Translate(ScannedStatement statement, string label)
    {
        var c = new TokenCursor(statement);
        if (c.Words("show", "roles")) return ShowRoles(c);
        c.Index = 0;
        if (c.Words("create", "user"))
            return Translation.Refusal("CREATE USER", "0A000", "CREATE USER is not supported, " + RoleDocs);
        c.Index = 0;
        if (c.Words("drop", "role") || Reset(c, "drop", "user")) return Drop(c, statement);
        c.Index = 0;
        var create = c.Words("create", "role");
        if (!create && !Reset(c, "alter", "role")) return null;
        if (c.Current is not { IsIdentifier: true } name) return null;
        if (create && IsReserved(name.Value))
            return Translation.Refusal(label, "42939", $"role name \"{name.Value}\" is reserved");
        for (var k = c.Index + 1; k < statement.Tokens.Count; k++)
        {
            var word = statement.Tokens[k];
            if (word.Kind != TokenKind.Word) continue;
            if (word.Value == "set" || word.Value == "reset") break;  // ALTER ROLE r SET var …: a variable, no attributes
            if (word.Value == "noinherit") return Translation.Refusal(label, "0A000", "non inherit roles not yet supported");
            // Materialize's role options are SUPERUSER, LOGIN, INHERIT and PASSWORD (docs: /sql/alter-role/); no
            // renames, connection limits or password expiry.
            if (!create && word.Value == "rename")
                return Translation.Refusal(label, "0A000", "ALTER ROLE … RENAME TO is not supported, " + RoleDocs.Replace("create-role", "alter-role"));
            if ((word.Value == "connection" && statement.Tokens.ElementAtOrDefault(k + 1)?.IsWord("limit") == true)
                || (word.Value == "valid" && statement.Tokens.ElementAtOrDefault(k + 1)?.IsWord("until") == true))
                return Translation.Refusal(label, "42601",
                    $"{word.Value.ToUpperInvariant()} {statement.Tokens[k + 1].Value.ToUpperInvariant()} attribute is not supported, " + RoleDocs);
            if (SystemPrivilegeAttributes.Contains(word.Value))
                return Translation.Refusal(label, "42601", $"{word.Value.ToUpperInvariant()} attribute is not supported, " + RoleDocs);
        }
        return null;
    }

    /// <summary>SHOW ROLES [LIKE 'pattern' | WHERE condition] (docs: /sql/show-roles/): the user roles, by name.</summary>
    private static Translation ShowRoles(TokenCursor c)
    {
        var filter = "";
        if (c.Words("like"))
        {
            if (c.Current is not { Kind: TokenKind.String } pattern) throw c.Error("expected a pattern");
            c.Index++;
            filter = $" WHERE name LIKE {SqlText.Literal(pattern.Value)}";
        }
        else if (c.Current?.IsWord("where") == true)
        {
            filter = " " + c.Statement.Text[c.Current.Start..];
            c.Index = c.Statement.Tokens.Count;
        }
        ClusterStatements.EnsureEnd(c);
        return new Translation(
            $"SELECT name FROM (SELECT r.name FROM mz_catalog.mz_roles r WHERE r.id LIKE 'u%') AS roles{filter} ORDER BY name",
            StatementClass.Read, "SHOW ROLES");
    }

    /// <summary>Materialize reserves the prefixes mz_, pg_ and external_ (and the name PUBLIC) for itself.</summary>
    public static bool IsReserved(string name) =>
        name.StartsWith("mz_", StringComparison.Ordinal) || name.StartsWith("pg_", StringComparison.Ordinal)
        || name.StartsWith("external_", StringComparison.Ordinal) || name == "public";

    private static bool Reset(TokenCursor c, params string[] words)
    {
        c.Index = 0;
        return c.Words(words);
    }

    /// <summary>
    /// DROP ROLE: first the emulator's own catalog (a role owning a cluster or database cannot go, as in
    /// Materialize), then PostgreSQL's DROP ROLE as written, in one DO block so both run or neither.
    /// </summary>
    private static Translation Drop(TokenCursor c, ScannedStatement statement)
    {
        c.Words("if", "exists");
        var names = new List<string>();
        while (c.Current is { IsIdentifier: true } t)
        {
            names.Add(t.Value);
            c.Index++;
            if (!c.Symbol(",")) break;
        }
        var sql = ClusterStatements.Block(
            [$"PERFORM mz_emulator.check_role_drop({SqlText.TextArray(names)})", statement.Text]);
        return new Translation(sql, StatementClass.Single, "DROP ROLE", "DROP ROLE");
    }
}
