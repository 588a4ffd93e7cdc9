namespace MzDeploy.Engine.Sql;

/// <summary>Statements a deploy tool sends rather than project files hold: DML, DROP, ALTER, SUBSCRIBE, SHOW.</summary>
internal sealed partial class Parser
{
    /// <summary>Object types of DROP / ALTER / SHOW CREATE, longest first, with the kind and length of their names.</summary>
    private static readonly (string Type, ReferenceKind Kind, int MaxParts)[] ObjectTypes =
    [
        ("materialized view", ReferenceKind.Relation, 3),
        ("cluster replica", ReferenceKind.ClusterReplica, 2),
        ("network policy", ReferenceKind.NetworkPolicy, 1),
        ("table", ReferenceKind.Relation, 3),
        ("view", ReferenceKind.Relation, 3),
        ("source", ReferenceKind.Source, 3),
        ("sink", ReferenceKind.Sink, 3),
        ("index", ReferenceKind.Index, 3),
        ("connection", ReferenceKind.Connection, 3),
        ("secret", ReferenceKind.Secret, 3),
        ("type", ReferenceKind.Type, 3),
        ("cluster", ReferenceKind.Cluster, 1),
        ("database", ReferenceKind.Database, 1),
        ("schema", ReferenceKind.Schema, 2),
        ("role", ReferenceKind.Role, 1),
    ];

    /// <summary>Consumes an object type from <see cref="ObjectTypes"/>, if one comes next.</summary>
    private (string Type, ReferenceKind Kind, int MaxParts)? AcceptObjectType()
    {
        foreach (var entry in ObjectTypes)
        {
            if (AcceptSequence(entry.Type.Split(' ')))
            {
                return entry;
            }
        }

        return null;
    }

    private CreateNamespaceStatement ParseCreateNamespace()
    {
        var database = Advance().IsKeyword("database");
        var ifNotExists = AcceptSequence("if", "not", "exists");
        var name = ParseObjectName(database ? "database name" : "schema name", database ? 1 : 2);
        return new CreateNamespaceStatement(database) { Name = name, IfNotExists = ifNotExists };
    }

    private InsertStatement ParseInsert()
    {
        ExpectSequence("insert", "into");
        var target = ParseObjectName("table name");
        AddReference(target, ReferenceKind.Relation);
        if (Accept("as"))
        {
            ParseIdentifier("alias");
        }

        var columns = Is(TokenKind.LeftParen) && !StartsParenthesizedQuery()
            ? ParseParenthesizedIdentifiers("column name")
            : new List<Identifier>();
        SqlQuery? query = null;
        if (!AcceptSequence("default", "values"))
        {
            query = ParseQueryClause();
        }

        // ON CONFLICT …, RETURNING …: expressions only.
        ScanExpression(new QueryScope(null), ExpressionStops.None);
        return new InsertStatement { Target = target, Columns = columns, Query = query };
    }

    private UpdateStatement ParseUpdateOrDelete()
    {
        var delete = Advance().IsKeyword("delete");
        if (delete)
        {
            Expect("from");
        }

        var target = ParseObjectName("table name");
        AddReference(target, ReferenceKind.Relation);
        if (Accept("as") || (Current.Kind == TokenKind.QuotedIdentifier)
            || (Current.Kind == TokenKind.Identifier && !NameReserved.Contains(Current.Value) && !Is("set")))
        {
            ParseIdentifier("alias", allowReserved: Previous().IsKeyword("as"));
        }

        var scope = new QueryScope(null);
        if (!delete)
        {
            Expect("set");
            ScanExpression(scope, ExpressionStops.Clause, "assignment");
        }

        if (Accept(delete ? "using" : "from"))
        {
            ParseFromList(scope);
        }

        if (Accept("where"))
        {
            ScanExpression(scope, ExpressionStops.Comma, "WHERE condition");
        }

        ScanExpression(scope, ExpressionStops.None);
        return new UpdateStatement(delete) { Target = target };
    }

    private SqlStatement ParseDrop()
    {
        Expect("drop");
        var type = AcceptObjectType();
        if (type is null)
        {
            return ParseOther();
        }

        var ifExists = AcceptSequence("if", "exists");
        var names = new List<ObjectName>();
        do
        {
            names.Add(ParseObjectName($"{type.Value.Type} name", type.Value.MaxParts));
        }
        while (Accept(TokenKind.Comma));

        bool? cascade = Accept("cascade") ? true : Accept("restrict") ? false : null;
        return new DropStatement
        {
            Name = names[0],
            ObjectType = type.Value.Type.ToUpperInvariant(),
            IfExists = ifExists,
            Cascade = cascade,
            Names = names,
        };
    }

