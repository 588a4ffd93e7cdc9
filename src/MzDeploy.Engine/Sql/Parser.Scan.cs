namespace MzDeploy.Engine.Sql;

/// <summary>Where an expression ends, besides an unmatched ')' or ']' and the end of the statement.</summary>
[Flags]
internal enum ExpressionStops
{
    None = 0,

    /// <summary>Query clause keywords: FROM, WHERE, GROUP BY, HAVING, WINDOW, ORDER BY, LIMIT, OFFSET, FETCH, set operators, OPTIONS (…).</summary>
    Clause = 1,

    /// <summary>A ',' outside parentheses.</summary>
    Comma = 2,

    /// <summary>Join keywords: JOIN, INNER, CROSS, NATURAL, LEFT/RIGHT/FULL [OUTER] JOIN, ON.</summary>
    Join = 4,
}

/// <summary>The CTE names visible at a point of a query; an unqualified name found here is not a relation reference.</summary>
internal sealed class QueryScope
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public QueryScope(QueryScope? parent) => Parent = parent;

    public QueryScope? Parent { get; }

    public void Add(string name) => _names.Add(name);

    public bool IsCte(string name)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._names.Contains(name))
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed partial class Parser
{
    /// <summary>
    /// Scans an expression (or a list of them) up to a stop, keeping parentheses and brackets balanced and
    /// parsing every subquery inside it. Used only for the tails of tool statements (INSERT … RETURNING,
    /// UPDATE … SET, SUBSCRIBE options) that project files never hold; queries use the real expression
    /// grammar (Parser.Expression.cs), which reports malformed expressions.
    /// </summary>
    /// <returns>Whether any token was consumed.</returns>
    private bool ScanExpression(QueryScope scope, ExpressionStops stops, string? required = null)
    {
        var start = _pos;
        var closers = new Stack<TokenKind>();
        while (true)
        {
            var token = Current;
            if (token.Kind == TokenKind.EndOfFile)
            {
                if (closers.Count > 0)
                {
                    throw Error(Describe(closers.Peek()));
                }

                break;
            }

            if (closers.Count == 0)
            {
                if (token.Kind is TokenKind.RightParen or TokenKind.RightBracket)
                {
                    break;
                }

                if (token.Kind == TokenKind.Comma && stops.HasFlag(ExpressionStops.Comma))
                {
                    break;
                }

                if (stops.HasFlag(ExpressionStops.Clause) && IsClauseStop())
                {
                    break;
                }

                if (stops.HasFlag(ExpressionStops.Join) && IsJoinStop())
                {
                    break;
                }

                if (IsQueryStart(0) && !token.IsKeyword("with"))
                {
                    throw ErrorAt(token, $"unexpected {token.Value.ToUpperInvariant()}: a subquery must be in parentheses");
                }
            }
            else if (IsQueryStart(0) && !(token.IsKeyword("table")))
            {
                // A query inside parentheses that does not start right after '(' — the right-hand side of
                // a set operation such as ((SELECT …) UNION SELECT …).
                ParseQuery(scope);
                continue;
            }

            switch (token.Kind)
            {
                case TokenKind.LeftParen:
                    if (IsQueryStart(1))
                    {
                        Advance();
                        ParseQuery(scope);
                        Expect(TokenKind.RightParen);
                        continue;
                    }

                    closers.Push(TokenKind.RightParen);
                    break;
                case TokenKind.LeftBracket:
                    closers.Push(TokenKind.RightBracket);
                    break;
                case TokenKind.RightParen:
                case TokenKind.RightBracket:
                    if (closers.Peek() != token.Kind)
                    {
                        throw Error(Describe(closers.Peek()));
                    }

                    closers.Pop();
                    break;
            }

            Advance();
        }

        if (required is not null && _pos == start)
        {
            throw Error(required);
        }

        return _pos > start;
    }

    /// <summary>Whether the token <paramref name="ahead"/> starts a query: SELECT, VALUES, TABLE name, or a WITH clause.</summary>
    private bool IsQueryStart(int ahead)
    {
        var token = Peek(ahead);
        if (token.Kind != TokenKind.Identifier)
        {
            return false;
        }

        switch (token.Value)
        {
            case "select":
                return true;
            case "values":
                // VALUES is not reserved: "values" alone may be a column.
                return Is(TokenKind.LeftParen, ahead + 1);
            case "table":
                return Peek(ahead + 1).IsWord;
            case "with":
                // WITH a AS (…), WITH a(x) AS (…), WITH MUTUALLY RECURSIVE, WITH RECURSIVE — but not
                // "timestamp WITH TIME ZONE" or "WITH ORDINALITY".
                if (Is("mutually", ahead + 1) || Is("recursive", ahead + 1))
                {
                    return true;
                }

                return Peek(ahead + 1).IsWord && (Is("as", ahead + 2) || Is(TokenKind.LeftParen, ahead + 2));
            default:
                return false;
        }
    }

    private bool IsClauseStop()
    {
        var token = Current;
        if (token.Kind != TokenKind.Identifier)
        {
            return false;
        }

        switch (token.Value)
        {
            case "from":
                // x IS [NOT] DISTINCT FROM y is an operator, not the FROM clause.
                return !(Previous().IsKeyword("distinct") && (Previous(2).IsKeyword("is") || Previous(2).IsKeyword("not")));
            case "where":
            case "having":
            case "window":
            case "limit":
            case "offset":
            case "fetch":
            case "union":
            case "intersect":
            case "except":
                return true;
            case "group":
            case "order":
                return Is("by", 1);
            case "options":
                return Is(TokenKind.LeftParen, 1);
            default:
                return false;
        }
    }

    private bool IsJoinStop()
    {
        var token = Current;
        if (token.Kind != TokenKind.Identifier)
        {
            return false;
        }

        return token.Value switch
        {
            "join" or "inner" or "cross" or "natural" or "on" => true,
            "left" or "right" or "full" => Is("join", 1) || Is("outer", 1),
            _ => false,
        };
    }
}
