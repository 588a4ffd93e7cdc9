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
}
