using MzDeploy.Engine.Sql;

namespace MzDeploy.Tests.Unit.Sql;

/// <summary>
/// <c>CREATE SECRET name AS value</c>: Materialize takes an expression that reads no relation (a string
/// literal, <c>decode('…', 'base64')</c>, a provider call such as <c>env_var('X')</c>). An unquoted value is
/// refused at compile time, and no error message ever quotes what was written after AS.
/// </summary>
public class SecretValueTests
{
    [Theory]
    [InlineData("CREATE SECRET s AS 'S3cr3t-abc'")]
    [InlineData("CREATE SECRET s AS E'S3cr3t\\n'")]
    [InlineData("CREATE SECRET s AS $$S3cr3t$$")]
    [InlineData("CREATE SECRET s AS decode('c2VjcmV0', 'base64')")]
    [InlineData("CREATE SECRET s AS env_var('PW')")]
    [InlineData("CREATE SECRET s AS aws_secret('prod/pw')")]
    [InlineData("CREATE SECRET s AS 'a' || 'b'")]
    [InlineData("CREATE SECRET s AS 'abc'::bytea")]
    [InlineData("CREATE SECRET s AS :'password'")]
    public void Literals_and_expressions_without_columns_are_values(string sql)
    {
        Assert.True(SqlParser.Parse(sql).Succeeded);
    }

    [Theory]
    [InlineData("CREATE SECRET s AS S3cr3t-abc", 19)]
    [InlineData("CREATE SECRET s AS S3cr3t", 19)]
    [InlineData("CREATE SECRET s AS \"S3cr3t\"", 19)]
    [InlineData("CREATE SECRET s AS 'x' || S3cr3t", 26)]
    [InlineData("CREATE SECRET s AS decode(S3cr3t, 'base64')", 26)]
    [InlineData("CREATE SECRET s AS S3cr3t.abc", 19)]
    [InlineData("CREATE SECRET s AS S3cr3t.*", 19)]
    public void An_unquoted_value_is_a_positioned_error_that_does_not_quote_it(string sql, int offset)
    {
        var script = SqlParser.Parse(sql);

        var error = Assert.Single(script.Errors);
        Assert.Equal(offset, error.Span.Start);
        Assert.StartsWith("a secret value must be a string literal", error.Message);
        Assert.DoesNotContain("S3cr3t", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(script.Statements);
    }

    [Theory]
    [InlineData("CREATE SECRET s AS 'S3cr3t' 'abc'", "expected end of statement, found a string literal")]
    [InlineData("CREATE SECRET s AS 'S3cr3t' abc", "expected end of statement, found a name")]
    [InlineData("CREATE SECRET s AS ('S3cr3t'", "expected ')', found end of statement")]
    [InlineData("CREATE SECRET s AS 'S3cr3t' #!# ", "expected an expression, found end of statement")]
    [InlineData("CREATE SECRET s AS S3cr3t abc", "a secret value must be a string literal or an expression such as decode('…', 'base64'), not a bare word: put the value in single quotes")]
    public void Other_syntax_errors_in_a_secret_name_the_kind_of_token_not_its_text(string sql, string message)
    {
        var error = Assert.Single(SqlParser.Parse(sql).Errors);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Errors_outside_secrets_still_quote_the_token()
    {
        var error = Assert.Single(SqlParser.Parse("SELECT 1 abc def").Errors);

        Assert.Equal("expected end of statement, found 'def'", error.Message);
    }
}
