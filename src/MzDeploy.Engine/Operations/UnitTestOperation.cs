using System.Diagnostics;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Sandbox;
using MzDeploy.Engine.Testing;
using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Engine.Operations;

/// <summary>Which unit tests to run.</summary>
/// <param name="ProjectRoot">The project folder.</param>
/// <param name="Profile">The profile whose variables and file overrides apply (null: none).</param>
/// <param name="Filter">mz-deploy's filter (<c>database.schema.object#test</c>, wildcards), or null for every test.</param>
public sealed record UnitTestRequest(string ProjectRoot, string? Profile, string? Filter);

/// <summary>
/// mz-deploy <c>test</c>. <see cref="Prepare"/> compiles the project (offline), reads types.lock if there is one, selects the tests the filter names and
/// plans each one (<see cref="UnitTestPlan"/>: its exact statements, or why it is invalid); <see cref="RunAsync"/> runs
/// one plan in a session of its own on a sandbox and compares the rows. Tests are independent: a failed or invalid test
/// is a result, not an exception.
/// </summary>
public sealed class UnitTestOperation
{
    private UnitTestOperation(CompiledProject project, UnitTestFilter? filter, IReadOnlyList<UnitTestPlan> plans)
    {
        Project = project;
        Filter = filter;
        Plans = plans;
    }

    public CompiledProject Project { get; }

    public UnitTestFilter? Filter { get; }

    /// <summary>The selected tests, in project order; empty when the project has none (and no filter was given).</summary>
    public IReadOnlyList<UnitTestPlan> Plans { get; }

    /// <summary>Compiles and plans; runs nothing.</summary>
    /// <exception cref="MzDeployException"><c>InvalidUnitTestFilter</c>; <c>TypeLockInvalid</c> for a types.lock this build
    /// cannot read; <c>CompilationFailed</c> for errors other than
    /// invalid unit tests (those become invalid tests); <c>UnitTestFilterMatchedNothing</c>.</exception>
    public static UnitTestOperation Prepare(UnitTestRequest request, IOperationLog log)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        var filter = string.IsNullOrWhiteSpace(request.Filter) ? null : UnitTestFilter.Parse(request.Filter);
        var project = ProjectCompiler.Compile(request.ProjectRoot, request.Profile);
        var errors = project.Diagnostics.Where(d => d.ErrorId != ErrorIds.InvalidUnitTest.Id).ToList();
        if (errors.Count > 0)
        {
            throw new CompilationFailedException(errors);
        }

        // Read once here, not per test: mocks of external dependencies it holds are checked against its columns.
        var lockFile = TypeLockFile.Load(project.Root);
        var plans = UnitTestPlanner.Plan(project, filter, lockFile);
        if (filter is not null && plans.Count == 0)
        {
            throw new MzDeployException(ErrorIds.UnitTestFilterMatchedNothing, $"no tests matched filter '{filter}'", filter.Text,
                new Advice("Check the filter against the EXECUTE UNIT TEST statements: database.schema.object#test, * as a wildcard."));
        }

        log.Verbose($"{plans.Count} unit test(s) selected{(filter is null ? "" : $" by '{filter}'")}.");
        return new UnitTestOperation(project, filter, plans);
    }

    /// <summary>
    /// Runs one test on a new session of <paramref name="sandbox"/> and closes it, so its temporary views vanish.
    /// A server error in a statement of the test fails the test; a sandbox that does not answer is an exception. A plan
    /// with <see cref="UnitTestPlan.Problems"/> is invalid without running: it needs no sandbox (null is accepted).
    /// </summary>
    public static async Task<UnitTestResult> RunAsync(UnitTestPlan plan, SandboxTarget? sandbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Problems.Count > 0)
        {
            return Result(plan, UnitTestStatus.Invalid, TimeSpan.Zero, problems: plan.Problems);
        }

        ArgumentNullException.ThrowIfNull(sandbox);

        var watch = Stopwatch.StartNew();
        await using var session = new UnitTestSession(await sandbox.OpenConnectionAsync(cancellationToken).ConfigureAwait(false));
        foreach (var step in plan.Steps)
        {
            try
            {
                switch (step.Kind)
                {
                    case UnitTestStepKind.DescribeTarget:
                        var actual = await session.DescribeAsync(step, cancellationToken).ConfigureAwait(false);
                        if (ExpectedMismatch(plan, actual) is { } mismatch)
                        {
                            return Result(plan, UnitTestStatus.Invalid, watch.Elapsed, problems: [mismatch]);
                        }

                        break;
                    case UnitTestStepKind.Compare:
                        var rows = await session.TextRowsAsync(step, cancellationToken).ConfigureAwait(false);
                        var missing = rows.Where(r => r[0] == UnitTestSql.Missing).Select(r => (IReadOnlyList<string?>)r[1..]).ToList();
                        var unexpected = rows.Where(r => r[0] == UnitTestSql.Unexpected).Select(r => (IReadOnlyList<string?>)r[1..]).ToList();
                        return Result(plan, rows.Count == 0 ? UnitTestStatus.Passed : UnitTestStatus.Failed, watch.Elapsed, missing, unexpected);
                    default:
                        await session.ExecuteAsync(step, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
            catch (MzDeployException e) when (e.SqlState is not null && step.Kind == UnitTestStepKind.CheckTime)
            {
                var problem = new UnitTestProblem(UnitTestPlanner.Prefix(plan.Name, plan.Target) +
                    $"AT TIME '{plan.AtTime}' is not a valid mz_timestamp: {e.Message}", plan.Location);
                return Result(plan, UnitTestStatus.Invalid, watch.Elapsed, problems: [problem]);
            }
            catch (MzDeployException e) when (e.SqlState is not null)
            {
                return Result(plan, UnitTestStatus.Failed, watch.Elapsed, error: e.Message);
            }
        }

        throw new InvalidOperationException($"the plan of {plan} has no comparison");
    }

    // mz-deploy: EXPECTED must match the target's output schema: the same column names (in any order) and types.
    private static UnitTestProblem? ExpectedMismatch(UnitTestPlan plan, IReadOnlyList<UnitTestColumn> actual)
    {
        var byName = actual.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var matches = actual.Count == plan.Expected.Count && plan.Expected.All(e =>
            byName.TryGetValue(e.Name, out var a) && TypeNames.Same(e.Type, a.Type));
        return matches ? null : new UnitTestProblem(UnitTestPlanner.Prefix(plan.Name, plan.Target) +
            $"EXPECTED declares ({Describe(plan.Expected)}) but {plan.Target} returns ({Describe(actual)})", plan.ExpectedLocation);
    }

    private static string Describe(IEnumerable<UnitTestColumn> columns) =>
        string.Join(", ", columns.Select(c => $"{c.Name} {TypeNames.Normalize(c.Type)}"));

    private static UnitTestResult Result(UnitTestPlan plan, UnitTestStatus status, TimeSpan duration,
        IReadOnlyList<IReadOnlyList<string?>>? missing = null, IReadOnlyList<IReadOnlyList<string?>>? unexpected = null,
        IReadOnlyList<UnitTestProblem>? problems = null, string? error = null) =>
        new(plan.Name, plan.Target, status, plan.Expected, missing ?? [], unexpected ?? [], problems ?? [], error, plan.Location, duration);
}
