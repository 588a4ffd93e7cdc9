using MzDeploy.Engine.Sql;
using static MzDeploy.Tests.Unit.Sql.SqlTestHelpers;

namespace MzDeploy.Tests.Unit.Sql;

/// <summary>
/// The expression grammar: everything Materialize views write parses, and a broken expression is a syntax
/// error that says what was expected, what was found, and where.
/// </summary>
public class ExpressionTests
{
    [Theory]
    [InlineData("1 + 2 * 3 - 4 / 5 % 6 ^ 7")]
    [InlineData("-x + +y, - - 1, NOT NOT a")]
    [InlineData("a AND b OR NOT c AND (d OR e)")]
    [InlineData("'a' || b || 'c', doc ->> 'k', doc -> 'a' -> 'b', tags @> ARRAY['x'], x <@ y, j #>> '{a,b}'")]
    [InlineData("s ~~ 'a%', s !~~ 'a%', s ~ '^a', s !~ '^a', s ~* 'A', ~bits, |/ 16, @ -5")]
    [InlineData("a = b, a <> b, a != b, a < b, a <= b, a > b, a >= b")]
    [InlineData("x::int, x::numeric(10, 2), x::double precision, x::timestamp with time zone, x::text[], x::int[][]")]
    [InlineData("CAST(x AS bigint), CAST(y AS character varying(20)), CAST(z AS time without time zone), CAST(w AS pg_catalog.int4)")]
    [InlineData("x::int list, x::map[text=>int], x::interval, x::timestamp(3) with time zone")]
    [InlineData("INTERVAL '1 hour', INTERVAL '1' DAY, DATE '2024-01-01', TIMESTAMP '2024-01-01 00:00', TIMESTAMPTZ '2024-01-01', TIME '12:00'")]
    [InlineData("timestamp with time zone '2024-01-01 00:00+00', double precision '1.5', jsonb '{}', uuid 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'")]
    [InlineData("a IS NULL, a IS NOT NULL, a IS TRUE, a IS NOT FALSE, a IS UNKNOWN, a ISNULL, a NOTNULL")]
    [InlineData("a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b + 1")]
    [InlineData("a BETWEEN 1 AND 10, a NOT BETWEEN b AND c + 1, a BETWEEN SYMMETRIC 10 AND 1")]
    [InlineData("a IN (1, 2, 3), a NOT IN ('x'), (a, b) IN ((1, 2), (3, 4))")]
    [InlineData("s LIKE 'a%', s NOT LIKE 'a!%' ESCAPE '!', s ILIKE 'A%', s NOT ILIKE 'b', s SIMILAR TO 'a|b', s NOT SIMILAR TO 'c'")]
    [InlineData("x = ANY (ARRAY[1, 2]), x <> ALL (arr), x = SOME (arr), x > ANY ('{1,2}'::int[])")]
    [InlineData("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END, CASE x WHEN 1 THEN 'one' END")]
    [InlineData("count(*), count(DISTINCT x), count(ALL x), sum(x) FILTER (WHERE x > 0), string_agg(s, ',' ORDER BY s DESC NULLS FIRST)")]
    [InlineData("row_number() OVER (), rank() OVER (PARTITION BY a, b ORDER BY c), sum(x) OVER w, lag(x, 1) OVER (w ORDER BY y)")]
    [InlineData("sum(x) OVER (ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), avg(x) OVER (ORDER BY t ROWS 3 PRECEDING)")]
    [InlineData("sum(x) OVER (ORDER BY t RANGE BETWEEN INTERVAL '1 day' PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)")]
    [InlineData("mz_now(), now(), pg_catalog.now(), current_timestamp, current_date, current_user, localtimestamp")]
    [InlineData("ARRAY[1, 2, 3], ARRAY[[1, 2], [3, 4]], ARRAY[]::int[], LIST[1, 2], LIST[[1], [2]], MAP['a' => 1, 'b' => 2], MAP[]")]
    [InlineData("ROW(1, 'a'), ROW(), (1, 2), (x).f, (x).*, (row(1, 2)).f1, (t.c).a.b")]
    [InlineData("a[1], a[1][2], a[1:2], a[:2], a[1:], a[:], doc['k'], (f(x))[1]")]
    [InlineData("ts AT TIME ZONE 'UTC', ts AT TIME ZONE tz AT TIME ZONE 'UTC', s COLLATE \"C\", s COLLATE pg_catalog.\"default\"")]
    [InlineData("EXTRACT(EPOCH FROM ts), EXTRACT(year FROM d), EXTRACT('hour' FROM t)")]
    [InlineData("POSITION('a' IN s), SUBSTRING(s FROM 2 FOR 3), SUBSTRING(s FROM 2), SUBSTRING(s FOR 3), SUBSTRING(s, 1, 2)")]
    [InlineData("TRIM(BOTH 'x' FROM s), TRIM(LEADING FROM s), TRIM(TRAILING s), TRIM(s), TRIM('x' FROM s), TRIM(s, 'x')")]
    [InlineData("OVERLAY(s PLACING 'x' FROM 2 FOR 3), OVERLAY(s PLACING 'x' FROM 2)")]
    [InlineData("COALESCE(a, b, 0), NULLIF(a, ''), GREATEST(a, b), LEAST(a, b), left(s, 1), right(s, 2)")]
    [InlineData("percentile_cont(0.5) WITHIN GROUP (ORDER BY x), make_interval(days => 1), $1, $2::int")]
    [InlineData("db.s.t.c, s.t.c, t.c, c, t.*, \"T\".\"c\", u.\"from\"")]
    [InlineData("EXISTS (SELECT 1), (SELECT 1) + 1, ((SELECT 1) + 1), ARRAY(SELECT 1), LIST(SELECT 1), MAP(SELECT 'a', 1)")]
    [InlineData("1.5e10, .5, 'it''s', E'\\n', $$dollar$$, NULL, TRUE, FALSE")]
    [InlineData("x -> 'a' ->> 'b' = 'c' AND y IS NOT NULL OR z BETWEEN 1 AND 2 AND NOT w IN (1)")]
    public void Expressions_materialize_views_use_parse(string expressions) => One($"SELECT {expressions} FROM t");

