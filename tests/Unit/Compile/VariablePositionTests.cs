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
        const string line = "CREATE VIEW v AS SELECT :n AS n, :'who' AS w, amont FROM t;";
        using var project = new TempProject(new Dictionary<string, string>
        {
            ["models/materialize/app/t.sql"] = "CREATE TABLE t (amount int);",
            ["models/materialize/app/v.sql"] = "-- comment\n" + line + "\n",
        }, Toml);

        var compiled = ProjectCompiler.Compile(project.Root, "dev");
        var v = compiled.Objects.Single(o => o.Id.Name == "v");
        var text = v.Source.Text;

        Assert.Contains("'a customer with a very long name'", text, StringComparison.Ordinal);
        var at = v.Source.Locate(new TextSpan(text.IndexOf("amont", StringComparison.Ordinal), 5));
        Assert.Equal(("models/materialize/app/v.sql", 2, line.IndexOf("amont", StringComparison.Ordinal) + 1), (at.File, at.Line, at.Column));
        var inValue = v.Source.Locate(new TextSpan(text.IndexOf("very", StringComparison.Ordinal), 4));
        Assert.Equal(line.IndexOf(":'who'", StringComparison.Ordinal) + 1, inValue.Column);
    }
}
