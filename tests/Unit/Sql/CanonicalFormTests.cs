using MzDeploy.Engine.Sql;
using static MzDeploy.Tests.Unit.Sql.SqlTestHelpers;

namespace MzDeploy.Tests.Unit.Sql;

/// <summary>The canonical form and the object hash: formatting never redeploys, meaning always does.</summary>
public class CanonicalFormTests
{
    [Theory]
    [InlineData(
        "create   view   Daily as select  \"orders\".ID, count(*)  from \"orders\"  -- c\n where x != 'it''s'",
        "CREATE VIEW daily AS SELECT orders.id, count(*) FROM orders WHERE x <> 'it''s'")]
    [InlineData(
        "CREATE MATERIALIZED VIEW \"Mv\" IN CLUSTER Compute AS SELECT a::numeric(10,2) FROM t WHERE ts > mz_now()",
        "CREATE MATERIALIZED VIEW \"Mv\" IN CLUSTER compute AS SELECT a::NUMERIC (10, 2) FROM t WHERE ts > mz_now()")]
    [InlineData(
        "create index i in cluster c on v (a, b)",
        "CREATE INDEX i IN CLUSTER c ON v(a, b)")]
    [InlineData(
        "SELECT E'a\\'b', $$a'b$$, 'a''b', e'line\\nbreak'",
        "SELECT 'a''b', 'a''b', 'a''b', E'line\\nbreak'")]
    [InlineData(
        "select arr[1], ARRAY[1,2], f( x ) , - 1 from t",
        "SELECT arr[1], ARRAY[1, 2], f(x), - 1 FROM t")]
    [InlineData(
        "SELECT \"select\", \"Name\", \"name\", name FROM \"from\"",
        "SELECT \"select\", \"Name\", \"name\", NAME FROM \"from\"")]
    [InlineData(
        "CREATE TABLE \"table\" (\"user\" int, \"Col\" text, plain TEXT)",
        "CREATE TABLE \"table\"(\"user\" INT, \"Col\" TEXT, plain TEXT)")]
    [InlineData(
        "SELECT 1E3, 1.50 /* a */ /* b */",
        "SELECT 1e3, 1.50")]
    public void Renders_one_canonical_line(string sql, string expected) => Assert.Equal(expected, Canonical(sql));

    [Theory]
    [InlineData("CREATE VIEW v AS SELECT a FROM t", "create view V as\n  select A\n  from T -- trailing comment")]
    [InlineData("CREATE VIEW v AS SELECT a FROM t", "CREATE VIEW v AS /* block /* nested */ */ SELECT a FROM t")]
    [InlineData("CREATE VIEW v AS SELECT a FROM t", "CREATE VIEW \"v\" AS SELECT \"a\" FROM \"t\"")]
    [InlineData("SELECT 'a''b'", "SELECT E'a\\'b'")]
    [InlineData("SELECT 'a''b'", "SELECT $tag$a'b$tag$")]
    [InlineData("SELECT a FROM t WHERE a <> 1", "SELECT a FROM t WHERE a != 1")]
    [InlineData("SELECT count(*) FILTER (WHERE x) OVER (PARTITION BY y)", "select COUNT( * )filter(where X)over(partition by Y)")]
    [InlineData("CREATE MATERIALIZED VIEW mv IN CLUSTER c AS SELECT 1", "CREATE MATERIALIZED VIEW mv IN CLUSTER \"c\" AS SELECT 1")]
    public void Formatting_comments_case_and_needless_quotes_do_not_change_the_hash(string a, string b)
    {
        Assert.Equal(Canonical(a), Canonical(b));
        Assert.Equal(ObjectHash.Compute(Canonical(a), []), ObjectHash.Compute(Canonical(b), []));
    }

    [Theory]
    [InlineData("CREATE VIEW v AS SELECT a FROM t WHERE x = 'a'", "CREATE VIEW v AS SELECT a FROM t WHERE x = 'b'")]
    [InlineData("CREATE VIEW v AS SELECT a FROM t WHERE x = 1", "CREATE VIEW v AS SELECT a FROM t WHERE x = 1.0")]
    [InlineData("CREATE VIEW v AS SELECT a FROM t", "CREATE VIEW v AS SELECT b FROM t")]
    [InlineData("CREATE VIEW v AS SELECT a FROM t", "CREATE VIEW v AS SELECT a FROM u")]
    [InlineData("CREATE VIEW v AS SELECT a FROM orders", "CREATE VIEW v AS SELECT a FROM \"Orders\"")]
    [InlineData("CREATE VIEW v AS SELECT \"name\" FROM t", "CREATE VIEW v AS SELECT \"Name\" FROM t")]
    [InlineData("CREATE MATERIALIZED VIEW mv IN CLUSTER c1 AS SELECT 1", "CREATE MATERIALIZED VIEW mv IN CLUSTER c2 AS SELECT 1")]
    [InlineData("CREATE MATERIALIZED VIEW mv AS SELECT 1", "CREATE MATERIALIZED VIEW mv IN CLUSTER c AS SELECT 1")]
    [InlineData("SELECT 'a b'", "SELECT 'a  b'")]
    [InlineData("SELECT \"all\" FROM t", "SELECT ALL FROM t")]
    [InlineData("SELECT a - -1", "SELECT a - 1")]
    public void Changes_of_meaning_change_the_hash(string a, string b)
    {
        Assert.NotEqual(Canonical(a), Canonical(b));
        Assert.NotEqual(ObjectHash.Compute(Canonical(a), []), ObjectHash.Compute(Canonical(b), []));
    }

