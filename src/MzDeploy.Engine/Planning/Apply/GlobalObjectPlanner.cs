using System.Globalization;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning.Apply;

/// <summary>
/// Plans the objects outside any schema: clusters (<c>clusters/</c>), roles (<c>roles/</c>) and network policies
/// (<c>network-policies/</c>), each against what production holds.
/// </summary>
internal static class GlobalObjectPlanner
{
    public static ApplyItem PlanCluster(CompiledDefinition definition, string productionName, InfrastructureSnapshot snapshot)
    {
        var create = definition.Statements.OfType<CreateClusterStatement>().First();
        bool IsThis(ObjectName n) => n.Parts.Count == 1 && n.Item.Value == definition.Name;
        var quoted = SqlIdentifier.Quote(productionName);
        var desiredGrants = AccessReconciler.Desired(definition.Statements, InfrastructureKind.Cluster, IsThis);
        var changes = new List<string>();
        if (!snapshot.Clusters.TryGetValue(productionName, out var actual))
        {
            var statements = new List<ApplyStatement> { new(ApplyNames.RewriteName(create, productionName)) };
            statements.AddRange(AccessReconciler.Grants(InfrastructureKind.Cluster, quoted, desiredGrants, [], changes));
            statements.AddRange(AccessReconciler.Comments(InfrastructureKind.Cluster, quoted, definition.Statements, IsThis, null, null, changes));
            return new ApplyItem(InfrastructureKind.Cluster, productionName, ApplyAction.Created, "missing from production", statements);
        }

        var options = create.Options.ToDictionary(o => o.Name, o => o.Value, StringComparer.OrdinalIgnoreCase);
        var managed = !options.ContainsKey("REPLICAS") && !(options.TryGetValue("MANAGED", out var m) && m?.SimpleValue is "false" or "f");
        if (managed != actual.Managed)
        {
            return Drifted(InfrastructureKind.Cluster, productionName,
                $"the project defines a {(managed ? "managed" : "unmanaged")} cluster but production's is {(actual.Managed ? "managed" : "unmanaged")}; apply does not convert clusters");
        }

        var set = new List<string>();
        if (managed)
        {
            if (options.GetValueOrDefault("SIZE")?.SimpleValue is { } size && !size.Equals(actual.Size, StringComparison.OrdinalIgnoreCase))
            {
                set.Add($"SIZE = {SqlLiteral.Quote(size)}");
                changes.Add($"SIZE {actual.Size} → {size}");
            }

            if (options.GetValueOrDefault("REPLICATION FACTOR")?.SimpleValue is { } text
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var factor) && factor != actual.ReplicationFactor)
            {
                set.Add($"REPLICATION FACTOR = {factor}");
                changes.Add($"REPLICATION FACTOR {actual.ReplicationFactor} → {factor}");
            }

            if (options.GetValueOrDefault("INTROSPECTION DEBUGGING")?.SimpleValue is { } debugging
                && Bool(debugging) is { } wanted && actual.IntrospectionDebugging is { } has && wanted != has)
            {
                set.Add($"INTROSPECTION DEBUGGING = {(wanted ? "true" : "false")}");
                changes.Add($"INTROSPECTION DEBUGGING {(has ? "true" : "false")} → {(wanted ? "true" : "false")}");
            }
        }

        var altered = new List<ApplyStatement>();
        if (set.Count > 0)
        {
            altered.Add(new ApplyStatement($"ALTER CLUSTER {quoted} SET ({string.Join(", ", set)})"));
        }

