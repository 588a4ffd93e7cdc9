using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Testing;

/// <summary>How a unit test ended (mz-deploy: passed, failed, validation failed).</summary>
public enum UnitTestStatus
{
    /// <summary>The target returned exactly the expected rows.</summary>
    Passed,

    /// <summary>Rows were missing or unexpected, or a statement of the test failed on the server.</summary>
    Failed,

    /// <summary>The test cannot run as written (see <see cref="UnitTestResult.Problems"/>).</summary>
    Invalid,
}

/// <summary>
/// What one unit test did. <see cref="Missing"/> and <see cref="Unexpected"/> hold rows in the order of
/// <see cref="Columns"/>, each value as the server's text for it (null for NULL).
/// </summary>
public sealed record UnitTestResult(
    string Name,
    ObjectId Target,
    UnitTestStatus Status,
    IReadOnlyList<UnitTestColumn> Columns,
    IReadOnlyList<IReadOnlyList<string?>> Missing,
    IReadOnlyList<IReadOnlyList<string?>> Unexpected,
    IReadOnlyList<UnitTestProblem> Problems,
    string? Error,
    SourceLocation Location,
    TimeSpan Duration)
{
    /// <summary>One line saying why the test did not pass (null when it passed).</summary>
    public string? Message => Status switch
    {
        UnitTestStatus.Passed => null,
        UnitTestStatus.Invalid => string.Join("; ", Problems.Select(p => p.ToString())),
        _ when Error is not null => $"{Location}: {UnitTestPlanner.Prefix(Name, Target)}{Error}",
        _ => $"{Location}: {UnitTestPlanner.Prefix(Name, Target)}{Missing.Count} missing and {Unexpected.Count} unexpected row(s)" +
             Rows("missing", Missing) + Rows("unexpected", Unexpected),
    };

    /// <summary>The most rows of each kind <see cref="Message"/> shows (all of them are in the result).</summary>
    public const int MaxRowsInMessage = 5;

    // "; missing (id=2, name=carol), (id=3, name=dan)": what a CI log needs to see without the result object.
    private string Rows(string label, IReadOnlyList<IReadOnlyList<string?>> rows) =>
        rows.Count == 0 ? string.Empty
        : $"; {label} " + string.Join(", ", rows.Take(MaxRowsInMessage).Select(row =>
              "(" + string.Join(", ", Columns.Select((c, i) => $"{c.Name}={row[i] ?? "NULL"}")) + ")"))
          + (rows.Count > MaxRowsInMessage ? $", … {rows.Count - MaxRowsInMessage} more" : string.Empty);
}