    private SqlStatement ParseAlter()
    {
        Expect("alter");
        var type = AcceptObjectType();
        if (type is null)
        {
            return ParseOther();
        }

        var ifExists = AcceptSequence("if", "exists");
        var name = ParseObjectName($"{type.Value.Type} name", type.Value.MaxParts);
        var restStart = _pos;
        string action;
        Identifier? newName = null;
        ObjectName? from = null;
        if (AcceptSequence("swap", "with"))
        {
            action = "SWAP WITH";
            newName = ParseIdentifier("name to swap with");
        }
        else if (AcceptSequence("rename", "to"))
        {
            action = "RENAME TO";
            newName = ParseIdentifier("new name");
        }
        else if (AcceptSequence("set", "from"))
        {
            action = "SET FROM";
            from = ParseObjectName("sink input");
            AddReference(from, ReferenceKind.Relation);
        }
        else if (AcceptSequence("owner", "to"))
        {
            action = "OWNER TO";
            ParseRoleList();
        }
        else if (AcceptSequence("set", "cluster"))
        {
            action = "SET CLUSTER";
            AddReference(ParseIdentifier("cluster name"), ReferenceKind.Cluster);
        }
        else if (AcceptSequence("apply", "replacement"))
        {
            action = "APPLY REPLACEMENT";
            AddReference(ParseObjectName("replacement materialized view"), ReferenceKind.Relation);
        }
        else if (Is(TokenKind.Identifier))
        {
            action = Current.Value.ToUpperInvariant();
            _pos = _tokens.Count - 1;
        }
        else
        {
            throw Error("an ALTER action");
        }

        return new AlterStatement
        {
            Name = name,
            From = from,
            ObjectType = type.Value.Type.ToUpperInvariant(),
            IfExists = ifExists,
            Action = action,
            NewName = newName,
            Rest = Fragment(restStart, _pos),
        };
    }

    private SubscribeStatement ParseSubscribe()
    {
        Expect("subscribe");
        Accept("to");
        SqlQuery? query = null;
        ObjectName? target = null;
        if (Accept(TokenKind.LeftParen))
        {
            query = ParseQueryClause();
            Expect(TokenKind.RightParen);
        }
        else
        {
            target = ParseObjectName("relation name");
            AddReference(target, ReferenceKind.Relation);
        }

        // WITH (…), AS OF …, UP TO …, ENVELOPE …, WITHIN TIMESTAMP ORDER BY …
        ScanExpression(new QueryScope(null), ExpressionStops.None);
        return new SubscribeStatement { Target = target, Query = query };
    }

    private DeclareStatement ParseDeclare()
    {
        Expect("declare");
        var cursor = ParseIdentifier("cursor name");
        Expect("cursor");
        AcceptSequence("without", "hold");
        Expect("for");
        if (AtEnd)
        {
            throw Error("a statement");
        }

        var start = _pos;
        var firstReference = _references.Count;
        SqlStatement inner;
        EnterNesting(); // DECLARE … FOR DECLARE … FOR …
        try
        {
            inner = ParseStatementCore();
        }
        finally
        {
            LeaveNesting();
        }

        inner.Span = TextSpan.FromBounds(_tokens[start].Span.Start, _tokens[_pos - 1].Span.End);
        inner.Source = _text;
        inner.References = _references.Skip(firstReference).ToArray();
        inner.NameTokenIndexes = NameIndexes(start, _pos);
        return new DeclareStatement { CursorName = cursor, Inner = inner };
    }

    private ShowStatement ParseShow()
    {
        Expect("show");
        if (Accept("columns"))
        {
            if (!Accept("from"))
            {
                Expect("in");
            }

            var relation = ParseObjectName("relation name");
            AddReference(relation, ReferenceKind.Relation);
            _pos = _tokens.Count - 1;
            return new ShowStatement { Target = relation, What = "COLUMNS" };
        }

        if (Accept("create"))
        {
            var type = AcceptObjectType() ?? throw Error("object type");
            var target = ParseObjectName($"{type.Type} name", type.MaxParts);
            AddReference(target, type.Kind);
            return new ShowStatement { Target = target, What = "CREATE " + type.Type.ToUpperInvariant() };
        }

        var what = AtEnd ? string.Empty : Current.Value.ToUpperInvariant();
        _pos = _tokens.Count - 1;
        return new ShowStatement { What = what };
    }
}
