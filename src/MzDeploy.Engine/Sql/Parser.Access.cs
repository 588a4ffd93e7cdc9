namespace MzDeploy.Engine.Sql;

internal sealed partial class Parser
{
    private CreateRoleStatement ParseCreateRole()
    {
        Expect("role");
        var name = ParseIdentifier("role name");
        Accept("with");
        var options = new List<string>();
        while (!AtEnd)
        {
            var token = Advance();
            options.Add(token.Kind == TokenKind.Identifier ? token.Value.ToUpperInvariant() : token.Text);
        }

        return new CreateRoleStatement { Name = new ObjectName(new[] { name }, name.Span), Options = options };
    }

    private AlterRoleStatement ParseAlterRole()
    {
        ExpectSequence("alter", "role");
        var name = ParseIdentifier("role name");
        var start = _pos;
        if (AtEnd)
        {
            throw Error("role option, SET, RESET or RENAME");
        }

        _pos = _tokens.Count - 1;
        return new AlterRoleStatement { Name = new ObjectName(new[] { name }, name.Span), Action = Fragment(start, _pos) };
    }

    private CommentStatement ParseComment()
    {
        ExpectSequence("comment", "on");
        // Everything DROP/ALTER name, plus the two kinds only COMMENT ON takes.
        (string Type, ReferenceKind Kind, int MaxParts)[] types =
        [
            .. ObjectTypes,
            ("function", ReferenceKind.Function, 3),
            ("column", ReferenceKind.Relation, 4),
        ];

        foreach (var (type, kind, maxParts) in types)
        {
            var words = type.Split(' ');
            if (!AcceptSequence(words))
            {
                continue;
            }

            ObjectName target;
            Identifier? column = null;
            if (type == "column")
            {
                var full = ParseObjectName("column name", maxParts);
                if (full.Parts.Count < 2)
                {
                    throw new SyntaxException("a column comment needs relation.column", full.Span);
                }

                var relationParts = full.Parts.Take(full.Parts.Count - 1).ToArray();
                target = new ObjectName(relationParts, TextSpan.FromBounds(relationParts[0].Span.Start, relationParts[^1].Span.End));
                column = full.Parts[^1];
            }
            else
            {
                target = ParseObjectName($"{type} name", maxParts);
            }

            AddReference(target, kind);
            Expect("is");
            string? comment = null;
            if (!Accept("null"))
            {
                comment = Expect(TokenKind.String).Value;
            }

            return new CommentStatement
            {
                Target = target,
                ObjectType = type.ToUpperInvariant(),
                Column = column,
                Comment = comment,
            };
        }

        throw Error("object type (TABLE, VIEW, MATERIALIZED VIEW, COLUMN, SCHEMA, …)");
    }

    private SqlStatement ParseGrant()
    {
        var revoke = Advance().IsKeyword("revoke");
        if (!HasOnBeforeGrantee())
        {
            var roles = ParseRoleList();
            Expect(revoke ? "from" : "to");
            var members = ParseRoleList();
            if (revoke && !Accept("cascade"))
            {
                Accept("restrict");
            }

            return new GrantRoleStatement(revoke) { Roles = roles, Members = members };
        }

        var privileges = ParsePrivileges();
        Expect("on");
        string objectType;
        var all = false;
        string? allIn = null;
        var targets = new List<ObjectName>();
        if (Accept("system"))
        {
            objectType = "SYSTEM";
        }
        else if (Accept("all"))
        {
            all = true;
            objectType = ParseObjectTypeWords();
            if (AcceptSequence("in", "schema"))
            {
                allIn = "SCHEMA";
                targets = ParseNameList("schema name", 2, ReferenceKind.Schema);
            }
            else if (AcceptSequence("in", "database"))
            {
                allIn = "DATABASE";
                targets = ParseNameList("database name", 1, ReferenceKind.Database);
            }
        }
        else
        {
            (string Type, ReferenceKind Kind, int MaxParts)[] types =
            [
                ("materialized view", ReferenceKind.Relation, 3),
                ("table", ReferenceKind.Relation, 3),
                ("view", ReferenceKind.Relation, 3),
                ("source", ReferenceKind.Source, 3),
                ("type", ReferenceKind.Type, 3),
                ("secret", ReferenceKind.Secret, 3),
                ("connection", ReferenceKind.Connection, 3),
                ("database", ReferenceKind.Database, 1),
                ("schema", ReferenceKind.Schema, 2),
                ("cluster", ReferenceKind.Cluster, 1),
            ];
            var match = types.FirstOrDefault(t => IsSequence(t.Type.Split(' ')));
            if (match.Type is null)
            {
                match = ("table", ReferenceKind.Relation, 3);
            }
            else
            {
                _pos += match.Type.Split(' ').Length;
            }

            objectType = match.Type.ToUpperInvariant();
            targets = ParseNameList($"{match.Type} name", match.MaxParts, match.Kind);
        }

        Expect(revoke ? "from" : "to");
        var grantees = ParseRoleList();
        if (revoke && !Accept("cascade"))
        {
            Accept("restrict");
        }

        return new GrantStatement(revoke)
        {
            Target = targets.Count > 0 && allIn is null ? targets[0] : null,
            Privileges = privileges,
            ObjectType = objectType,
            All = all,
            AllIn = allIn,
            Targets = targets,
            Grantees = grantees,
        };
    }

