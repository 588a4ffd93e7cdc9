namespace MzDeploy.Engine.Sql;

/// <summary>
/// Value expressions, by precedence climbing over PostgreSQL's operator precedence (loosest first):
/// OR; AND; NOT; IS, ISNULL, NOTNULL; comparisons; BETWEEN, IN, LIKE, ILIKE, SIMILAR; any other operator
/// (<c>||</c>, <c>-&gt;&gt;</c>, <c>@&gt;</c>, <c>~~</c>, …); <c>+ -</c>; <c>* / %</c>; <c>^</c>; AT TIME ZONE;
/// COLLATE; unary <c>+ -</c>; subscripts, <c>::</c> casts and field access. The parser validates and consumes
/// the expression without building a tree: the front end needs only the relation references of the
/// subqueries inside it, and a syntax error with its position.
/// </summary>
internal sealed partial class Parser
{
    private const int PrecedenceOr = 1;
    private const int PrecedenceAnd = 2;
    private const int PrecedenceNot = 3;
    private const int PrecedenceIs = 4;
    private const int PrecedenceComparison = 5;
    private const int PrecedenceLike = 6;
    private const int PrecedenceOther = 7;
    private const int PrecedenceAdditive = 8;
    private const int PrecedenceMultiplicative = 9;
    private const int PrecedenceExponent = 10;
    private const int PrecedenceAt = 11;
    private const int PrecedenceCollate = 12;
    private const int PrecedenceUnary = 13;
    private const int PrecedencePostfix = 14;

    private const string AnExpression = "an expression";

    /// <summary>
    /// One expression. <paramref name="what"/> names it in the error when no expression starts at the
    /// current token (<c>expected WHERE condition, found end of statement</c>).
    /// </summary>
    private void ParseExpression(QueryScope scope, string what = AnExpression) => ParseBinary(scope, PrecedenceOr, what);

    /// <summary>A comma-separated list of one or more expressions.</summary>
    private void ParseExpressionList(QueryScope scope, string what = AnExpression)
    {
        do
        {
            ParseExpression(scope, what);
        }
        while (Accept(TokenKind.Comma));
    }

    /// <summary>An expression whose operators all bind at least as tightly as <paramref name="minPrecedence"/>.</summary>
    private void ParseBinary(QueryScope scope, int minPrecedence, string what = AnExpression)
    {
        EnterNesting();
        try
        {
            ParseBinaryCore(scope, minPrecedence, what);
        }
        finally
        {
            LeaveNesting();
        }
    }

    private void ParseBinaryCore(QueryScope scope, int minPrecedence, string what)
    {
        ParseUnary(scope, what);
        while (true)
        {
            var precedence = InfixPrecedence();
            if (precedence == 0 || precedence < minPrecedence)
            {
                return;
            }

            ParseInfix(scope, precedence);
        }
    }

    private void ParseUnary(QueryScope scope, string what)
    {
        var token = Current;
        if (token.Kind == TokenKind.Identifier && token.Value == "not")
        {
            Advance();
            ParseBinary(scope, PrecedenceNot);
            return;
        }

        if (token.Kind == TokenKind.Operator)
        {
            switch (token.Text)
            {
                case "-":
                case "+":
                    Advance();
                    ParseBinary(scope, PrecedenceUnary);
                    return;
                case var op when IsPrefixOperator(op):
                    // ~x, @x, |/x, !!x …: any other operator may be used as a prefix operator.
                    Advance();
                    ParseBinary(scope, PrecedenceOther + 1);
                    return;
            }
        }

        ParsePrimary(scope, what);
    }

    private static bool IsPrefixOperator(string op) =>
        BinaryPrecedence(op) == PrecedenceOther && op is not ("=>" or ":" or ":=");