        altered.AddRange(AccessReconciler.Grants(InfrastructureKind.Cluster, quoted, desiredGrants, actual.Grants, changes));
        altered.AddRange(AccessReconciler.Comments(InfrastructureKind.Cluster, quoted, definition.Statements, IsThis, actual.Comment, null, changes));
        return Converged(InfrastructureKind.Cluster, productionName, altered, changes);
    }

    public static ApplyItem PlanRole(CompiledDefinition definition, InfrastructureSnapshot snapshot)
    {
        var name = definition.Name;
        var create = definition.Statements.OfType<CreateRoleStatement>().First();
        var quoted = SqlIdentifier.Quote(name);
        bool IsThis(ObjectName n) => n.Parts.Count == 1 && n.Item.Value == name;
        var memberships = definition.Statements.OfType<GrantRoleStatement>().Where(g => !g.IsRevoke).ToList();
        var desiredMembers = memberships.Where(g => g.Roles.Any(r => r.Value == name))
            .SelectMany(g => g.Members.Select(x => x.Value)).ToHashSet(StringComparer.Ordinal);
        var joins = memberships.SelectMany(g => g.Roles.Where(r => r.Value != name)
            .SelectMany(r => g.Members.Where(x => x.Value == name).Select(_ => r.Value))).Distinct(StringComparer.Ordinal).ToList();
        var alters = definition.Statements.OfType<AlterRoleStatement>().Where(a => a.Name is { } n && IsThis(n)).ToList();
        var changes = new List<string>();

        if (!snapshot.Roles.TryGetValue(name, out var actual))
        {
            var statements = new List<ApplyStatement> { Masked(create, ApplyNames.RewriteName(create, name)) };
            statements.AddRange(alters.Select(a => Masked(a, ApplyNames.RewriteName(a, name))));
            statements.AddRange(desiredMembers.Order(StringComparer.Ordinal).Select(x => new ApplyStatement($"GRANT {quoted} TO {SqlIdentifier.Quote(x)}")));
            statements.AddRange(joins.Select(r => new ApplyStatement($"GRANT {SqlIdentifier.Quote(r)} TO {quoted}")));
            statements.AddRange(AccessReconciler.Comments(InfrastructureKind.Role, quoted, definition.Statements, IsThis, null, null, changes));
            return new ApplyItem(InfrastructureKind.Role, name, ApplyAction.Created, "missing from production", statements);
        }

        var altered = new List<ApplyStatement>();
        var attributes = create.Options.Concat(alters.SelectMany(a => AttributeWords(a))).Select(o => o.ToUpperInvariant()).ToList();
        var set = new List<string>();
        void Attribute(string yes, string no, bool? has)
        {
            var wanted = attributes.Contains(yes) ? true : attributes.Contains(no) ? false : (bool?)null;
            if (wanted is { } w && has is { } h && w != h)
            {
                set.Add(w ? yes : no);
            }
        }

        Attribute("LOGIN", "NOLOGIN", actual.Login);
        Attribute("SUPERUSER", "NOSUPERUSER", actual.Superuser);
        if (set.Count > 0)
        {
            changes.Add("attributes " + string.Join(" ", set));
            altered.Add(new ApplyStatement($"ALTER ROLE {quoted} WITH {string.Join(" ", set)}"));
        }

        // Session defaults: ALTER ROLE r SET name = value | TO value.
        var desiredParameters = new Dictionary<string, (string Value, AlterRoleStatement Statement)>(StringComparer.Ordinal);
        foreach (var alter in alters)
        {
            if (Parameter(alter) is { } p)
            {
                desiredParameters[p.Name] = (p.Value, alter);
            }
        }

        foreach (var (parameter, (value, statement)) in desiredParameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!actual.Parameters.TryGetValue(parameter, out var has) || !string.Equals(Unquote(has), value, StringComparison.OrdinalIgnoreCase))
            {
                changes.Add($"set {parameter}");
                altered.Add(Masked(statement, ApplyNames.RewriteName(statement, name)));
            }
        }

        foreach (var parameter in actual.Parameters.Keys.Where(k => !desiredParameters.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            changes.Add($"reset {parameter}");
            altered.Add(new ApplyStatement($"ALTER ROLE {quoted} RESET {SqlIdentifier.Quote(parameter)}"));
        }

        foreach (var member in desiredMembers.Except(actual.Members).Order(StringComparer.Ordinal))
        {
            changes.Add($"grant to {member}");
            altered.Add(new ApplyStatement($"GRANT {quoted} TO {SqlIdentifier.Quote(member)}"));
        }

        foreach (var member in actual.Members.Except(desiredMembers).Order(StringComparer.Ordinal))
        {
            changes.Add($"revoke from {member}");
            altered.Add(new ApplyStatement($"REVOKE {quoted} FROM {SqlIdentifier.Quote(member)}"));
        }

        foreach (var role in joins.Where(r => !(snapshot.Roles.GetValueOrDefault(r)?.Members.Contains(name) ?? false)))
        {
            changes.Add($"join {role}");
            altered.Add(new ApplyStatement($"GRANT {SqlIdentifier.Quote(role)} TO {quoted}"));
        }

        altered.AddRange(AccessReconciler.Comments(InfrastructureKind.Role, quoted, definition.Statements, IsThis, actual.Comment, null, changes));
        return Converged(InfrastructureKind.Role, name, altered, changes);
    }

    public static ApplyItem PlanNetworkPolicy(CompiledDefinition definition, InfrastructureSnapshot snapshot)
    {
        var name = definition.Name;
        if (snapshot.NetworkPolicies is null)
        {
            return new ApplyItem(InfrastructureKind.NetworkPolicy, name, ApplyAction.Refused,
                "this server has no network-policy catalog (mz_internal.mz_network_policies) to compare against", []);
        }

        var create = definition.Statements.OfType<CreateNetworkPolicyStatement>().First();
        var quoted = SqlIdentifier.Quote(name);
        bool IsThis(ObjectName n) => n.Parts.Count == 1 && n.Item.Value == name;
        var desiredGrants = AccessReconciler.Desired(definition.Statements, InfrastructureKind.NetworkPolicy, IsThis);
        var changes = new List<string>();
        if (!snapshot.NetworkPolicies.TryGetValue(name, out var actual))
        {
            var statements = new List<ApplyStatement> { new(ApplyNames.RewriteName(create, name)) };
            statements.AddRange(AccessReconciler.Grants(InfrastructureKind.NetworkPolicy, quoted, desiredGrants, [], changes));
            statements.AddRange(AccessReconciler.Comments(InfrastructureKind.NetworkPolicy, quoted, definition.Statements, IsThis, null, null, changes));
            return new ApplyItem(InfrastructureKind.NetworkPolicy, name, ApplyAction.Created, "missing from production", statements);
        }

        var altered = new List<ApplyStatement>();
        var rulesOption = create.Options.FirstOrDefault(o => o.Name == "RULES");
        if (rulesOption?.Value is { } rules && !NetworkPolicyRules.Parse(rules).SequenceEqual(actual.Rules))
        {
            changes.Add("rules");
            altered.Add(new ApplyStatement($"ALTER NETWORK POLICY {quoted} SET (RULES {rules.Text})"));
        }

        altered.AddRange(AccessReconciler.Grants(InfrastructureKind.NetworkPolicy, quoted, desiredGrants, actual.Grants, changes));
        altered.AddRange(AccessReconciler.Comments(InfrastructureKind.NetworkPolicy, quoted, definition.Statements, IsThis, actual.Comment, null, changes));
        return Converged(InfrastructureKind.NetworkPolicy, name, altered, changes);
    }

    internal static ApplyItem Converged(InfrastructureKind kind, string name, List<ApplyStatement> statements, List<string> changes) =>
        statements.Count == 0
            ? new ApplyItem(kind, name, ApplyAction.Unchanged, "as the project defines it", [])
            : new ApplyItem(kind, name, ApplyAction.Altered, string.Join("; ", changes), statements);

    internal static ApplyItem Drifted(InfrastructureKind kind, string name, string reason) =>
        new(kind, name, ApplyAction.Drifted, reason, []);

    // A role statement with PASSWORD 'x' is shown with the password masked and kept whole in a SecretString to run.
    private static ApplyStatement Masked(SqlStatement statement, string sql)
    {
        var tokens = statement.Tokens;
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Kind == TokenKind.Identifier && tokens[i].Value == "password" && tokens[i + 1].Kind == TokenKind.String)
            {
                var literal = tokens[i + 1].Text;
                var masked = sql.Replace(literal, ApplyStatement.Mask, StringComparison.Ordinal);
                return new ApplyStatement(masked, new Project.SecretString(sql));
            }
        }

        return new ApplyStatement(sql);
    }

    private static IEnumerable<string> AttributeWords(AlterRoleStatement alter) =>
        alter.Action is { } action && action.Tokens.Count > 0 && action.Tokens[0].Value is not ("set" or "reset" or "rename")
            ? action.Tokens.Where(t => t.Kind == TokenKind.Identifier).Select(t => t.Value)
            : [];

    private static (string Name, string Value)? Parameter(AlterRoleStatement alter)
    {
        var tokens = alter.Action?.Tokens;
        if (tokens is null || tokens.Count < 3 || tokens[0].Value != "set")
        {
            return null;
        }

        var next = tokens[2].Kind == TokenKind.Operator || tokens[2].Value == "to" ? 3 : 2;
        var value = string.Join(" ", tokens.Skip(next).Select(t => t.Value));
        return (tokens[1].Value.ToLowerInvariant(), value);
    }

    private static string Unquote(string text) => text.Length >= 2 && text[0] == '\'' && text[^1] == '\'' ? text[1..^1] : text;

    private static bool? Bool(string text) => text.ToLowerInvariant() switch
    {
        "true" or "t" or "on" => true,
        "false" or "f" or "off" => false,
        _ => null,
    };
}

