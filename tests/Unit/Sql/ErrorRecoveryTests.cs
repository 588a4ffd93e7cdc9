using MzDeploy.Engine.Sql;

namespace MzDeploy.Tests.Unit.Sql;

/// <summary>Syntax errors: every broken statement of a file is reported, with the right line and column.</summary>
public class ErrorRecoveryTests
{
    [Fact]
    public void Every_broken_statement_is_reported_and_the_rest_parse()
    {
        const string sql = """
            CREATE VIEW a AS SELECT * FROM;
            CREATE VIEW ok AS SELECT 1 FROM t;
            CREATE VIEW b AS SELECT (1 + 2 FROM t;
              CREATE INDEX ON ok (x) garbage;
            CREATE VIEW ok2 AS SELECT 2
            """;
        var script = SqlParser.Parse(sql);
        Assert.Equal(new[] { "ok", "ok2" }, script.Statements.Select(s => s.Name!.Item.Value));
        Assert.Equal(3, script.Errors.Count);
        Assert.Equal(
            new[] { "1:31 expected table name, found end of statement", "3:32 expected ')', found 'FROM'", "4:26 expected end of statement, found 'garbage'" },
            script.Errors.Select(e => $"{script.Lines.GetPosition(e.Span.Start)} {e.Message}"));
        Assert.False(script.Succeeded);
    }

    [Theory]
    [InlineData("CREATE VIEW AS SELECT 1", "expected view name, found 'AS'", 12)]
    [InlineData("CREATE VIEW v SELECT 1", "expected AS, found 'SELECT'", 14)]
    [InlineData("CREATE VIEW v AS", "expected a query, found end of statement", 16)]
    [InlineData("CREATE MATERIALIZED VIEW v IN CLUSTER AS SELECT 1", "expected cluster name, found 'AS'", 38)]
    [InlineData("SELECT * FROM a JOIN b", "expected ON or USING, found end of statement", 22)]
    [InlineData("SELECT * FROM t WHERE", "expected WHERE condition, found end of statement", 21)]
    [InlineData("SELECT * FROM a.b.c.d", "table name 'a.b.c.d' has 4 parts; at most 3 are allowed", 14)]
    [InlineData("SELECT * FROM t WHERE x IN SELECT 1", "unexpected SELECT: a subquery must be in parentheses", 27)]
    [InlineData("SELECT (1]", "expected ')', found ']'", 9)]
    [InlineData("SELECT 1)", "expected end of statement, found ')'", 8)]
    [InlineData("CREATE INDEX i ON", "expected indexed relation, found end of statement", 17)]
    [InlineData("CREATE SINK s FROM t INTO", "expected connector type, found end of statement", 25)]
    [InlineData("COMMENT ON VIEW v IS 42", "expected a string literal, found '42'", 21)]
    [InlineData("COMMENT ON WIDGET w IS 'x'", "expected object type (TABLE, VIEW, MATERIALIZED VIEW, COLUMN, SCHEMA, …), found 'WIDGET'", 11)]
    [InlineData("GRANT SELECT ON t", "expected TO, found end of statement", 17)]
    [InlineData("WITH a AS (SELECT 1)", "expected SELECT, VALUES or a parenthesized query, found end of statement", 20)]
    [InlineData("SELECT * FROM t.", "expected a name after '.', found end of statement", 16)]
    [InlineData("CREATE PRIMARY KEY pk IN CLUSTER c ON t", "expected '(', found end of statement", 39)]
    [InlineData("CREATE FOREIGN KEY fk ON t (a)", "expected REFERENCES, found end of statement", 30)]
    public void Syntax_errors_say_what_was_expected_where(string sql, string message, int offset)
    {
        var script = SqlParser.Parse(sql);
        var error = Assert.Single(script.Errors);
        Assert.Equal(message, error.Message);
        Assert.Equal(offset, error.Span.Start);
        Assert.Empty(script.Statements);
    }

    [Fact]
    public void Lexical_errors_are_reported_with_syntax_errors_in_source_order()
    {
        const string sql = "SELECT * FROM;\nSELECT 'unterminated";
        var script = SqlParser.Parse(sql);
        Assert.Equal(2, script.Errors.Count);
        Assert.Equal("expected table name, found end of statement", script.Errors[0].Message);
        Assert.Equal("unterminated string literal", script.Errors[1].Message);
        Assert.Equal(new LinePosition(2, 8), script.Lines.GetPosition(script.Errors[1].Span.Start));
    }

    [Fact]
    public void A_semicolon_inside_a_string_or_comment_does_not_end_the_statement()
    {
        var script = SqlParser.Parse("SELECT ';' /* ; */ -- ;\n FROM t; ;; SELECT 2");
        Assert.True(script.Succeeded);
        Assert.Equal(2, script.Statements.Count);
        Assert.Equal("t", Assert.Single(script.Statements[0].References).Name.Item.Value);
    }

    [Fact]
    public void Errors_convert_to_located_diagnostics()
    {
        var script = SqlParser.Parse("CREATE VIEW v AS\nSELECT * FROM");
        var diagnostic = script.Errors[0].ToDiagnostic("models/db/s/v.sql", script.Lines);
        Assert.Equal("models/db/s/v.sql:2:14: expected table name, found end of statement", diagnostic.ToString());
        Assert.Equal("SqlSyntaxError", diagnostic.ErrorId);
    }

    [Fact]
    public void Empty_text_and_comment_only_text_have_no_statements()
    {
        Assert.Empty(SqlParser.Parse("").Statements);
        var script = SqlParser.Parse("-- nothing here\n/* really */\n;");
        Assert.True(script.Succeeded);
        Assert.Empty(script.Statements);
        Assert.Equal(2, script.Comments.Count);
    }
}
