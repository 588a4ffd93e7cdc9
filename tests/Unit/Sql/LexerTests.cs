using MzDeploy.Engine.Sql;

namespace MzDeploy.Tests.Unit.Sql;

public class LexerTests
{
    private static List<Token> Tokens(string sql)
    {
        var result = Lexer.Tokenize(sql);
        Assert.Empty(result.Errors);
        return result.Tokens.ToList();
    }

    private static string Kinds(string sql) =>
        string.Join(" ", Tokens(sql).Where(t => t.Kind != TokenKind.EndOfFile).Select(t => $"{t.Kind}:{t.Text}"));

    [Fact]
    public void Words_are_case_folded_and_quoted_identifiers_are_not()
    {
        var tokens = Tokens("SELECT Foo, \"Bar\" FROM \"a\"\"b\"");
        Assert.Equal(new[] { "select", "foo", ",", "Bar", "from", "a\"b", "" }, tokens.Select(t => t.Value));
        Assert.Equal(TokenKind.QuotedIdentifier, tokens[3].Kind);
        Assert.Equal("\"Bar\"", tokens[3].Text);
        Assert.Equal("\"a\"\"b\"", tokens[5].Text);
        Assert.Equal(TokenKind.EndOfFile, tokens[^1].Kind);
    }

    [Fact]
    public void Every_token_carries_its_exact_span()
    {
        const string sql = "select  x\n  from \"my.table\"";
        foreach (var token in Tokens(sql))
        {
            Assert.Equal(token.Text, token.Span.Slice(sql));
        }

        var quoted = Tokens(sql)[3];
        Assert.Equal("my.table", quoted.Value);
        Assert.Equal(new TextSpan(17, 10), quoted.Span);
        Assert.Equal(27, quoted.Span.End);
    }

    [Theory]
    [InlineData("'it''s'", "it's", StringStyle.Plain)]
    [InlineData("E'it\\'s'", "it's", StringStyle.Escape)]
    [InlineData("e'a\\nb\\tc\\\\d'", "a\nb\tc\\d", StringStyle.Escape)]
    [InlineData("E'\\x41\\101\\u00e9'", "AAé", StringStyle.Escape)]
    [InlineData("$$it's $1 -- not a comment$$", "it's $1 -- not a comment", StringStyle.Dollar)]
    [InlineData("$body$ a $$ b $body$", " a $$ b ", StringStyle.Dollar)]
    [InlineData("''", "", StringStyle.Plain)]
    [InlineData("'back\\slash'", "back\\slash", StringStyle.Plain)]
    [InlineData("N'national'", "national", StringStyle.Plain)]
    public void String_literals_are_unescaped(string sql, string value, StringStyle style)
    {
        var tokens = Tokens(sql);
        Assert.Equal(2, tokens.Count);
        Assert.Equal(TokenKind.String, tokens[0].Kind);
        Assert.Equal(value, tokens[0].Value);
        Assert.Equal(sql, tokens[0].Text);
        Assert.Equal(style, tokens[0].StringStyle);
    }

    [Theory]
    [InlineData("a::int", "Identifier:a Operator::: Identifier:int")]
    [InlineData("x->>'k'", "Identifier:x Operator:->> String:'k'")]
    [InlineData("a<=b", "Identifier:a Operator:<= Identifier:b")]
    [InlineData("a!=b", "Identifier:a Operator:!= Identifier:b")]
    [InlineData("a<>b", "Identifier:a Operator:<> Identifier:b")]
    [InlineData("a||b", "Identifier:a Operator:|| Identifier:b")]
    [InlineData("a=-1", "Identifier:a Operator:= Operator:- Number:1")]
    [InlineData("a@>b", "Identifier:a Operator:@> Identifier:b")]
    [InlineData("a-->b", "Identifier:a")]
    [InlineData("MAP['a'=>1]", "Identifier:MAP LeftBracket:[ String:'a' Operator:=> Number:1 RightBracket:]")]
    [InlineData("f(x := 1)", "Identifier:f LeftParen:( Identifier:x Operator::= Number:1 RightParen:)")]
    [InlineData("t.*", "Identifier:t Dot:. Operator:*")]
    [InlineData("1.5e-3 .5 42 1e10", "Number:1.5e-3 Number:.5 Number:42 Number:1e10")]
    [InlineData("$1 + $23", "Parameter:$1 Operator:+ Parameter:$23")]
    [InlineData("a;b", "Identifier:a Semicolon:; Identifier:b")]
    [InlineData("x/*c*/y", "Identifier:x Identifier:y")]
    [InlineData("a*-1", "Identifier:a Operator:* Operator:- Number:1")]
    [InlineData("a ~~* b", "Identifier:a Operator:~~* Identifier:b")]
    public void Operators_and_punctuation(string sql, string expected)
    {
        Assert.Equal(expected, Kinds(sql));
    }

