using System.Globalization;
using System.Text;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// The SQL of a row comparison of two relations. Everything is read by ONE statement: Materialize runs each SELECT at one
/// timestamp valid for every object it reads (a read-only transaction would not do: its later queries may only read
/// objects in the schemas its first query touched), and PostgreSQL, under the emulator, reads one snapshot per
/// statement. So counts and samples describe the same moment on both sides.
/// </summary>
internal static class RelationComparisonQuery
{
    /// <summary>The name of the sample's side column; improbable as a user column.</summary>
    internal const string SideColumn = "mz_deploy_compare_side";

    internal const string LeftSide = "left";
    internal const string RightSide = "right";

    /// <summary>The columns of a relation, in order. $1..$3: database, schema, name.</summary>
    internal const string ColumnsQuery =
        "SELECT c.name FROM mz_catalog.mz_columns c JOIN mz_catalog.mz_relations r ON r.id = c.id "
        + "JOIN mz_catalog.mz_schemas s ON s.id = r.schema_id JOIN mz_catalog.mz_databases d ON d.id = s.database_id "
        + "WHERE d.name = $1 AND s.name = $2 AND r.name = $3 ORDER BY c.position";

    /// <summary>Runs later reads on <paramref name="cluster"/> (instead of the session's own).</summary>
    public static string UseClusterSql(string cluster) => $"SET cluster = {SqlIdentifier.Quote(cluster)}";

    /// <summary>
    /// One row per sampled differing row (at least one row): the four counts (left, right, only left, only right), then the
    /// side (<see cref="LeftSide"/>, <see cref="RightSide"/> or NULL when nothing differs), then <paramref name="columns"/>.
    /// With no shared columns only the counts are read (only-left and only-right are then 0).
    /// </summary>
    public static string Sql(ObjectId left, ObjectId right, IReadOnlyList<string> columns, int sampleSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleSize);
        var leftName = SqlIdentifier.QuoteQualified(left.Database, left.Schema, left.Name);
        var rightName = SqlIdentifier.QuoteQualified(right.Database, right.Schema, right.Name);
        if (columns.Count == 0)
        {
            return $"SELECT (SELECT count(*) FROM {leftName}), (SELECT count(*) FROM {rightName}), 0::bigint, 0::bigint, NULL::text";
        }

        var list = string.Join(", ", columns.Select(SqlIdentifier.Quote));
        var limit = sampleSize.ToString(CultureInfo.InvariantCulture);
        var side = SqlIdentifier.Quote(SideColumn);
        return new StringBuilder()
            .Append($"WITH l AS (SELECT {list} FROM {leftName}), r AS (SELECT {list} FROM {rightName}), ")
            .Append("only_l AS (SELECT * FROM l EXCEPT ALL SELECT * FROM r), only_r AS (SELECT * FROM r EXCEPT ALL SELECT * FROM l), ")
            .Append("counts AS (SELECT (SELECT count(*) FROM l) AS left_count, (SELECT count(*) FROM r) AS right_count, ")
            .Append("(SELECT count(*) FROM only_l) AS only_left_count, (SELECT count(*) FROM only_r) AS only_right_count), ")
            .Append($"sample AS ((SELECT '{LeftSide}'::text AS {side}, * FROM only_l LIMIT {limit}) ")
            .Append($"UNION ALL (SELECT '{RightSide}'::text AS {side}, * FROM only_r LIMIT {limit})) ")
            .Append("SELECT counts.*, sample.* FROM counts LEFT JOIN sample ON true")
            .ToString();
    }
}
