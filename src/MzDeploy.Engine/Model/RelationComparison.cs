namespace MzDeploy.Engine.Model;

/// <summary>One row of a relation, as column name → value (null for SQL NULL), in column order.</summary>
public sealed class ComparedRow
{
    internal ComparedRow(IReadOnlyList<KeyValuePair<string, object?>> values) => Values = values;

    /// <summary>The row's values in column order.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Values { get; }

    public override string ToString() => "(" + string.Join(", ", Values.Select(v => $"{v.Key}={v.Value ?? "NULL"}")) + ")";
}

/// <summary>
/// Two relations' rows compared at one timestamp: their row counts, how many rows (as a multiset, over the columns both
/// have) only one side holds, and a bounded sample of those rows.
/// </summary>
public sealed class RelationComparison
{
    internal RelationComparison(ObjectId left, ObjectId right, IReadOnlyList<string> columns, IReadOnlyList<string> leftOnlyColumns,
        IReadOnlyList<string> rightOnlyColumns, long leftCount, long rightCount, long onlyLeftCount, long onlyRightCount,
        IReadOnlyList<ComparedRow> onlyLeft, IReadOnlyList<ComparedRow> onlyRight)
    {
        Left = left;
        Right = right;
        Columns = columns;
        LeftOnlyColumns = leftOnlyColumns;
        RightOnlyColumns = rightOnlyColumns;
        LeftCount = leftCount;
        RightCount = rightCount;
        OnlyLeftCount = onlyLeftCount;
        OnlyRightCount = onlyRightCount;
        OnlyLeft = onlyLeft;
        OnlyRight = onlyRight;
    }

    public ObjectId Left { get; }

    public ObjectId Right { get; }

    /// <summary>The columns compared: those both relations have, in the left relation's order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Columns only the left relation has (not compared).</summary>
    public IReadOnlyList<string> LeftOnlyColumns { get; }

    /// <summary>Columns only the right relation has (not compared).</summary>
    public IReadOnlyList<string> RightOnlyColumns { get; }

    public long LeftCount { get; }

    public long RightCount { get; }

    /// <summary><see cref="LeftCount"/> minus <see cref="RightCount"/>.</summary>
    public long CountDifference => LeftCount - RightCount;

    /// <summary>Rows (with multiplicity) the left relation holds more often than the right.</summary>
    public long OnlyLeftCount { get; }

    /// <summary>Rows (with multiplicity) the right relation holds more often than the left.</summary>
    public long OnlyRightCount { get; }

    /// <summary>A sample of <see cref="OnlyLeftCount"/>'s rows, at most the sample size asked for.</summary>
    public IReadOnlyList<ComparedRow> OnlyLeft { get; }

    /// <summary>A sample of <see cref="OnlyRightCount"/>'s rows, at most the sample size asked for.</summary>
    public IReadOnlyList<ComparedRow> OnlyRight { get; }

    /// <summary>Same columns and the same rows.</summary>
    public bool IsIdentical => OnlyLeftCount == 0 && OnlyRightCount == 0 && LeftOnlyColumns.Count == 0 && RightOnlyColumns.Count == 0;
}
