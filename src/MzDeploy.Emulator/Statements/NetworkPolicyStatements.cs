using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// CREATE | ALTER | DROP NETWORK POLICY and SHOW NETWORK POLICIES (docs: /sql/create-network-policy/,
/// /sql/alter-network-policy/, /sql/drop-network-policy/, /sql/show-network-policies/): rows of the emulator's
/// catalog (Bootstrap/94-network-policies.sql); no rule is applied to connections.
/// </summary>
internal static class NetworkPolicyStatements
{
    private sealed record Rule(string Name, string? Action, string? Direction, string? Address);

    /// <summary>CREATE NETWORK POLICY name (RULES (…)) (cursor after CREATE NETWORK POLICY).</summary>
    public static Translation Create(TokenCursor c)
    {
        var name = c.Identifier();
        var rules = ReadRules(c);
        ClusterStatements.EnsureEnd(c);
        return Call("create_network_policy", name, rules, "CREATE NETWORK POLICY");
    }

    /// <summary>ALTER NETWORK POLICY name SET (RULES (…)) | OWNER TO role (cursor after ALTER NETWORK POLICY).</summary>
    public static Translation Alter(TokenCursor c)
    {
        var name = c.Identifier();
        if (c.Words("owner", "to"))
        {
            var role = c.Identifier();
            ClusterStatements.EnsureEnd(c);
            return new Translation($"CALL mz_emulator.alter_network_policy_owner({SqlText.Literal(name)}, {SqlText.Literal(role)})",
                StatementClass.Single, "ALTER NETWORK POLICY", "ALTER NETWORK POLICY");
        }
        c.ExpectWords("set");
        var rules = ReadRules(c);
        ClusterStatements.EnsureEnd(c);
        return Call("alter_network_policy", name, rules, "ALTER NETWORK POLICY");
    }

    /// <summary>DROP NETWORK POLICY [IF EXISTS] name, … (cursor after DROP NETWORK POLICY).</summary>
    public static Translation Drop(TokenCursor c)
    {
        var ifExists = c.Words("if", "exists");
        var names = new List<string>();
        do
            names.Add(c.Identifier());
        while (c.Symbol(","));
        ClusterStatements.EnsureEnd(c);
        var calls = names.Select(n => $"CALL mz_emulator.drop_network_policy({SqlText.Literal(n)}, {SqlText.Bool(ifExists)})").ToList();
        return new Translation(ClusterStatements.Block(calls), StatementClass.Single, "DROP NETWORK POLICY", "DROP NETWORK POLICY");
    }

    /// <summary>SHOW NETWORK POLICIES [LIKE 'pattern'] (cursor after SHOW NETWORK POLICIES).</summary>
    public static Translation Show(TokenCursor c)
    {
        var filter = "";
        if (c.Words("like"))
        {
            if (c.Current is not { Kind: TokenKind.String } pattern)
                throw c.Error("expected a pattern");
            c.Index++;
            filter = $" WHERE p.name LIKE {SqlText.Literal(pattern.Value)}";
        }
        ClusterStatements.EnsureEnd(c);
        return new Translation(
            "SELECT p.name, coalesce((SELECT string_agg(r.name, ',' ORDER BY r.name) FROM mz_internal.mz_network_policy_rules r " +
            // COMMENT ON NETWORK POLICY is not emulated: the comment column is always empty.
            $"WHERE r.policy_id = p.id), '') AS rules, ''::text AS comment FROM mz_internal.mz_network_policies p{filter} ORDER BY p.name",
            StatementClass.Read, "SHOW NETWORK POLICIES");
    }

    private static Translation Call(string procedure, string name, List<Rule> rules, string label)
    {
        var sql = $"CALL mz_emulator.{procedure}(" + string.Join(", ",
            SqlText.Literal(name), SqlText.TextArray(rules.Select(r => r.Name).ToList()),
            Array(rules.Select(r => r.Action)), Array(rules.Select(r => r.Direction)), Array(rules.Select(r => r.Address))) + ")";
        return new Translation(sql, StatementClass.Single, label, label);
    }

    private static string Array(IEnumerable<string?> values) => "ARRAY[" + string.Join(", ", values.Select(SqlText.Literal)) + "]::text[]";

    // ( RULES ( name (action = 'allow', direction = 'ingress', address = '1.2.3.4/28') [, …] ) )
    private static List<Rule> ReadRules(TokenCursor c)
    {
        c.Expect("(");
        c.ExpectWords("rules");
        c.Symbol("=");
        c.Expect("(");
        var rules = new List<Rule>();
        if (!c.Symbol(")"))
        {
            do
                rules.Add(ReadRule(c));
            while (c.Symbol(","));
            c.Expect(")");
        }
        c.Expect(")");
        return rules;
    }

    private static Rule ReadRule(TokenCursor c)
    {
        var name = c.Identifier();
        c.Expect("(");
        string? action = null, direction = null, address = null;
        do
        {
            var option = c.Identifier();
            c.Symbol("=");
            if (c.Current is not { Kind: TokenKind.String or TokenKind.Identifier } value)
                throw c.Error("expected a value");
            c.Index++;
            switch (option)
            {
                case "action":
                    action = value.Value;
                    break;
                case "direction":
                    direction = value.Value;
                    break;
                case "address":
                    address = value.Value;
                    break;
                default:
                    throw TokenCursor.SyntaxError($"unknown network policy rule option {option.ToUpperInvariant()}, expected ACTION, DIRECTION or ADDRESS");
            }
        } while (c.Symbol(","));
        c.Expect(")");
        return new Rule(name, action, direction, address);
    }
}
