using MzDeploy.Engine.Model;
using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Engine.Catalog;

/// <summary>Reads the output columns of every relation in a type check's scratch databases, in position order.</summary>
internal static class ScratchColumnReader
{
    private const string Sql =
        "SELECT d.name, s.name, o.name, c.name, c.type, c.nullable "
        + "FROM mz_catalog.mz_columns c "
        + "JOIN mz_catalog.mz_objects o ON o.id = c.id "
        + "JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id "
        + "JOIN mz_catalog.mz_databases d ON d.id = s.database_id "
        + "WHERE d.name = ANY($1::text::text[]) "
        + "ORDER BY d.name, s.name, o.name, c.position";

    /// <summary>Columns by scratch object name.</summary>
    public static async Task<IReadOnlyDictionary<ObjectId, IReadOnlyList<LockedColumn>>> ReadAsync(CatalogSession session,
        IReadOnlyList<string> databases, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(Sql, r => (
                Id: new ObjectId(r.GetString(0), r.GetString(1), r.GetString(2)),
                Column: new LockedColumn(r.GetString(3), r.GetString(4), r.GetBoolean(5))),
            cancellationToken, CatalogSession.TextArray(databases)).ConfigureAwait(false);
        return rows.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => (IReadOnlyList<LockedColumn>)g.Select(r => r.Column).ToList());
    }
}
