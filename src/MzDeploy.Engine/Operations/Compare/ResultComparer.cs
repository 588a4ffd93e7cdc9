using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Operations.Compare;

/// <summary>
/// Compares the rows of two relations at one timestamp (<see cref="RelationComparisonQuery"/>): their counts, the rows only
/// one side holds (as multisets, over the columns both have) and a bounded sample of those rows with their column names.
/// Knows nothing of what the relations are: a dev overlay compares an overlaid view with its production counterpart, a
/// deployment comparison a staged one with production. In two steps, so a caller can show the SELECT before it runs:
/// <see cref="Plan"/> (pure, from the columns <see cref="ColumnsAsync"/> read) and <see cref="RunAsync"/>.
/// </summary>
internal static class ResultComparer
{
    /// <summary>The sample size when none is asked for.</summary>
    public const int DefaultSampleSize = 10;

    /// <summary>Plans the comparison of <paramref name="left"/> with <paramref name="right"/> over the columns both have.</summary>
    /// <param name="left">The relation whose extra rows are <see cref="RelationComparison.OnlyLeft"/>.</param>
    /// <param name="right">The relation whose extra rows are <see cref="RelationComparison.OnlyRight"/>.</param>
    /// <param name="leftColumns">The left relation's columns, in order.</param>
    /// <param name="rightColumns">The right relation's columns, in order.</param>
    /// <param name="sampleSize">At most this many rows of each side's extra rows.</param>
    public static PlannedComparison Plan(ObjectId left, ObjectId right, IReadOnlyList<string> leftColumns, IReadOnlyList<string> rightColumns,
        int sampleSize)
    {
        ArgumentNullException.ThrowIfNull(leftColumns);
        ArgumentNullException.ThrowIfNull(rightColumns);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleSize);
        var shared = leftColumns.Where(c => rightColumns.Contains(c, StringComparer.Ordinal)).ToList();
        return new PlannedComparison(left, right, shared,
            leftColumns.Where(c => !shared.Contains(c, StringComparer.Ordinal)).ToList(),
            rightColumns.Where(c => !shared.Contains(c, StringComparer.Ordinal)).ToList(),
            sampleSize, RelationComparisonQuery.Sql(left, right, shared, sampleSize));
    }

    /// <summary>Runs a planned comparison: one SELECT on the session's cluster.</summary>
    public static async Task<RelationComparison> RunAsync(CatalogSession session, PlannedComparison planned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(planned);
        var rows = await session.QueryAsync(planned.Sql, ReadRow, cancellationToken).ConfigureAwait(false);
        var first = rows[0];
        List<ComparedRow> Sample(string side) => rows
            .Where(r => r.Side == side)
            .Select(r => new ComparedRow(planned.Columns.Select((c, i) => new KeyValuePair<string, object?>(c, r.Values[i])).ToList()))
            .ToList();
        return new RelationComparison(planned.Left, planned.Right, planned.Columns, planned.LeftOnlyColumns, planned.RightOnlyColumns,
            first.Counts[0], first.Counts[1], first.Counts[2], first.Counts[3],
            Sample(RelationComparisonQuery.LeftSide), Sample(RelationComparisonQuery.RightSide));
    }

    /// <summary>Reads both relations' columns, plans and runs (for callers with nothing to show in between).</summary>
    /// <param name="session">The session to read on (its cluster computes the comparison).</param>
    /// <param name="left">The relation whose extra rows are <see cref="RelationComparison.OnlyLeft"/>.</param>
    /// <param name="right">The relation whose extra rows are <see cref="RelationComparison.OnlyRight"/>.</param>
    /// <param name="sampleSize">At most this many rows of each side's extra rows.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static async Task<RelationComparison> CompareAsync(CatalogSession session, ObjectId left, ObjectId right, int sampleSize,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleSize);
        var leftColumns = await ColumnsAsync(session, left, cancellationToken).ConfigureAwait(false);
        var rightColumns = await ColumnsAsync(session, right, cancellationToken).ConfigureAwait(false);
        return await RunAsync(session, Plan(left, right, leftColumns, rightColumns, sampleSize), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The columns of a relation, in order.</summary>
    public static Task<IReadOnlyList<string>> ColumnsAsync(CatalogSession session, ObjectId relation, CancellationToken cancellationToken) =>
        session.QueryAsync(RelationComparisonQuery.ColumnsQuery, r => r.GetString(0), cancellationToken,
            relation.Database, relation.Schema, relation.Name);

    private static (long[] Counts, string? Side, object?[] Values) ReadRow(System.Data.Common.DbDataReader reader)
    {
        var counts = Enumerable.Range(0, 4).Select(i => Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var side = reader.IsDBNull(4) ? null : reader.GetString(4);
        var values = new object?[reader.FieldCount - 5];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.IsDBNull(i + 5) ? null : reader.GetValue(i + 5);
        }

        return (counts, side, values);
    }
}
