using System.Text.Json.Nodes;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// Cluster DDL: clusters exist only in the emulator's tables, so each statement becomes one CALL of an
/// mz_emulator procedure that runs inside the client's transaction (a SWAP rolls back with it).
/// </summary>
internal static class ClusterStatements
{
    // Option names of more than one word, longest first, for the older syntax without '=' (SIZE 'xsmall',
    // REPLICATION FACTOR 0). With '=' every word before it is the name, so options the emulator does not
    // know (AUTO SCALING STRATEGY, newer ones) keep all their words.
    private static readonly string[][] MultiWordOptions =
    [
        ["auto", "scaling", "strategy"], ["replication", "factor"], ["introspection", "interval"],
        ["introspection", "debugging"], ["availability", "zones"], ["availability", "zone"], ["workload", "class"],
    ];

    /// <summary>CREATE CLUSTER name [ ( ] option [=] value, … [ ) ] (cursor after CREATE CLUSTER).</summary>
    public static Translation Create(TokenCursor c)
    {
        var name = c.Identifier();
        bool? managed = null;
        string? size = null;
        int? replicationFactor = null;
        List<(string Name, string? Size)>? replicas = null;
        var options = new JsonObject();

        var seen = new HashSet<string>();
        var parenthesised = c.Symbol("(");
        while (!c.AtEnd && !c.Current!.IsSymbol(")"))
        {
            var option = OptionName(c, seen);
            if (option == "REPLICAS")
            {
                replicas = Replicas(c);
            }
            else
            {
                var (text, first) = Value(c, option);
                switch (option)
                {
                    case "SIZE":
                        size = Size(text, first);
                        break;
                    case "REPLICATION FACTOR":
                        replicationFactor = Int(text, first, c);
                        break;
                    case "MANAGED":
                        managed = Bool(text, first, c);
                        break;
                    default:
                        options[option] = text;
                        break;
                }
            }
            if (!c.Symbol(","))
                break;
        }
        if (parenthesised)
            c.Expect(")");
        EnsureEnd(c);

        var isManaged = managed ?? replicas == null;
        var sql = "CALL mz_emulator.create_cluster(" + string.Join(", ",
            SqlText.Literal(name), SqlText.Bool(isManaged), SqlText.Literal(size),
            replicationFactor?.ToString() ?? "NULL",
            SqlText.TextArray(replicas?.Select(r => r.Name).ToList()),
            replicas == null ? "NULL::text[]" : "ARRAY[" + string.Join(", ", replicas.Select(r => SqlText.Literal(r.Size))) + "]::text[]",
            SqlText.Literal(options.ToJsonString()) + "::jsonb") + ")";
        return new Translation(sql, StatementClass.Single, "CREATE CLUSTER", "CREATE CLUSTER");
    }

    /// <summary>CREATE CLUSTER REPLICA cluster.replica ( SIZE = … ) (cursor after CREATE CLUSTER REPLICA).</summary>
    public static Translation CreateReplica(TokenCursor c)
    {
        var name = c.Name();
        if (name.Count != 2)
            throw c.Error("expected cluster.replica");
        string? size = null;
        var seen = new HashSet<string>();
        var parenthesised = c.Symbol("(");
        while (!c.AtEnd && !c.Current!.IsSymbol(")"))
        {
            var option = OptionName(c, seen);
            var (text, first) = Value(c, option);
            if (option == "SIZE")
                size = Size(text, first);
            if (!c.Symbol(","))
                break;
        }
        if (parenthesised)
            c.Expect(")");
        EnsureEnd(c);
        return new Translation(
            $"CALL mz_emulator.create_cluster_replica({SqlText.Literal(name[0])}, {SqlText.Literal(name[1])}, {SqlText.Literal(size)})",
            StatementClass.Single, "CREATE CLUSTER REPLICA", "CREATE CLUSTER REPLICA");
    }

