using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// Connection options (docs: /sql/create-connection/, /sql/alter-connection/): CREATE CONNECTION records its
/// type and options so that ALTER CONNECTION … SET (opt = v) / RESET (opt) / DROP (opt) can change them and
/// mz_connections.create_sql shows the result; ROTATE KEYS turns an SSH tunnel's key pairs.
/// </summary>
internal static class ConnectionStatements
{
    // Option names of several words: written without '=' (`SASL PASSWORD SECRET pw`) the name is the longest
    // of these the option starts with. Longest first.
    private static readonly string[][] MultiWordNames =
    [
        ["progress", "topic", "replication", "factor"], ["ssl", "certificate", "authority"], ["assume", "role", "session", "name"],
        ["assume", "role", "arn"], ["access", "key", "id"], ["secret", "access", "key"], ["security", "protocol"],
        ["sasl", "mechanisms"], ["sasl", "username"], ["sasl", "password"], ["ssl", "certificate"], ["ssl", "key"],
        ["ssl", "mode"], ["ssh", "tunnel"], ["aws", "privatelink"], ["aws", "connection"], ["progress", "topic"],
        ["session", "token"], ["service", "name"], ["availability", "zones"],
    ];

    // Options whose value names another connection (a dependency, like SECRET x in a value).
    private static readonly HashSet<string> ConnectionValued = ["SSH TUNNEL", "AWS CONNECTION", "AWS PRIVATELINK"];

    private sealed record Option(string Name, string Value, List<string>? Reference);

    /// <summary>CREATE CONNECTION's translation followed by the call that records the connection's type and options.</summary>
    public static Translation WithOptions(Translation create, LexedStatement statement, string? pgSchema, string name)
    {
        var read = ReadCreate(statement);
        if (read == null)
            return create;
        var (type, options) = read.Value;
        var record = "CALL mz_emulator.set_connection_options(" + string.Join(", ",
            SqlText.Literal(pgSchema), SqlText.Literal(name), SqlText.Literal(type),
            SqlText.TextArray(options.Select(o => o.Name).ToList()), SqlText.TextArray(options.Select(o => o.Value).ToList())) + ")";
        return create with { Sql = ClusterStatements.Block([create.Sql, record]) };
    }

    // CREATE CONNECTION [IF NOT EXISTS] name TO|FOR <type words> (options) [WITH (…)]; null if it reads otherwise.
    private static (string Type, List<Option> Options)? ReadCreate(LexedStatement statement)
    {
        try
        {
            var c = new TokenCursor(statement);
            c.ExpectWords("create", "connection");
            c.Words("if", "not", "exists");
            c.Name();
            if (!c.Words("to"))
                c.ExpectWords("for");
            var type = new List<string>();
            while (c.Current is { Kind: TokenKind.Identifier } w)
            { type.Add(w.Value.ToUpperInvariant()); c.Index++; }
            var options = c.Current.IsSymbol("(") ? ReadOptions(c) : [];
            return (string.Join(' ', type), options);
        }
        catch (Exception e) when (TokenCursor.IsSyntaxError(e))
        {
            return null;
        }
    }

