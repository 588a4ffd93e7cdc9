using MzDeploy.Engine.Sql;
using static MzDeploy.Tests.Unit.Sql.SqlTestHelpers;

namespace MzDeploy.Tests.Unit.Sql;

/// <summary>
/// The heart of the front end: which names in a query are relations (and must be rewritten when staging)
/// and which are columns, functions, CTEs or aliases. Expected values are the exact source text of each
/// reference, in order, separated by '|'.
/// </summary>
public class RelationReferenceTests
{
    [Theory]
    [InlineData("SELECT * FROM orders", "orders")]
    [InlineData("SELECT o.id FROM public.orders o JOIN materialize.public.customers AS c ON o.cid = c.id", "public.orders|materialize.public.customers")]
    [InlineData("SELECT * FROM a, b AS bb, c", "a|b|c")]
    [InlineData("SELECT 'from x' AS s /* FROM y */ FROM t -- FROM z", "t")]
    [InlineData("SELECT $$ FROM d $$ AS s, E'FROM \\' e' FROM t", "t")]
    [InlineData("SELECT * FROM \"my.schema\".\"my \"\"table\"\"\"", "\"my.schema\".\"my \"\"table\"\"\"")]
    [InlineData("SELECT * FROM \"table\"", "\"table\"")]
    [InlineData("SELECT 1", "")]
    [InlineData("TABLE orders", "orders")]
    [InlineData("SELECT * FROM Public.Orders", "Public.Orders")]
    public void Plain_from_items(string sql, string expected) => AssertRelations(sql, expected);

    [Theory]
    [InlineData("SELECT (SELECT max(x) FROM m) AS mx FROM t", "m|t")]
    [InlineData("SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id) AND t.x IN (SELECT x FROM v)", "t|u|v")]
    [InlineData("SELECT a, count(*) FROM t GROUP BY a HAVING count(*) > (SELECT avg(n) FROM stats)", "t|stats")]
    [InlineData("SELECT * FROM a JOIN b ON b.id IN (SELECT id FROM c)", "a|b|c")]
    [InlineData("SELECT * FROM a ORDER BY (SELECT 1 FROM d LIMIT 1)", "a|d")]
    [InlineData("SELECT coalesce((SELECT v FROM cfg), 0) FROM t", "cfg|t")]
    [InlineData("SELECT EXISTS(SELECT 1 FROM u)", "u")]
    [InlineData("SELECT * FROM t WHERE t.x = ANY (SELECT y FROM u)", "t|u")]
    [InlineData("SELECT * FROM t WHERE x NOT IN (SELECT x FROM u)", "t|u")]
    [InlineData("SELECT ARRAY(SELECT x FROM u), ROW(1, 2), LIST[1, 2] FROM t", "u|t")]
    [InlineData("SELECT * FROM a WHERE x IN (SELECT x FROM b WHERE y IN (SELECT y FROM c WHERE z IN (SELECT z FROM d)))", "a|b|c|d")]
    [InlineData("SELECT * FROM t1 WHERE a = (SELECT b FROM t2 UNION SELECT c FROM t3)", "t1|t2|t3")]
    [InlineData("SELECT * FROM unnest((SELECT arr FROM cfg))", "cfg")]
    [InlineData("SELECT CASE WHEN EXISTS (SELECT 1 FROM flags) THEN 1 ELSE (SELECT 2 FROM other) END FROM t", "flags|other|t")]
    [InlineData("SELECT max(x) FILTER (WHERE x IN (SELECT y FROM u)) FROM t", "u|t")]
    public void Subqueries_in_every_clause(string sql, string expected) => AssertRelations(sql, expected);

