namespace MzDeploy.Engine.Model;

/// <summary>
/// A row comparison of two relations, planned: which columns it compares (those both have, in the left relation's order),
/// which it cannot, and the one SELECT that reads the counts and the samples at one timestamp.
/// </summary>
/// <param name="Left">The relation whose extra rows are <see cref="RelationComparison.OnlyLeft"/>.</param>
/// <param name="Right">The relation whose extra rows are <see cref="RelationComparison.OnlyRight"/>.</param>
/// <param name="Columns">The columns compared.</param>
/// <param name="LeftOnlyColumns">Columns only the left relation has (not compared).</param>
/// <param name="RightOnlyColumns">Columns only the right relation has (not compared).</param>
/// <param name="SampleSize">At most this many differing rows per side.</param>
/// <param name="Sql">The exact SELECT, without a trailing semicolon.</param>
public sealed record PlannedComparison(ObjectId Left, ObjectId Right, IReadOnlyList<string> Columns, IReadOnlyList<string> LeftOnlyColumns,
    IReadOnlyList<string> RightOnlyColumns, int SampleSize, string Sql);
