using MzDeploy.Engine;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Project;
using MzDeploy.PowerShell.Infrastructure.Ci;

namespace MzDeploy.Tests.Unit.Ci;

public sealed class CiOutputTests : IDisposable
{
    private readonly string _checkout = Directory.CreateTempSubdirectory("ci-output").FullName;
    private readonly List<string> _lines = [];

    public void Dispose() => Directory.Delete(_checkout, recursive: true);

    private string SummaryPath => Path.Combine(_checkout, "summary.md");

    private CiOutput Output(CiSystem system) =>
        new(system, new MapEnvironment([new("GITHUB_WORKSPACE", _checkout), new("GITHUB_STEP_SUMMARY", SummaryPath)]), _lines.Add);

    private static readonly Diagnostic[] Problems =
    [
        new("UnresolvedReference", "unknown object nothing_here", new SourceLocation("models/materialize/app/a.sql", 1, 32)),
        new("MissingVariable", "variable 'x' is not defined", new SourceLocation("models/materialize/app/b.sql", 2, 5)) { Severity = DiagnosticSeverity.Warning },
    ];

    [Fact]
    public void Diagnostics_become_annotations_on_repository_paths()
    {
        Output(CiSystem.GitHubActions).Annotate(Path.Combine(_checkout, "shop"), Problems);

        Assert.Equal(new[]
        {
            "::error file=shop/models/materialize/app/a.sql,line=1,col=32,title=UnresolvedReference::unknown object nothing_here",
            "::warning file=shop/models/materialize/app/b.sql,line=2,col=5,title=MissingVariable::variable 'x' is not defined",
        }, _lines);
    }

    [Fact]
    public async Task Outside_ci_nothing_is_written_and_the_wait_still_runs()
    {
        var output = Output(CiSystem.None);
        output.Annotate(_checkout, Problems);
        var result = new WaitResult("r1", [], 1, TimeSpan.Zero, null);

        Assert.Same(result, await output.WaitAsync("r1", () => Task.FromResult<WaitResult?>(result)));
        Assert.Empty(_lines);
        Assert.False(File.Exists(SummaryPath));
        Assert.False(output.Enabled);
    }

    [Fact]
    public async Task A_wait_is_a_group_with_the_final_statuses_and_its_hydration_goes_to_the_summary()
    {
        var result = new WaitResult("r1", [new ClusterStatusInfo("r1", "orders_r1", "orders", ClusterState.Ready, null, 4, 4, 0, 1, 0)],
            2, TimeSpan.FromSeconds(3), null);

        await Output(CiSystem.GitHubActions).WaitAsync("r1", () =>
        {
            _lines.Add("polling");
            return Task.FromResult<WaitResult?>(result);
        });

        Assert.Equal(new[] { "::group::Waiting for deployment 'r1'", "polling", "orders_r1: Ready (4/4 hydrated)", "::endgroup::" }, _lines);
        Assert.StartsWith("### MzDeploy: `r1` is ready\n", File.ReadAllText(SummaryPath));
    }

    [Fact]
    public async Task A_failing_wait_still_closes_its_group()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Output(CiSystem.AzurePipelines).WaitAsync("r1", () => throw new InvalidOperationException()));

        Assert.Equal(new[] { "##[group]Waiting for deployment 'r1'", "##[endgroup]" }, _lines);
    }

    [Fact]
    public async Task A_compile_failure_inside_an_operation_is_annotated_before_it_propagates()
    {
        var failure = new CompilationFailedException([Problems[0]]);

        await Assert.ThrowsAsync<CompilationFailedException>(() => Output(CiSystem.GitHubActions).AnnotatingCompile<string>(
            _checkout, () => throw failure, _ => []));

        Assert.Equal("::error file=models/materialize/app/a.sql,line=1,col=32,title=UnresolvedReference::unknown object nothing_here", Assert.Single(_lines));
    }
}
