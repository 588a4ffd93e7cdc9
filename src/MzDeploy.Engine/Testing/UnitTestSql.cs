using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Testing;

/// <summary>
/// The statements of a unit test (mz-deploy's lowering): mocks and expected rows become temporary views with the declared
/// columns, each value cast to its declared type, so a mock of <c>VALUES (1, '2024-01-01')</c> has the types the real
/// object has; the target's query becomes a temporary view over the mocks; the comparison is the symmetric difference
/// of the two multisets (<c>EXCEPT ALL</c> both ways), every value as text so any type reads back the same way.
/// Temporary views live in the session's own temporary schema, found by their unqualified names before anything else.
/// </summary>
internal static class UnitTestSql
{
    /// <summary>The temporary view of the tested view's query.</summary>
    public const string TargetView = "unit_test_target";

    /// <summary>The temporary view of the expected rows.</summary>
    public const string ExpectedView = "unit_test_expected";

    /// <summary>The label of a row expected but absent.</summary>
    public const string Missing = "missing";

    /// <summary>The label of a row present but not expected.</summary>
    public const string Unexpected = "unexpected";

    /// <summary><c>CAST('…' AS mz_timestamp)</c>: what <c>mz_now()</c> returns at <paramref name="atTime"/>.</summary>
    public static string Timestamp(string atTime) => $"CAST({SqlLiteral.Quote(atTime)} AS mz_timestamp)";

    public static string CheckTime(string atTime) => $"SELECT {Timestamp(atTime)}";

    /// <summary>A temporary view <paramref name="view"/> of <paramref name="query"/>'s rows with <paramref name="columns"/> (named and cast).</summary>
    public static string Rows(string view, IReadOnlyList<UnitTestColumn> columns, string query)
    {
        var casts = string.Join(", ", columns.Select(c => $"CAST({Name(c.Name)} AS {c.Type}) AS {Name(c.Name)}"));
        var names = string.Join(", ", columns.Select(c => Name(c.Name)));
        return $"CREATE TEMPORARY VIEW {Name(view)} AS SELECT {casts} FROM ({query}) AS declared ({names})";
    }

    /// <summary>The temporary view of the target's (rewritten) query, with its column list when it declares one.</summary>
    public static string Target(IReadOnlyList<string> columns, string query) =>
        $"CREATE TEMPORARY VIEW {TargetView}{(columns.Count == 0 ? "" : " (" + string.Join(", ", columns.Select(Name)) + ")")} AS {query}";

    public static string Describe() => $"SELECT * FROM {TargetView} LIMIT 0";

    /// <summary>
    /// Rows of the symmetric difference: the label (<see cref="Missing"/> or <see cref="Unexpected"/>), then each column
    /// of <paramref name="columns"/> as text, ordered for a stable report.
    /// </summary>
    public static string Compare(IReadOnlyList<UnitTestColumn> columns)
    {
        var names = string.Join(", ", columns.Select(c => Name(c.Name)));
        var texts = string.Join(", ", columns.Select(c => $"CAST({Name(c.Name)} AS text)"));
        var order = string.Join(", ", Enumerable.Range(1, columns.Count + 1));
        return $"SELECT {SqlLiteral.Quote(Missing)}, {texts} FROM " +
               $"(SELECT {names} FROM {ExpectedView} EXCEPT ALL SELECT {names} FROM {TargetView}) AS missing_rows " +
               $"UNION ALL SELECT {SqlLiteral.Quote(Unexpected)}, {texts} FROM " +
               $"(SELECT {names} FROM {TargetView} EXCEPT ALL SELECT {names} FROM {ExpectedView}) AS unexpected_rows " +
               $"ORDER BY {order}";
    }

    public static string Name(string name) => SqlIdentifier.QuoteIfNeeded(name);
}
