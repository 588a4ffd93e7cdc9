using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Catalog;

/// <summary>A view or materialized view found in a schema a deployment compares.</summary>
/// <param name="Id">Its name.</param>
/// <param name="Type">Its <c>mz_objects.type</c>: <c>view</c> or <c>materialized-view</c>.</param>
internal sealed record ComparableRelation(ObjectId Id, string Type);

/// <summary>The reads a deployment comparison plans from: which views and materialized views its schemas hold.</summary>
internal static class DeploymentComparisonCatalog
{
    /// <summary>Views and materialized views of the schemas in $1 (<c>db.schema</c> texts), ordered by name.</summary>
    internal const string RelationsQuery =
        "SELECT d.name, s.name, o.name, o.type FROM mz_catalog.mz_objects o "
        + "JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id JOIN mz_catalog.mz_databases d ON d.id = s.database_id "
        + "WHERE o.type IN ('view', 'materialized-view') AND (d.name || '.' || s.name) = ANY($1::text::text[]) "
        + "ORDER BY d.name, s.name, o.name";

    /// <summary>The views and materialized views in <paramref name="schemas"/>.</summary>
    public static async Task<IReadOnlyList<ComparableRelation>> RelationsAsync(CatalogSession session, IReadOnlyCollection<SchemaId> schemas,
        CancellationToken cancellationToken)
    {
        if (schemas.Count == 0)
        {
            return [];
        }

        return await session.QueryAsync(RelationsQuery,
            r => new ComparableRelation(new ObjectId(r.GetString(0), r.GetString(1), r.GetString(2)), r.GetString(3)),
            cancellationToken, CatalogSession.TextArray(schemas.Select(s => $"{s.Database}.{s.Schema}"))).ConfigureAwait(false);
    }
}