    [Theory]
    [InlineData("WITH recent AS (SELECT * FROM events WHERE ts > mz_now()) SELECT * FROM recent JOIN users ON true", "events|users")]
    [InlineData("WITH orders AS (SELECT * FROM raw_orders) SELECT * FROM orders, public.orders", "raw_orders|public.orders")]
    [InlineData("WITH t AS (SELECT * FROM t) SELECT * FROM t", "t")]
    [InlineData("WITH a AS (SELECT * FROM x), b AS (SELECT * FROM a JOIN y ON true) SELECT * FROM b", "x|y")]
    [InlineData("WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a, b", "b")]
    [InlineData("SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) s, x", "x")]
    [InlineData("SELECT * FROM t WHERE EXISTS (WITH t AS (SELECT 1) SELECT * FROM t)", "t")]
    [InlineData("WITH c(x) AS MATERIALIZED (SELECT 1 FROM s) SELECT x FROM c", "s")]
    [InlineData("WITH c AS NOT MATERIALIZED (SELECT 1 FROM s) SELECT * FROM c", "s")]
    [InlineData("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r", "")]
    [InlineData("WITH \"Mixed\" AS (SELECT 1) SELECT * FROM \"Mixed\", mixed", "mixed")]
    [InlineData("WITH a AS (SELECT 1) SELECT * FROM (SELECT * FROM a) s JOIN a ON true", "")]
    [InlineData("WITH a AS (SELECT 1) TABLE a", "")]
    public void Ctes_shadow_unqualified_names_in_their_scope(string sql, string expected) => AssertRelations(sql, expected);

    [Fact]
    public void Mutually_recursive_ctes_see_each_other_and_keep_real_references()
    {
        const string sql = """
            WITH MUTUALLY RECURSIVE (RETURN AT RECURSION LIMIT 10)
              reach (node int) AS (
                SELECT src FROM edges
                UNION
                SELECT e.dst FROM reach r JOIN edges e ON e.src = r.node
                UNION SELECT node FROM other),
              other (node int, depth bigint) AS (SELECT node, 1 FROM reach)
            SELECT * FROM other
            """;
        AssertRelations(sql, "edges|edges");
    }

    [Theory]
    [InlineData("SELECT a FROM t1 UNION ALL SELECT a FROM t2 INTERSECT SELECT a FROM t3 EXCEPT ALL SELECT a FROM t4", "t1|t2|t3|t4")]
    [InlineData("(SELECT a FROM t1) UNION (SELECT a FROM t2) ORDER BY 1", "t1|t2")]
    [InlineData("SELECT * FROM ((SELECT a FROM t1) UNION SELECT a FROM t2) u", "t1|t2")]
    [InlineData("SELECT * FROM (((SELECT a FROM t1))) u", "t1")]
    [InlineData("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name) JOIN t ON t.id = v.id", "t")]
    [InlineData("SELECT * FROM VALUES (1, 'alice'), (2, 'bob')", "")]
    [InlineData("VALUES (1), ((SELECT 2 FROM two))", "two")]
    [InlineData("SELECT * FROM (TABLE t) x", "t")]
    public void Set_operations_values_and_parenthesised_queries(string sql, string expected) => AssertRelations(sql, expected);

    [Theory]
    [InlineData("SELECT * FROM users u, LATERAL (SELECT * FROM orders o WHERE o.uid = u.id LIMIT 3) lo", "users|orders")]
    [InlineData("SELECT * FROM users u LEFT JOIN LATERAL (SELECT 1 FROM orders) o ON true", "users|orders")]
    [InlineData("SELECT * FROM generate_series(1, 10) AS g(n), unnest(ARRAY[1, 2]) WITH ORDINALITY AS u(x, i), t", "t")]
    [InlineData("SELECT * FROM ROWS FROM (generate_series(1, 3), jsonb_array_elements('[1]')) AS r(a, b)", "")]
    [InlineData("SELECT * FROM t, LATERAL jsonb_each(t.doc) AS kv", "t")]
    [InlineData("SELECT * FROM pg_catalog.generate_series(1, 2)", "")]
    [InlineData("SELECT * FROM (a JOIN b ON a.id = b.id) AS ab LEFT OUTER JOIN c USING (id)", "a|b|c")]
    [InlineData("SELECT * FROM ((SELECT * FROM a) AS x JOIN b ON true)", "a|b")]
    [InlineData("SELECT * FROM a NATURAL JOIN b CROSS JOIN c FULL OUTER JOIN d ON true RIGHT JOIN e ON true INNER JOIN f ON true", "a|b|c|d|e|f")]
    [InlineData("SELECT * FROM t1 JOIN (t2 JOIN t3 ON true) ON true", "t1|t2|t3")]
    [InlineData("SELECT * FROM a JOIN b ON left(a.x, 1) = right(b.y, 1) LEFT JOIN c ON true", "a|b|c")]
    [InlineData("SELECT * FROM t AS x(a, b)", "t")]
    [InlineData("SELECT * FROM a JOIN b USING (id) AS j", "a|b")]
    public void Lateral_table_functions_and_joins(string sql, string expected) => AssertRelations(sql, expected);

