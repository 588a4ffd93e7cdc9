using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Sql;
using static MzDeploy.Tests.Unit.Sql.SqlTestHelpers;

namespace MzDeploy.Tests.Unit.Sql;

public class RewriteAndQuotingTests
{
    [Fact]
    public void Rewriting_references_keeps_everything_else_byte_for_byte()
    {
        const string sql = """
            -- Orders per customer (FROM orders is in a comment)
            CREATE MATERIALIZED VIEW summary
              IN CLUSTER compute
            AS
            WITH recent AS (SELECT * FROM orders WHERE note <> 'FROM orders')
            SELECT c.Name, count(*)   -- keep my spacing
            FROM recent r
            JOIN public.customers c ON c.id = r.cid;
            """;
        var statement = One(sql);
        var edits = statement.References
            .Select(r => (r.Span, r.Kind == ReferenceKind.Cluster
                ? SqlIdentifier.QuoteIfNeeded(r.Name.Item.Value + "_d1")
                : SqlIdentifier.QuoteQualified("materialize", r.Name.Schema?.Value ?? "public", r.Name.Item.Value)))
            .Append((statement.Name!.Span, SqlIdentifier.QuoteQualified("materialize", "public_d1", "summary")))
            .ToList();

        var rewritten = SqlRewriter.Apply(sql, edits);

        Assert.Equal("""
            -- Orders per customer (FROM orders is in a comment)
            CREATE MATERIALIZED VIEW materialize.public_d1.summary
              IN CLUSTER compute_d1
            AS
            WITH recent AS (SELECT * FROM materialize.public.orders WHERE note <> 'FROM orders')
            SELECT c.Name, count(*)   -- keep my spacing
            FROM recent r
            JOIN materialize.public.customers c ON c.id = r.cid;
            """, rewritten);

        // The rewritten text parses to the same shape with the new names.
        var reparsed = One(rewritten);
        Assert.Equal(
            new[] { "compute_d1", "materialize.public.orders", "materialize.public.customers" },
            reparsed.References.Select(r => r.Name.ToSql()));
    }

    [Fact]
    public void Rewriter_applies_edits_in_any_order_and_keeps_untouched_text()
    {
        Assert.Equal("xbcY", SqlRewriter.Apply("abcd", [(new TextSpan(3, 1), "Y"), (new TextSpan(0, 1), "x")]));
        Assert.Equal("abcd", SqlRewriter.Apply("abcd", []));
        Assert.Equal("a--bcd", SqlRewriter.Apply("abcd", [(new TextSpan(1, 0), "--")]));
        Assert.Equal("ad", SqlRewriter.Apply("abcd", [(new TextSpan(1, 2), "")]));
    }

    [Theory]
    [InlineData(0, 2, 1, 2)]
    [InlineData(0, 4, 3, 1)]
    [InlineData(2, 1, 2, 1)]
    public void Rewriter_rejects_overlapping_edits(int s1, int l1, int s2, int l2)
    {
        Assert.Throws<ArgumentException>(() =>
            SqlRewriter.Apply("abcdef", [(new TextSpan(s1, l1), "x"), (new TextSpan(s2, l2), "y")]));
    }

    [Fact]
    public void Rewriter_rejects_edits_outside_the_text()
    {
        Assert.Throws<ArgumentException>(() => SqlRewriter.Apply("abc", [(new TextSpan(2, 5), "x")]));
    }

    [Theory]
    [InlineData("orders", "orders")]
    [InlineData("Orders", "\"Orders\"")]
    [InlineData("my table", "\"my table\"")]
    [InlineData("select", "\"select\"")]
    [InlineData("user", "\"user\"")]
    [InlineData("order_2$x", "order_2$x")]
    [InlineData("_private", "_private")]
    [InlineData("2fast", "\"2fast\"")]
    [InlineData("a\"b", "\"a\"\"b\"")]
    [InlineData("café", "\"café\"")]
    [InlineData("view", "view")]
    public void Quote_if_needed(string name, string expected) => Assert.Equal(expected, SqlIdentifier.QuoteIfNeeded(name));

    [Fact]
    public void Quote_always_quotes_and_qualified_joins_parts()
    {
        Assert.Equal("\"orders\"", SqlIdentifier.Quote("orders"));
        Assert.Equal("\"a\"\"b\"", SqlIdentifier.Quote("a\"b"));
        Assert.Equal("db.\"My Schema\".t", SqlIdentifier.QuoteQualified("db", "My Schema", "t"));
        Assert.Equal("\"table\"", SqlIdentifier.QuoteQualified("table"));
        Assert.Throws<ArgumentException>(() => SqlIdentifier.Quote(""));
        Assert.Throws<ArgumentException>(() => SqlIdentifier.QuoteQualified());
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("back\\slash", "'back\\slash'")]
    [InlineData("", "''")]
    public void Literal_quote(string value, string expected) => Assert.Equal(expected, SqlLiteral.Quote(value));

