namespace MzDeploy.Engine.Sql;

/// <summary>
/// The operands of expressions: literals, column references, parameters, function calls, subqueries and
/// the special forms with keywords inside their parentheses (CAST, EXTRACT, SUBSTRING, TRIM, …).
/// </summary>
internal sealed partial class Parser
{
    private void ParsePrimary(QueryScope scope, string what)
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
            case TokenKind.String:
            case TokenKind.Parameter:
            case TokenKind.Variable: // left in place when the text was not substituted
                Advance();
                return;
            case TokenKind.LeftParen:
                ParseParenthesized(scope);
                return;
            case TokenKind.QuotedIdentifier:
                ParseNamedPrimary(scope);
                return;
            case TokenKind.Identifier:
                ParseKeywordPrimary(scope, what);
                return;
            default:
                throw Error(what);
        }
    }

    private void ParseKeywordPrimary(QueryScope scope, string what)
    {
        var token = Current;
        var call = Is(TokenKind.LeftParen, 1);
        switch (token.Value)
        {
            case "null":
            case "true":
            case "false":
            case "default": // VALUES (DEFAULT) in INSERT
                Advance();
                return;
            case "case":
                ParseCase(scope);
                return;
            case "cast" when call:
                Advance();
                Advance();
                ParseExpression(scope);
                Expect("as");
                ParseTypeName();
                Expect(TokenKind.RightParen);
                return;
            case "exists" when call:
                Advance();
                Advance();
                if (!IsQueryStart(0) && !(Is(TokenKind.LeftParen) && StartsParenthesizedQuery(0)))
                {
                    throw Error("a subquery after EXISTS");
                }

                ParseQuery(scope);
                Expect(TokenKind.RightParen);
                return;
            case "array":
                Advance();
                ParseCollectionConstructor(scope, "ARRAY");
                return;
            case "list" when call || Is(TokenKind.LeftBracket, 1):
                Advance();
                ParseCollectionConstructor(scope, "LIST");
                return;
            case "map" when Is(TokenKind.LeftBracket, 1) || (call && IsQueryStart(2)):
                Advance();
                ParseMapConstructor(scope);
                return;
            case "row" when call:
                Advance();
                Advance();
                if (!Is(TokenKind.RightParen))
                {
                    ParseExpressionList(scope);
                }

                Expect(TokenKind.RightParen);
                return;
            case "any" or "all" or "some" when call:
                // = ANY (array or subquery)
                Advance();
                ParseParenthesized(scope);
                return;
            case "extract" when call:
                ParseExtract(scope);
                return;
            case "position" when call:
                Advance();
                Advance();
                ParseBinary(scope, PrecedenceLike + 1);
                Expect("in");
                ParseExpression(scope);
                Expect(TokenKind.RightParen);
                return;
            case "substring" when call:
                ParseSubstring(scope);
                return;
            case "trim" when call:
                ParseTrim(scope);
                return;
            case "overlay" when call:
                Advance();
                Advance();
                ParseExpression(scope);
                Expect("placing");
                ParseExpression(scope);
                Expect("from");
                ParseExpression(scope);
                if (Accept("for"))
                {
                    ParseExpression(scope);
                }

                Expect(TokenKind.RightParen);
                return;
            case "current_date" or "current_time" or "current_timestamp" or "localtime" or "localtimestamp"
                or "current_user" or "session_user" or "user" or "current_role" or "current_catalog" or "current_schema":
                Advance();
                if (call)
                {
                    ParseFunctionArguments(scope);
                }

                return;
            case "interval":
                Advance();
                Expect(TokenKind.String);
                ParseIntervalQualifier();
                return;
        }

        if (IsQueryStart(0))
        {
            throw ErrorAt(token, $"unexpected {token.Value.ToUpperInvariant()}: a subquery must be in parentheses");
        }

        // left(s, 1) and right(s, 1) are functions although LEFT and RIGHT are reserved (for joins).
        if (NameReserved.Contains(token.Value) && !(call && token.Value is "left" or "right"))
        {
            throw Error(what);
        }

        ParseNamedPrimary(scope);
    }

    /// <summary>
    /// A name-led operand: a column reference (<c>c</c>, <c>t.c</c>, <c>s.t.c</c>, <c>db.s.t.c</c>, <c>t.*</c>),
    /// a function call (<c>f(…)</c>, <c>pg_catalog.now()</c>) or a typed literal (<c>DATE '…'</c>,
    /// <c>timestamp with time zone '…'</c>).
    /// </summary>
    private void ParseNamedPrimary(QueryScope scope)
    {
        var start = _pos;
        Advance();
        while (Is(TokenKind.Dot))
        {
            var next = Peek(1);
            if (next.IsOperator("*"))
            {
                _pos += 2;
                RefuseColumnInSecret(start);
                return;
            }

            if (!next.IsWord)
            {
                Advance();
                throw Error("a name after '.'");
            }

            _pos += 2;
        }

        if (Is(TokenKind.LeftParen))
        {
            ParseFunctionCall(scope);
            return;
        }

        if (Is(TokenKind.String))
        {
            // type 'literal'
            Advance();
            return;
        }

        if (_pos == start + 1 && _tokens[start].Kind == TokenKind.Identifier && Current.Kind == TokenKind.Identifier
            && _tokens[start].Value is "double" or "timestamp" or "time" or "character" or "char" or "bit" or "national")
        {
            // A multi-word type before a literal: double precision '1.5', timestamp with time zone '…'.
            _pos = start;
            ParseTypeName();
            if (Is(TokenKind.String))
            {
                Advance();
                return;
            }

            _pos = start + 1;
        }

        RefuseColumnInSecret(start);
    }

    /// <summary>
    /// A secret's value has no relation to read columns from, so a name there is a value someone forgot to
    /// quote: <c>AS S3cr3t-abc</c> reads as the column S3cr3t minus the column abc. The message must not quote it.
    /// </summary>
    private void RefuseColumnInSecret(int start)
    {
        if (_inSecretValue)
        {
            throw ErrorAt(_tokens[start],
                "a secret value must be a string literal or an expression such as decode('…', 'base64'), not a bare word: put the value in single quotes");
        }
    }

    /// <summary><c>CASE [operand] WHEN … THEN … [WHEN … THEN …] [ELSE …] END</c>.</summary>
    private void ParseCase(QueryScope scope)
    {
        Expect("case");
        if (!Is("when"))
        {
            ParseExpression(scope);
        }

        if (!Is("when"))
        {
            throw Error("WHEN");
        }

        while (Accept("when"))
        {
            ParseExpression(scope);
            Expect("then");
            ParseExpression(scope);
        }

        if (Accept("else"))
        {
            ParseExpression(scope);
        }

        Expect("end");
    }

    /// <summary>After ARRAY or LIST: <c>[a, b]</c> (elements may be nested <c>[…]</c>) or <c>(subquery)</c>.</summary>
    private void ParseCollectionConstructor(QueryScope scope, string keyword)
    {
        if (Is(TokenKind.LeftBracket))
        {
            ParseBracketedElements(scope);
            return;
        }

        if (Is(TokenKind.LeftParen) && (IsQueryStart(1) || StartsParenthesizedQuery(1)))
        {
            Advance();
            ParseQuery(scope);
            Expect(TokenKind.RightParen);
            return;
        }

        throw Error($"'[' or a subquery after {keyword}");
    }

    private void ParseBracketedElements(QueryScope scope)
    {
        EnterNesting();
        try
        {
            ParseBracketedElementsCore(scope);
        }
        finally
        {
            LeaveNesting();
        }
    }

    private void ParseBracketedElementsCore(QueryScope scope)
    {
        Expect(TokenKind.LeftBracket);
        if (!Is(TokenKind.RightBracket))
        {
            do
            {
                if (Is(TokenKind.LeftBracket))
                {
                    ParseBracketedElements(scope);
                }
                else
                {
                    ParseExpression(scope, "an element");
                }
            }
            while (Accept(TokenKind.Comma));
        }

        Expect(TokenKind.RightBracket);
    }

    /// <summary>After MAP: <c>['k' =&gt; v, …]</c> or <c>(subquery)</c>.</summary>
    private void ParseMapConstructor(QueryScope scope)
    {
        if (Accept(TokenKind.LeftParen))
        {
            ParseQuery(scope);
            Expect(TokenKind.RightParen);
            return;
        }

        Expect(TokenKind.LeftBracket);
        if (!Is(TokenKind.RightBracket))
        {
            do
            {
                ParseExpression(scope, "a map key");
                if (!Current.IsOperator("=>"))
                {
                    throw Error("'=>'");
                }

                Advance();
                if (Is(TokenKind.LeftBracket))
                {
                    ParseBracketedElements(scope); // MAP['a' => ['b' => 1]]
                }
                else
                {
                    ParseExpression(scope, "a map value");
                }
            }
            while (Accept(TokenKind.Comma));
        }

        Expect(TokenKind.RightBracket);
    }

    /// <summary><c>EXTRACT(field FROM x)</c>; the field is a word or a string.</summary>
    private void ParseExtract(QueryScope scope)
    {
        Advance();
        Advance();
        if ((!Current.IsWord || Is("from")) && !Is(TokenKind.String))
        {
            throw Error("a date/time field");
        }

        Advance();
        Expect("from");
        ParseExpression(scope);
        Expect(TokenKind.RightParen);
    }

    /// <summary><c>SUBSTRING(s FROM a [FOR b])</c>, <c>SUBSTRING(s FOR b [FROM a])</c> or <c>SUBSTRING(s, a [, b])</c>.</summary>
    private void ParseSubstring(QueryScope scope)
    {
        Advance();
        Advance();
        ParseExpression(scope);
        if (Accept("from"))
        {
            ParseExpression(scope);
            if (Accept("for"))
            {
                ParseExpression(scope);
            }
        }
        else if (Accept("for"))
        {
            ParseExpression(scope);
            if (Accept("from"))
            {
                ParseExpression(scope);
            }
        }
        else
        {
            while (Accept(TokenKind.Comma))
            {
                ParseExpression(scope);
            }
        }

        Expect(TokenKind.RightParen);
    }

    /// <summary><c>TRIM([BOTH | LEADING | TRAILING] [chars] FROM s)</c>, <c>TRIM([BOTH …] [FROM] s [, chars])</c>.</summary>
    private void ParseTrim(QueryScope scope)
    {
        Advance();
        Advance();
        if (!Accept("both") && !Accept("leading"))
        {
            Accept("trailing");
        }

        if (Accept("from"))
        {
            ParseExpressionList(scope);
        }
        else
        {
            ParseExpression(scope);
            if (Accept("from"))
            {
                ParseExpressionList(scope);
            }
            else
            {
                while (Accept(TokenKind.Comma))
                {
                    ParseExpression(scope);
                }
            }
        }

        Expect(TokenKind.RightParen);
    }
}
