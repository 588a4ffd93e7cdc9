namespace MzDeploy.Engine.Sql;

/// <summary>Function calls (aggregates, FILTER, WITHIN GROUP, window functions) and data type names.</summary>
internal sealed partial class Parser
{
    /// <summary>At '(' after a function name: arguments, then <c>WITHIN GROUP</c>, <c>FILTER</c> and <c>OVER</c>.</summary>
    private void ParseFunctionCall(QueryScope scope)
    {
        ParseFunctionArguments(scope);
        if (IsSequence("within", "group"))
        {
            _pos += 2;
            Expect(TokenKind.LeftParen);
            ExpectSequence("order", "by");
            ParseOrderByList(scope);
            Expect(TokenKind.RightParen);
        }

        if (Is("filter") && Is(TokenKind.LeftParen, 1))
        {
            _pos += 2;
            Expect("where");
            ParseExpression(scope, "FILTER condition");
            Expect(TokenKind.RightParen);
        }

        if (Accept("over"))
        {
            if (Is(TokenKind.LeftParen))
            {
                ParseWindowSpecification(scope);
            }
            else if (Current.IsWord)
            {
                Advance();
            }
            else
            {
                throw Error("a window name or '(' after OVER");
            }
        }
    }

    /// <summary>
    /// <c>( [DISTINCT | ALL] arg, … [ORDER BY …] )</c>, <c>(*)</c> or <c>()</c>; an argument may be named
    /// (<c>name =&gt; value</c>).
    /// </summary>
    private void ParseFunctionArguments(QueryScope scope)
    {
        Expect(TokenKind.LeftParen);
        if (Accept(TokenKind.RightParen))
        {
            return;
        }

        if (Current.IsOperator("*") && Is(TokenKind.RightParen, 1))
        {
            _pos += 2;
            return;
        }

        if (!Accept("distinct"))
        {
            Accept("all");
        }

        do
        {
            if (Current.IsWord && Peek(1).IsOperator("=>"))
            {
                _pos += 2;
            }
            else
            {
                Accept("variadic");
            }

            ParseExpression(scope, "a function argument");
        }
        while (Accept(TokenKind.Comma));

        if (AcceptSequence("order", "by"))
        {
            ParseOrderByList(scope);
        }

        Expect(TokenKind.RightParen);
    }

    /// <summary>
    /// <c>( [window] [PARTITION BY …] [ORDER BY …] [{ROWS | RANGE | GROUPS} frame] )</c>, after OVER or in
    /// a WINDOW clause.
    /// </summary>
    private void ParseWindowSpecification(QueryScope scope)
    {
        Expect(TokenKind.LeftParen);
        if (Current.IsWord && !Is("partition") && !Is("order") && !Is("rows") && !Is("range") && !Is("groups"))
        {
            Advance(); // the window this one refines
        }

        if (AcceptSequence("partition", "by"))
        {
            ParseExpressionList(scope, "PARTITION BY expression");
        }

        if (AcceptSequence("order", "by"))
        {
            ParseOrderByList(scope);
        }

        if (Accept("rows") || Accept("range") || Accept("groups"))
        {
            if (Accept("between"))
            {
                ParseFrameBound(scope);
                Expect("and");
                ParseFrameBound(scope);
            }
            else
            {
                ParseFrameBound(scope);
            }

            if (Accept("exclude"))
            {
                if (!AcceptSequence("current", "row") && !Accept("group") && !Accept("ties"))
                {
                    ExpectSequence("no", "others");
                }
            }
        }

        Expect(TokenKind.RightParen);
    }

    /// <summary><c>UNBOUNDED PRECEDING | UNBOUNDED FOLLOWING | CURRENT ROW | x PRECEDING | x FOLLOWING</c>.</summary>
    private void ParseFrameBound(QueryScope scope)
    {
        if (AcceptSequence("current", "row"))
        {
            return;
        }

        if (!Accept("unbounded"))
        {
            // AND belongs to BETWEEN … AND …, so the offset binds tighter than AND.
            ParseBinary(scope, PrecedenceNot, "a frame bound");
        }

        if (!Accept("preceding") && !Accept("following"))
        {
            throw Error("PRECEDING or FOLLOWING");
        }
    }

    /// <summary>
    /// A data type after <c>::</c> or <c>AS</c> of a CAST: a possibly qualified name with optional modifiers
    /// (<c>numeric(10, 2)</c>), the multi-word types (<c>double precision</c>, <c>character varying</c>,
    /// <c>timestamp with time zone</c>), interval qualifiers, and array (<c>text[]</c>), list
    /// (<c>int list</c>) and map (<c>map[text=&gt;int]</c>) forms.
    /// </summary>
    private void ParseTypeName()
    {
        if (!Current.IsWord)
        {
            throw Error("a data type");
        }

        var first = Advance();
        var word = first.Kind == TokenKind.Identifier ? first.Value : null;
        switch (word)
        {
            case "double":
                Accept("precision");
                break;
            case "national":
                if (!Accept("character"))
                {
                    Accept("char");
                }

                Accept("varying");
                break;
            case "character":
            case "char":
            case "bit":
                Accept("varying");
                break;
            case "map" when Is(TokenKind.LeftBracket):
                SkipBalanced();
                break;
            default:
                while (Is(TokenKind.Dot) && Peek(1).IsWord)
                {
                    _pos += 2;
                }

                break;
        }

        if (Is(TokenKind.LeftParen))
        {
            Advance();
            ParseExpressionList(new QueryScope(null), "a type modifier");
            Expect(TokenKind.RightParen);
        }

        if (word is "timestamp" or "time" && (IsSequence("with", "time", "zone") || IsSequence("without", "time", "zone")))
        {
            _pos += 3;
        }
        else if (word == "interval")
        {
            ParseIntervalQualifier();
        }

        while (true)
        {
            if (Is(TokenKind.LeftBracket))
            {
                Advance();
                Accept(TokenKind.Number);
                Expect(TokenKind.RightBracket);
            }
            else if (Is("list") || (Is("array") && !Is(TokenKind.LeftParen, 1)))
            {
                Advance();
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>The optional unit after an interval literal or type: <c>DAY</c>, <c>HOUR TO SECOND</c>, ….</summary>
    private void ParseIntervalQualifier()
    {
        if (!AcceptIntervalUnit())
        {
            return;
        }

        if (Is(TokenKind.LeftParen))
        {
            SkipBalanced();
        }

        if (Accept("to") && !AcceptIntervalUnit())
        {
            throw Error("an interval unit after TO");
        }

        if (Is(TokenKind.LeftParen))
        {
            SkipBalanced();
        }
    }

    private bool AcceptIntervalUnit() =>
        Accept("year") || Accept("month") || Accept("day") || Accept("hour") || Accept("minute") || Accept("second");
}
