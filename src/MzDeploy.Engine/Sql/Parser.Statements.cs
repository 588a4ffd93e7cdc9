namespace MzDeploy.Engine.Sql;

internal sealed partial class Parser
{
    /// <summary>Parses the whole statement; anything left over is a syntax error.</summary>
    public SqlStatement ParseStatement()
    {
        var statement = ParseStatementCore();
        if (!AtEnd)
        {
            throw Error("end of statement");
        }

        var last = _tokens.Count - 2;
        statement.Span = TextSpan.FromBounds(_tokens[0].Span.Start, _tokens[last].Span.End);
        statement.Source = _text;
        statement.Tokens = _tokens.GetRange(0, last + 1);
        statement.References = _references.ToArray();
        foreach (var index in _nameTokens)
        {
            _tokens.MarkName(index);
        }

        return statement;
    }

    private SqlStatement ParseStatementCore()
    {
        if (Is("create"))
        {
            return ParseCreate();
        }

        if (IsSequence("alter", "role"))
        {
            return ParseAlterRole();
        }

        if (IsSequence("alter", "default", "privileges"))
        {
            return ParseAlterDefaultPrivileges();
        }

        if (IsSequence("comment", "on"))
        {
            return ParseComment();
        }

        if (Is("grant") || Is("revoke"))
        {
            return ParseGrant();
        }

        if (Is("set"))
        {
            return ParseSet();
        }

        if (IsSequence("execute", "unit", "test"))
        {
            return ParseUnitTest();
        }

        if (IsQueryStart(0) || (Is(TokenKind.LeftParen) && StartsParenthesizedQuery()))
        {
            return new QueryStatement { Query = ParseQueryClause() };
        }

        if (Is("alter"))
        {
            return ParseAlter();
        }

        if (IsSequence("insert", "into"))
        {
            return ParseInsert();
        }

        if (Is("update") || IsSequence("delete", "from"))
        {
            return ParseUpdateOrDelete();
        }

        if (Is("drop"))
        {
            return ParseDrop();
        }

        if (Is("subscribe"))
        {
            return ParseSubscribe();
        }

        if (Is("declare"))
        {
            return ParseDeclare();
        }

        if (Is("show"))
        {
            return ParseShow();
        }

        return ParseOther();
    }

    /// <summary>Whether the '(' at <paramref name="ahead"/> opens (possibly nested) parentheses around a query.</summary>
    private bool StartsParenthesizedQuery(int ahead = 0)
    {
        var inner = ahead;
        while (Is(TokenKind.LeftParen, inner))
        {
            inner++;
        }

        return IsQueryStart(inner);
    }

    private OtherStatement ParseOther()
    {
        _pos = _tokens.Count - 1;
        return new OtherStatement();
    }

    private SqlStatement ParseCreate()
    {
        Expect("create");
        var orReplace = AcceptSequence("or", "replace");
        var temporary = Accept("temporary") || Accept("temp");
        if (Is("view"))
        {
            return ParseCreateView(materialized: false, replacement: false, orReplace, temporary);
        }

        if (IsSequence("materialized", "view"))
        {
            return ParseCreateView(materialized: true, replacement: false, orReplace, temporary);
        }

        if (IsSequence("replacement", "materialized", "view"))
        {
            return ParseCreateView(materialized: true, replacement: true, orReplace, temporary);
        }

        if (Is("index") || IsSequence("default", "index"))
        {
            return ParseCreateIndex();
        }

        if (Is("table"))
        {
            return ParseCreateTable(temporary);
        }

        if (Is("source"))
        {
            return ParseCreateSource();
        }

        if (Is("sink"))
        {
            return ParseCreateSink();
        }

        if (Is("connection"))
        {
            return ParseCreateConnection();
        }

        if (Is("secret"))
        {
            return ParseCreateSecret();
        }

        if (Is("cluster") && !Is("replica", 1))
        {
            return ParseCreateCluster();
        }

        if (Is("role"))
        {
            return ParseCreateRole();
        }

        if (IsSequence("network", "policy"))
        {
            return ParseCreateNetworkPolicy();
        }

        if ((Is("schema") || Is("database")) && !orReplace && !temporary)
        {
            return ParseCreateNamespace();
        }

        if (IsSequence("primary", "key") || IsSequence("unique", "constraint") || IsSequence("foreign", "key"))
        {
            return ParseCreateConstraint();
        }

        return ParseOther();
    }

    private CreateViewStatement ParseCreateView(bool materialized, bool replacement, bool orReplace, bool temporary)
    {
        Accept("replacement");
        Accept("materialized");
        Expect("view");
        var ifNotExists = AcceptSequence("if", "not", "exists");
        var name = ParseObjectName(materialized ? "materialized view name" : "view name");
        var columns = Is(TokenKind.LeftParen) ? ParseParenthesizedIdentifiers("column name") : new List<Identifier>();
        ObjectName? target = null;
        Identifier? cluster = null;
        var options = new List<SqlOption>();
        while (true)
        {
            if (replacement && target is null && Accept("for"))
            {
                target = ParseObjectName("replaced materialized view");
                AddReference(target, ReferenceKind.Relation);
            }
            else if (materialized && cluster is null && IsSequence("in", "cluster"))
            {
                cluster = ParseOptionalInCluster();
            }
            else if (Is("with") && Is(TokenKind.LeftParen, 1))
            {
                Advance();
                options.AddRange(ParseOptionList());
            }
            else
            {
                break;
            }
        }

        Expect("as");
        var query = ParseQueryClause();
        return new CreateViewStatement(materialized)
        {
            Name = name,
            Target = target,
            InCluster = cluster,
            OrReplace = orReplace,
            IfNotExists = ifNotExists,
            Temporary = temporary,
            Replacement = replacement,
            Columns = columns,
            Options = options,
            Query = query,
        };
    }

    private CreateIndexStatement ParseCreateIndex()
    {
        var isDefault = Accept("default");
        Expect("index");
        var ifNotExists = AcceptSequence("if", "not", "exists");
        Identifier? name = null;
        if (!IsSequence("in", "cluster") && !Is("on"))
        {
            name = ParseIdentifier("index name");
        }

        var cluster = ParseOptionalInCluster();
        Expect("on");
        var target = ParseObjectName("indexed relation");
        AddReference(target, ReferenceKind.Relation);
        Identifier? method = null;
        if (Accept("using"))
        {
            method = ParseIdentifier("index method", allowReserved: true);
        }

        var keys = new List<SqlFragment>();
        if (Accept(TokenKind.LeftParen))
        {
            if (!Is(TokenKind.RightParen))
            {
                do
                {
                    var start = _pos;
                    ParseExpression(new QueryScope(null), "index key expression");
                    keys.Add(Fragment(start, _pos));
                }
                while (Accept(TokenKind.Comma));
            }

            Expect(TokenKind.RightParen);
        }

        var options = new List<SqlOption>();
        if (Accept("with"))
        {
            options = ParseOptionList();
        }

        return new CreateIndexStatement
        {
            Name = name is null ? null : new ObjectName(new[] { name }, name.Span),
            Target = target,
            InCluster = cluster,
            IsDefault = isDefault,
            IfNotExists = ifNotExists,
            Using = method,
            KeyParts = keys,
            Options = options,
        };
    }
}
