using System.Data.Common;
using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// The catalog read of relations' columns the type check uses (types.lock reads kinds too: LockedObjectReader): each row is database (null for
/// system schemas), schema, relation and one column with its type and nullability. Callers add what to select
/// (<c>WHERE</c>) and the order.
/// </summary>
internal static class RelationColumnRows
{
    // mz_objects holds system relations too ('s' ids, schemas without a database): hence the LEFT JOIN.
    public const string SelectFrom =
        "SELECT d.name, s.name, o.name, c.name, c.type, c.nullable "
        + "FROM mz_catalog.mz_columns c "
        + "JOIN mz_catalog.mz_objects o ON o.id = c.id "
        + "JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id "
        + "LEFT JOIN mz_catalog.mz_databases d ON d.id = s.database_id ";

    /// <summary>The relation's database, schema and name, and the column, of a row of <see cref="SelectFrom"/>.</summary>
    public static (string? Database, string Schema, string Relation, LockedColumn Column) Read(DbDataReader r) => (
        r.IsDBNull(0) ? null : r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        new LockedColumn(r.GetString(3), r.GetString(4), r.GetBoolean(5)));
}
