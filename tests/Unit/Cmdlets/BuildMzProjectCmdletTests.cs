using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MzDeploy.PowerShell.Cmdlets;
using MzDeploy.Tests.Unit.Planning;

namespace MzDeploy.Tests.Unit.Cmdlets;

/// <summary>The cmdlet hosted in an in-process runspace: what a PowerShell user observes.</summary>
public class BuildMzProjectCmdletTests
{
    private static System.Management.Automation.PowerShell CreateShell()
    {
        var state = InitialSessionState.CreateDefault2();
        // SMA alone has only the core cmdlets; Set-Location and friends come from the PowerShell tool package.
        state.ImportPSModule(
            typeof(Microsoft.PowerShell.Commands.SetLocationCommand).Assembly.Location,
            typeof(Microsoft.PowerShell.Commands.SelectObjectCommand).Assembly.Location);
        state.Commands.Add(new SessionStateCmdletEntry("Build-MzProject", typeof(BuildMzProjectCommand), null));
        return System.Management.Automation.PowerShell.Create(state);
    }

    [Fact]
    public void Compiles_the_PowerShell_location_not_the_process_directory()
    {
        using var project = new TempProject(new Dictionary<string, string>
        {
            ["models/materialize/app/v.sql"] = "CREATE VIEW v AS SELECT 1 AS x;",
        });
        using var shell = CreateShell();
        shell.AddScript($"Set-Location '{project.Root}'; Build-MzProject | ForEach-Object Objects | Where-Object Kind -eq 'View'");

        var result = shell.Invoke();

        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error.Select(e => e.ToString())));
        var view = Assert.IsType<MzProjectObject>(Assert.Single(result).BaseObject);
        Assert.Equal("materialize.app.v", view.FullName);
    }

    [Fact]
    public void Each_problem_is_an_error_record_with_its_id_and_location_then_the_run_terminates()
    {
        using var project = new TempProject(new Dictionary<string, string>
        {
            ["models/materialize/app/a.sql"] = "CREATE VIEW a AS SELECT * FROM nothing_here;",
            ["models/materialize/app/b.sql"] = "CREATE VIEW b AS SELECT 1;\nCREATE VIEW c AS SELECT 2;",
        });
        using var shell = CreateShell();
        shell.AddScript($"try {{ Build-MzProject -Path '{project.Root}' }} catch {{ $_.TargetObject.Errors.Count; $_.FullyQualifiedErrorId }}");

        var result = shell.Invoke().Select(r => r.BaseObject).ToList();

        var errors = shell.Streams.Error.ToList();
        Assert.Equal(new[] { "UnresolvedReference", "MultiplePrimaryStatements" },
            errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        var first = Assert.IsType<MzCompileError>(errors[0].TargetObject);
        Assert.Equal(("models/materialize/app/a.sql", 1, 32), (first.File, first.Line, first.Column));
        Assert.Equal(ErrorCategory.InvalidData, errors[0].CategoryInfo.Category);
        Assert.Equal(2, result[0]);
        Assert.StartsWith("CompilationFailed", (string)result[1]);
    }
}