    [Fact]
    public void Replacements_make_short_and_qualified_references_render_alike()
    {
        const string shortSql = "CREATE VIEW v AS SELECT * FROM orders o JOIN public.items i ON o.id = i.oid";
        const string longSql = "CREATE VIEW v AS SELECT * FROM materialize.public.orders o JOIN \"materialize\".public.\"items\" i ON o.id = i.oid";
        Assert.Equal(RenderQualified(shortSql), RenderQualified(longSql));
        Assert.Equal(
            "CREATE VIEW materialize.public.v AS SELECT * FROM materialize.public.orders o JOIN materialize.public.items i ON o.id = i.oid",
            RenderQualified(shortSql));

        static string RenderQualified(string sql)
        {
            var statement = One(sql);
            var replacements = statement.References
                .Select(r => (r.Span, Text: SqlIdentifier.QuoteQualified("materialize", "public", r.Name.Item.Value)))
                .Append((Span: statement.Name!.Span, Text: SqlIdentifier.QuoteQualified("materialize", "public", statement.Name.Item.Value)))
                .ToDictionary(x => x.Span, x => x.Text);
            return CanonicalPrinter.Render(statement, replacements);
        }
    }

    [Fact]
    public void Replacement_spans_must_fall_on_token_boundaries()
    {
        const string sql = "SELECT * FROM orders";
        var statement = One(sql);
        var inside = new Dictionary<TextSpan, string> { [new TextSpan(15, 3)] = "x" };
        Assert.Throws<ArgumentException>(() => CanonicalPrinter.Render(statement, inside));
        var elsewhere = new Dictionary<TextSpan, string> { [new TextSpan(500, 3)] = "x" };
        Assert.Equal("SELECT * FROM orders", CanonicalPrinter.Render(statement, elsewhere));
    }

    [Fact]
    public void Hash_is_sha256_hex_and_index_order_does_not_matter()
    {
        var hash = ObjectHash.Compute("CREATE VIEW v AS SELECT 1", ["CREATE INDEX a ON v(x)", "CREATE INDEX b ON v(y)"]);
        Assert.Matches("^sha256:[0-9a-f]{64}$", hash);
        Assert.Equal(hash, ObjectHash.Compute("CREATE VIEW v AS SELECT 1", ["CREATE INDEX b ON v(y)", "CREATE INDEX a ON v(x)"]));
        Assert.NotEqual(hash, ObjectHash.Compute("CREATE VIEW v AS SELECT 1", ["CREATE INDEX a ON v(x)"]));
        Assert.NotEqual(ObjectHash.Compute("CREATE VIEW v AS SELECT 1"), ObjectHash.Compute("CREATE VIEW v AS SELECT 1", [""]));
    }

    [Fact]
    public void Hash_framing_is_unambiguous()
    {
        Assert.NotEqual(ObjectHash.Compute("ab", []), ObjectHash.Compute("a", ["b"]));
        Assert.NotEqual(ObjectHash.Compute("a", ["bc"]), ObjectHash.Compute("a", ["b", "c"]));
        Assert.Equal(ObjectHash.Compute("x", []), ObjectHash.Compute("x", []));
    }

    [Fact]
    public void Data_types_render_canonically()
    {
        var table = One<CreateTableStatement>("CREATE TABLE t (a NUMERIC ( 10 , 2 ), b Double   Precision, c \"char\", d pg_catalog.int4, e map[text=>int], f int list)");
        Assert.Equal(
            new[] { "numeric(10, 2)", "double precision", "\"char\"", "pg_catalog.int4", "map[text => int]", "int list" },
            table.Columns.Select(c => c.DataType));
    }

    [Fact]
    public void Control_characters_render_escaped_on_one_line()
    {
        Assert.Equal("E'a\\nb\\\\c''d'", CanonicalPrinter.RenderString("a\nb\\c'd"));
        Assert.Equal("'a\\b'", CanonicalPrinter.RenderString("a\\b"));
        Assert.DoesNotContain('\n', Canonical("SELECT 'multi\nline'"));
        Assert.Equal(Canonical("SELECT 'multi\nline'"), Canonical("SELECT E'multi\\nline'"));
    }
}
