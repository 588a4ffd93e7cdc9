using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Testing;

/// <summary>What one statement of a unit test's plan does.</summary>
public enum UnitTestStepKind
{
    /// <summary><c>SELECT CAST('…' AS mz_timestamp)</c>: the <c>AT TIME</c> value is one (a failure makes the test invalid).</summary>
    CheckTime,

    /// <summary>A temporary view holding a mock's rows, with the declared columns and types.</summary>
    CreateMock,

    /// <summary>A temporary view of the tested view's query, reading the mocks instead of the objects they stand for.</summary>
    CreateTarget,

    /// <summary>A temporary view holding the expected rows, with the declared columns and types.</summary>
    CreateExpected,

    /// <summary><c>SELECT * FROM</c> the target <c>LIMIT 0</c>: its output columns and types, checked against EXPECTED.</summary>
    DescribeTarget,

    /// <summary>The symmetric difference of expected and actual rows as multisets: each row labelled missing or unexpected.</summary>
    Compare,
}

/// <summary>One statement of a unit test's plan, sent as written, one per round trip.</summary>
public sealed record UnitTestStep(UnitTestStepKind Kind, string Sql)
{
    public override string ToString() => Sql;
}

/// <summary>A column of a unit test's EXPECTED clause (or of what a server reports), its type as declared.</summary>
public sealed record UnitTestColumn(string Name, string Type)
{
    public override string ToString() => $"{Name} {Type}";
}

/// <summary>
/// Why a unit test cannot run as written (mz-deploy's validation errors): an unmocked dependency, mock columns unlike
/// the real object's, EXPECTED unlike the target's output, a target that is not a view, an <c>AT TIME</c> that is no
/// timestamp. <paramref name="Location"/> is the clause at fault.
/// </summary>
public sealed record UnitTestProblem(string Message, SourceLocation Location)
{
    public override string ToString() => $"{Location}: {Message}";
}

/// <summary>
/// The plan of one <c>EXECUTE UNIT TEST</c>: the exact statements that run, in order, in a session of its own (so its
/// temporary views vanish with it), or the problems that make it invalid before anything runs.
/// </summary>
public sealed class UnitTestPlan
{
    internal UnitTestPlan(string name, ObjectId target, SourceLocation location, IReadOnlyList<UnitTestColumn> expected,
        SourceLocation expectedLocation, string? atTime, IReadOnlyList<UnitTestStep> steps, IReadOnlyList<UnitTestProblem> problems)
    {
        Name = name;
        Target = target;
        Location = location;
        Expected = expected;
        ExpectedLocation = expectedLocation;
        AtTime = atTime;
        Steps = steps;
        Problems = problems;
    }

    /// <summary>The test's name.</summary>
    public string Name { get; }

    /// <summary>The tested view (its name in the project).</summary>
    public ObjectId Target { get; }

    /// <summary>Where the <c>EXECUTE UNIT TEST</c> statement starts.</summary>
    public SourceLocation Location { get; }

    /// <summary>The EXPECTED clause's columns: the columns of every reported row.</summary>
    public IReadOnlyList<UnitTestColumn> Expected { get; }

    /// <summary>Where the EXPECTED clause starts (a mismatch with the target's output is reported there).</summary>
    public SourceLocation ExpectedLocation { get; }

    /// <summary>The <c>AT TIME</c> value, if the test has one.</summary>
    public string? AtTime { get; }

    /// <summary>Every statement, in order; empty when <see cref="Problems"/> is not.</summary>
    public IReadOnlyList<UnitTestStep> Steps { get; }

    /// <summary>What makes the test invalid before it runs (it then runs nothing).</summary>
    public IReadOnlyList<UnitTestProblem> Problems { get; }

    /// <summary><c>database.schema.object#test</c>, the form filters match.</summary>
    public string FullName => $"{Target}#{Name}";

    public override string ToString() => FullName;
}
