using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine;

namespace MzDeploy.Tests.Unit.Compile;

/// <summary>
/// A file that starts with <c>-- PRAGMA WARN_ON_MISSING_VARIABLES;</c> keeps its undefined <c>:name</c>
/// references as written and compiles with warnings; mz-deploy's projects use it for list slices
/// <c>arr[:b]</c>, where <c>:b</c> is SQL, not a variable.
/// </summary>
public class MissingVariablePragmaTests
{
    private const string Slices = "CREATE VIEW v AS\nSELECT arr[:b] AS head, arr[1:b] AS tail FROM t WHERE n > :threshold;";

    private const string Toml = "[prod.variables]\nthreshold = \"10\"\n";

    private static CompiledProject Compile(string view, string? profile = "prod")
    {
        using var project = new TempProject(new Dictionary<string, string>
        {
            ["models/materialize/public/t.sql"] = "CREATE VIEW t AS SELECT LIST[1, 2] AS arr, 1 AS b, 1 AS n;",
            ["models/materialize/public/v.sql"] = view,
        }, Toml);
        return ProjectCompiler.Compile(project.Root, profile);
    }

    [Fact]
    public void With_the_pragma_an_undefined_variable_is_a_warning_and_stays_as_written()
    {
        var project = Compile("-- PRAGMA WARN_ON_MISSING_VARIABLES;\n" + Slices);

        Assert.Empty(project.Diagnostics);
        Assert.True(project.Succeeded);
        var warning = Assert.Single(project.Warnings);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(ErrorIds.UndefinedVariable.Id, warning.ErrorId);
        Assert.Equal(new SourceLocation("models/materialize/public/v.sql", 3, 12), warning.Location);
        Assert.Contains(":b is not defined for profile 'prod'", warning.Message);

        // Defined variables are still substituted; the undefined one is left for Materialize to read as SQL.
        var v = project.Objects.Single(o => o.Id.Name == "v");
        Assert.Contains("arr[:b] AS head, arr[1:b] AS tail FROM t WHERE n > 10;", v.Source.Text);
        Assert.Equal(new[] { "materialize.public.t" }, v.DependsOn.Select(d => d.ToString()));
    }

    [Fact]
    public void Without_the_pragma_it_is_the_usual_positioned_error()
    {
        var project = Compile(Slices);

        var error = Assert.Single(project.Diagnostics);
        Assert.Equal(ErrorIds.UndefinedVariable.Id, error.ErrorId);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(new SourceLocation("models/materialize/public/v.sql", 2, 12), error.Location);
        Assert.Empty(project.Warnings);
    }

    [Fact]
    public void The_pragma_does_not_hide_syntax_errors()
    {
        var project = Compile("-- PRAGMA WARN_ON_MISSING_VARIABLES;\nCREATE VIEW v AS SELECT arr[:b FROM t;");

        Assert.Contains(project.Diagnostics, d => d.ErrorId == ErrorIds.SqlSyntaxError.Id);
        Assert.Single(project.Warnings);
    }
}
