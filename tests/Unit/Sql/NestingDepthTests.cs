using MzDeploy.Engine.Sql;

namespace MzDeploy.Tests.Unit.Sql;

/// <summary>
/// Deeply nested SQL is a positioned syntax error, never a stack overflow (which would kill the user's
/// PowerShell: a .NET stack overflow cannot be caught).
/// </summary>
public class NestingDepthTests
{
    private const int Deep = 5000;

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    /// <summary>Each shape of nesting, as a function of its depth.</summary>
    public static TheoryData<string> Shapes() => new()
    {
        "function calls",
        "parentheses",
        "scalar subqueries",
        "ARRAY constructors",
        "nested array brackets",
        "LIST constructors",
        "CASE",
        "unary minus",
        "NOT",
        "prefix operators",
        "casts with type modifiers",
        "CAST",
        "IN lists",
        "parenthesized set operations",
        "CTEs",
        "derived tables",
        "parenthesized joins",
        "GROUPING SETS",
        "DECLARE cursors",
        "EXISTS",
        "window frames",
        "subscripts",
        "CREATE SECRET values",
    };

    private static string Build(string shape, int depth) => shape switch
    {
        "function calls" => $"CREATE VIEW v AS SELECT {Repeat("f(", depth)}1{Repeat(")", depth)}",
        "parentheses" => $"SELECT {Repeat("(", depth)}1{Repeat(")", depth)}",
        "scalar subqueries" => $"SELECT {Repeat("(SELECT ", depth)}1{Repeat(")", depth)}",
        "ARRAY constructors" => $"SELECT {Repeat("ARRAY[", depth)}1{Repeat("]", depth)}",
        "nested array brackets" => $"SELECT ARRAY{Repeat("[", depth)}1{Repeat("]", depth)}",
        "LIST constructors" => $"SELECT {Repeat("LIST[", depth)}1{Repeat("]", depth)}",
        "CASE" => $"SELECT {Repeat("CASE WHEN true THEN ", depth)}1{Repeat(" END", depth)}",
        "unary minus" => $"SELECT {Repeat("- ", depth)}1",
        "NOT" => $"SELECT {Repeat("NOT ", depth)}true",
        "prefix operators" => $"SELECT {Repeat("~ ", depth)}1",
        "casts with type modifiers" => $"SELECT 1{Repeat("::numeric(1", depth)}{Repeat(")", depth)}",
        "CAST" => $"SELECT {Repeat("CAST(", depth)}1{Repeat(" AS int)", depth)}",
        "IN lists" => $"SELECT 1 {Repeat("IN (1 ", depth)}{Repeat(")", depth)}",
        "parenthesized set operations" => $"{Repeat("SELECT 1 UNION (", depth)}SELECT 1{Repeat(")", depth)}",
        "CTEs" => $"{Repeat("WITH a AS (", depth)}SELECT 1{Repeat(") SELECT * FROM a", depth)}",
        "derived tables" => $"SELECT * FROM {Repeat("(SELECT * FROM ", depth)}t{Repeat(") AS d", depth)}",
        "parenthesized joins" => $"SELECT * FROM {Repeat("(", depth)}t{Repeat(" JOIN u ON true)", depth)}",
        "GROUPING SETS" => $"SELECT 1 FROM t GROUP BY {Repeat("GROUPING SETS (", depth)}a{Repeat(")", depth)}",
        "DECLARE cursors" => $"{Repeat("DECLARE c CURSOR FOR ", depth)}SELECT 1",
        "EXISTS" => $"SELECT {Repeat("EXISTS (SELECT ", depth)}1{Repeat(")", depth)}",
        "window frames" => $"SELECT {Repeat("sum(1) OVER (ORDER BY ", depth)}1{Repeat(")", depth)}",
        "subscripts" => $"SELECT a{Repeat("[a", depth)}{Repeat("]", depth)}",
        "CREATE SECRET values" => $"CREATE SECRET s AS {Repeat("decode(", depth)}'x'{Repeat(", 'base64')", depth)}",
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Nesting_thousands_deep_is_a_positioned_error(string shape)
    {
        var sql = Build(shape, Deep);
        var script = SqlParser.Parse(sql);

        var error = Assert.Single(script.Errors);
        Assert.StartsWith($"nesting too deep (more than {Parser.MaxNestingDepth} levels", error.Message);
        Assert.Empty(script.Statements);

        // The error points into the statement at the level that went too deep, not at its start or end.
        Assert.InRange(error.Span.Start, 1, sql.Length - 1);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Nesting_sixty_deep_parses_prints_and_hashes(string shape)
    {
        var sql = Build(shape, 60);
        var script = SqlParser.Parse(sql);

        Assert.True(script.Succeeded, string.Join("; ", script.Errors));
        var statement = Assert.Single(script.Statements);
        Assert.StartsWith("sha256:", ObjectHash.Compute(CanonicalPrinter.Render(statement)));
    }

    [Theory]
    [InlineData("INSERT INTO t VALUES ({0}1{1})")]
    [InlineData("INSERT INTO t SELECT {0}1{1}")]
    [InlineData("UPDATE t SET a = {0}1{1} WHERE b = {0}1{1}")]
    [InlineData("DELETE FROM t WHERE a = {0}1{1}")]
    [InlineData("SUBSCRIBE (SELECT {0}1{1})")]
    [InlineData("CREATE TABLE t (a int DEFAULT {0}1{1})")]
    [InlineData("CREATE INDEX i ON v ({0}a{1})")]
    [InlineData("CREATE CLUSTER c (SIZE = {0}'1'{1})")]
    [InlineData("CREATE SINK k FROM v INTO KAFKA CONNECTION kc (TOPIC {0}'t'{1}) FORMAT JSON ENVELOPE DEBEZIUM")]
    [InlineData("CREATE CONNECTION kc TO KAFKA (BROKER {0}'b'{1})")]
    [InlineData("CREATE SOURCE s FROM WEBHOOK BODY FORMAT JSON CHECK (WITH (BODY AS b) {0}true{1})")]
    [InlineData("EXECUTE UNIT TEST t FOR v MOCK m(a int) AS (SELECT {0}1{1}), EXPECTED(a int) AS (SELECT 1)")]
    [InlineData("GRANT SELECT ON {0}t{1} TO r")]
    [InlineData("COMMENT ON VIEW v IS {0}'x'{1}")]
    [InlineData("ALTER CLUSTER c SET (SIZE = {0}'1'{1})")]
    [InlineData("SET x = {0}1{1}")]
    [InlineData("SHOW {0}x{1}")]
    public void Every_statement_kind_survives_deep_nesting(string template)
    {
        // Statements whose tails are scanned rather than parsed may accept the text or report an error;
        // what matters is that none of them recurses without the bound (which would crash the test host).
        // 30,000 levels overflow even an 8 MB stack when unbounded.
        const int depth = 30_000;
        var sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Repeat("(", depth), Repeat(")", depth));
        var script = SqlParser.Parse(sql);

        foreach (var statement in script.Statements)
        {
            Assert.StartsWith("sha256:", ObjectHash.Compute(CanonicalPrinter.Render(statement)));
        }

        Assert.All(script.Errors, e => Assert.DoesNotContain("stack", e.Message, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_error_is_on_the_line_and_column_where_the_limit_is_passed()
    {
        var sql = "CREATE VIEW v AS\nSELECT " + Repeat("f(", Deep) + "1" + Repeat(")", Deep);
        var script = SqlParser.Parse(sql);

        var error = Assert.Single(script.Errors);
        var position = script.Lines.GetPosition(error.Span.Start);

        // The query is the first level and each f( one more: the call past the limit starts at its 'f'.
        Assert.Equal(2, position.Line);
        Assert.Equal(8 + (2 * (Parser.MaxNestingDepth - 1)), position.Column);
    }

    [Fact]
    public void The_statements_around_a_too_deep_one_still_parse()
    {
        var sql = $"SELECT 1;\nSELECT {Repeat("(", Deep)}1{Repeat(")", Deep)};\nSELECT 2;";
        var script = SqlParser.Parse(sql);

        Assert.Equal(2, script.Statements.Count);
        Assert.Single(script.Errors);
    }

    [Fact]
    public void Long_flat_lists_and_chains_are_not_nesting()
    {
        // Thousands of terms side by side take no stack: only nesting counts.
        var sql = string.Join("\n", new[]
        {
            $"SELECT 1{Repeat(" + 1", Deep)};",
            $"SELECT {string.Join(", ", Enumerable.Range(0, Deep))};",
            $"SELECT true{Repeat(" AND true", Deep)};",
            $"SELECT 1{Repeat(" UNION SELECT 1", Deep)};",
            $"SELECT * FROM t{Repeat(" JOIN u ON true", Deep)};",
            $"SELECT CASE{Repeat(" WHEN false THEN 1", Deep)} END;",
            $"SELECT 1 {Repeat("/* ", Deep)}{Repeat(" */", Deep)};",
        });
        var script = SqlParser.Parse(sql);

        Assert.True(script.Succeeded, string.Join("; ", script.Errors));
        Assert.Equal(7, script.Statements.Count);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_deepest_statement_allowed_parses_on_a_1_MB_stack(string shape)
    {
        // The deepest this shape may nest (levels count differently per shape: a subquery is two).
        var depth = Parser.MaxNestingDepth;
        while (!SqlParser.Parse(Build(shape, depth)).Succeeded)
        {
            depth--;
        }

        // Thread-pool threads, which parse project files in parallel, have 1 MB (Windows) or 1.5 MB (Linux).
        var script = OnThread(1024 * 1024, () => SqlParser.Parse(Build(shape, depth)));

        Assert.True(script.Succeeded, $"depth {depth}: " + string.Join("; ", script.Errors));
        Assert.InRange(depth, Parser.MaxNestingDepth / 3, Parser.MaxNestingDepth);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Even_a_small_stack_gets_the_error_and_not_a_crash(string shape)
    {
        // A thread whose stack cannot take the limit still gets the error: the parser checks the real stack too.
        var script = OnThread(256 * 1024, () => SqlParser.Parse(Build(shape, Deep)));

        var error = Assert.Single(script.Errors);
        Assert.StartsWith("nesting too deep", error.Message);
    }

    private static SqlScript OnThread(int stackSize, Func<SqlScript> parse)
    {
        SqlScript? script = null;
        var thread = new Thread(() => script = parse(), stackSize);
        thread.Start();
        thread.Join();
        return script!;
    }
}