/// <summary>The rules of a <c>RULES (name (action = 'allow', direction = 'ingress', address = '…'), …)</c> option.</summary>
internal static class NetworkPolicyRules
{
    public static IReadOnlyList<NetworkPolicyRule> Parse(SqlFragment rules)
    {
        var result = new List<NetworkPolicyRule>();
        var tokens = rules.Tokens;
        var i = tokens.Count > 0 && tokens[0].Kind == TokenKind.LeftParen ? 1 : 0;
        while (i < tokens.Count && tokens[i].Kind is TokenKind.Identifier or TokenKind.QuotedIdentifier)
        {
            var name = tokens[i++].Value;
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (i < tokens.Count && tokens[i].Kind == TokenKind.LeftParen)
            {
                i++;
                while (i < tokens.Count && tokens[i].Kind != TokenKind.RightParen)
                {
                    var key = tokens[i++].Value;
                    if (i < tokens.Count && tokens[i].Kind == TokenKind.Operator)
                    {
                        i++;
                    }

                    if (i < tokens.Count)
                    {
                        fields[key] = tokens[i++].Value;
                    }

                    if (i < tokens.Count && tokens[i].Kind == TokenKind.Comma)
                    {
                        i++;
                    }
                }

                i++;
            }

            result.Add(new NetworkPolicyRule(name, fields.GetValueOrDefault("action", "").ToLowerInvariant(),
                fields.GetValueOrDefault("direction", "").ToLowerInvariant(), fields.GetValueOrDefault("address", "")));
            if (i < tokens.Count && tokens[i].Kind == TokenKind.Comma)
            {
                i++;
            }
        }

        return result.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }
}