    [Theory]
    [InlineData("SELECT s.t.col, t.col, mz_now(), date_trunc('hour', ts), count(*) FILTER (WHERE x > 1) FROM s.t")]
    [InlineData("SELECT row_number() OVER (PARTITION BY a ORDER BY b DESC) FROM t WINDOW w AS (PARTITION BY c)")]
    [InlineData("SELECT x::numeric(10, 2), CAST(y AS timestamp with time zone), INTERVAL '30 minutes', ts::timestamptz FROM t")]
    [InlineData("SELECT CASE WHEN a IS NOT NULL THEN b ->> 'k' ELSE 'x' END FROM t WHERE c BETWEEN 1 AND 2 AND d LIKE 'a%'")]
    [InlineData("SELECT a IS DISTINCT FROM b, c IS NOT DISTINCT FROM d FROM t")]
    [InlineData("SELECT EXTRACT(EPOCH FROM lag), substring(s FROM 2 FOR 3), trim(BOTH 'x' FROM y) FROM t")]
    [InlineData("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM t GROUP BY y")]
    [InlineData("SELECT a FROM t FETCH FIRST 3 ROWS ONLY")]
    [InlineData("SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b DESC NULLS LAST LIMIT 10 OFFSET 5")]
    [InlineData("SELECT a, max(b) FROM t GROUP BY a OPTIONS (AGGREGATE INPUT GROUP SIZE = 1000)")]
    [InlineData("SELECT MAP['a' => 1], arr[1:2], arr[lo:hi] FROM t")]
    [InlineData("SELECT * FROM t WHERE ts + INTERVAL '24 hours' > mz_now()")]
    [InlineData("SELECT count(*) FILTER (WHERE status = 'oom-killed') AS ooms, array_agg(x ORDER BY y) FROM t")]
    [InlineData("SELECT t.* , \"T\".x, u.\"from\" FROM t")]
    [InlineData("SELECT a AT TIME ZONE 'UTC', b COLLATE \"C\", $1 FROM t")]
    public void Columns_functions_casts_and_operators_are_not_relations(string sql) =>
        AssertRelations(sql, sql.Contains("FROM s.t", StringComparison.Ordinal) ? "s.t" : "t");

    [Fact]
    public void Reference_spans_point_at_the_exact_name()
    {
        const string sql = "SELECT *\nFROM  materialize . public.\"Orders\"   o";
        var statement = One<QueryStatement>(sql);
        var reference = Assert.Single(statement.References);
        Assert.Equal(ReferenceKind.Relation, reference.Kind);
        Assert.Equal("materialize . public.\"Orders\"", reference.Span.Slice(sql));
        Assert.Equal(new[] { "materialize", "public", "Orders" }, reference.Name.Values);
        Assert.True(reference.Name.Item.Quoted);
        Assert.Equal("materialize", reference.Name.Database!.Value);
        Assert.Equal("public", reference.Name.Schema!.Value);
        Assert.Equal("materialize.public.\"Orders\"", reference.Name.ToSql());
    }

    [Fact]
    public void Query_statement_exposes_its_query()
    {
        const string sql = "  SELECT * FROM a JOIN b ON true  ";
        var statement = One<QueryStatement>(sql);
        Assert.Equal("SELECT * FROM a JOIN b ON true", statement.Query.Span.Slice(sql));
        Assert.Equal(new[] { "a", "b" }, statement.Query.References.Select(r => r.Name.Item.Value));
    }

    private static void AssertRelations(string sql, string expected)
    {
        var statement = One(sql);
        Assert.Equal(expected, string.Join("|", ReferenceTexts(sql, statement)));
    }
}
