using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning.Apply;

/// <summary>
/// Plans the schema objects apply manages — secrets, connections, sources, tables — against what production
/// holds: create what is missing, alter what Materialize alters in place, report the rest as Drifted.
/// </summary>
internal sealed class SchemaObjectPlanner(ApplyNames names, InfrastructureSnapshot snapshot, ApplyOptions options, SecretValueResolver secrets)
{
    public ApplyItem Plan(CompiledObject compiled, InfrastructureKind kind)
    {
        var production = names.Production(compiled.Id);
        var quoted = ApplyNames.Quote(production);
        var name = production.ToString();
        bool IsThis(ObjectName n) =>
            compiled.ResolvedReferences.TryGetValue(n.Span, out var id) ? id.Equals(compiled.Id) : n.Item.Value == compiled.Id.Name;
        var desiredGrants = AccessReconciler.Desired(compiled.Companions, kind, IsThis);
        var changes = new List<string>();
        snapshot.Objects.TryGetValue(production, out var actual);
        if (actual is not null && actual.Kind != kind)
        {
            return GlobalObjectPlanner.Drifted(kind, name, $"production holds a {actual.Kind.ToString().ToLowerInvariant()} of this name; apply never drops it");
        }

        var statements = new List<ApplyStatement>();
        if (actual is null)
        {
            if (Create(compiled, kind, production, out var problem) is not { } create)
            {
                return new ApplyItem(kind, name, ApplyAction.Refused, problem!, []);
            }

            statements.Add(create);
            statements.AddRange(AccessReconciler.Grants(kind, quoted, desiredGrants, [], changes));
            statements.AddRange(AccessReconciler.Comments(kind, quoted, compiled.Companions, IsThis, null, null, changes));
            return new ApplyItem(kind, name, ApplyAction.Created, "missing from production", statements);
        }

        var drift = new List<string>();
        switch (compiled.Statement)
        {
            case CreateSecretStatement secret:
                if (options.ConvergeSecretValues || secrets.HasExplicitValue(compiled.Id))
                {
                    if (secrets.Resolve(compiled.Id, secret, out var problem) is not { } value)
                    {
                        return new ApplyItem(kind, name, ApplyAction.Refused, problem!, []);
                    }

                    changes.Add("set the value");
                    statements.Add(new ApplyStatement($"ALTER SECRET {quoted} AS {ApplyStatement.Mask}",
                        new Project.SecretString($"ALTER SECRET {quoted} AS {value.Reveal()}")));
                }

                break;
            case CreateConnectionStatement connection:
                statements.AddRange(AlterConnection(compiled, connection, actual, quoted, changes, drift));
                break;
            case CreateSourceStatement source:
                if (actual.Type is { } type && TypeName(source.ConnectorKind) != type)
                {
                    drift.Add($"production's source is {type}, the project's {TypeName(source.ConnectorKind)}; sources are never changed in place");
                }

                break;
            case CreateTableStatement table when table.Kind == StatementKind.CreateTableFromSource:
                var wanted = compiled.ResolvedReferences.TryGetValue(table.From!.Span, out var from) ? names.Production(from) : null;
                if (actual.Source is null || (wanted is not null && !actual.Source.Equals(wanted)))
                {
                    drift.Add($"production's table is {(actual.Source is null ? "not fed by a source" : $"fed by {actual.Source}")}, the project's by {wanted}; tables are never recreated");
                }

                break;
            case CreateTableStatement table:
                statements.AddRange(TableColumns.Plan(table, actual, quoted, changes, drift));
                break;
        }

        if (drift.Count > 0)
        {
            return GlobalObjectPlanner.Drifted(kind, name, string.Join("; ", drift));
        }

        statements.AddRange(AccessReconciler.Grants(kind, quoted, desiredGrants, actual.Grants, changes));
        statements.AddRange(AccessReconciler.Comments(kind, quoted, compiled.Companions, IsThis, actual.Comment, actual.ColumnComments, changes));
        if (statements.Count == 0 && kind == InfrastructureKind.Secret)
        {
            return new ApplyItem(kind, name, ApplyAction.Unchanged,
                "exists; a secret's value cannot be read back, so it is set only when its value is given explicitly", []);
        }

        return GlobalObjectPlanner.Converged(kind, name, statements, changes);
    }

