namespace MzDeploy.Engine.Sql;

internal sealed partial class Parser
{
    /// <summary>Parses a query at the current token and returns its span and relation references.</summary>
    private SqlQuery ParseQueryClause(QueryScope? scope = null)
    {
        var startIndex = _pos;
        var firstReference = _references.Count;
        if (AtEnd)
        {
            throw Error("a query");
        }

        ParseQuery(scope ?? new QueryScope(null));
        var span = TextSpan.FromBounds(_tokens[startIndex].Span.Start, _tokens[_pos - 1].Span.End);
        var references = new List<Reference>(_references.Count - firstReference);
        for (var i = firstReference; i < _references.Count; i++)
        {
            if (_references[i].Kind == ReferenceKind.Relation)
            {
                references.Add(_references[i]);
            }
        }

        return new SqlQuery(span, references);
    }

    /// <summary><c>[WITH …] body [ORDER BY …] [LIMIT …] [OFFSET …] [FETCH …] [OPTIONS (…)]</c>.</summary>
    private void ParseQuery(QueryScope scope)
    {
        EnterNesting();
        try
        {
            ParseQueryCore(scope);
        }
        finally
        {
            LeaveNesting();
        }
    }

    private void ParseQueryCore(QueryScope scope)
    {
        if (Is("with"))
        {
            scope = ParseWith(scope);
        }

        ParseSetExpression(scope);
        if (AcceptSequence("order", "by"))
        {
            ParseOrderByList(scope);
        }

        while (true)
        {
            if (Accept("limit"))
            {
                if (!Accept("all"))
                {
                    ParseExpression(scope, "LIMIT count");
                }
            }
            else if (Accept("offset"))
            {
                ParseExpression(scope, "OFFSET count");
                if (!Accept("row"))
                {
                    Accept("rows");
                }
            }
            else if (Accept("fetch"))
            {
                ParseFetch(scope);
            }
            else if (Is("options") && Is(TokenKind.LeftParen, 1))
            {
                Advance();
                SkipBalanced();
            }
            else
            {
                break;
            }
        }
    }

    /// <summary>After FETCH: <c>{FIRST | NEXT} [count] {ROW | ROWS} {ONLY | WITH TIES}</c>.</summary>
    private void ParseFetch(QueryScope scope)
    {
        if (!Accept("first"))
        {
            Expect("next");
        }

        if (!Is("row") && !Is("rows"))
        {
            ParseBinary(scope, PrecedenceOther + 1, "FETCH count");
        }

        if (!Accept("row") && !Accept("rows"))
        {
            throw Error("ROW or ROWS");
        }

        if (!Accept("only"))
        {
            ExpectSequence("with", "ties");
        }
    }

    /// <summary>
    /// <c>WITH [MUTUALLY] RECURSIVE? name [(cols)] AS [[NOT] MATERIALIZED] (query), …</c>. Returns the scope in
    /// which the CTE names shadow relations. A plain WITH makes each name visible to the CTEs after it and to
    /// the body; a recursive one makes every name visible everywhere, its own definition included.
    /// </summary>
    private QueryScope ParseWith(QueryScope outer)
    {
        Expect("with");
        var recursive = false;
        if (Accept("mutually"))
        {
            Expect("recursive");
            recursive = true;
            if (Is(TokenKind.LeftParen))
            {
                SkipBalanced(); // (RETURN AT RECURSION LIMIT n) and friends
            }
        }
        else if (Accept("recursive"))
        {
            recursive = true;
        }

        var scope = new QueryScope(outer);
        if (recursive)
        {
            foreach (var cteName in PeekCteNames())
            {
                scope.Add(cteName);
            }
        }

        do
        {
            var name = ParseIdentifier("CTE name");
            if (Is(TokenKind.LeftParen))
            {
                ParseColumnAliases();
            }

            Expect("as");
            if (!AcceptSequence("not", "materialized"))
            {
                Accept("materialized");
            }

            Expect(TokenKind.LeftParen);
            ParseQuery(scope);
            Expect(TokenKind.RightParen);
            scope.Add(name.Value);
        }
        while (Accept(TokenKind.Comma));

        return scope;
    }

    /// <summary>The names a WITH list defines, read ahead without consuming anything.</summary>
    private List<string> PeekCteNames()
    {
        var names = new List<string>();
        var mark = Mark();
        try
        {
            do
            {
                if (!IsIdentifierToken(Current, allowReserved: false))
                {
                    break;
                }

                names.Add(Advance().Value);
                if (Is(TokenKind.LeftParen))
                {
                    SkipBalanced();
                }

                Expect("as");
                if (!AcceptSequence("not", "materialized"))
                {
                    Accept("materialized");
                }

                SkipBalanced();
            }
            while (Accept(TokenKind.Comma));
        }
        catch (SyntaxException)
        {
            // The real parse reports it.
        }

        Reset(mark);
        return names;
    }

