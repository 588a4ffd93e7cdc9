using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine.Sql;
using MzDeploy.Engine;
using MzDeploy.Tests.Unit.Planning;

namespace MzDeploy.Tests.Unit.Sql;

/// <summary>
/// A NUL character (U+0000) is refused at compile time, with its position: in a string literal it used to
/// compile and then fail at stage with an internal error, since PostgreSQL and Materialize cannot store
/// NUL in text.
/// </summary>
public class NulCharacterTests
{
    [Theory]
    [InlineData("SELECT 'a\0b'", 9)]
    [InlineData("SELECT E'a\0b'", 10)]
    [InlineData("SELECT $$a\0b$$", 10)]
    [InlineData("SELECT \"a\0b\"", 9)]
    [InlineData("SELECT 1 -- a\0b", 13)]
    [InlineData("SELECT 1 /* a\0b */", 13)]
    [InlineData("SELECT 1\0", 8)]
    [InlineData("\0SELECT 1", 0)]
    public void A_NUL_anywhere_is_a_lexical_error_at_its_position(string sql, int offset)
    {
        var script = SqlParser.Parse(sql);

        var error = Assert.Single(script.Errors);
        Assert.StartsWith("NUL character (U+0000) is not allowed", error.Message);
        Assert.Equal(new TextSpan(offset, 1), error.Span);
    }

    [Theory]
    [InlineData(@"SELECT E'a\0b'")]
    [InlineData(@"SELECT E'a\000b'")]
    [InlineData(@"SELECT E'a\x00b'")]
    [InlineData(@"SELECT E'a\u0000b'")]
    [InlineData(@"SELECT E'a\U00000000b'")]
    public void An_escape_that_makes_a_NUL_is_an_error_at_the_escape(string sql)
    {
        var script = SqlParser.Parse(sql);

        var error = Assert.Single(script.Errors);
        Assert.StartsWith("NUL character (U+0000) is not allowed in a string literal", error.Message);
        Assert.Equal(10, error.Span.Start);
    }

    [Theory]
    [InlineData(@"SELECT E'a\01b'")]
    [InlineData(@"SELECT E'a\x01b'")]
    [InlineData(@"SELECT E'a\\0b'")]
    [InlineData("SELECT 'a\\0b'")]
    public void Other_escapes_and_a_backslash_zero_outside_E_strings_are_fine(string sql)
    {
        Assert.True(SqlParser.Parse(sql).Succeeded);
    }

    [Fact]
    public void Build_refuses_a_NUL_in_a_view_with_file_line_and_column()
    {
        using var project = new TempProject(new Dictionary<string, string>
        {
            ["models/materialize/public/v.sql"] = "CREATE VIEW v AS\nSELECT 'tab\0' AS x;",
        });

        var compiled = ProjectCompiler.Compile(project.Root, profile: null);

        var error = Assert.Single(compiled.Diagnostics);
        Assert.Equal(ErrorIds.SqlSyntaxError.Id, error.ErrorId);
        Assert.Equal(new SourceLocation("models/materialize/public/v.sql", 2, 12), error.Location);
        Assert.Contains("NUL character", error.Message);
    }
}
