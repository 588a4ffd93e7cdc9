using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// CREATE SECRET, ALTER SECRET … AS, ALTER CONNECTION … SET | RESET | DROP | ROTATE KEYS and VALIDATE CONNECTION
/// (docs: /sql/create-secret/, /sql/alter-secret/, /sql/alter-connection/, /sql/validate-connection/). A secret's
/// value is evaluated by PostgreSQL as a CALL argument (so it may not read relations, as in Materialize) and kept
/// only as a digest; catalog text, SHOW output and the statement log show <c>'********'</c> in its place.
/// </summary>
internal static class SecretStatements
{
    /// <summary>What the emulator shows instead of a secret's value.</summary>
    public const string Mask = "'********'";

    /// <summary>
    /// The statement's text for logs: a secret's value after AS, and a role's PASSWORD, replaced by <see cref="Mask"/>.
    /// </summary>
    public static string Redact(LexedStatement statement)
    {
        var valueStart = SecretValueStart(statement);
        if (valueStart >= 0)
            return statement.Text[..valueStart] + " " + Mask;
        var tokens = statement.Tokens;
        if (tokens.Count < 4 || !(tokens[0].IsKeyword("create") || tokens[0].IsKeyword("alter")) || !(tokens[1].IsKeyword("role") || tokens[1].IsKeyword("user")))
            return statement.Text;
        for (var k = 2; k + 1 < tokens.Count; k++)
        {
            if (tokens[k].IsKeyword("password") && tokens[k + 1].Kind == TokenKind.String)
                return statement.Text[..tokens[k + 1].Span.Start] + Mask + statement.Text[tokens[k + 1].Span.End..];
        }
        return statement.Text;
    }

    /// <summary>Where the value of CREATE SECRET / ALTER SECRET … AS begins (just after AS), or -1.</summary>
    private static int SecretValueStart(LexedStatement statement)
    {
        var tokens = statement.Tokens;
        if (tokens.Count < 3 || !(tokens[0].IsKeyword("create") || tokens[0].IsKeyword("alter")) || !tokens[1].IsKeyword("secret"))
            return -1;
        for (var k = 2; k < tokens.Count; k++)
        {
            if (tokens[k].IsKeyword("as"))
                return tokens[k].Span.End;
            if (tokens[k].IsKeyword("rename") || tokens[k].IsKeyword("owner"))
                return -1;
        }
        return -1;
    }

    /// <summary>CREATE SECRET [IF NOT EXISTS] name AS value (cursor after CREATE SECRET).</summary>
    public static Translation Create(TokenCursor c, string database)
    {
        var mapper = new NameMapper(database);
        var ifNotExists = c.Words("if", "not", "exists");
        var parts = c.Name();
        c.ExpectWords("as");
        var value = ValueExpression(c);
        var masked = Redact(c.Statement);
        var sql = "CALL mz_emulator.create_secret(" + string.Join(", ",
            SqlText.Literal(mapper.PgSchemaOf(parts)), SqlText.Literal(parts[^1]), SqlText.Bool(ifNotExists),
            SqlText.Literal(masked), $"({value})::bytea") + ")";
        return new Translation(sql, StatementClass.Single, "CREATE SECRET", "CREATE SECRET");
    }

    /// <summary>ALTER SECRET [IF EXISTS] name AS value (cursor after ALTER SECRET); null for a rename or an owner change.</summary>
    public static Translation? Alter(TokenCursor c, string database)
    {
        if (SecretValueStart(c.Statement) < 0)
            return null;
        var mapper = new NameMapper(database);
        var ifExists = c.Words("if", "exists");
        var parts = c.Name();
        c.ExpectWords("as");
        var value = ValueExpression(c);
        var sql = "CALL mz_emulator.alter_secret(" + string.Join(", ",
            SqlText.Literal(mapper.PgSchemaOf(parts)), SqlText.Literal(parts[^1]), SqlText.Bool(ifExists), $"({value})::bytea") + ")";
        return new Translation(sql, StatementClass.Single, "ALTER SECRET", "ALTER SECRET");
    }

    // The value expression after AS, to the end of the statement, as written (PostgreSQL evaluates it).
    private static string ValueExpression(TokenCursor c)
    {
        if (c.AtEnd)
            throw c.Error("expected a secret value");
        var value = c.Statement.Text[c.Current!.Span.Start..];
        c.Index = c.Statement.Tokens.Count;
        return value;
    }
}
