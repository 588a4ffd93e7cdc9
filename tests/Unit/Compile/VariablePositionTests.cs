using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Tests.Unit.Compile;

/// <summary>Positions reported about a file whose variables were substituted are positions in the file as written.</summary>
public class VariablePositionTests
{
    private const string Toml = "[dev.variables]\nwho = \"a customer with a very long name\"\nn = \"1\"\n";

    [Fact]
    public void A_syntax_error_after_a_variable_on_its_line_is_at_the_column_as_written()
    {
        const string line2 = "SELECT id FROM t WHERE customer = :'who' AND amount > (;";
        using var project = new TempProject(new Dictionary<string, string>
        {
            ["models/materialize/app/v.sql"] = "CREATE VIEW v AS\n" + line2 + "\n",
        }, Toml);

        var compiled = ProjectCompiler.Compile(project.Root, "dev");

        var error = Assert.Single(compiled.Diagnostics, d => d.ErrorId == ErrorIds.SqlSyntaxError.Id);
        Assert.Equal(2, error.Location!.Line);
        Assert.Equal(line2.IndexOf(';', StringComparison.Ordinal) + 1, error.Location.Column);
    }

    [Fact]
    public void An_object_locates_spans_of_its_substituted_text_in_the_file_as_written()
    {
        const string line = "CREATE VIEW v AS SELECT :n AS n, :'who' AS w, amont FROM raw.t;";
        using var project = new TempProject(new Dictionary<string, string>
        {
            ["models/materialize/raw/t.sql"] = "CREATE TABLE t (amount int);",
            ["models/materialize/app/v.sql"] = "-- comment\n" + line + "\n",
        }, Toml);

        var compiled = ProjectCompiler.Compile(project.Root, "dev");
        Assert.Empty(compiled.Diagnostics.Select(d => d.ToString()));
        var v = compiled.Objects.Single(o => o.Id.Name == "v");
        var text = v.Source.Text;

        Assert.Contains("'a customer with a very long name'", text, StringComparison.Ordinal);
        var at = v.Source.Locate(new TextSpan(text.IndexOf("amont", StringComparison.Ordinal), 5));
        Assert.Equal(("models/materialize/app/v.sql", 2, line.IndexOf("amont", StringComparison.Ordinal) + 1), (at.File, at.Line, at.Column));
        var inValue = v.Source.Locate(new TextSpan(text.IndexOf("very", StringComparison.Ordinal), 4));
        Assert.Equal(line.IndexOf(":'who'", StringComparison.Ordinal) + 1, inValue.Column);
    }

    [Fact]
    public void A_unit_test_after_a_value_that_spans_lines_is_at_its_line_as_written()
    {
        using var project = new TempProject(new Dictionary<string, string>
        {
            ["models/materialize/raw/t.sql"] = "CREATE TABLE t (id int);",
            ["models/materialize/app/v.sql"] =
                "CREATE VIEW v AS SELECT id FROM raw.t WHERE :filter;\n\n"
                + "EXECUTE UNIT TEST keeps_small FOR materialize.app.v\n"
                + "MOCK materialize.raw.t(id int) AS (SELECT 1),\n"
                + "EXPECTED(id int) AS (SELECT 1);\n",
        }, "[dev.variables]\nfilter = \"id < 10\\n  AND id > 0\\n  AND true\"\n");

        var compiled = ProjectCompiler.Compile(project.Root, "dev");

        Assert.Empty(compiled.Diagnostics.Select(d => d.ToString()));
        var v = compiled.Objects.Single(o => o.Id.Name == "v");
        Assert.Contains("\n  AND true", v.Source.Text, StringComparison.Ordinal);
        var test = Assert.Single(v.UnitTests);
        Assert.Equal(3, v.Source.Locate(test.Span).Line);
    }
}
