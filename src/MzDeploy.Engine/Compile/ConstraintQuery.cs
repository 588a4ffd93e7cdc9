using System.Text;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Compile;

/// <summary>
/// The companion materialized view of an enforced constraint: a query that returns what violates it, so an
/// empty view means the constraint holds and a monitor (or a person) can <c>SELECT</c> the offenders.
/// <list type="bullet">
/// <item>primary key: each key value held by more than one row, or with a NULL in a key column, with its row count;</item>
/// <item>unique: each non-NULL key value held by more than one row, with its row count (NULLs never collide, as in SQL);</item>
/// <item>foreign key: every row whose key is non-NULL and has no match in the referenced object.</item>
/// </list>
/// Names are written with project names, fully qualified; stage rewrites them like any object's references.
/// </summary>
internal static class ConstraintQuery
{
    /// <summary>The <c>CREATE MATERIALIZED VIEW</c> statement of <paramref name="constraint"/> (which must be enforced).</summary>
    public static string CreateSql(CompiledConstraint constraint)
    {
        var sql = new StringBuilder();
        sql.Append("CREATE MATERIALIZED VIEW ").Append(Qualified(constraint.Name)).Append('\n');
        sql.Append("IN CLUSTER ").Append(SqlIdentifier.QuoteIfNeeded(constraint.Cluster!)).Append('\n');
        sql.Append("AS\n");
        var keys = constraint.Columns.Select(SqlIdentifier.QuoteIfNeeded).ToList();
        var keyList = string.Join(", ", keys);
        var target = Qualified(constraint.On);
        switch (constraint.Kind)
        {
            case ConstraintKind.PrimaryKey:
                sql.Append("SELECT ").Append(keyList).Append(", count(*) AS ").Append(CountColumn(constraint)).Append('\n');
                sql.Append("FROM ").Append(target).Append('\n');
                sql.Append("GROUP BY ").Append(keyList).Append('\n');
                sql.Append("HAVING count(*) > 1").Append(string.Concat(keys.Select(k => $" OR {k} IS NULL")));
                break;
            case ConstraintKind.Unique:
                sql.Append("SELECT ").Append(keyList).Append(", count(*) AS ").Append(CountColumn(constraint)).Append('\n');
                sql.Append("FROM ").Append(target).Append('\n');
                sql.Append("WHERE ").Append(string.Join(" AND ", keys.Select(k => $"{k} IS NOT NULL"))).Append('\n');
                sql.Append("GROUP BY ").Append(keyList).Append('\n');
                sql.Append("HAVING count(*) > 1");
                break;
            default:
                var referenced = constraint.ReferencedColumns.Select(SqlIdentifier.QuoteIfNeeded).ToList();
                sql.Append("SELECT constrained.*\n");
                sql.Append("FROM ").Append(target).Append(" AS constrained\n");
                sql.Append("WHERE ").Append(string.Join(" AND ", keys.Select(k => $"constrained.{k} IS NOT NULL"))).Append('\n');
                sql.Append("  AND NOT EXISTS (SELECT 1 FROM ").Append(Qualified(constraint.References!)).Append(" AS referenced WHERE ");
                sql.Append(string.Join(" AND ", keys.Select((k, i) => $"referenced.{referenced[i]} = constrained.{k}"))).Append(')');
                break;
        }

        return sql.ToString();
    }

    // "row_count", unless a key column already has that name.
    private static string CountColumn(CompiledConstraint constraint)
    {
        var name = "row_count";
        while (constraint.Columns.Contains(name, StringComparer.Ordinal))
        {
            name += "_";
        }

        return name;
    }

    private static string Qualified(ObjectId id) =>
        id.Database.Length == 0 ? SqlIdentifier.QuoteQualified(id.Schema, id.Name) : SqlIdentifier.QuoteQualified(id.Database, id.Schema, id.Name);
}