    [Theory]
    [InlineData("SELECT a, b FROM t GROUP BY GROUPING SETS ((a, b), (a), ()), ROLLUP (a, b), CUBE (b)")]
    [InlineData("SELECT a FROM t GROUP BY a HAVING count(*) > 1 WINDOW w AS (PARTITION BY a), v AS (w ORDER BY b)")]
    [InlineData("SELECT a FROM t ORDER BY a USING <, b LIMIT ALL OFFSET 2 ROWS FETCH NEXT 1 ROW WITH TIES")]
    [InlineData("SELECT FROM t")]
    [InlineData("SELECT a alias, b AS \"select\", c AS from_ FROM t")]
    [InlineData("SELECT * FROM generate_series(1, 10, 2) g, unnest(ARRAY[1]) WITH ORDINALITY AS u(x, n)")]
    [InlineData("VALUES (1, 'a' || 'b'), (2 + 3, NULL)")]
    [InlineData("CREATE INDEX i ON t (lower(a), (b + 1), c::text)")]
    [InlineData("CREATE SECRET s AS decode('c2VjcmV0', 'base64')")]
    public void Clauses_with_expressions_parse(string sql) => One(sql);

    [Theory]
    [InlineData("SELECT 1 +", "expected an expression, found end of statement", 10)]
    [InlineData("SELECT (1", "expected ')', found end of statement", 9)]
    [InlineData("SELECT (1 FROM t", "expected ')', found 'FROM'", 10)]
    [InlineData("SELECT CASE WHEN x THEN", "expected an expression, found end of statement", 23)]
    [InlineData("SELECT CASE WHEN x THEN 1", "expected END, found end of statement", 25)]
    [InlineData("SELECT CASE x END", "expected WHEN, found 'END'", 14)]
    [InlineData("SELECT * FROM t WHERE a BETWEEN 1", "expected AND, found end of statement", 33)]
    [InlineData("SELECT f(1,)", "expected a function argument, found ')'", 11)]
    [InlineData("SELECT f(1", "expected ')', found end of statement", 10)]
    [InlineData("SELECT x IS", "expected NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS, found end of statement", 11)]
    [InlineData("SELECT x IS 5", "expected NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS, found '5'", 12)]
    [InlineData("SELECT x::", "expected a data type, found end of statement", 10)]
    [InlineData("SELECT CAST(x AS)", "expected a data type, found ')'", 16)]
    [InlineData("SELECT CAST(x int)", "expected AS, found 'int'", 14)]
    [InlineData("SELECT * FROM t WHERE a IN 1", "expected '(' after IN, found '1'", 27)]
    [InlineData("SELECT * FROM t WHERE a IN ()", "expected an expression, found ')'", 28)]
    [InlineData("SELECT a[1", "expected ']', found end of statement", 10)]
    [InlineData("SELECT ARRAY[1, 2", "expected ']', found end of statement", 17)]
    [InlineData("SELECT ARRAY 1", "expected '[' or a subquery after ARRAY, found '1'", 13)]
    [InlineData("SELECT MAP['a' 1]", "expected '=>', found '1'", 15)]
    [InlineData("SELECT EXTRACT(FROM x)", "expected a date/time field, found 'FROM'", 15)]
    [InlineData("SELECT EXTRACT(year x)", "expected FROM, found 'x'", 20)]
    [InlineData("SELECT count(*) FILTER (x > 1)", "expected WHERE, found 'x'", 24)]
    [InlineData("SELECT rank() OVER (ORDER BY a ROWS 1)", "expected PRECEDING or FOLLOWING, found ')'", 37)]
    [InlineData("SELECT rank() OVER", "expected a window name or '(' after OVER, found end of statement", 18)]
    [InlineData("SELECT a AT TIME 'UTC'", "expected ZONE, found ''UTC''", 17)]
    [InlineData("SELECT a b c", "expected end of statement, found 'c'", 11)]
    [InlineData("SELECT 1 2", "expected end of statement, found '2'", 9)]
    [InlineData("SELECT a FROM t WHERE a = 1 b", "expected end of statement, found 'b'", 28)]
    [InlineData("SELECT * FROM t WHERE", "expected WHERE condition, found end of statement", 21)]
    [InlineData("SELECT * FROM t WHERE NOT", "expected an expression, found end of statement", 25)]
    [InlineData("SELECT a FROM t ORDER BY", "expected ORDER BY expression, found end of statement", 24)]
    [InlineData("SELECT a FROM t GROUP BY a,", "expected GROUP BY expression, found end of statement", 27)]
    [InlineData("SELECT a FROM t LIMIT", "expected LIMIT count, found end of statement", 21)]
    [InlineData("SELECT a FROM t FETCH FIRST 1 ONLY", "expected ROW or ROWS, found 'ONLY'", 30)]
    [InlineData("SELECT a, FROM t", "expected a select list item, found 'FROM'", 10)]
    [InlineData("SELECT * FROM a JOIN b ON", "expected join condition, found end of statement", 25)]
    [InlineData("SELECT * FROM a JOIN b ON a.x =", "expected an expression, found end of statement", 31)]
    [InlineData("SELECT a.", "expected a name after '.', found end of statement", 9)]
    [InlineData("SELECT (x).", "expected a field name after '.', found end of statement", 11)]
    [InlineData("SELECT a * FROM t", "expected an expression, found 'FROM'", 11)]
    [InlineData("SELECT POSITION('a' s)", "expected IN, found 's'", 20)]
    [InlineData("SELECT x LIKE", "expected an expression, found end of statement", 13)]
    [InlineData("SELECT EXISTS (1)", "expected a subquery after EXISTS, found '1'", 15)]
    [InlineData("CREATE INDEX i ON t (a +)", "expected an expression, found ')'", 24)]
    public void Broken_expressions_say_what_was_expected_and_found_where(string sql, string message, int offset)
    {
        var script = SqlParser.Parse(sql);
        var error = Assert.Single(script.Errors);
        Assert.Equal(message, error.Message);
        Assert.Equal(offset, error.Span.Start);
        Assert.Empty(script.Statements);
    }