    /// <summary>The precedence of the infix or postfix construct at the current token; 0 when none starts here.</summary>
    private int InfixPrecedence()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Operator:
                return token.Text is "=>" or ":" or ":=" ? 0 : BinaryPrecedence(token.Text);
            case TokenKind.LeftBracket:
            case TokenKind.Dot:
                return PrecedencePostfix;
            case TokenKind.Identifier:
                break;
            default:
                return 0;
        }

        switch (token.Value)
        {
            case "or":
                return PrecedenceOr;
            case "and":
                return PrecedenceAnd;
            case "is":
            case "isnull":
            case "notnull":
                return PrecedenceIs;
            case "between":
            case "in":
            case "like":
            case "ilike":
            case "similar":
                return PrecedenceLike;
            case "not":
                var next = Peek(1);
                return next.Kind == TokenKind.Identifier && next.Value is "between" or "in" or "like" or "ilike" or "similar"
                    ? PrecedenceLike
                    : 0;
            case "at":
                return Is("local", 1) || Is("time", 1) ? PrecedenceAt : 0;
            case "collate":
                return PrecedenceCollate;
            default:
                return 0;
        }
    }

    private static int BinaryPrecedence(string op) => op switch
    {
        "=" or "<" or ">" or "<=" or ">=" or "<>" or "!=" => PrecedenceComparison,
        "+" or "-" => PrecedenceAdditive,
        "*" or "/" or "%" => PrecedenceMultiplicative,
        "^" => PrecedenceExponent,
        "::" => PrecedencePostfix,
        _ => PrecedenceOther,
    };

    /// <summary>Consumes the infix or postfix construct at the current token and its right-hand side.</summary>
    private void ParseInfix(QueryScope scope, int precedence)
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Operator when token.Text == "::":
                Advance();
                ParseTypeName();
                return;
            case TokenKind.Operator:
                Advance();
                ParseBinary(scope, precedence + 1);
                return;
            case TokenKind.LeftBracket:
                ParseSubscript(scope);
                return;
            case TokenKind.Dot:
                // (row).field, (row).*, (composite).field.field
                Advance();
                if (Current.IsOperator("*"))
                {
                    Advance();
                }
                else if (Current.IsWord)
                {
                    Advance();
                }
                else
                {
                    throw Error("a field name after '.'");
                }

                return;
        }

        switch (token.Value)
        {
            case "or":
            case "and":
                Advance();
                ParseBinary(scope, precedence + 1);
                return;
            case "isnull":
            case "notnull":
                Advance();
                return;
            case "is":
                ParseIs(scope);
                return;
            case "at":
                Advance();
                if (!Accept("local"))
                {
                    ExpectSequence("time", "zone");
                    ParseBinary(scope, PrecedenceAt + 1);
                }

                return;
            case "collate":
                Advance();
                ParseCollationName();
                return;
            default:
                ParsePredicate(scope);
                return;
        }
    }

    /// <summary><c>IS [NOT] NULL | TRUE | FALSE | UNKNOWN | DISTINCT FROM x</c>.</summary>
    private void ParseIs(QueryScope scope)
    {
        Expect("is");
        Accept("not");
        if (Accept("null") || Accept("true") || Accept("false") || Accept("unknown"))
        {
            return;
        }

        if (AcceptSequence("distinct", "from"))
        {
            ParseBinary(scope, PrecedenceIs + 1);
            return;
        }

        throw Error("NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS");
    }

    /// <summary><c>[NOT] BETWEEN …, [NOT] IN (…), [NOT] LIKE/ILIKE … [ESCAPE …], [NOT] SIMILAR TO …</c>.</summary>
    private void ParsePredicate(QueryScope scope)
    {
        Accept("not");
        var keyword = Advance().Value;
        switch (keyword)
        {
            case "between":
                if (!Accept("symmetric"))
                {
                    Accept("asymmetric");
                }

                ParseBinary(scope, PrecedenceLike + 1);
                Expect("and");
                ParseBinary(scope, PrecedenceLike + 1);
                return;
            case "in":
                if (!Is(TokenKind.LeftParen))
                {
                    if (IsQueryStart(0))
                    {
                        throw ErrorAt(Current, $"unexpected {Current.Value.ToUpperInvariant()}: a subquery must be in parentheses");
                    }

                    throw Error("'(' after IN");
                }

                ParseParenthesized(scope);
                return;
            case "similar":
                Expect("to");
                break;
        }

        // LIKE, ILIKE, SIMILAR TO
        ParseBinary(scope, PrecedenceLike + 1);
        if (Accept("escape"))
        {
            ParseBinary(scope, PrecedenceLike + 1);
        }
    }

    /// <summary><c>[i]</c>, <c>[lo:hi]</c>, <c>[lo:]</c>, <c>[:hi]</c>, <c>[:]</c>.</summary>
    private void ParseSubscript(QueryScope scope)
    {
        Expect(TokenKind.LeftBracket);
        if (!Current.IsOperator(":"))
        {
            ParseExpression(scope, "a subscript");
        }

        if (Current.IsOperator(":"))
        {
            Advance();
            if (!Is(TokenKind.RightBracket))
            {
                ParseExpression(scope, "a slice bound");
            }
        }

        Expect(TokenKind.RightBracket);
    }

    /// <summary>A collation name after COLLATE: <c>"C"</c>, <c>pg_catalog."default"</c>.</summary>
    private void ParseCollationName()
    {
        if (!Current.IsWord)
        {
            throw Error("a collation name");
        }

        Advance();
        while (Is(TokenKind.Dot))
        {
            Advance();
            if (!Current.IsWord)
            {
                throw Error("a name after '.'");
            }

            Advance();
        }
    }

    /// <summary>
    /// At '(': a subquery, a parenthesised expression or a row constructor <c>(a, b)</c>. A group opening
    /// with nested parentheses around a query, such as <c>((SELECT 1) UNION SELECT 2)</c>, is tried as a query
    /// first and then as an expression (<c>((SELECT 1) + 1)</c>).
    /// </summary>
    private void ParseParenthesized(QueryScope scope)
    {
        if (IsQueryStart(1))
        {
            Advance();
            ParseQuery(scope);
            Expect(TokenKind.RightParen);
            return;
        }

        if (Is(TokenKind.LeftParen, 1) && StartsParenthesizedQuery(1))
        {
            var mark = Mark();
            try
            {
                Advance();
                ParseQuery(scope);
                Expect(TokenKind.RightParen);
                return;
            }
            catch (SyntaxException asQuery) when (asQuery is not NestingTooDeepException)
            {
                Reset(mark);
                try
                {
                    ParseParenthesizedExpressions(scope);
                    return;
                }
                catch (SyntaxException asExpression) when (asExpression is not NestingTooDeepException && asQuery.Span.Start > asExpression.Span.Start)
                {
                    throw asQuery;
                }
            }
        }

        ParseParenthesizedExpressions(scope);
    }

    private void ParseParenthesizedExpressions(QueryScope scope)
    {
        Expect(TokenKind.LeftParen);
        ParseExpressionList(scope);
        Expect(TokenKind.RightParen);
    }

    /// <summary><c>expr [ASC | DESC | USING op] [NULLS FIRST | LAST], …</c>.</summary>
    private void ParseOrderByList(QueryScope scope, string what = "ORDER BY expression")
    {
        do
        {
            ParseExpression(scope, what);
            if (!Accept("asc") && !Accept("desc") && Accept("using"))
            {
                if (!Is(TokenKind.Operator))
                {
                    throw Error("an operator after USING");
                }

                Advance();
            }

            if (Accept("nulls") && !Accept("first") && !Accept("last"))
            {
                throw Error("FIRST or LAST");
            }
        }
        while (Accept(TokenKind.Comma));
    }
}