    /// <summary>DROP CLUSTER [IF EXISTS] a, … [CASCADE | RESTRICT] (cursor after DROP CLUSTER).</summary>
    public static Translation Drop(TokenCursor c)
    {
        var ifExists = c.Words("if", "exists");
        var names = c.Names();
        var cascade = DropBehaviour(c);
        var calls = names.Select(n =>
        {
            if (n.Count != 1)
                throw c.Error("cluster names have one part");
            return $"CALL mz_emulator.drop_cluster({SqlText.Literal(n[0])}, {SqlText.Bool(ifExists)}, {SqlText.Bool(cascade)})";
        }).ToList();
        return new Translation(Block(calls), StatementClass.Single, "DROP CLUSTER", "DROP CLUSTER");
    }

    /// <summary>DROP CLUSTER REPLICA [IF EXISTS] c.r, … (cursor after DROP CLUSTER REPLICA).</summary>
    public static Translation DropReplica(TokenCursor c)
    {
        var ifExists = c.Words("if", "exists");
        var names = c.Names();
        DropBehaviour(c);
        var calls = names.Select(n =>
        {
            if (n.Count != 2)
                throw c.Error("expected cluster.replica");
            return $"CALL mz_emulator.drop_cluster_replica({SqlText.Literal(n[0])}, {SqlText.Literal(n[1])}, {SqlText.Bool(ifExists)})";
        }).ToList();
        return new Translation(Block(calls), StatementClass.Single, "DROP CLUSTER REPLICA", "DROP CLUSTER REPLICA");
    }

    /// <summary>ALTER CLUSTER name SET (…) | RESET (…) | RENAME TO n | SWAP WITH n (cursor after ALTER CLUSTER).</summary>
    /// <summary>ALTER DATABASE | CLUSTER name OWNER TO role (the cursor is past OWNER TO): owners the emulator's catalog keeps.</summary>
    public static Translation AlterOwner(string type, string name, TokenCursor c)
    {
        var role = c.Identifier();
        EnsureEnd(c);
        var label = "ALTER " + type.ToUpperInvariant();
        return new Translation(
            $"CALL mz_emulator.alter_owner({SqlText.Literal(type)}, {SqlText.Literal(name)}, {SqlText.Literal(role)})",
            StatementClass.Single, label, label);
    }

    public static Translation Alter(TokenCursor c)
    {
        var ifExists = c.Words("if", "exists");
        var name = c.Identifier();
        if (c.Words("rename", "to"))
        {
            var newName = c.Identifier();
            EnsureEnd(c);
            return new Translation($"CALL mz_emulator.rename_cluster({SqlText.Literal(name)}, {SqlText.Literal(newName)})",
                StatementClass.SwapOrRename, "ALTER CLUSTER", "ALTER CLUSTER");
        }
        if (c.Words("owner", "to"))
            return AlterOwner("cluster", name, c);
        if (c.Words("swap", "with"))
        {
            var other = c.Identifier();
            EnsureEnd(c);
            var swap = $"CALL mz_emulator.swap_clusters({SqlText.Literal(name)}, {SqlText.Literal(other)})";
            if (ifExists)
                swap = NamespaceStatements.IfExists($"EXISTS (SELECT FROM mz_catalog.mz_clusters WHERE name = {SqlText.Literal(name)})",
                    swap, $"cluster \"{name}\" does not exist, skipping");
            return new Translation(swap, StatementClass.SwapOrRename, "ALTER CLUSTER", "ALTER CLUSTER");
        }
        if (c.Words("set"))
        {
            c.Expect("(");
            var options = new JsonObject();
            var seen = new HashSet<string>();
            while (!c.AtEnd && !c.Current!.IsSymbol(")"))
            {
                var option = OptionName(c, seen);
                var (text, first) = Value(c, option);
                options[option] = option switch
                {
                    "SIZE" => Size(text, first),
                    "REPLICATION FACTOR" => Int(text, first, c),
                    "MANAGED" => Bool(text, first, c),
                    _ => text,
                };
                if (!c.Symbol(","))
                    break;
            }
            c.Expect(")");
            // WITH (WAIT UNTIL READY …) / WITH (WAIT FOR …): reconfiguration is instant here.
            if (c.Words("with"))
                SkipParenthesised(c);
            EnsureEnd(c);
            return new Translation(
                $"CALL mz_emulator.alter_cluster_set({SqlText.Literal(name)}, {SqlText.Literal(options.ToJsonString())}::jsonb)",
                StatementClass.Single, "ALTER CLUSTER", "ALTER CLUSTER");
        }
        if (c.Words("reset"))
        {
            c.Expect("(");
            var names = new List<string>();
            var seen = new HashSet<string>();
            while (!c.AtEnd && !c.Current!.IsSymbol(")"))
            {
                names.Add(OptionName(c, seen));
                if (!c.Symbol(","))
                    break;
            }
            c.Expect(")");
            EnsureEnd(c);
            return new Translation(
                $"CALL mz_emulator.alter_cluster_reset({SqlText.Literal(name)}, {SqlText.TextArray(names)})",
                StatementClass.Single, "ALTER CLUSTER", "ALTER CLUSTER");
        }
        throw c.Error("expected SET, RESET, RENAME TO or SWAP WITH");
    }

