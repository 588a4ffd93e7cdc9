using MzDeploy.Engine;

namespace MzDeploy.Tests.Unit;

public class DiagnosticTests
{
    [Fact]
    public void A_diagnostic_with_a_location_names_file_line_and_column()
    {
        var d = new Diagnostic("SqlSyntaxError", "unexpected token", new SourceLocation("models/a/b/c.sql", 3, 14));
        Assert.Equal("models/a/b/c.sql:3:14: unexpected token", d.ToString());
    }

    [Fact]
    public void A_failed_compilation_lists_every_problem_in_its_message()
    {
        var failed = new CompilationFailedException([
            new Diagnostic("SqlSyntaxError", "unexpected token", new SourceLocation("models/a/b/c.sql", 3, 14)),
            new Diagnostic("UnresolvedReference", "unknown object 'x'", new SourceLocation("models/a/b/d.sql", 1, 20)),
        ]);

        Assert.Equal(string.Join(Environment.NewLine,
            "The project has 2 error(s):",
            "  models/a/b/c.sql:3:14: unexpected token",
            "  models/a/b/d.sql:1:20: unknown object 'x'"), failed.Message);
        Assert.Equal("The project has 2 error(s), each reported above.", failed.Summary);
    }

    [Fact]
    public void A_failed_compilation_with_many_problems_lists_the_first_ones_and_counts_the_rest()
    {
        var diagnostics = Enumerable.Range(1, CompilationFailedException.MaxListed + 3)
            .Select(i => new Diagnostic("SqlSyntaxError", $"problem {i}", new SourceLocation($"models/a/b/v{i}.sql", 1, 1)))
            .ToList();

        var lines = new CompilationFailedException(diagnostics).Message.Split(Environment.NewLine);

        Assert.Equal(CompilationFailedException.MaxListed + 2, lines.Length);
        Assert.Equal($"  models/a/b/v{CompilationFailedException.MaxListed}.sql:1:1: problem {CompilationFailedException.MaxListed}", lines[^2]);
        Assert.Equal("  ... and 3 more", lines[^1]);
    }
}
