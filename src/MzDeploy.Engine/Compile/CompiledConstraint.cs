using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Compile;

/// <summary>
/// One constraint of a compiled object (<c>CREATE PRIMARY KEY | UNIQUE CONSTRAINT | FOREIGN KEY … ON obj (cols)</c>).
/// An enforced constraint is deployed as its companion materialized view <see cref="Name"/> (returning the rows
/// that violate it); a <c>NOT ENFORCED</c> one is metadata only: nothing reaches the database and it is not part
/// of any hash.
/// </summary>
/// <param name="Kind">Primary key, unique or foreign key.</param>
/// <param name="Enforced">False for <c>NOT ENFORCED</c>.</param>
/// <param name="Name">The constraint's name in the constrained object's schema: the companion materialized view of an enforced one.</param>
/// <param name="On">The constrained object.</param>
/// <param name="Columns">The constrained columns, as named.</param>
/// <param name="Cluster">The <c>IN CLUSTER</c> of an enforced constraint.</param>
/// <param name="References">The object a foreign key references.</param>
/// <param name="ReferencedColumns">The referenced columns of a foreign key.</param>
/// <param name="Location">Where the constraint statement starts.</param>
public sealed record CompiledConstraint(
    ConstraintKind Kind,
    bool Enforced,
    ObjectId Name,
    ObjectId On,
    IReadOnlyList<string> Columns,
    string? Cluster,
    ObjectId? References,
    IReadOnlyList<string> ReferencedColumns,
    SourceLocation Location)
{
    /// <summary>The kind as SQL words: <c>PRIMARY KEY</c>, <c>UNIQUE</c>, <c>FOREIGN KEY</c>.</summary>
    public string KindWords => Kind switch
    {
        ConstraintKind.PrimaryKey => "PRIMARY KEY",
        ConstraintKind.Unique => "UNIQUE",
        _ => "FOREIGN KEY",
    };

    /// <summary>
    /// One line for people: <c>PRIMARY KEY orders_id_pk (id)</c>,
    /// <c>FOREIGN KEY orders_customer_fk (customer) REFERENCES materialize.sales.customers (id) NOT ENFORCED</c>.
    /// </summary>
    public override string ToString()
    {
        var text = $"{KindWords} {SqlIdentifier.QuoteIfNeeded(Name.Name)} ({JoinColumns(Columns)})";
        if (References is { } referenced)
        {
            text += $" REFERENCES {SqlIdentifier.QuoteQualified(referenced.Database, referenced.Schema, referenced.Name)} ({JoinColumns(ReferencedColumns)})";
        }

        return Enforced ? text : text + " NOT ENFORCED";
    }

    private static string JoinColumns(IReadOnlyList<string> columns) => string.Join(", ", columns.Select(SqlIdentifier.QuoteIfNeeded));
}