    /// <summary>ALTER CLUSTER REPLICA cluster.replica RENAME TO name (cursor after ALTER CLUSTER REPLICA).</summary>
    public static Translation AlterReplica(TokenCursor c)
    {
        var parts = c.Name();
        c.ExpectWords("rename", "to");
        var newName = c.Identifier();
        EnsureEnd(c);
        if (parts.Count != 2)
            throw c.Error("expected cluster.replica");
        return new Translation(
            $"CALL mz_emulator.rename_cluster_replica({SqlText.Literal(parts[0])}, {SqlText.Literal(parts[1])}, {SqlText.Literal(newName)})",
            StatementClass.SwapOrRename, "ALTER CLUSTER REPLICA", "ALTER CLUSTER REPLICA");
    }

    public static Translation ShowCreate(TokenCursor c)
    {
        var name = c.Identifier();
        EnsureEnd(c);
        return new Translation($"SELECT * FROM mz_emulator.show_create_cluster({SqlText.Literal(name)})",
            StatementClass.Read, "SHOW CREATE CLUSTER");
    }

    /// <summary>SHOW CLUSTERS: name, replicas (name and size) and comment of each cluster.</summary>
    public static Translation ShowClusters() => new(ShowClustersQuery, StatementClass.Read, "SHOW CLUSTERS");

    private const string ShowClustersQuery =
        "SELECT c.name, coalesce(string_agg(r.name || ' (' || coalesce(r.size, '') || ')', ', ' ORDER BY r.name), '') AS replicas, " +
        "coalesce((SELECT m.comment FROM mz_emulator.comments m WHERE m.id = c.id AND m.object_sub_id IS NULL), '') AS comment " +
        "FROM mz_emulator.clusters c LEFT JOIN mz_emulator.cluster_replicas r ON r.cluster_id = c.id " +
        "GROUP BY c.id, c.name ORDER BY c.name";

    /// <summary>
    /// The next option's name; an option named twice in one list is refused as Materialize refuses it
    /// (<c>SIZE specified more than once</c>), instead of the later value silently winning.
    /// </summary>
    private static string OptionName(TokenCursor c, HashSet<string> seen)
    {
        var name = OptionName(c);
        if (!seen.Add(name))
            throw TokenCursor.SyntaxError($"{name} specified more than once");
        return name;
    }

    /// <summary>
    /// The option's value after an optional '='. A boolean option may stand alone (<c>SET (MANAGED, SIZE …)</c>):
    /// its value is then <c>true</c>, as in Materialize.
    /// </summary>
    private static (string Text, Token First) Value(TokenCursor c, string option)
    {
        var equals = c.Symbol("=");
        if (!equals && (c.AtEnd || c.Current!.IsSymbol(",") || c.Current!.IsSymbol(")")))
        {
            if (option is "MANAGED" or "INTROSPECTION DEBUGGING")
                return ("true", new Token(TokenKind.Identifier, new TextSpan(0, 4), "true", "true"));
            throw c.Error($"expected a value for {option}");
        }
        return c.OptionValue();
    }

