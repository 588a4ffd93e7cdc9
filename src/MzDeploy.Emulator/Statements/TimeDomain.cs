using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// Materialize's time domain of a read transaction (docs: /sql/begin/#read-only-transactions): the objects of the
/// first query and every other object in the same schemas; a later query of the transaction that reads outside
/// them is refused ("Transactions can only reference objects in the same timedomain"), unless it has AS OF. The
/// emulator checks the user schemas a query names qualified: such a query is wrapped so that PostgreSQL calls
/// mz_emulator.in_time_domain once before its first row (a one-time filter), which records the schemas for the
/// rest of the transaction or refuses. Unqualified names and system schemas are not checked.
/// </summary>
internal static class TimeDomain
{
    /// <summary>The query, checked against the transaction's time domain when it names user schemas.</summary>
    public static string Wrap(string query, SqlStatement parsed, NameMapper mapper)
    {
        var schemas = parsed.References
            .Where(r => r.Kind is ReferenceKind.Relation && r.Name.IsQualified)
            .Select(r => mapper.PgSchemaOf(r.Name))
            .Where(s => s != null && !NameMapper.SystemSchemas.Contains(s))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (schemas.Count == 0)
            return query;
        var body = query.TrimEnd().TrimEnd(';').TrimEnd();
        return $"SELECT * FROM ({body}) AS mz_time_domain_query WHERE mz_emulator.in_time_domain({SqlText.TextArray(schemas!)})";
    }
}
