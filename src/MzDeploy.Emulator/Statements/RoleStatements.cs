using MzDeploy.Engine.Sql;

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

    /// <summary>CREATE USER: Materialize has roles only.</summary>
    public static Translation CreateUser() =>
        Translation.Refusal("CREATE USER", "0A000", "CREATE USER is not supported, " + RoleDocs);

    /// <summary>
    /// CREATE ROLE | ALTER ROLE (cursor after the keywords): the refusal of what Materialize refuses, or null to let
    /// PostgreSQL run it as written.
    /// </summary>
    public static Translation? CreateOrAlter(TokenCursor c, string label, bool create)
    {
        var statement = c.Statement;
        if (c.Current is not { IsWord: true } name)
            return null;
        if (create && IsReserved(name.Value))
            return Translation.Refusal(label, "42939", $"role name \"{name.Value}\" is reserved");
        for (var k = c.Index + 1; k < statement.Tokens.Count; k++)
        {
            var word = statement.Tokens[k];
            if (word.Kind != TokenKind.Identifier)
                continue;
            if (word.Value == "set" || word.Value == "reset")
                break;  // ALTER ROLE r SET var …: a variable, no attributes
            if (word.Value == "noinherit")
                return Translation.Refusal(label, "0A000", "non inherit roles not yet supported");
            // Materialize's role options are SUPERUSER, LOGIN, INHERIT and PASSWORD (docs: /sql/alter-role/); no
            // renames, connection limits or password expiry.
            if (!create && word.Value == "rename")
                return Translation.Refusal(label, "0A000", "ALTER ROLE … RENAME TO is not supported, " + RoleDocs.Replace("create-role", "alter-role"));
            if ((word.Value == "connection" && k + 1 < statement.Tokens.Count && statement.Tokens[k + 1].IsKeyword("limit"))
                || (word.Value == "valid" && k + 1 < statement.Tokens.Count && statement.Tokens[k + 1].IsKeyword("until")))
                return Translation.Refusal(label, "42601",
                    $"{word.Value.ToUpperInvariant()} {statement.Tokens[k + 1].Value.ToUpperInvariant()} attribute is not supported, " + RoleDocs);
            if (SystemPrivilegeAttributes.Contains(word.Value))
                return Translation.Refusal(label, "42601", $"{word.Value.ToUpperInvariant()} attribute is not supported, " + RoleDocs);
        }
        return null;
    }

    /// <summary>SHOW ROLES [LIKE 'pattern' | WHERE condition] (docs: /sql/show-roles/): the user roles, by name.</summary>
    public static Translation ShowRoles(TokenCursor c)
    {
        var filter = "";
        if (c.Words("like"))
        {
            if (c.Current is not { Kind: TokenKind.String } pattern)
                throw c.Error("expected a pattern");
            c.Index++;
            filter = $" WHERE name LIKE {SqlText.Literal(pattern.Value)}";
        }
        else if (c.Current.IsKeyword("where"))
        {
            filter = " " + c.Statement.Text[c.Current.Span.Start..];
            c.Index = c.Statement.Tokens.Count;
        }
        ClusterStatements.EnsureEnd(c);
        return new Translation(
            $"SELECT name FROM (SELECT r.name FROM mz_catalog.mz_roles r WHERE r.id LIKE 'u%') AS roles{filter} ORDER BY name",
            StatementClass.Read, "SHOW ROLES");
    }

    // SHOW PRIVILEGES ON <type>: the object types of mz_show_all_privileges each accepted word shows.
    private static readonly Dictionary<string, string[]> PrivilegeObjectTypes = new(StringComparer.Ordinal)
    {
        ["clusters"] = ["cluster"],
        ["cluster"] = ["cluster"],
        ["connections"] = ["connection"],
        ["connection"] = ["connection"],
        ["databases"] = ["database"],
        ["database"] = ["database"],
        ["schemas"] = ["schema"],
        ["schema"] = ["schema"],
        ["secrets"] = ["secret"],
        ["secret"] = ["secret"],
        ["system"] = ["system"],
        // GRANT … ON TABLE covers every relation (docs: /sql/grant-privilege/), so ON TABLES shows them all.
        ["tables"] = ["table", "view", "materialized-view", "source"],
        ["table"] = ["table", "view", "materialized-view", "source"],
        ["types"] = ["type"],
        ["type"] = ["type"],
    };

    /// <summary>
    /// SHOW PRIVILEGES [ON type] [FOR role] (docs: /sql/show-privileges/; cursor after SHOW PRIVILEGES): the rows of
    /// mz_internal.mz_show_all_privileges, with role names; FOR keeps what the role holds itself, through the roles
    /// it is a member of, or as PUBLIC.
    /// </summary>
    public static Translation ShowPrivileges(TokenCursor c)
    {
        var filters = new List<string>();
        if (c.Words("on"))
        {
            var type = c.Current;
            if (type.Kind != TokenKind.Identifier || !PrivilegeObjectTypes.TryGetValue(type.Value, out var objectTypes))
                throw c.Error("expected one of CLUSTERS, CONNECTIONS, DATABASES, SCHEMAS, SECRETS, SYSTEM, TABLES, TYPES");
            c.Index++;
            filters.Add("object_type IN (" + string.Join(", ", objectTypes.Select(SqlText.Literal)) + ")");
        }
        if (c.Words("for"))
            filters.Add($"mz_emulator.privileges_apply_to(grantee, {SqlText.Literal(c.Identifier())})");
        ClusterStatements.EnsureEnd(c);
        var where = filters.Count == 0 ? "" : " WHERE " + string.Join(" AND ", filters);
        return new Translation(
            "SELECT grantor, grantee, database, schema, name, object_type, privilege_type FROM mz_internal.mz_show_all_privileges" +
            where + " ORDER BY grantor, grantee, database NULLS FIRST, schema NULLS FIRST, name NULLS FIRST, object_type, privilege_type",
            StatementClass.Read, "SHOW PRIVILEGES");
    }

    /// <summary>Materialize reserves the prefixes mz_, pg_ and external_ (and the name PUBLIC) for itself.</summary>
    public static bool IsReserved(string name) =>
        name.StartsWith("mz_", StringComparison.Ordinal) || name.StartsWith("pg_", StringComparison.Ordinal)
        || name.StartsWith("external_", StringComparison.Ordinal) || name == "public";

    /// <summary>
    /// DROP ROLE: first the emulator's own catalog (a role owning a cluster or database cannot go, as in
    /// Materialize), then PostgreSQL's DROP ROLE as written, in one DO block so both run or neither (cursor after
    /// DROP ROLE | DROP USER).
    /// </summary>
    public static Translation Drop(TokenCursor c)
    {
        var statement = c.Statement;
        c.Words("if", "exists");
        var names = new List<string>();
        while (c.Current is { IsWord: true } t)
        {
            names.Add(t.Value);
            c.Index++;
            if (!c.Symbol(","))
                break;
        }
        var sql = ClusterStatements.Block(
            [$"PERFORM mz_emulator.check_role_drop({SqlText.TextArray(names)})", statement.Text]);
        return new Translation(sql, StatementClass.Single, "DROP ROLE", "DROP ROLE");
    }
}
