namespace MzDeploy.Engine.Sql;

/// <summary>Sources, sinks, connections, secrets, clusters, network policies and constraints.</summary>
internal sealed partial class Parser
{
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

        // From here on the statement is the secret: no error message may quote it.
        _inSecretValue = true;
        var start = _pos;
        ParseExpression(new QueryScope(null), "secret value");
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
}
