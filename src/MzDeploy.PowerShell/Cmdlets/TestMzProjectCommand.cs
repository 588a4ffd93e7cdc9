using System.Management.Automation;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.Sandbox;
using MzDeploy.Engine.Testing;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Runs the project's EXECUTE UNIT TEST statements on a sandbox (mz-deploy test).</para>
/// Compiles the project offline, then runs each selected test in a session of its own: mocks and expected rows become
/// temporary views, the tested view is created over the mocks (AT TIME sets what mz_now() returns) and the rows are
/// compared as multisets. Emits one <see cref="MzUnitTestResult"/> per test; a failed or invalid test also writes a
/// non-terminating error (UnitTestFailed, UnitTestInvalid), so a CI step with $ErrorActionPreference = 'Stop' fails.
/// The sandbox is -Profile's Materialize, else the emulator at -Sandbox, else the module's private emulator.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MzProject")]
[OutputType(typeof(MzUnitTestResult))]
public sealed class TestMzProjectCommand : MzSandboxCmdlet
{
    private const string Activity = "Running unit tests";

    /// <summary>mz-deploy's filter: <c>database.schema.object#test</c>; trailing parts may be left out; <c>*</c> is a wildcard.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Also write a JUnit XML report there (one test suite per tested object).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JUnitXml { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var root = ResolvePath(Path);
        var profile = Invoke(() => ProfileResolver.ResolveActiveProfile(Profile, root, ProcessEnvironment.Instance), Profile);
        var operation = Invoke(() => UnitTestOperation.Prepare(new UnitTestRequest(root, profile.Name, Name), Log), Name ?? root);
        var startedAt = DateTimeOffset.UtcNow;
        var results = new List<UnitTestResult>();
        if (operation.Plans.Count == 0)
        {
            WriteWarning($"The project at {root} has no unit tests (EXECUTE UNIT TEST statements).");
        }
        else
        {
            // Tests invalid before they run need no sandbox: a project whose tests are all invalid starts none.
            var sandbox = operation.Plans.Any(p => p.Problems.Count == 0) ? await ResolveSandboxAsync(cancellationToken) : null;
            try
            {
                for (var i = 0; i < operation.Plans.Count; i++)
                {
                    var plan = operation.Plans[i];
                    ReportStep(Activity, i, operation.Plans.Count, plan.FullName, "test");
                    var result = await UnitTestOperation.RunAsync(plan, sandbox, cancellationToken);
                    results.Add(result);
                    Report(result);
                }
            }
            finally
            {
                CompleteProgress(Activity);
            }
        }

        if (JUnitXml is not null)
        {
            var path = ResolvePath(JUnitXml);
            // A file that cannot be written is the terminating UnitTestReportNotWritten; the results are already out.
            Invoke(() => { JUnitReport.Write(path, results, startedAt); return path; }, path);
            WriteVerbose($"JUnit report: {path}");
        }

        if (results.Count == 0)
        {
            return;
        }

        var failed = results.Count(r => r.Status == UnitTestStatus.Failed);
        var invalid = results.Count(r => r.Status == UnitTestStatus.Invalid);
        Inform($"{results.Count - failed - invalid} passed, {failed} failed, {invalid} invalid.");
    }

    private void Report(UnitTestResult result)
    {
        var output = UnitTestMapper.ToOutput(result);
        WriteObject(output);
        if (result.Status == UnitTestStatus.Passed)
        {
            return;
        }

        var definition = result.Status == UnitTestStatus.Invalid ? ErrorIds.UnitTestInvalid : ErrorIds.UnitTestFailed;
        var error = new MzDeployException(definition, result.Message!, output.FullName,
            new Advice(result.Status == UnitTestStatus.Invalid
                ? "Fix the test where the message points: mock every dependency with the real object's columns, and declare EXPECTED with the tested view's columns and types."
                : "Compare the Missing and Unexpected rows of the result with the test's EXPECTED rows and the view's query."));
        WriteError(ErrorRecords.From(error, output));
    }
}
