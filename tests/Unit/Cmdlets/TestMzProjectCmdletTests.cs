using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MzDeploy.Engine.Testing;
using MzDeploy.PowerShell.Cmdlets;

namespace MzDeploy.Tests.Unit.Cmdlets;

/// <summary>Test-MzProject in an in-process runspace, where no sandbox is needed: nothing to run, or nothing that can run.</summary>
public class TestMzProjectCmdletTests
{
    private static System.Management.Automation.PowerShell CreateShell()
    {
        var state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry("Test-MzProject", typeof(TestMzProjectCommand), null));
        return System.Management.Automation.PowerShell.Create(state);
    }

    [Fact]
    public void A_project_without_tests_only_warns()
    {
        using var project = new TempProject(new Dictionary<string, string> { ["models/materialize/app/v.sql"] = "CREATE VIEW v AS SELECT 1 AS x;" });
        using var shell = CreateShell();
        shell.AddCommand("Test-MzProject").AddParameter("Path", project.Root).AddParameter("Sandbox", "127.0.0.1:1");

        var output = shell.Invoke();

        Assert.Empty(output);
        Assert.False(shell.HadErrors);
        Assert.Contains("has no unit tests", Assert.Single(shell.Streams.Warning).Message);
    }

    [Fact]
    public void Tests_invalid_before_they_run_are_reported_without_reaching_a_sandbox()
    {
        // Port 1 answers nothing: reaching for the sandbox would fail the command.
        using var project = new TempProject(new Dictionary<string, string>
        {
            ["models/materialize/app/v.sql"] = "CREATE VIEW v AS SELECT id FROM ext.s.t;\n" +
                "EXECUTE UNIT TEST unmocked FOR materialize.app.v EXPECTED(id int) AS (VALUES (1));",
        }, "dependencies = [\"ext.s.t\"]\n");
        using var shell = CreateShell();
        shell.AddCommand("Test-MzProject").AddParameter("Path", project.Root).AddParameter("Sandbox", "127.0.0.1:1");

        var result = Assert.IsType<MzUnitTestResult>(Assert.Single(shell.Invoke()).BaseObject);

        Assert.Equal(MzUnitTestStatus.Invalid, result.Status);
        Assert.Equal("materialize.app.v#unmocked", result.FullName);
        Assert.Equal(("models/materialize/app/v.sql", 2), (result.File, result.Line));
        var error = Assert.Single(shell.Streams.Error);
        Assert.StartsWith("UnitTestInvalid", error.FullyQualifiedErrorId);
        Assert.Same(result, error.TargetObject);
        Assert.Contains("dependency 'ext.s.t' is not mocked", error.ToString());
    }

    [Fact]
    public void MzUnitTestStatus_has_the_engine_statuses_with_the_same_values() =>
        Assert.Equal(
            Enum.GetValues<UnitTestStatus>().Select(k => ((int)k, k.ToString())),
            Enum.GetValues<MzUnitTestStatus>().Select(k => ((int)k, k.ToString())));
}
