using System.Management.Automation;

namespace MzDeploy;

/// <summary>How a unit test ended.</summary>
public enum MzUnitTestStatus
{
    /// <summary>The tested view returned exactly the expected rows.</summary>
    Passed,

    /// <summary>Rows were missing or unexpected, or a statement of the test failed on the sandbox.</summary>
    Failed,

    /// <summary>The test cannot run as written (unmocked dependency, mock or EXPECTED columns, not a view, bad AT TIME).</summary>
    Invalid,
}

/// <summary>One <c>EXECUTE UNIT TEST</c> run by Test-MzProject.</summary>
public sealed class MzUnitTestResult
{
    internal MzUnitTestResult(string name, string target, MzUnitTestStatus status, string[] columns, PSObject[] missing,
        PSObject[] unexpected, string? message, string file, int line, TimeSpan duration)
    {
        Name = name;
        Target = target;
        Status = status;
        Columns = columns;
        Missing = missing;
        Unexpected = unexpected;
        Message = message;
        File = file;
        Line = line;
        Duration = duration;
    }

    /// <summary>The test's name.</summary>
    public string Name { get; }

    /// <summary>The tested view, <c>database.schema.object</c>.</summary>
    public string Target { get; }

    public MzUnitTestStatus Status { get; }

    /// <summary>The EXPECTED clause's columns, in order: the properties of every row in <see cref="Missing"/> and <see cref="Unexpected"/>.</summary>
    public string[] Columns { get; }

    /// <summary>Rows expected but not returned (one per occurrence), as objects with the test's column names; values as text.</summary>
    public PSObject[] Missing { get; }

    /// <summary>Rows returned but not expected (one per occurrence), as objects with the test's column names; values as text.</summary>
    public PSObject[] Unexpected { get; }

    /// <summary>Why the test did not pass, with file:line; null when it passed.</summary>
    public string? Message { get; }

    /// <summary>The file holding the test, relative to the project folder.</summary>
    public string File { get; }

    /// <summary>The line where the <c>EXECUTE UNIT TEST</c> statement starts.</summary>
    public int Line { get; }

    /// <summary>From opening the test's session to its verdict (zero for a test invalid before it ran).</summary>
    public TimeSpan Duration { get; }

    /// <summary><c>database.schema.object#test</c>, the form -Name filters match.</summary>
    public string FullName => $"{Target}#{Name}";

    public override string ToString() => FullName;
}
