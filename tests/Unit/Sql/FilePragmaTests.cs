using MzDeploy.Engine.Sql;

namespace MzDeploy.Tests.Unit.Sql;

/// <summary><c>-- PRAGMA WARN_ON_MISSING_VARIABLES;</c> in the comment lines before a file's first statement.</summary>
public class FilePragmaTests
{
    [Theory]
    [InlineData("-- PRAGMA WARN_ON_MISSING_VARIABLES;\nCREATE VIEW v AS SELECT 1;")]
    [InlineData("-- pragma warn_on_missing_variables\nCREATE VIEW v AS SELECT 1;")]
    [InlineData("--PRAGMA  Warn_On_Missing_Variables ;  \r\nSELECT 1")]
    [InlineData("\n\n-- a view of lists\n/* a block\n comment */\n   -- PRAGMA WARN_ON_MISSING_VARIABLES;\nSELECT 1")]
    [InlineData("\uFEFF-- PRAGMA WARN_ON_MISSING_VARIABLES;")]
    public void The_pragma_is_read_from_the_comment_lines_before_the_first_statement(string text)
    {
        Assert.True(FilePragmas.WarnsOnMissingVariables(text));
    }

    [Theory]
    [InlineData("SELECT 1;\n-- PRAGMA WARN_ON_MISSING_VARIABLES;")]
    [InlineData("/* PRAGMA WARN_ON_MISSING_VARIABLES; */ SELECT 1")]
    [InlineData("-- PRAGMA WARN_ON_MISSING_VARIABLES please\nSELECT 1")]
    [InlineData("-- no PRAGMA WARN_ON_MISSING_VARIABLES;\nSELECT 1")]
    [InlineData("SELECT '-- PRAGMA WARN_ON_MISSING_VARIABLES;'")]
    [InlineData("")]
    public void Anywhere_else_or_spelled_otherwise_it_is_just_a_comment(string text)
    {
        Assert.False(FilePragmas.WarnsOnMissingVariables(text));
    }

    [Theory]
    [InlineData("SELECT arr[:b] FROM t", ":b")]
    [InlineData("SELECT arr[1:b] FROM t", null)]
    [InlineData("SELECT arr[a:b] FROM t", null)]
    [InlineData("SELECT arr[:b][1] FROM t", ":b")]
    public void A_slice_bound_left_as_written_parses(string sql, string? variable)
    {
        var script = SqlParser.Parse(sql);

        Assert.True(script.Succeeded, string.Join("; ", script.Errors));
        var undefined = VariableSubstitutor.Substitute(sql, new Dictionary<string, string>()).Undefined;
        Assert.Equal(variable, undefined.SingleOrDefault()?.Span.Slice(sql));
    }
}
