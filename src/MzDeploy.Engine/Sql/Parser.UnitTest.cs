namespace MzDeploy.Engine.Sql;

/// <summary>mz-deploy's inline unit tests: <c>EXECUTE UNIT TEST … FOR … MOCK … EXPECTED …</c>.</summary>
internal sealed partial class Parser
{
    private UnitTestStatement ParseUnitTest()
    {
        ExpectSequence("execute", "unit", "test");
        var testName = ParseIdentifier("test name");
        Expect("for");
        var target = ParseObjectName("tested view");
        AddReference(target, ReferenceKind.Relation);
        string? atTime = null;
        if (AcceptSequence("at", "time"))
        {
            atTime = Expect(TokenKind.String).Value;
        }

        var mocks = new List<UnitTestMock>();
        UnitTestExpected? expected = null;
        while (!AtEnd)
        {
            var start = Current.Span.Start;
            if (Accept("mock"))
            {
                var name = ParseObjectName("mocked object");
                AddReference(name, ReferenceKind.Relation);
                var columns = ParseColumnDefinitions(table: false);
                var query = ParseParenthesizedAsQuery();
                mocks.Add(new UnitTestMock(name, columns, query, TextSpan.FromBounds(start, Previous().Span.End)));
            }
            else if (expected is null && Accept("expected"))
            {
                var columns = ParseColumnDefinitions(table: false);
                var query = ParseParenthesizedAsQuery();
                expected = new UnitTestExpected(columns, query, TextSpan.FromBounds(start, Previous().Span.End));
            }
            else
            {
                throw Error(expected is null ? "MOCK or EXPECTED" : "MOCK or end of statement");
            }

            Accept(TokenKind.Comma);
        }

        if (expected is null)
        {
            throw Error("EXPECTED");
        }

        return new UnitTestStatement
        {
            Target = target,
            TestName = testName,
            AtTime = atTime,
            Mocks = mocks,
            Expected = expected,
        };
    }

    /// <summary><c>AS ( query )</c>.</summary>
    private SqlQuery ParseParenthesizedAsQuery()
    {
        Expect("as");
        Expect(TokenKind.LeftParen);
        var query = ParseQueryClause();
        Expect(TokenKind.RightParen);
        return query;
    }
}