    /// <summary><c>(a, b)</c> or, for recursive CTEs and record functions, <c>(a int, b text)</c>.</summary>
    private void ParseColumnAliases()
    {
        Expect(TokenKind.LeftParen);
        do
        {
            ParseIdentifier("column name", allowReserved: true);
            SkipToListEnd();
        }
        while (Accept(TokenKind.Comma));

        Expect(TokenKind.RightParen);
    }

    private void ParseSetExpression(QueryScope scope)
    {
        ParseQueryPrimary(scope);
        while (Is("union") || Is("intersect") || Is("except"))
        {
            Advance();
            if (!Accept("all"))
            {
                Accept("distinct");
            }

            ParseQueryPrimary(scope);
        }
    }

    private void ParseQueryPrimary(QueryScope scope)
    {
        if (Is("select"))
        {
            ParseSelect(scope);
        }
        else if (Is("values"))
        {
            ParseValues(scope);
        }
        else if (Is("table"))
        {
            Advance();
            AddRelationReference(ParseObjectName("table name"), scope);
        }
        else if (Is(TokenKind.LeftParen))
        {
            Advance();
            ParseQuery(scope);
            Expect(TokenKind.RightParen);
        }
        else
        {
            throw Error("SELECT, VALUES or a parenthesized query");
        }
    }

    private void ParseValues(QueryScope scope)
    {
        Expect("values");
        do
        {
            Expect(TokenKind.LeftParen);
            ParseExpressionList(scope, "a value");
            Expect(TokenKind.RightParen);
        }
        while (Is(TokenKind.Comma) && Is(TokenKind.LeftParen, 1) && Accept(TokenKind.Comma));
    }

    private void ParseSelect(QueryScope scope)
    {
        Expect("select");
        if (!Accept("all") && Accept("distinct") && Accept("on"))
        {
            Expect(TokenKind.LeftParen);
            ParseExpressionList(scope, "DISTINCT ON expression");
            Expect(TokenKind.RightParen);
        }

        ParseSelectList(scope);
        if (Accept("from"))
        {
            ParseFromList(scope);
        }

        if (Accept("where"))
        {
            ParseExpression(scope, "WHERE condition");
        }

        if (AcceptSequence("group", "by"))
        {
            if (!Accept("all"))
            {
                Accept("distinct");
            }

            do
            {
                ParseGroupingElement(scope);
            }
            while (Accept(TokenKind.Comma));
        }

        if (Accept("having"))
        {
            ParseExpression(scope, "HAVING condition");
        }

        if (Accept("window"))
        {
            do
            {
                if (!Current.IsWord)
                {
                    throw Error("window name");
                }

                Advance();
                Expect("as");
                ParseWindowSpecification(scope);
            }
            while (Accept(TokenKind.Comma));
        }

        if (Is("options") && Is(TokenKind.LeftParen, 1))
        {
            Advance();
            SkipBalanced();
        }
    }

    /// <summary>
    /// The select list: <c>*</c>, <c>t.*</c> or <c>expr [[AS] alias]</c>, comma-separated; empty before FROM
    /// or the end of the query (<c>SELECT FROM t</c>). Aliases are not names the printer re-quotes.
    /// </summary>
    private void ParseSelectList(QueryScope scope)
    {
        if (AtEnd || Is(TokenKind.RightParen) || IsClauseStop())
        {
            return;
        }

        do
        {
            if (Current.IsOperator("*"))
            {
                Advance();
                continue;
            }

            ParseExpression(scope, "a select list item");
            if (Accept("as"))
            {
                if (!Current.IsWord)
                {
                    throw Error("alias");
                }

                Advance();
            }
            else if (Current.Kind == TokenKind.QuotedIdentifier
                     || (Current.Kind == TokenKind.Identifier && !NameReserved.Contains(Current.Value)
                         && !(Is("options") && Is(TokenKind.LeftParen, 1))))
            {
                Advance();
            }
        }
        while (Accept(TokenKind.Comma));
    }

    /// <summary>A GROUP BY item: an expression, <c>()</c>, <c>GROUPING SETS (…)</c>, <c>ROLLUP (…)</c>, <c>CUBE (…)</c>.</summary>
    private void ParseGroupingElement(QueryScope scope)
    {
        EnterNesting();
        try
        {
            ParseGroupingElementCore(scope);
        }
        finally
        {
            LeaveNesting();
        }
    }

    private void ParseGroupingElementCore(QueryScope scope)
    {
        if (Is(TokenKind.LeftParen) && Is(TokenKind.RightParen, 1))
        {
            _pos += 2;
            return;
        }

        if (IsSequence("grouping", "sets") && Is(TokenKind.LeftParen, 2))
        {
            _pos += 3;
            do
            {
                ParseGroupingElement(scope);
            }
            while (Accept(TokenKind.Comma));

            Expect(TokenKind.RightParen);
            return;
        }

        ParseExpression(scope, "GROUP BY expression");
    }

    private void ParseFromList(QueryScope scope)
    {
        do
        {
            ParseTableReference(scope);
        }
        while (Accept(TokenKind.Comma));
    }