    [Fact]
    public void A_broken_expression_on_a_later_line_is_reported_at_its_line_and_column()
    {
        const string sql = "CREATE VIEW v AS\nSELECT a,\n       b +\nFROM t;\nCREATE VIEW w AS SELECT CASE WHEN x THEN 1;";
        var script = SqlParser.Parse(sql);
        Assert.Equal(
            new[] { "4:1 expected an expression, found 'FROM'", "5:43 expected END, found end of statement" },
            script.Errors.Select(e => $"{script.Lines.GetPosition(e.Span.Start)} {e.Message}"));
    }

    [Theory]
    [InlineData("SELECT 1 + (SELECT max(x) FROM m) FROM t", "m|t")]
    [InlineData("SELECT * FROM t WHERE a = ANY (SELECT b FROM u) AND c BETWEEN (SELECT 1 FROM v) AND 2", "t|u|v")]
    [InlineData("SELECT sum(x) OVER (PARTITION BY (SELECT 1 FROM p)) FROM t", "p|t")]
    [InlineData("SELECT CAST((SELECT 1 FROM c) AS int), ARRAY[(SELECT 1 FROM a)], MAP['k' => (SELECT 1 FROM m)] FROM t", "c|a|m|t")]
    [InlineData("SELECT ((SELECT 1 FROM a) UNION (SELECT 2 FROM b)) FROM t", "a|b|t")]
    [InlineData("SELECT ((SELECT 1 FROM a) + 1) FROM t", "a|t")]
    public void Subqueries_inside_expressions_are_still_found(string sql, string expected) =>
        Assert.Equal(expected, string.Join("|", ReferenceTexts(sql, One(sql))));
}