    [Theory]
    [InlineData("Orders")]
    [InlineData("select")]
    [InlineData("a\"b")]
    [InlineData("with space")]
    [InlineData("from")]
    public void Quoted_identifiers_read_back_as_the_same_name(string name)
    {
        var sql = $"SELECT * FROM {SqlIdentifier.QuoteQualified("db", name, name)}";
        var reference = Assert.Single(One(sql).References);
        Assert.Equal(new[] { "db", name, name }, reference.Name.Values);
    }

    [Fact]
    public void Literals_read_back_as_the_same_value()
    {
        const string value = "it's a \\ \"test\" -- not a comment";
        var token = Lexer.Tokenize(SqlLiteral.Quote(value)).Tokens[0];
        Assert.Equal(TokenKind.String, token.Kind);
        Assert.Equal(value, token.Value);
    }

    [Fact]
    public void Variables_are_substituted_by_style()
    {
        var variables = new Dictionary<string, string>
        {
            ["cluster"] = "compute",
            ["topic"] = "o'rders",
            ["schema"] = "My\"Schema",
        };
        var result = VariableSubstitutor.Substitute(
            "CREATE SINK s IN CLUSTER :cluster FROM :\"schema\".t INTO KAFKA CONNECTION k (TOPIC :'topic')",
            variables);
        Assert.True(result.Succeeded);
        Assert.Equal(
            "CREATE SINK s IN CLUSTER compute FROM \"My\"\"Schema\".t INTO KAFKA CONNECTION k (TOPIC 'o''rders')",
            result.Text);
    }

    [Fact]
    public void Variables_in_strings_comments_quoted_names_and_casts_are_left_alone()
    {
        const string sql = "SELECT ':x', \":x\", $$ :x $$, a::text, arr[1:2] -- :x\n/* :x */ FROM t";
        var result = VariableSubstitutor.Substitute(sql, new Dictionary<string, string> { ["x"] = "BOOM", ["text"] = "BOOM" });
        Assert.Equal(sql, result.Text);
        Assert.Empty(result.Undefined);
    }

    [Fact]
    public void Undefined_variables_are_all_reported_with_spans()
    {
        const string sql = "SELECT :a,\n  :'b', :\"c\", :a FROM t WHERE x = :defined";
        var result = VariableSubstitutor.Substitute(sql, new Dictionary<string, string> { ["defined"] = "1" });
        Assert.Equal(new[] { "a", "b", "c", "a" }, result.Undefined.Select(u => u.Name));
        Assert.Equal(":'b'", result.Undefined[1].Span.Slice(sql));
        Assert.EndsWith("WHERE x = 1", result.Text, StringComparison.Ordinal);
        Assert.Contains(":'b'", result.Text, StringComparison.Ordinal);
        Assert.Equal(new[] { "a", "b", "c", "defined" }, VariableSubstitutor.FindVariables(sql));
    }

    [Fact]
    public void Substitution_keeps_line_numbers()
    {
        const string sql = "CREATE MATERIALIZED VIEW v\n  IN CLUSTER :cluster\nAS SELECT * FROM t\nWHERE x = :'val' AND y = (;";
        var result = VariableSubstitutor.Substitute(sql, new Dictionary<string, string> { ["cluster"] = "a_much_longer_cluster_name", ["val"] = "v" });
        var script = SqlParser.Parse(result.Text);
        var error = Assert.Single(script.Errors);
        Assert.Equal(4, script.Lines.GetPosition(error.Span.Start).Line);
    }

    [Fact]
    public void Parse_single_throws_a_located_syntax_error()
    {
        var e = Assert.Throws<MzDeployException>(() => SqlParser.ParseSingle("SELECT 1;\nSELECT * FROM"));
        Assert.Equal("SqlSyntaxError", e.ErrorId);
        Assert.Contains("2:14", e.Message, StringComparison.Ordinal);
        Assert.Equal(StatementKind.Query, SqlParser.ParseSingle("select 1").Kind);
        Assert.Throws<MzDeployException>(() => SqlParser.ParseSingle("select 1; select 2"));
    }
}