    /// <summary>A SIZE value: a string; <c>SIZE NULL</c> (or another non-string) is refused as Materialize refuses it.</summary>
    private static string Size(string text, Token first)
    {
        if (first.Kind is not (TokenKind.String or TokenKind.QuotedIdentifier or TokenKind.Identifier or TokenKind.Number) || first.Span.Length != text.Length
            || first.IsKeyword("null"))
            throw TokenCursor.SyntaxError("invalid SIZE: cannot use value as string");
        return Unquote(text, first);
    }

    private static string OptionName(TokenCursor c)
    {
        // NAME WORDS = value: all the words up to the '='.
        var words = 0;
        while (c.PeekAt(words) is { Kind: TokenKind.Identifier })
            words++;
        if (words > 0 && c.PeekAt(words) is { } equals && equals.IsSymbol("="))
        {
            var name = string.Join(' ', Enumerable.Range(0, words).Select(k => c.PeekAt(k)!.Value.ToUpperInvariant()));
            c.Index += words;
            return name;
        }
        foreach (var known in MultiWordOptions)
        {
            if (c.Words(known))
                return string.Join(' ', known).ToUpperInvariant();
        }
        if (c.Current is not { Kind: TokenKind.Identifier } t)
            throw c.Error("expected an option name");
        c.Index++;
        return t.Value.ToUpperInvariant();
    }

    private static List<(string Name, string? Size)> Replicas(TokenCursor c)
    {
        c.Symbol("=");
        c.Expect("(");
        var replicas = new List<(string, string?)>();
        while (!c.AtEnd && !c.Current!.IsSymbol(")"))
        {
            var name = c.Identifier();
            string? size = null;
            var seen = new HashSet<string>();
            c.Expect("(");
            while (!c.AtEnd && !c.Current!.IsSymbol(")"))
            {
                var option = OptionName(c, seen);
                var (text, first) = Value(c, option);
                if (option == "SIZE")
                    size = Size(text, first);
                if (!c.Symbol(","))
                    break;
            }
            c.Expect(")");
            replicas.Add((name, size));
            if (!c.Symbol(","))
                break;
        }
        c.Expect(")");
        return replicas;
    }

    internal static bool DropBehaviour(TokenCursor c)
    {
        var cascade = c.Words("cascade");
        if (!cascade)
            c.Words("restrict");
        EnsureEnd(c);
        return cascade;
    }

    internal static void EnsureEnd(TokenCursor c)
    {
        if (!c.AtEnd)
            throw c.Error("unexpected text");
    }

    /// <summary>One PostgreSQL statement running all of <paramref name="statements"/> (a DO block when several).</summary>
    internal static string Block(IReadOnlyList<string> statements)
    {
        if (statements.Count == 1)
            return statements[0];
        var body = "BEGIN " + string.Join("; ", statements) + "; END";
        var tag = "$mz$";
        for (var i = 0; body.Contains(tag); i++)
            tag = $"$mz{i}$";
        return "DO " + tag + body + tag;
    }

    private static void SkipParenthesised(TokenCursor c)
    {
        c.Expect("(");
        var depth = 1;
        while (!c.AtEnd && depth > 0)
        {
            if (c.Current!.IsSymbol("("))
                depth++;
            else if (c.Current!.IsSymbol(")"))
                depth--;
            c.Index++;
        }
    }

    private static string Unquote(string text, Token first) =>
        first.Kind is TokenKind.String or TokenKind.QuotedIdentifier && first.Span.Length == text.Length ? first.Value : text;

    private static int Int(string text, Token first, TokenCursor c) =>
        int.TryParse(Unquote(text, first), out var n) && n >= 0 ? n : throw c.Error($"invalid REPLICATION FACTOR {text}");

    private static bool Bool(string text, Token first, TokenCursor c) =>
        Unquote(text, first).ToLowerInvariant() switch
        {
            "true" or "on" or "t" => true,
            "false" or "off" or "f" => false,
            _ => throw c.Error($"invalid boolean {text}"),
        };
}
