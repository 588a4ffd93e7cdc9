using MzDeploy.Engine.Model;
using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Engine.Catalog;

/// <summary>Reads the output columns of every relation in a type check's scratch databases, in position order.</summary>
internal static class ScratchColumnReader
{
    private const string Sql = RelationColumnRows.SelectFrom
        + "WHERE d.name = ANY($1::text::text[]) "
        + "ORDER BY d.name, s.name, o.name, c.position";

    /// <summary>Columns by scratch object name.</summary>
    public static async Task<IReadOnlyDictionary<ObjectId, IReadOnlyList<LockedColumn>>> ReadAsync(CatalogSession session,
        IReadOnlyList<string> databases, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(Sql, RelationColumnRows.Read,
            cancellationToken, CatalogSession.TextArray(databases)).ConfigureAwait(false);
        // Scratch relations always live in a database: the WHERE above selects by it.
        return rows.GroupBy(r => new ObjectId(r.Database!, r.Schema, r.Relation))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<LockedColumn>)g.Select(r => r.Column).ToList());
    }
}
