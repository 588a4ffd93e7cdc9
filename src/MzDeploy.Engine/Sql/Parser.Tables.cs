namespace MzDeploy.Engine.Sql;

/// <summary>Tables and column definitions (also used by unit test MOCK and EXPECTED clauses).</summary>
internal sealed partial class Parser
{
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
