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
        statement.Text = statement.Span.Slice(_text);
        statement.Tokens = _tokens.GetRange(0, last + 1);
        statement.References = _references.ToArray();
        statement.NameTokenStarts = new HashSet<int>(_nameTokens);
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

        return ParseOther();
    }

    private bool StartsParenthesizedQuery()
    {
        var inner = 0;
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
                    ScanExpression(new QueryScope(null), ExpressionStops.Comma, "index key expression");
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

    private CreateTableStatement ParseCreateTable(bool temporary)
    {
        Expect("table");
        var ifNotExists = AcceptSequence("if", "not", "exists");
        var name = ParseObjectName("table name");
        var columns = new List<ColumnDefinition>();
        if (Is(TokenKind.LeftParen))
        {
            columns = ParseColumnDefinitions(table: true, requireType: !ParenthesesFollowedBy("from", "source"));
        }

        if (!AcceptSequence("from", "source"))
        {
            var tableOptions = new List<SqlOption>();
            if (Accept("with"))
            {
                tableOptions = ParseOptionList();
            }

            return new CreateTableStatement(fromSource: false)
            {
                Name = name,
                IfNotExists = ifNotExists,
                Temporary = temporary,
                Columns = columns,
                Options = tableOptions,
            };
        }

        var source = ParseObjectName("source name");
        AddReference(source, ReferenceKind.Source);
        ObjectName? upstream = null;
        if (Accept(TokenKind.LeftParen))
        {
            do
            {
                if (Accept("reference"))
                {
                    if (Current.IsOperator("="))
                    {
                        Advance();
                    }

                    upstream = ParseObjectName("upstream table name", maxParts: 4);
                }
                else
                {
                    SkipToListEnd();
                }
            }
            while (Accept(TokenKind.Comma));

            Expect(TokenKind.RightParen);
        }

        var options = new List<SqlOption>();
        while (!AtEnd)
        {
            if (Is("with") && Is(TokenKind.LeftParen, 1))
            {
                Advance();
                options.AddRange(ParseOptionList());
            }
            else
            {
                ScanConnectorReference();
            }
        }

        return new CreateTableStatement(fromSource: true)
        {
            Name = name,
            From = source,
            IfNotExists = ifNotExists,
            Temporary = temporary,
            Columns = columns,
            UpstreamReference = upstream,
            Options = options,
        };
    }

    /// <summary>Whether the parenthesised group at the current token is followed by the given words.</summary>
    private bool ParenthesesFollowedBy(params string[] words)
    {
        var mark = Mark();
        try
        {
            SkipBalanced();
            return IsSequence(words);
        }
        catch (SyntaxException)
        {
            return false;
        }
        finally
        {
            Reset(mark);
        }
    }

    private CreateSourceStatement ParseCreateSource()
    {
        Expect("source");
        var ifNotExists = AcceptSequence("if", "not", "exists");
        var name = ParseObjectName("source name");
        if (Is(TokenKind.LeftParen))
        {
            SkipBalanced();
        }

        var cluster = ParseOptionalInCluster();
        Expect("from");
        var kind = ParseConnectorKind();
        var connection = ScanConnectorReferences();
        return new CreateSourceStatement
        {
            Name = name,
            InCluster = cluster,
            IfNotExists = ifNotExists,
            ConnectorKind = kind,
            Connection = connection,
        };
    }

    private CreateSinkStatement ParseCreateSink()
    {
        Expect("sink");
        var ifNotExists = AcceptSequence("if", "not", "exists");
        var name = ParseObjectName("sink name");
        var cluster = ParseOptionalInCluster();
        Expect("from");
        var from = ParseObjectName("sink input");
        AddReference(from, ReferenceKind.Relation);
        Expect("into");
        var kind = ParseConnectorKind();
        var connection = ScanConnectorReferences();
        return new CreateSinkStatement
        {
            Name = name,
            InCluster = cluster,
            From = from,
            IfNotExists = ifNotExists,
            ConnectorKind = kind,
            Connection = connection,
        };
    }

    private CreateConnectionStatement ParseCreateConnection()
    {
        Expect("connection");
        var ifNotExists = AcceptSequence("if", "not", "exists");
        var name = ParseObjectName("connection name");
        if (!Accept("to"))
        {
            Expect("for");
        }

        var kind = ParseConnectorKind();
        var options = new List<SqlOption>();
        if (Is(TokenKind.LeftParen))
        {
            var start = _pos;
            options = ParseOptionList();
            var end = _pos;
            _pos = start;
            while (_pos < end)
            {
                ScanConnectorReference();
            }
        }

        if (Accept("with"))
        {
            options.AddRange(ParseOptionList());
        }

        return new CreateConnectionStatement
        {
            Name = name,
            IfNotExists = ifNotExists,
            ConnectorKind = kind,
            Options = options,
        };
    }

    /// <summary>The connector or connection type after FROM / INTO / TO, upper case.</summary>
    private string ParseConnectorKind()
    {
        string[][] multiWord =
        [
            ["load", "generator"],
            ["sql", "server"],
            ["confluent", "schema", "registry"],
            ["ssh", "tunnel"],
            ["aws", "privatelink"],
            ["iceberg", "catalog"],
        ];
        foreach (var words in multiWord)
        {
            if (AcceptSequence(words))
            {
                return string.Join(' ', words).ToUpperInvariant();
            }
        }

        if (!Is(TokenKind.Identifier))
        {
            throw Error("connector type");
        }

        return Advance().Value.ToUpperInvariant();
    }

    /// <summary>Scans the rest of the statement for connection and secret references; returns the first connection.</summary>
    private ObjectName? ScanConnectorReferences()
    {
        ObjectName? first = null;
        while (!AtEnd)
        {
            var found = ScanConnectorReference();
            if (found is { Kind: ReferenceKind.Connection } && first is null)
            {
                first = found.Name;
            }
        }

        return first;
    }

    /// <summary>
    /// Consumes one token, or a whole reference: <c>CONNECTION [=] name</c>, <c>SSH TUNNEL name</c>,
    /// <c>AWS PRIVATELINK name</c> (connections) and <c>SECRET name</c> (secrets).
    /// </summary>
    private Reference? ScanConnectorReference()
    {
        var token = Current;
        if (token.Kind == TokenKind.Identifier)
        {
            var kind = token.Value switch
            {
                "connection" or "tunnel" or "privatelink" => ReferenceKind.Connection,
                "secret" => ReferenceKind.Secret,
                _ => (ReferenceKind?)null,
            };
            if (kind is not null)
            {
                var mark = Mark();
                Advance();
                if (kind == ReferenceKind.Connection && Current.IsOperator("="))
                {
                    Advance();
                }

                if (IsIdentifierToken(Current, allowReserved: false))
                {
                    var name = ParseObjectName(kind == ReferenceKind.Secret ? "secret name" : "connection name");

                    // "SECRET ACCESS KEY = SECRET s": only a name that ends the value is a secret reference.
                    if (kind == ReferenceKind.Connection
                        || AtEnd || Is(TokenKind.Comma) || Is(TokenKind.RightParen) || Is("as"))
                    {
                        var reference = new Reference(name, kind.Value);
                        _references.Add(reference);
                        return reference;
                    }
                }

                Reset(mark);
            }
        }

        Advance();
        return null;
    }

    private CreateSecretStatement ParseCreateSecret()
    {
        Expect("secret");
        var ifNotExists = AcceptSequence("if", "not", "exists");
        var name = ParseObjectName("secret name");
        Expect("as");
        var start = _pos;
        ScanExpression(new QueryScope(null), ExpressionStops.None, "secret value");
        return new CreateSecretStatement { Name = name, IfNotExists = ifNotExists, Value = Fragment(start, _pos) };
    }

    private CreateClusterStatement ParseCreateCluster()
    {
        Expect("cluster");
        var name = ParseIdentifier("cluster name");
        var options = new List<SqlOption>();
        if (Is(TokenKind.LeftParen))
        {
            options = ParseOptionList();
        }
        else if (!AtEnd)
        {
            options = ParseOptionList(parenthesized: false);
        }

        return new CreateClusterStatement { Name = new ObjectName(new[] { name }, name.Span), Options = options };
    }

    private CreateNetworkPolicyStatement ParseCreateNetworkPolicy()
    {
        ExpectSequence("network", "policy");
        var name = ParseIdentifier("network policy name");
        var options = ParseOptionList();
        return new CreateNetworkPolicyStatement { Name = new ObjectName(new[] { name }, name.Span), Options = options };
    }

    private CreateConstraintStatement ParseCreateConstraint()
    {
        ConstraintKind kind;
        if (AcceptSequence("primary", "key"))
        {
            kind = ConstraintKind.PrimaryKey;
        }
        else if (AcceptSequence("unique", "constraint"))
        {
            kind = ConstraintKind.Unique;
        }
        else
        {
            ExpectSequence("foreign", "key");
            kind = ConstraintKind.ForeignKey;
        }

        var enforced = !AcceptSequence("not", "enforced");
        Identifier? name = null;
        if (!IsSequence("in", "cluster") && !Is("on") && !IsSequence("not", "enforced"))
        {
            name = ParseIdentifier("constraint name");
        }

        enforced &= !AcceptSequence("not", "enforced");
        var cluster = ParseOptionalInCluster();
        Expect("on");
        var target = ParseObjectName("constrained object");
        AddReference(target, ReferenceKind.Relation);
        var columns = ParseParenthesizedIdentifiers("column name");
        ObjectName? referenced = null;
        var referencedColumns = new List<Identifier>();
        if (kind == ConstraintKind.ForeignKey)
        {
            Expect("references");
            referenced = ParseObjectName("referenced object");
            AddReference(referenced, ReferenceKind.Relation);
            referencedColumns = ParseParenthesizedIdentifiers("column name");
        }

        return new CreateConstraintStatement
        {
            Name = name is null ? null : new ObjectName(new[] { name }, name.Span),
            Target = target,
            InCluster = cluster,
            ConstraintKind = kind,
            Enforced = enforced,
            Columns = columns,
            ReferencedObject = referenced,
            ReferencedColumns = referencedColumns,
        };
    }

    /// <summary>
    /// <c>(name type [constraints], …)</c>. For tables, table constraints (<c>PRIMARY KEY (…)</c>, …) are
    /// skipped and a column's type ends where its constraints begin.
    /// </summary>
    private List<ColumnDefinition> ParseColumnDefinitions(bool table, bool requireType = true)
    {
        Expect(TokenKind.LeftParen);
        var columns = new List<ColumnDefinition>();
        if (Accept(TokenKind.RightParen))
        {
            return columns;
        }

        do
        {
            if (table && (Is("primary") || Is("unique") || Is("constraint") || Is("check") || Is("foreign")))
            {
                SkipToListEnd();
                continue;
            }

            var start = _pos;
            var name = ParseIdentifier("column name");
            var typeStart = _pos;
            while (!AtEnd && !Is(TokenKind.Comma) && !Is(TokenKind.RightParen) && !(table && IsColumnConstraintStart()))
            {
                if (Is(TokenKind.LeftParen) || Is(TokenKind.LeftBracket))
                {
                    SkipBalanced();
                }
                else
                {
                    Advance();
                }
            }

            var typeEnd = _pos;
            if (typeEnd == typeStart && requireType)
            {
                throw Error("data type");
            }

            var notNull = false;
            while (!AtEnd && !Is(TokenKind.Comma) && !Is(TokenKind.RightParen))
            {
                if (AcceptSequence("not", "null"))
                {
                    notNull = true;
                }
                else if (Is(TokenKind.LeftParen) || Is(TokenKind.LeftBracket))
                {
                    SkipBalanced();
                }
                else
                {
                    Advance();
                }
            }

            var span = TextSpan.FromBounds(_tokens[start].Span.Start, _tokens[_pos - 1].Span.End);
            var type = CanonicalPrinter.RenderType(_tokens.GetRange(typeStart, typeEnd - typeStart));
            columns.Add(new ColumnDefinition(name, type, span) { NotNull = notNull });
        }
        while (Accept(TokenKind.Comma));

        Expect(TokenKind.RightParen);
        return columns;
    }

    private bool IsColumnConstraintStart() =>
        Is("not") || Is("null") || Is("default") || Is("primary") || Is("unique") || Is("references")
        || Is("check") || Is("constraint") || Is("collate") || Is("generated");
}
