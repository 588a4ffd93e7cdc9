using MzDeploy.Engine.Project;
using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Engine.Catalog;

/// <summary>
/// Reads the columns of external dependencies (what <c>types.lock</c> records): every relation in the dependencies'
/// schemas with its columns in position order, in one statement, matched to the declared names here (a name may be
/// quoted into any case, so matching is exact on the normalised parts, not in SQL).
/// </summary>
internal static class DependencyColumnReader
{
    private const string Sql = RelationColumnRows.SelectFrom
        + "WHERE s.name = ANY($1::text::text[]) AND o.type IN ('table', 'source', 'view', 'materialized-view') "
        + "ORDER BY d.name, s.name, o.name, c.position";

    /// <summary>Columns of each dependency found, by <see cref="ExternalDependency.QualifiedName"/>; absent ones are left out.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<LockedColumn>>> ReadAsync(CatalogSession session,
        IReadOnlyList<ExternalDependency> dependencies, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, IReadOnlyList<LockedColumn>>(StringComparer.Ordinal);
        if (dependencies.Count == 0)
        {
            return result;
        }

        var schemas = dependencies.Select(d => d.Schema).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var rows = await session.QueryAsync(Sql, RelationColumnRows.Read,
            cancellationToken, CatalogSession.TextArray(schemas)).ConfigureAwait(false);

        var wanted = dependencies.ToDictionary(d => (d.Database, d.Schema, d.Name), d => d.QualifiedName);
        foreach (var group in rows.GroupBy(r => (r.Database, r.Schema, r.Relation)))
        {
            // A system dependency is declared without its database; Materialize's system schemas have none either.
            if (wanted.TryGetValue(group.Key, out var name))
            {
                result[name] = group.Select(r => r.Column).ToList();
            }
        }

        return result;
    }
}
