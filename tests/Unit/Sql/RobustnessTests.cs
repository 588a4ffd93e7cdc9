using MzDeploy.Engine.Sql;

namespace MzDeploy.Tests.Unit.Sql;

/// <summary>Whatever a user types, the front end reports errors; it never crashes.</summary>
public class RobustnessTests
{
    private const string Corpus = """
        -- comment ; with FROM
        CREATE MATERIALIZED VIEW IF NOT EXISTS db.s."Mv" (a, b) IN CLUSTER c WITH (RETAIN HISTORY FOR '1h') AS
        WITH MUTUALLY RECURSIVE (RETURN AT RECURSION LIMIT 5) r (x int) AS (SELECT 1 UNION SELECT x + 1 FROM r WHERE x < 3)
        SELECT o.id, (SELECT max(v) FROM cfg), CASE WHEN a IS DISTINCT FROM b THEN 1 END, arr[1:2], x::numeric(10,2)
        FROM orders o LEFT JOIN LATERAL (SELECT * FROM items i WHERE i.oid = o.id) li ON true, generate_series(1, 3) g(n)
        WHERE EXISTS (SELECT 1 FROM r) AND o.ts + INTERVAL '1 day' > mz_now()
        GROUP BY 1 HAVING count(*) FILTER (WHERE x > 0) > 1 ORDER BY 1 LIMIT 10;
        CREATE INDEX i IN CLUSTER c ON db.s."Mv" (a, lower(b));
        CREATE SINK k IN CLUSTER c FROM db.s."Mv" INTO KAFKA CONNECTION kc (TOPIC 't') FORMAT JSON ENVELOPE DEBEZIUM;
        CREATE CONNECTION kc TO KAFKA (BROKER 'b', SASL PASSWORD = SECRET pw, SSH TUNNEL t);
        CREATE SOURCE src IN CLUSTER c FROM POSTGRES CONNECTION pg (PUBLICATION 'p');
        CREATE TABLE t FROM SOURCE src (REFERENCE public.t);
        CREATE TABLE u (id int NOT NULL, v text DEFAULT 'x', PRIMARY KEY (id));
        COMMENT ON COLUMN db.s."Mv".a IS 'A';
        GRANT SELECT ON ALL TABLES IN SCHEMA db.s TO r;
        ALTER DEFAULT PRIVILEGES FOR ROLE d IN SCHEMA db.s GRANT SELECT ON TABLES TO r;
        EXECUTE UNIT TEST t1 FOR db.s.v AT TIME '2024-01-01' MOCK db.s.o(id int) AS (SELECT * FROM VALUES (1)), EXPECTED(id int) AS (VALUES (1));
        CREATE FOREIGN KEY NOT ENFORCED fk ON o (uid) REFERENCES db.s.users (id);
        SET api = stable;
        CREATE CLUSTER c (SIZE = 'x', REPLICAS (r1 (SIZE '1')));
        DECLARE cur CURSOR FOR SUBSCRIBE (SELECT * FROM t);
        ALTER SCHEMA db.s SWAP WITH s_1;
        SELECT $$dollar ; quoted$$, E'esc\'aped', :'var', :"ident", :raw FROM ((SELECT 1) AS a JOIN b ON true)
        """;

    [Fact]
    public void Every_prefix_of_a_rich_file_parses_without_crashing()
    {
        for (var length = 0; length <= Corpus.Length; length++)
        {
            var text = Corpus[..length];
            var script = SqlParser.Parse(text);
            foreach (var statement in script.Statements)
            {
                Assert.True(statement.Span.End <= text.Length);
                CanonicalPrinter.Render(statement);
            }

            Assert.All(script.Errors, e => Assert.True(e.Span.End <= text.Length, $"{e} beyond {text.Length}"));
        }
    }

    [Fact]
    public void The_full_corpus_parses_cleanly()
    {
        var script = SqlParser.Parse(Corpus);
        Assert.True(script.Succeeded, string.Join("; ", script.Errors));
        Assert.Equal(17, script.Statements.Count);
    }

    [Fact]
    public void Randomly_damaged_files_never_crash()
    {
        var random = new Random(678);
        for (var i = 0; i < 400; i++)
        {
            var text = Corpus;
            for (var cut = 0; cut < 4; cut++)
            {
                var start = random.Next(text.Length);
                var length = random.Next(Math.Min(12, text.Length - start) + 1);
                text = random.Next(2) == 0
                    ? text.Remove(start, length)
                    : text.Insert(random.Next(text.Length), text.Substring(start, length));
            }

            var script = SqlParser.Parse(text);
            foreach (var statement in script.Statements)
            {
                Assert.Equal(statement.Text, statement.Span.Slice(text));
                CanonicalPrinter.Render(statement);
            }
        }
    }

    [Fact]
    public void Random_token_soup_never_crashes()
    {
        string[] pieces =
        [
            "SELECT", "FROM", "WHERE", "(", ")", "[", "]", ",", ".", "t", "\"Q\"", "'s'", "1", "::", ":", ":v", "JOIN", "ON",
            "WITH", "AS", "UNION", "VALUES", "LATERAL", "CREATE", "VIEW", "MATERIALIZED", "INDEX", "IN", "CLUSTER", "GRANT",
            "TO", "COMMENT", "IS", "MOCK", "EXPECTED", "EXECUTE", "UNIT", "TEST", "FOR", "SINK", "INTO", "CONNECTION",
            "SECRET", "TABLE", "ROWS", "DISTINCT", "NOT", "CASE", "END", "=", "*", ";", "$$x$$", "/* c */", "-- c\n",
            "ALTER", "DROP", "INSERT", "DELETE", "UPDATE", "SET", "DECLARE", "SUBSCRIBE", "SHOW", "OPTIONS",
        ];
        var random = new Random(12345);
        for (var i = 0; i < 3000; i++)
        {
            var count = random.Next(1, 25);
            var text = string.Join(' ', Enumerable.Range(0, count).Select(_ => pieces[random.Next(pieces.Length)]));
            var script = SqlParser.Parse(text);
            foreach (var statement in script.Statements)
            {
                CanonicalPrinter.Render(statement);
            }
        }
    }
}