    private ApplyStatement? Create(CompiledObject compiled, InfrastructureKind kind, ObjectId production, out string? problem)
    {
        problem = null;
        if (compiled.Statement is CreateSecretStatement secret)
        {
            if (secrets.Resolve(compiled.Id, secret, out problem) is not { } value)
            {
                return null;
            }

            var head = $"CREATE SECRET {ApplyNames.Quote(production)} AS ";
            return new ApplyStatement(head + ApplyStatement.Mask, new Project.SecretString(head + value.Reveal()));
        }

        return new ApplyStatement(names.Rewrite(compiled, compiled.Statement));
    }

    // Option by option: SET what the project sets differently, DROP what only production has; the type never changes in place.
    private IEnumerable<ApplyStatement> AlterConnection(CompiledObject compiled, CreateConnectionStatement connection, InfrastructureObject actual,
        string quoted, List<string> changes, List<string> drift)
    {
        if (actual.Type is { } type && TypeName(connection.ConnectorKind) != type)
        {
            drift.Add($"production's connection is {type}, the project's {TypeName(connection.ConnectorKind)}; a connection's type cannot change in place");
            yield break;
        }

        if (actual.CreateSql is null || SqlParser.Parse(actual.CreateSql).Statements.OfType<CreateConnectionStatement>().FirstOrDefault() is not { } current)
        {
            yield break;
        }

        var have = current.Options.ToDictionary(o => o.Name, o => Normalize(current, o.Value, r => string.Join(".", r.Name.Values)), StringComparer.Ordinal);
        var actions = new List<string>();
        foreach (var option in connection.Options)
        {
            var want = Normalize(connection, option.Value, r => compiled.ResolvedReferences.TryGetValue(r.Span, out var id) ? names.Production(id).ToString() : string.Join(".", r.Name.Values));
            if (!have.TryGetValue(option.Name, out var value) || value != want)
            {
                changes.Add($"set {option.Name}");
                actions.Add(option.Value is null ? $"SET ({option.Name})" : $"SET ({option.Name} = {names.Rewrite(compiled, option.Value)})");
            }
        }

        foreach (var option in have.Keys.Where(k => connection.Options.All(o => o.Name != k)).Order(StringComparer.Ordinal))
        {
            changes.Add($"drop {option}");
            actions.Add($"DROP ({option})");
        }

        if (actions.Count > 0)
        {
            yield return new ApplyStatement($"ALTER CONNECTION {quoted} {string.Join(", ", actions)}");
        }
    }

    // An option value compared by meaning: names as the dotted production names they denote, words lower case, strings unescaped.
    private static string Normalize(SqlStatement statement, SqlFragment? value, Func<Reference, string> nameOf)
    {
        if (value is null)
        {
            return string.Empty;
        }

        var references = statement.References.Where(r => value.Span.Contains(r.Span)).ToList();
        var parts = new List<string>();
        foreach (var token in value.Tokens)
        {
            if (references.FirstOrDefault(r => r.Span.Contains(token.Span)) is { } reference)
            {
                var text = nameOf(reference);
                if (parts.Count == 0 || parts[^1] != "\u0001" + text)
                {
                    parts.Add("\u0001" + text);
                }

                continue;
            }

            parts.Add(token.Kind == TokenKind.String ? "'" + token.Value + "'" : token.Value);
        }

        return string.Join(" ", parts);
    }

    /// <summary>The catalog's type name for a connector as SQL writes it: <c>SSH TUNNEL</c> → <c>ssh-tunnel</c>.</summary>
    internal static string TypeName(string connectorKind) => connectorKind.ToLowerInvariant().Replace(' ', '-');
}
