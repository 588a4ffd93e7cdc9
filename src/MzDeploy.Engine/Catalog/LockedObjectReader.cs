using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// Reads what types.lock records of the objects a lock asks for: every relation in their schemas with its kind and its
/// columns in position order, in one statement, matched to the wanted names here (a name may be quoted into any case, so
/// matching is exact on the normalised parts, not in SQL).
/// </summary>
internal static class LockedObjectReader
{
    // mz_objects holds system relations too (schemas without a database): hence the LEFT JOIN of databases. Columns are
    // LEFT JOINed as well: a relation without columns (a source of the new syntax) exists, and locks as such.
    private const string Sql =
        "SELECT d.name, s.name, o.name, o.type, c.name, c.type, c.nullable "
        + "FROM mz_catalog.mz_objects o "
        + "JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id "
        + "LEFT JOIN mz_catalog.mz_databases d ON d.id = s.database_id "
        + "LEFT JOIN mz_catalog.mz_columns c ON c.id = o.id "
        + "WHERE s.name = ANY($1::text::text[]) AND o.type IN ('table', 'source', 'view', 'materialized-view') "
        + "ORDER BY d.name, s.name, o.name, c.position";

    /// <summary>Each subject found, by its <see cref="LockSubject.Key"/>, with the catalog's kind; absent ones are left out.</summary>
    public static async Task<IReadOnlyDictionary<string, LockedObject>> ReadAsync(CatalogSession session,
        IReadOnlyList<LockSubject> subjects, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, LockedObject>(StringComparer.Ordinal);
        if (subjects.Count == 0)
        {
            return result;
        }

        var schemas = subjects.Select(d => d.Schema).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var rows = await session.QueryAsync(Sql, r => (
                Database: r.IsDBNull(0) ? null : r.GetString(0),
                Schema: r.GetString(1),
                Relation: r.GetString(2),
                Kind: r.GetString(3),
                Column: r.IsDBNull(4) ? null : new LockedColumn(r.GetString(4), r.GetString(5), r.GetBoolean(6))),
            cancellationToken, CatalogSession.TextArray(schemas)).ConfigureAwait(false);

        var wanted = subjects.ToLookup(d => (d.Database, d.Schema, d.Name), d => d.Key);
        foreach (var group in rows.GroupBy(r => (r.Database, r.Schema, r.Relation)))
        {
            // A system dependency is declared without its database; Materialize's system schemas have none either.
            foreach (var key in wanted[group.Key])
            {
                result[key] = new LockedObject(key, group.First().Kind, group.Where(r => r.Column is not null).Select(r => r.Column!).ToList());
            }
        }

        return result;
    }
}
