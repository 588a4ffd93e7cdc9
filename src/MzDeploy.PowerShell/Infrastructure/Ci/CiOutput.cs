using System.Management.Automation;
using MzDeploy.Engine;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine.Planning.Review;
using MzDeploy.Engine.Project;

namespace MzDeploy.PowerShell.Infrastructure.Ci;

/// <summary>
/// What a cmdlet tells the CI system it runs under (see <see cref="CiDetection"/>): annotations on the repository's files,
/// collapsible groups and summary sections, each in one call from the cmdlet. Outside CI, or with CI output turned off, every
/// member does nothing, so the cmdlet's behaviour is the same as without it. Lines go to standard output (through the host,
/// where the runner reads them); call members on the pipeline thread.
/// </summary>
internal sealed class CiOutput
{
    private readonly IWorkflowDialect? _dialect;
    private readonly CiSystem _system;
    private readonly IEnvironment _environment;
    private readonly Action<string> _writeLine;

    internal CiOutput(CiSystem system, IEnvironment environment, Action<string> writeLine)
    {
        _system = system;
        _environment = environment;
        _writeLine = writeLine;
        _dialect = system switch
        {
            CiSystem.GitHubActions => new GitHubWorkflowCommands(environment),
            CiSystem.AzurePipelines => new AzureLoggingCommands(environment),
            _ => null,
        };
    }

    /// <summary>The CI output of <paramref name="cmdlet"/>'s session and process.</summary>
    public static CiOutput For(PSCmdlet cmdlet)
    {
        ArgumentNullException.ThrowIfNull(cmdlet);
        var preference = cmdlet.SessionState.PSVariable.GetValue(CiDetection.PreferenceVariable);
        var system = CiDetection.Detect(ProcessEnvironment.Instance, preference);
        return new CiOutput(system, ProcessEnvironment.Instance, line => WriteLine(cmdlet, line));
    }

    public bool Enabled => _dialect is not null;

    /// <summary>One annotation per diagnostic (errors and warnings), placed on its file relative to the repository root.</summary>
    public void Annotate(string projectRoot, IEnumerable<Diagnostic> diagnostics)
    {
        if (_dialect is null)
        {
            return;
        }

        var paths = RepositoryPaths.For(projectRoot, _system, _environment);
        foreach (var annotation in DiagnosticAnnotations.From(diagnostics, paths))
        {
            _writeLine(_dialect.Annotation(annotation));
        }
    }

    /// <summary>
    /// <paramref name="work"/>, annotating the diagnostics of a <see cref="CompilationFailedException"/> before it propagates,
    /// or, when it succeeds, the compile warnings <paramref name="warnings"/> finds in its result. For engine work that compiles
    /// inside an operation. Called from a cmdlet body, it resumes on the pipeline thread (no ConfigureAwait(false)), so the
    /// annotations are written there before the failure becomes the cmdlet's error.
    /// </summary>
    public async Task<T> AnnotatingCompile<T>(string projectRoot, Func<Task<T>> work, Func<T, IReadOnlyList<Diagnostic>> warnings)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(warnings);
        try
        {
            var result = await work();
            if (Enabled && warnings(result) is { Count: > 0 } found)
            {
                Annotate(projectRoot, found);
            }

            return result;
        }
        catch (CompilationFailedException e) when (Enabled)
        {
            Annotate(projectRoot, e.Diagnostics);
            throw;
        }
    }

    /// <summary>Appends the stage's section to the run's summary: what is staged and why (or that nothing is).</summary>
    public void SummarizeStage(StagePlan plan, bool staged)
    {
        if (_dialect is not null)
        {
            Publish(CiSummaries.Stage(plan, staged));
        }
    }

    /// <summary>Appends a saved plan's section to the run's summary: what a pull request review reads (<see cref="PlanSummary"/>).</summary>
    public void SummarizeReviewedPlan(ReviewedStagePlan reviewed, string planPath)
    {
        if (_dialect is not null)
        {
            Publish(PlanSummary.Render(reviewed, planPath));
        }
    }

    /// <summary>Appends the promotion's section to the run's summary.</summary>
    public void SummarizePromotion(MzPromotion promotion)
    {
        if (_dialect is not null)
        {
            Publish(CiSummaries.Promotion(promotion));
        }
    }

    /// <summary>
    /// Runs a wait inside a collapsible group of the log (its verbose, warning and error lines fold under one heading), then
    /// writes each cluster's final status in the group and the clusters' hydration to the run's summary.
    /// </summary>
    public async Task<WaitResult?> WaitAsync(string deployId, Func<Task<WaitResult?>> wait)
    {
        ArgumentNullException.ThrowIfNull(wait);
        if (_dialect is null)
        {
            return await wait();
        }

        _writeLine(_dialect.GroupStart($"Waiting for deployment '{deployId}'"));
        WaitResult? result = null;
        try
        {
            result = await wait();
            foreach (var cluster in result?.Clusters ?? [])
            {
                _writeLine($"{cluster.Cluster}: {cluster.State} ({cluster.HydratedObjects}/{cluster.TotalObjects} hydrated)");
            }
        }
        finally
        {
            _writeLine(_dialect.GroupEnd());
        }

        Publish(CiSummaries.Hydration(deployId, result));
        return result;
    }

    private void Publish(string markdown)
    {
        foreach (var line in _dialect!.PublishSummary(markdown))
        {
            _writeLine(line);
        }
    }

    /// <summary>
    /// Through the host, so the line lands on standard output in order with the cmdlet's other host output (and in a
    /// transcript); a host without a UI (an in-process runspace) gets the process's standard output.
    /// </summary>
    private static void WriteLine(PSCmdlet cmdlet, string line)
    {
        if (cmdlet.Host?.UI is { } ui)
        {
            ui.WriteLine(line);
        }
        else
        {
            Console.Out.WriteLine(line);
        }
    }
}
