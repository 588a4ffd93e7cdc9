using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// Reads one family's statement with the cursor past the route's leading keywords. Null: the statement is not
/// one the family rewrites after all (<c>ALTER SECRET s RENAME TO t</c>), and the translator goes on.
/// </summary>
internal delegate Translation? StatementHandler(TokenCursor c, string database, string label);

/// <summary>A statement family's leading keywords and the handler, in the family's own file, that reads it.</summary>
internal sealed record StatementRoute(string[] Words, StatementHandler Handler);

/// <summary>
/// The table that dispatches a statement by its leading keywords to the family that emulates it; the longest
/// route that matches wins (<c>CREATE CLUSTER REPLICA</c> over <c>CREATE CLUSTER</c>). Statements no route
/// takes (queries, DML, CREATE TABLE / VIEW / INDEX / SOURCE / SINK / CONNECTION, DROP and ALTER of items,
/// COMMENT, GRANT) belong to <see cref="ObjectStatements"/>, which reads them with the engine's parser.
/// </summary>
internal static class StatementRoutes
{
    private static readonly StatementRoute[] Routes =
    [
        // Clusters and their replicas (ClusterStatements.cs).
        new(["create", "cluster"], (c, _, _) => ClusterStatements.Create(c)),
        new(["create", "cluster", "replica"], (c, _, _) => ClusterStatements.CreateReplica(c)),
        new(["drop", "cluster"], (c, _, _) => ClusterStatements.Drop(c)),
        new(["drop", "cluster", "replica"], (c, _, _) => ClusterStatements.DropReplica(c)),
        new(["alter", "cluster"], (c, _, _) => ClusterStatements.Alter(c)),
        new(["alter", "cluster", "replica"], (c, _, _) => ClusterStatements.AlterReplica(c)),
        new(["show", "create", "cluster"], (c, _, _) => ClusterStatements.ShowCreate(c)),
        new(["show", "clusters"], (_, _, _) => ClusterStatements.ShowClusters()),

        // Databases and schemas, and SHOW of the objects in a schema (NamespaceStatements.cs).
        new(["create", "database"], (c, _, _) => NamespaceStatements.CreateDatabase(c)),
        new(["drop", "database"], (c, _, _) => NamespaceStatements.DropDatabase(c)),
        new(["alter", "database"], (c, _, _) => NamespaceStatements.AlterDatabase(c)),
        new(["create", "schema"], (c, database, _) => NamespaceStatements.CreateSchema(c, database)),
        new(["drop", "schema"], (c, database, _) => NamespaceStatements.DropSchema(c, database)),
        new(["alter", "schema"], (c, database, _) => NamespaceStatements.AlterSchema(c, database)),
        new(["show", "databases"], (_, _, _) => NamespaceStatements.ShowDatabases()),
        new(["show", "schemas"], (c, database, _) => NamespaceStatements.ShowSchemas(c, database)),
        .. NamespaceStatements.ShowKinds.Select(kind => new StatementRoute(
            ["show", .. kind.Key.Split(' ')], (c, database, _) => NamespaceStatements.ShowObjects(c, kind.Value, database))),

        // Session and system variables (SessionStatements.cs).
        new(["set"], (c, _, _) => SessionStatements.Set(c)),
        new(["reset"], (c, _, _) => SessionStatements.Reset(c)),
        new(["show"], (c, _, _) => SessionStatements.Show(c)),
        new(["alter", "system"], (c, _, _) => SessionStatements.AlterSystem(c)),
        new(["discard", "all"], (c, _, _) => SessionStatements.DiscardAll(c)),

        // Roles (RoleStatements.cs); what they do not refuse or rewrite, PostgreSQL runs.
        new(["show", "roles"], (c, _, _) => RoleStatements.ShowRoles(c)),
        new(["show", "privileges"], (c, _, _) => RoleStatements.ShowPrivileges(c)),
        new(["create", "user"], (_, _, _) => RoleStatements.CreateUser()),
        new(["create", "role"], (c, _, label) => RoleStatements.CreateOrAlter(c, label, create: true)),
        new(["alter", "role"], (c, _, label) => RoleStatements.CreateOrAlter(c, label, create: false)),
        new(["drop", "role"], (c, _, _) => RoleStatements.Drop(c)),
        new(["drop", "user"], (c, _, _) => RoleStatements.Drop(c)),

        // Secrets (SecretStatements.cs) and connections (ConnectionStatements.cs; CREATE CONNECTION is parsed).
        new(["create", "secret"], (c, database, _) => SecretStatements.Create(c, database)),
        new(["alter", "secret"], (c, database, _) => SecretStatements.Alter(c, database)),
        new(["alter", "connection"], (c, database, _) => ConnectionStatements.Alter(c, database)),
        new(["validate", "connection"], (c, database, _) => ConnectionStatements.Validate(c, database)),

        // Network policies (NetworkPolicyStatements.cs).
        new(["create", "network", "policy"], (c, _, _) => NetworkPolicyStatements.Create(c)),
        new(["alter", "network", "policy"], (c, _, _) => NetworkPolicyStatements.Alter(c)),
        new(["drop", "network", "policy"], (c, _, _) => NetworkPolicyStatements.Drop(c)),
        new(["show", "network", "policies"], (c, _, _) => NetworkPolicyStatements.Show(c)),

        // Subscriptions as cursors (SubscribeStatements.cs).
        new(["declare"], (c, database, _) => SubscribeStatements.Declare(c, database)),
        new(["fetch"], (c, _, _) => SubscribeStatements.Fetch(c)),
    ];

    // The routes by first keyword, longest first: a statement tries only the few that share its first word.
    private static readonly Dictionary<string, StatementRoute[]> ByFirstWord = Routes
        .GroupBy(r => r.Words[0])
        .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.Words.Length).ToArray());

    /// <summary>
    /// The longest route whose keywords lead <paramref name="statement"/>, and a cursor past them; null when no
    /// route matches.
    /// </summary>
    public static (StatementRoute Route, TokenCursor Cursor)? Find(LexedStatement statement)
    {
        if (statement.Tokens.Count == 0 || statement.Tokens[0].Kind != TokenKind.Identifier
            || !ByFirstWord.TryGetValue(statement.Tokens[0].Value, out var routes))
        {
            return null;
        }

        var cursor = statement.Cursor();
        foreach (var route in routes)
        {
            cursor.Index = 0;
            if (cursor.Words(route.Words))
            {
                return (route, cursor);
            }
        }

        return null;
    }
}
