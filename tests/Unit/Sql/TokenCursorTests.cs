using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Tests.Unit.Sql;

public class TokenCursorTests
{
    [Fact]
    public void Split_cuts_at_top_level_semicolons_and_drops_empty_statements()
    {
        var statements = LexedStatement.Split("SELECT 1; ;  CREATE VIEW v AS SELECT f(';', (SELECT 2)) ;-- done\n");

        Assert.Equal(["SELECT 1", "CREATE VIEW v AS SELECT f(';', (SELECT 2))"], statements.Select(s => s.Text));
    }

    [Fact]
    public void A_statement_s_token_spans_are_offsets_into_its_own_text()
    {
        var second = LexedStatement.Split("SELECT 1;\n  ALTER CLUSTER \"Blue\" SWAP WITH green")[1];

        Assert.Equal("ALTER CLUSTER \"Blue\" SWAP WITH green", second.Text);
        foreach (var token in second.Tokens)
        {
            Assert.Equal(token.Text, token.Span.Slice(second.Text));
        }

        Assert.Equal("Blue", second.Tokens[2].Value);
        Assert.Equal(new TextSpan(14, 6), second.Tokens[2].Span);
    }

    [Fact]
    public void A_query_of_one_statement_keeps_its_text()
    {
        const string sql = "SELECT 1";

        var statement = Assert.Single(LexedStatement.Split(sql));

        Assert.Same(sql, statement.Text);
        Assert.Equal(2, statement.Tokens.Count);
    }

    [Fact]
    public void Words_consume_all_or_nothing()
    {
        var c = LexedStatement.Of("DROP CLUSTER REPLICA c.r").Cursor();

        Assert.False(c.Words("drop", "cluster", "if"));
        Assert.Equal(0, c.Index);
        Assert.True(c.Words("drop", "cluster", "replica"));
        Assert.Equal(["c", "r"], c.Name());
        Assert.True(c.AtEnd);
    }

    [Fact]
    public void Past_the_last_token_the_current_token_is_the_end()
    {
        var c = LexedStatement.Of("SHOW clusters").Cursor();
        c.Index = 2;

        Assert.True(c.Current.IsEnd);
        Assert.True(c.PeekAt(5).IsEnd);
        Assert.False(c.Symbol(")"));
        Assert.Equal(string.Empty, c.Rest());
    }

    [Fact]
    public void Identifiers_are_folded_unless_quoted_and_names_are_dotted()
    {
        var c = LexedStatement.Of("Db.\"My Schema\".T, other").Cursor();

        Assert.Equal([["db", "My Schema", "t"], ["other"]], c.Names());
    }

    [Fact]
    public void Symbols_match_operators_and_punctuation_alike()
    {
        var c = LexedStatement.Of("( SIZE = 'xsmall' , x )").Cursor();

        c.Expect("(");
        Assert.True(c.Words("size"));
        Assert.True(c.Symbol("="));
        Assert.False(c.Symbol(","));
        Assert.Equal(TokenKind.String, c.Current.Kind);
    }

    [Fact]
    public void An_option_value_runs_to_the_next_comma_or_parenthesis_outside_parentheses()
    {
        var c = LexedStatement.Of("(A = foo(1, 2) || 'x', B = 'y')").Cursor();
        c.Index = 3;

        var (text, first) = c.OptionValue();

        Assert.Equal("foo(1, 2) || 'x'", text);
        Assert.True(first.IsKeyword("foo"));
        Assert.True(c.Current.IsSymbol(","));
    }

    [Fact]
    public void Rest_is_the_text_from_the_current_token_as_written()
    {
        var c = LexedStatement.Of("CREATE SECRET s AS  decode('c2VjcmV0', 'base64')").Cursor();
        c.Index = 4;

        Assert.Equal("decode('c2VjcmV0', 'base64')", c.Rest());
    }

    [Fact]
    public void Errors_are_syntax_errors_that_name_the_token_they_are_near()
    {
        var c = LexedStatement.Of("ALTER CLUSTER c FROB").Cursor();
        c.Index = 3;

        var near = Assert.Throws<MzDeployException>(() => c.ExpectWords("swap", "with"));
        c.Index = 4;
        var atEnd = Assert.Throws<MzDeployException>(() => c.Identifier());

        Assert.Equal("SqlSyntaxError", near.ErrorId);
        Assert.Equal("expected SWAP WITH near \"FROB\"", near.Message);
        Assert.Equal("expected an identifier at end of statement", atEnd.Message);
    }
}
