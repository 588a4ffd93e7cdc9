using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Catalog;

/// <summary>Which of a list of schema objects exist in the catalog, in one query (a stage's prerequisite check).</summary>
internal static class ExistingObjectReader
{
    // $1: the objects' own names (one text parameter); the caller matches database and schema, so no name is ever
    // joined into a string that a dot inside an identifier could make ambiguous.
    internal const string Query =
        "SELECT d.name, s.name, o.name FROM mz_catalog.mz_objects o JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id "
        + "JOIN mz_catalog.mz_databases d ON d.id = s.database_id WHERE o.name = ANY($1::text::text[])";

    /// <summary>The objects among <paramref name="objects"/> that exist; no round trip when there are none to look for.</summary>
    public static async Task<IReadOnlySet<ObjectId>> ReadAsync(CatalogSession session, IReadOnlyCollection<ObjectId> objects,
        CancellationToken cancellationToken)
    {
        if (objects.Count == 0)
        {
            return new HashSet<ObjectId>();
        }

        var wanted = objects.ToHashSet();
        var rows = await session.QueryAsync(Query, r => new ObjectId(r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken,
            CatalogSession.TextArray(wanted.Select(o => o.Name).Distinct(StringComparer.Ordinal))).ConfigureAwait(false);
        return rows.Where(wanted.Contains).ToHashSet();
    }
}