    [Fact]
    public void Identifiers_may_hold_dollars_and_digits_after_the_first_character()
    {
        Assert.Equal("Identifier:a$b1 Identifier:_x Identifier:café", Kinds("a$b1 _x café"));
    }

    [Fact]
    public void Comments_are_collected_apart_and_nest()
    {
        const string sql = "select 1 -- from t\n/* outer /* inner */ still comment */ from u";
        var result = Lexer.Tokenize(sql);
        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "select", "1", "from", "u", "" }, result.Tokens.Select(t => t.Value));
        Assert.Equal(2, result.Comments.Count);
        Assert.Equal("-- from t", result.Comments[0].Text);
        Assert.Equal("/* outer /* inner */ still comment */", result.Comments[1].Text);
        Assert.All(result.Comments, c => Assert.Equal(TokenKind.Comment, c.Kind));
    }

    [Fact]
    public void Strings_and_quoted_identifiers_hide_comment_markers()
    {
        Assert.Equal("String:'-- x' QuotedIdentifier:\"/* y\"", Kinds("'-- x' \"/* y\""));
    }

    [Theory]
    [InlineData(":name", "name", VariableStyle.Raw)]
    [InlineData(":'name'", "name", VariableStyle.Literal)]
    [InlineData(":\"Name_1\"", "Name_1", VariableStyle.Identifier)]
    public void Psql_variables_are_tokens_with_name_and_style(string sql, string name, VariableStyle style)
    {
        var token = Tokens(sql)[0];
        Assert.Equal(TokenKind.Variable, token.Kind);
        Assert.Equal(name, token.Value);
        Assert.Equal(style, token.VariableStyle);
        Assert.Equal(sql, token.Text);
    }

    [Theory]
    [InlineData("x::text", "Identifier:x Operator::: Identifier:text")]
    [InlineData("a[1:2]", "Identifier:a LeftBracket:[ Number:1 Operator:: Number:2 RightBracket:]")]
    [InlineData("a[lo:hi]", "Identifier:a LeftBracket:[ Identifier:lo Operator:: Identifier:hi RightBracket:]")]
    [InlineData("ARRAY[:a, :b]", "Identifier:ARRAY LeftBracket:[ Variable::a Comma:, Variable::b RightBracket:]")]
    [InlineData("a[1]:x", "Identifier:a LeftBracket:[ Number:1 RightBracket:] Variable::x")]
    [InlineData("':x' \":y\" -- :z", "String:':x' QuotedIdentifier:\":y\"")]
    [InlineData(":'not a var'", "Operator:: String:'not a var'")]
    public void Casts_slices_and_strings_are_not_variables(string sql, string expected)
    {
        Assert.Equal(expected, Kinds(sql));
    }

    [Theory]
    [InlineData("select 'abc", "unterminated string literal", 7, 4)]
    [InlineData("select E'ab\\'", "unterminated string literal", 7, 6)]
    [InlineData("select \"abc", "unterminated quoted identifier", 7, 4)]
    [InlineData("select 1 /* a /* b */", "unterminated /* comment", 9, 12)]
    [InlineData("select $x$ abc", "unterminated dollar-quoted string (missing $x$)", 7, 7)]
    [InlineData("select \"\"", "zero-length quoted identifier", 7, 2)]
    [InlineData("select \\", "unexpected character '\\'", 7, 1)]
    public void Lexical_errors_carry_spans(string sql, string message, int start, int length)
    {
        var result = Lexer.Tokenize(sql);
        var error = Assert.Single(result.Errors);
        Assert.Equal(message, error.Message);
        Assert.Equal(new TextSpan(start, length), error.Span);
        Assert.Equal(TokenKind.EndOfFile, result.Tokens[^1].Kind);
    }

    [Fact]
    public void Line_map_gives_one_based_lines_and_columns()
    {
        var map = new LineMap("ab\ncd\r\nef\rg");
        Assert.Equal(new LinePosition(1, 1), map.GetPosition(0));
        Assert.Equal(new LinePosition(1, 3), map.GetPosition(2));
        Assert.Equal(new LinePosition(2, 1), map.GetPosition(3));
        Assert.Equal(new LinePosition(2, 3), map.GetPosition(5));
        Assert.Equal(new LinePosition(3, 1), map.GetPosition(7));
        Assert.Equal(new LinePosition(4, 1), map.GetPosition(10));
        Assert.Equal(new LinePosition(4, 2), map.GetPosition(11));
        Assert.Equal(4, map.LineCount);
        Assert.Equal("f.sql:2:2", map.ToLocation("f.sql", 4).ToString());
    }
}
