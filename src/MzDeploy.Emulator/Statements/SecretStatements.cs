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
    public static string Redact(ScannedStatement statement)
    {
        var valueStart = SecretValueStart(statement);
        if (valueStart >= 0) return statement.Text[..valueStart] + " " + Mask;
        var tokens = statement.Tokens;
        if (tokens.Count < 4 || !(tokens[0].IsWord("create") || tokens[0].IsWord("alter")) || !(tokens[1].IsWord("role") || tokens[1].IsWord("user")))
            return statement.Text;
        for (var k = 2; k + 1 < tokens.Count; k++)
        {
            if (tokens[k].IsWord("password") && tokens[k + 1].Kind == TokenKind.String)
                return statement.Text[..tokens[k + 1].Start] + Mask + statement.Text[tokens[k + 1].End..];
        }
        return statement.Text;
    }

    /// <summary>Where the value of CREATE SECRET / ALTER SECRET … AS begins (just after AS), or -1.</summary>
    private static int SecretValueStart(ScannedStatement statement)
    {
        var tokens = statement.Tokens;
        if (tokens.Count < 3 || !(tokens[0].IsWord("create") || tokens[0].IsWord("alter")) || !tokens[1].IsWord("secret")) return -1;
        for (var k = 2; k < tokens.Count; k++)
        {
            if (tokens[k].IsWord("as")) return tokens[k].End;
            if (tokens[k].IsWord("rename") || tokens[k].IsWord("owner")) return -1;
        }
        return -1;
    }

    /// <summary>CREATE SECRET [IF NOT EXISTS] name AS value, or null when the statement is another one.</summary>
    public static Translation? Translate(ScannedStatement statement, string database)
    {
        var c = new TokenCursor(statement);
        var mapper = new NameMapper(database);
        if (c.Words("create", "secret")) return Create(c, mapper);
        c.Index = 0;
        if (c.Words("alter", "secret") && SecretValueStart(statement) >= 0) return Alter(c, mapper);
        c.Index = 0;
        if (c.Words("alter", "connection") && !HasWords(statement, "rename", "to") && !HasWords(statement, "owner", "to"))
            return ConnectionStatements.Alter(c, mapper);
        c.Index = 0;
        if (c.Words("validate", "connection"))
        {
            var parts = c.Name();
            ClusterStatements.EnsureEnd(c);
            return new Translation(
                $"CALL mz_emulator.validate_connection({SqlText.Literal(mapper.PgSchemaOf(parts))}, {SqlText.Literal(parts[^1])})",
                StatementClass.Single, "VALIDATE CONNECTION", "VALIDATE CONNECTION");
        }
        return null;
    }

    private static Translation Create(TokenCursor c, NameMapper mapper)
    {
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

    private static Translation Alter(TokenCursor c, NameMapper mapper)
    {
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
        if (c.AtEnd) throw c.Error("expected a secret value");
        var value = c.Statement.Text[c.Current!.Start..];
        c.Index = c.Statement.Tokens.Count;
        return value;
    }

    private static bool HasWords(ScannedStatement statement, string first, string second) =>
        statement.Tokens.Zip(statement.Tokens.Skip(1)).Any(p => p.First.IsWord(first) && p.Second.IsWord(second));
}