    /// <summary>A table factor followed by any number of joins.</summary>
    private void ParseTableReference(QueryScope scope)
    {
        EnterNesting();
        try
        {
            ParseTableReferenceCore(scope);
        }
        finally
        {
            LeaveNesting();
        }
    }

    private void ParseTableReferenceCore(QueryScope scope)
    {
        ParseTableFactor(scope);
        while (true)
        {
            var natural = Accept("natural");
            var cross = false;
            if (Accept("cross"))
            {
                Expect("join");
                cross = true;
            }
            else if (Accept("join"))
            {
            }
            else if (Accept("inner"))
            {
                Expect("join");
            }
            else if ((Is("left") || Is("right") || Is("full")) && (Is("join", 1) || Is("outer", 1)))
            {
                Advance();
                Accept("outer");
                Expect("join");
            }
            else
            {
                if (natural)
                {
                    throw Error("JOIN");
                }

                return;
            }

            ParseTableFactor(scope);
            if (cross || natural)
            {
                continue;
            }

            if (Accept("on"))
            {
                ParseExpression(scope, "join condition");
            }
            else if (Accept("using"))
            {
                ParseParenthesizedIdentifiers("column name");
                if (Accept("as"))
                {
                    ParseIdentifier("alias", allowReserved: true);
                }
            }
            else
            {
                throw Error("ON or USING");
            }
        }
    }

    private void ParseTableFactor(QueryScope scope)
    {
        Accept("lateral");
        if (Is(TokenKind.LeftParen))
        {
            ParseParenthesizedFactor(scope);
            ParseOptionalAlias();
            return;
        }

        if (IsSequence("rows", "from") && Is(TokenKind.LeftParen, 2))
        {
            _pos += 2;
            Expect(TokenKind.LeftParen);
            ParseExpressionList(scope, "function call");
            Expect(TokenKind.RightParen);
            AcceptSequence("with", "ordinality");
            ParseOptionalAlias();
            return;
        }

        if (Is("values") && Is(TokenKind.LeftParen, 1))
        {
            // mz-deploy's unit tests write SELECT * FROM VALUES (…), (…).
            ParseValues(scope);
            ParseOptionalAlias();
            return;
        }

        var name = ParseObjectName("table name");
        if (Is(TokenKind.LeftParen))
        {
            // A table function such as generate_series(1, 10) or unnest(arr): not a relation.
            ParseFunctionArguments(scope);
            AcceptSequence("with", "ordinality");
        }
        else
        {
            AddRelationReference(name, scope);
        }

        ParseOptionalAlias();
    }

    /// <summary>
    /// <c>( query )</c> or <c>( joined tables )</c>. When the group opens with a query keyword it is tried as a
    /// query first; <c>((SELECT …) AS a JOIN b ON …)</c> then falls back to a join.
    /// </summary>
    private void ParseParenthesizedFactor(QueryScope scope)
    {
        var inner = 1;
        while (Is(TokenKind.LeftParen, inner))
        {
            inner++;
        }

        if (!IsQueryStart(inner))
        {
            Advance();
            ParseTableReference(scope);
            Expect(TokenKind.RightParen);
            return;
        }

        var mark = Mark();
        try
        {
            Advance();
            ParseQuery(scope);
            Expect(TokenKind.RightParen);
        }
        catch (SyntaxException asQuery) when (asQuery is not NestingTooDeepException)
        {
            Reset(mark);
            try
            {
                Advance();
                ParseTableReference(scope);
                Expect(TokenKind.RightParen);
            }
            catch (SyntaxException asJoin) when (asJoin is not NestingTooDeepException)
            {
                throw asQuery;
            }
        }
    }

    /// <summary><c>[AS] alias [(columns)]</c>, if present.</summary>
    private void ParseOptionalAlias()
    {
        if (Accept("as"))
        {
            ParseIdentifier("alias", allowReserved: true);
        }
        else if (Current.Kind == TokenKind.QuotedIdentifier
                 || (Current.Kind == TokenKind.Identifier && !NameReserved.Contains(Current.Value)
                     && !(Is("options") && Is(TokenKind.LeftParen, 1))))
        {
            ParseIdentifier("alias");
        }
        else
        {
            return;
        }

        if (Is(TokenKind.LeftParen))
        {
            ParseColumnAliases();
        }
    }

    private void AddRelationReference(ObjectName name, QueryScope scope)
    {
        if (!name.IsQualified && scope.IsCte(name.Item.Value))
        {
            return;
        }

        AddReference(name, ReferenceKind.Relation);
    }

    private (int Position, int References, int Names) Mark() => (_pos, _references.Count, _nameTokens.Count);

    private void Reset((int Position, int References, int Names) mark)
    {
        _pos = mark.Position;
        _references.RemoveRange(mark.References, _references.Count - mark.References);
        _nameTokens.RemoveRange(mark.Names, _nameTokens.Count - mark.Names);
    }
}