    /// <summary>
    /// ALTER CONNECTION [IF EXISTS] name SET (…) | RESET (…) | DROP (…) | ROTATE KEYS [WITH (VALIDATE = b)] (cursor after
    /// ALTER CONNECTION); null for RENAME TO and OWNER TO, which are read with other items' renames and owners.
    /// </summary>
    public static Translation? Alter(TokenCursor c, string database)
    {
        if (HasWords(c.Statement, "rename", "to") || HasWords(c.Statement, "owner", "to"))
            return null;
        var mapper = new NameMapper(database);
        var ifExists = c.Words("if", "exists");
        var parts = c.Name();
        string action;
        var options = new List<Option>();
        if (c.Words("rotate", "keys"))
        {
            action = "rotate";
        }
        else if (c.Words("set"))
        {
            action = "set";
            options = ReadOptions(c);
        }
        else if (c.Words("reset") || c.Words("drop"))
        {
            action = "reset";
            c.Expect("(");
            do
            {
                var words = new List<string>();
                while (c.Current is { Kind: TokenKind.Identifier } w)
                { words.Add(w.Value.ToUpperInvariant()); c.Index++; }
                if (words.Count == 0)
                    throw c.Error("expected an option name");
                options.Add(new Option(string.Join(' ', words), "", null));
            } while (c.Symbol(","));
            c.Expect(")");
        }
        else
        {
            throw c.Error("expected SET, RESET, DROP or ROTATE KEYS");
        }
        // WITH (VALIDATE = …): the emulator reaches no external system, so there is nothing to validate.
        if (action != "rotate" && c.Words("with"))
        {
            c.Expect("(");
            c.ExpectWords("validate");
            if (c.Symbol("=") || c.Current is { Kind: TokenKind.Identifier })
                c.OptionValue();
            c.Expect(")");
        }
        ClusterStatements.EnsureEnd(c);
        var references = options.Where(o => o.Reference != null).Select(o => o.Reference!).ToList();
        var sql = "CALL mz_emulator.alter_connection(" + string.Join(", ",
            SqlText.Literal(mapper.PgSchemaOf(parts)), SqlText.Literal(parts[^1]), SqlText.Bool(ifExists), SqlText.Literal(action),
            SqlText.TextArray(options.Select(o => o.Name).ToList()), SqlText.TextArray(options.Select(o => o.Value).ToList()),
            "ARRAY[" + string.Join(", ", references.Select(r => SqlText.Literal(mapper.PgSchemaOf(r)))) + "]::text[]",
            SqlText.TextArray(references.Select(r => r[^1]).ToList())) + ")";
        return new Translation(sql, StatementClass.Single, "ALTER CONNECTION", "ALTER CONNECTION");
    }

    /// <summary>VALIDATE CONNECTION name (cursor after VALIDATE CONNECTION).</summary>
    public static Translation Validate(TokenCursor c, string database)
    {
        var mapper = new NameMapper(database);
        var parts = c.Name();
        ClusterStatements.EnsureEnd(c);
        return new Translation(
            $"CALL mz_emulator.validate_connection({SqlText.Literal(mapper.PgSchemaOf(parts))}, {SqlText.Literal(parts[^1])})",
            StatementClass.Single, "VALIDATE CONNECTION", "VALIDATE CONNECTION");
    }

    private static bool HasWords(LexedStatement statement, string first, string second) =>
        statement.Tokens.Zip(statement.Tokens.Skip(1)).Any(p => p.First.IsKeyword(first) && p.Second.IsKeyword(second));

    // ( name [=] value, … ): names upper case, values as written.
    private static List<Option> ReadOptions(TokenCursor c)
    {
        var options = new List<Option>();
        c.Expect("(");
        if (c.Symbol(")"))
            return options;
        do
            options.Add(ReadOption(c));
        while (c.Symbol(","));
        c.Expect(")");
        return options;
    }

    private static Option ReadOption(TokenCursor c)
    {
        var tokens = c.Statement.Tokens;
        var start = c.Index;
        var equals = -1;
        for (var k = start; k < tokens.Count && !tokens[k].IsSymbol(",") && !tokens[k].IsSymbol(")") && !tokens[k].IsSymbol("("); k++)
        {
            if (tokens[k].IsSymbol("="))
            { equals = k; break; }
        }
        var nameLength = equals >= 0 ? equals - start : KnownNameLength(tokens, start);
        if (nameLength <= 0)
            throw c.Error("expected an option name");
        var name = string.Join(' ', Enumerable.Range(start, nameLength).Select(k => tokens[k].Value.ToUpperInvariant()));
        c.Index = start + nameLength;
        c.Symbol("=");
        var valueStart = c.Index;
        var (value, _) = c.OptionValue();
        List<string>? reference = null;
        var probe = new TokenCursor(c.Statement) { Index = valueStart };
        if (probe.Words("secret") && probe.Current is { IsWord: true })
            reference = probe.Name();
        else if (ConnectionValued.Contains(name) && probe.Current is { IsWord: true })
            reference = probe.Name();
        return new Option(name, value, reference);
    }

    private static int KnownNameLength(IReadOnlyList<Token> tokens, int start)
    {
        foreach (var words in MultiWordNames)
        {
            if (start + words.Length > tokens.Count)
                continue;
            if (words.Select((w, k) => tokens[start + k].IsKeyword(w)).All(x => x))
                return words.Length;
        }
        return start < tokens.Count && tokens[start].Kind == TokenKind.Identifier ? 1 : 0;
    }
}
