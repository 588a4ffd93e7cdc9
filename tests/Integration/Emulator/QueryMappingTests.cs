namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>Three-part names inside the query shapes deploy tools send: each must be mapped.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class QueryMappingTests(EmulatorFixture emulator)
{
    public static TheoryData<string> Queries => new()
    {
        "SELECT count(*) FILTER (WHERE x > 0) FROM materialize.public.qm_t",
        "SELECT EXTRACT(EPOCH FROM interval '1 hour')::bigint, x FROM materialize.public.qm_t ORDER BY x NULLS LAST LIMIT 1 OFFSET 0",
        "SELECT DISTINCT ON (x) x FROM materialize.public.qm_t",
        "SELECT x, row_number() OVER (PARTITION BY x ORDER BY x) FROM materialize.public.qm_t",
        "WITH a AS (SELECT x FROM materialize.public.qm_t) SELECT * FROM a JOIN materialize.public.qm_t b USING (x)",
        "SELECT * FROM materialize.public.qm_t t, LATERAL (SELECT t.x + 1 AS y) l",
        "SELECT * FROM materialize.public.qm_t WHERE x IN (SELECT x FROM materialize.public.qm_t) AND EXISTS (SELECT 1 FROM materialize.public.qm_t)",
        "SELECT CASE WHEN x IS DISTINCT FROM 1 THEN ARRAY[x]::int[] END FROM materialize.public.qm_t",
        "SELECT * FROM materialize.public.qm_t UNION ALL SELECT * FROM materialize.public.qm_t",
        "SELECT g FROM generate_series(1, 2) g LEFT JOIN materialize.public.qm_t ON x = g",
        "SELECT $1::text::text[] AS arr FROM materialize.public.qm_t",
        "SELECT * FROM (SELECT x FROM materialize.public.qm_t) s WHERE s.x = ANY ('{1,2}'::int[])",
        "INSERT INTO materialize.public.qm_t SELECT x + 1 FROM materialize.public.qm_t WHERE false",
        "DELETE FROM materialize.public.qm_t WHERE x = -1",
        "UPDATE materialize.public.qm_t SET x = x WHERE x = -1",
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Three_part_names_are_mapped(string sql)
    {
        await using var connection = await emulator.OpenAsync();
        await connection.ExecAsync("CREATE TABLE IF NOT EXISTS materialize.public.qm_t (x int)");
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        if (sql.Contains("$1"))
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = "{a}" });
        await command.ExecuteNonQueryAsync();
    }
}