    /// <summary>Whether an ON comes before TO/FROM: a privilege grant rather than a role grant.</summary>
    private bool HasOnBeforeGrantee()
    {
        for (var i = _pos; i < _tokens.Count; i++)
        {
            var token = _tokens[i];
            if (token.IsKeyword("on"))
            {
                return true;
            }

            if (token.IsKeyword("to") || token.IsKeyword("from"))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Privilege names, upper case; <c>ALL PRIVILEGES</c> becomes <c>ALL</c>.</summary>
    private List<string> ParsePrivileges()
    {
        var privileges = new List<string>();
        do
        {
            if (!Is(TokenKind.Identifier) || Is("on"))
            {
                throw Error("privilege");
            }

            var word = Advance().Value.ToUpperInvariant();
            if (word == "ALL")
            {
                Accept("privileges");
            }

            privileges.Add(word);
        }
        while (Accept(TokenKind.Comma));

        return privileges;
    }

    /// <summary>Upper-case object type words up to IN / TO / FROM (<c>TABLES</c>, <c>MATERIALIZED VIEWS</c>).</summary>
    private string ParseObjectTypeWords()
    {
        var words = new List<string>();
        while (Is(TokenKind.Identifier) && !Is("in") && !Is("to") && !Is("from"))
        {
            words.Add(Advance().Value.ToUpperInvariant());
        }

        if (words.Count == 0)
        {
            throw Error("object type");
        }

        return string.Join(' ', words);
    }

    private List<ObjectName> ParseNameList(string what, int maxParts, ReferenceKind kind)
    {
        var names = new List<ObjectName>();
        do
        {
            var name = ParseObjectName(what, maxParts);
            AddReference(name, kind);
            names.Add(name);
        }
        while (Accept(TokenKind.Comma));

        return names;
    }

    /// <summary>Role names; each is a <see cref="ReferenceKind.Role"/> reference except the pseudo-role PUBLIC.</summary>
    private List<Identifier> ParseRoleList()
    {
        var roles = new List<Identifier>();
        do
        {
            Accept("group");
            var role = ParseIdentifier("role name");
            if (!(role.Value == "public" && !role.Quoted))
            {
                AddReference(role, ReferenceKind.Role);
            }

            roles.Add(role);
        }
        while (Accept(TokenKind.Comma));

        return roles;
    }

    private AlterDefaultPrivilegesStatement ParseAlterDefaultPrivileges()
    {
        ExpectSequence("alter", "default", "privileges");
        var forAll = false;
        var forRoles = new List<Identifier>();
        var schemas = new List<ObjectName>();
        var databases = new List<ObjectName>();
        while (true)
        {
            if (Accept("for"))
            {
                if (AcceptSequence("all", "roles"))
                {
                    forAll = true;
                }
                else
                {
                    if (!Accept("role"))
                    {
                        Expect("user");
                    }

                    forRoles.AddRange(ParseRoleList());
                }
            }
            else if (AcceptSequence("in", "schema"))
            {
                schemas.AddRange(ParseNameList("schema name", 2, ReferenceKind.Schema));
            }
            else if (AcceptSequence("in", "database"))
            {
                databases.AddRange(ParseNameList("database name", 1, ReferenceKind.Database));
            }
            else
            {
                break;
            }
        }

        bool revoke;
        if (Accept("grant"))
        {
            revoke = false;
        }
        else if (Accept("revoke"))
        {
            revoke = true;
        }
        else
        {
            throw Error("GRANT or REVOKE");
        }

        var privileges = ParsePrivileges();
        Expect("on");
        var objectType = ParseObjectTypeWords();
        Expect(revoke ? "from" : "to");
        var grantees = ParseRoleList();
        return new AlterDefaultPrivilegesStatement
        {
            ForAllRoles = forAll,
            ForRoles = forRoles,
            InSchemas = schemas,
            InDatabases = databases,
            IsRevoke = revoke,
            Privileges = privileges,
            ObjectType = objectType,
            Grantees = grantees,
        };
    }

    private SetStatement ParseSet()
    {
        Expect("set");
        if (!Accept("session"))
        {
            Accept("local");
        }

        var variable = ParseIdentifier("variable name", allowReserved: true);
        if (Current.IsOperator("="))
        {
            Advance();
        }
        else
        {
            Expect("to");
        }

        var start = _pos;
        if (AtEnd)
        {
            throw Error("a value");
        }

        _pos = _tokens.Count - 1;
        return new SetStatement { Variable = variable, Value = Fragment(start, _pos) };
    }
}
