using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Testing;
using MzDeploy.Tests.Integration.Emulator;
using MzDeploy.Engine.Sandbox;

namespace MzDeploy.Tests.Integration.Testing;

/// <summary>
/// EXECUTE UNIT TEST blocks run on a real emulator: passing, failing with missing and unexpected rows, each validation
/// error at its file:line, AT TIME with a temporal filter, and a runtime error.
/// </summary>
public sealed class UnitTestRunTests(UnitTestEmulator emulator) : IClassFixture<UnitTestEmulator>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mzdeploy-unit-tests-").FullName;

    public void Dispose() => TestData.DeleteQuietly(_root);

    private const string Totals = """
        CREATE VIEW customer_totals AS
        SELECT customer_id, sum(amount) AS total, count(*) AS order_count
        FROM materialize.raw.orders
        GROUP BY customer_id;

        """;

    private const string OrdersMock = """
        MOCK materialize.raw.orders(id bigint, customer_id bigint, amount numeric, created_at timestamp) AS (
          SELECT * FROM (VALUES (1, 10, 5.0, '2024-01-15 11:30:00'), (2, 10, 7.5, '2024-01-15 09:00:00'), (3, 20, 1.0, '2024-01-15 11:59:00'))
        )
        """;

    private void Project(string view, string text, string dependencies = "\"materialize.raw.orders\"")
    {
        File.WriteAllText(Path.Combine(_root, "project.toml"), $"dependencies = [{dependencies}]\n");
        var folder = Path.Combine(_root, "models", "materialize", "public");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, view + ".sql"), text.ReplaceLineEndings("\n"));
    }

    private async Task<List<UnitTestResult>> RunAsync(string? filter = null)
    {
        var operation = UnitTestOperation.Prepare(new UnitTestRequest(_root, null, filter), NullOperationLog.Instance);
        var results = new List<UnitTestResult>();
        foreach (var plan in operation.Plans)
        {
            results.Add(await UnitTestOperation.RunAsync(plan, emulator.Sandbox, CancellationToken.None));
        }

        return results;
    }

    [Fact]
    public async Task A_test_whose_rows_match_passes_and_leaves_nothing_behind()
    {
        Project("customer_totals", Totals + $"""
            EXECUTE UNIT TEST totals_per_customer
            FOR materialize.public.customer_totals
            {OrdersMock},
            EXPECTED(customer_id bigint, total numeric, order_count bigint) AS (
              SELECT * FROM (VALUES (10, 12.5, 2), (20, 1.0, 1))
            );
            """);

        var result = Assert.Single(await RunAsync());

        Assert.Equal(UnitTestStatus.Passed, result.Status);
        Assert.Equal("totals_per_customer", result.Name);
        Assert.Equal("materialize.public.customer_totals", result.Target.ToString());
        Assert.Equal(new SourceLocation("models/materialize/public/customer_totals.sql", 5, 1), result.Location);
        Assert.Empty(result.Missing);
        Assert.Empty(result.Unexpected);
        // The temporary views went with the test's session.
        await using var connection = await emulator.Sandbox.OpenConnectionAsync(CancellationToken.None);
        Assert.Equal(0L, await connection.ScalarAsync("SELECT count(*) FROM pg_class WHERE relname IN ('unit_test_target', 'mock_orders')"));
    }

    [Fact]
    public async Task A_test_with_wrong_expectations_fails_with_the_missing_and_unexpected_rows()
    {
        Project("customer_totals", Totals + $"""
            EXECUTE UNIT TEST totals_per_customer
            FOR materialize.public.customer_totals
            {OrdersMock},
            EXPECTED(customer_id bigint, total numeric, order_count bigint) AS (
              SELECT * FROM (VALUES (10, 12.5, 2), (20, 2.0, 1), (20, 2.0, 1))
            );
            """);

        var result = Assert.Single(await RunAsync());

        Assert.Equal(UnitTestStatus.Failed, result.Status);
        Assert.Equal(["customer_id", "total", "order_count"], result.Columns.Select(c => c.Name));
        // A multiset: the duplicated expected row is missing twice.
        Assert.Equal([["20", "2.0", "1"], ["20", "2.0", "1"]], result.Missing.Select(r => r.ToArray()));
        Assert.Equal([["20", "1.0", "1"]], result.Unexpected.Select(r => r.ToArray()));
        Assert.EndsWith("2 missing and 1 unexpected row(s); missing (customer_id=20, total=2.0, order_count=1), " +
                        "(customer_id=20, total=2.0, order_count=1); unexpected (customer_id=20, total=1.0, order_count=1)", result.Message);
    }

    [Fact]
    public async Task AT_TIME_sets_what_mz_now_returns_for_a_temporal_filter()
    {
        Project("recent_orders", """
            CREATE VIEW recent_orders AS
            SELECT id, customer_id FROM materialize.raw.orders
            WHERE mz_now() <= created_at + INTERVAL '1 hour';

            EXECUTE UNIT TEST last_hour
            FOR materialize.public.recent_orders
            AT TIME '2024-01-15 12:00:00'
            """ + OrdersMock + """
            ,
            EXPECTED(id bigint, customer_id bigint) AS (
              SELECT * FROM (VALUES (1, 10), (3, 20))
            );

            EXECUTE UNIT TEST later
            FOR materialize.public.recent_orders
            AT TIME '2024-01-15 12:45:00'
            """ + OrdersMock + """
            ,
            EXPECTED(id bigint, customer_id bigint) AS (
              SELECT * FROM (VALUES (3, 20))
            );
            """);

        var results = await RunAsync();

        Assert.All(results, r => Assert.Equal(UnitTestStatus.Passed, r.Status));
        Assert.Equal(["last_hour", "later"], results.Select(r => r.Name));
    }

    [Fact]
    public async Task A_bad_AT_TIME_makes_the_test_invalid()
    {
        Project("recent_orders", """
            CREATE VIEW recent_orders AS
            SELECT id FROM materialize.raw.orders WHERE mz_now() <= created_at;

            EXECUTE UNIT TEST bad_time
            FOR materialize.public.recent_orders
            AT TIME 'not a time'
            """ + OrdersMock + """
            ,
            EXPECTED(id bigint) AS (SELECT 1 WHERE false);
            """);

        var result = Assert.Single(await RunAsync());

        Assert.Equal(UnitTestStatus.Invalid, result.Status);
        var problem = Assert.Single(result.Problems);
        Assert.Contains("AT TIME 'not a time' is not a valid mz_timestamp", problem.Message);
        Assert.Equal(4, problem.Location.Line);
    }

    [Fact]
    public async Task An_unmocked_dependency_is_invalid_and_runs_nothing()
    {
        Project("customer_totals", Totals + """
            EXECUTE UNIT TEST no_mock
            FOR materialize.public.customer_totals
            EXPECTED(customer_id bigint, total numeric, order_count bigint) AS (SELECT * FROM (VALUES (1, 1.0, 1)));
            """);

        var result = Assert.Single(await RunAsync());

        Assert.Equal(UnitTestStatus.Invalid, result.Status);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("unit test 'no_mock' on 'materialize.public.customer_totals': dependency 'materialize.raw.orders' is not mocked " +
                     "(add MOCK materialize.raw.orders(<column> <type>, …) AS (<rows>))", problem.Message);
        Assert.Equal("models/materialize/public/customer_totals.sql:5:1", problem.Location.ToString());
    }

    [Fact]
    public async Task EXPECTED_columns_unlike_the_targets_output_are_invalid_at_the_EXPECTED_clause()
    {
        Project("customer_totals", Totals + $"""
            EXECUTE UNIT TEST wrong_columns
            FOR materialize.public.customer_totals
            {OrdersMock},
            EXPECTED(customer_id bigint, total text, orders bigint) AS (SELECT * FROM (VALUES (1, '1', 1)));
            """);

        var result = Assert.Single(await RunAsync());

        Assert.Equal(UnitTestStatus.Invalid, result.Status);
        var problem = Assert.Single(result.Problems);
        Assert.Contains("EXPECTED declares (customer_id int8, total text, orders int8) but materialize.public.customer_totals returns " +
                        "(customer_id int8, total numeric, order_count int8)", problem.Message);
        Assert.Equal(10, problem.Location.Line);
    }

    [Fact]
    public async Task Type_spellings_of_one_type_match()
    {
        Project("customer_totals", Totals + $"""
            EXECUTE UNIT TEST spellings
            FOR materialize.public.customer_totals
            {OrdersMock.Replace("bigint", "int8", StringComparison.Ordinal)},
            EXPECTED(customer_id INT8, total decimal, order_count int8) AS (SELECT * FROM (VALUES (10, 12.5, 2), (20, 1.0, 1)));
            """);

        Assert.Equal(UnitTestStatus.Passed, Assert.Single(await RunAsync()).Status);
    }

    [Fact]
    public async Task A_mock_whose_columns_differ_from_the_project_table_is_invalid()
    {
        File.WriteAllText(Path.Combine(_root, "project.toml"), "dependencies = []\n");
        var raw = Path.Combine(_root, "models", "materialize", "raw");
        Directory.CreateDirectory(raw);
        File.WriteAllText(Path.Combine(raw, "orders.sql"),
            "CREATE TABLE orders (id bigint, customer_id bigint, amount numeric, created_at timestamp);\n");
        Project("customer_totals", Totals + $"""
            EXECUTE UNIT TEST wrong_mock
            FOR materialize.public.customer_totals
            MOCK materialize.raw.orders(id bigint, customer bigint, amount numeric) AS (SELECT * FROM (VALUES (1, 1, 1.0))),
            EXPECTED(customer_id bigint, total numeric, order_count bigint) AS (SELECT * FROM (VALUES (1, 1.0, 1)));
            """, dependencies: "");

        var result = Assert.Single(await RunAsync());

        Assert.Equal(UnitTestStatus.Invalid, result.Status);
        var problem = Assert.Single(result.Problems);
        Assert.Contains("the mock of 'materialize.raw.orders' declares columns (id, customer, amount) but materialize.raw.orders has " +
                        "(id, customer_id, amount, created_at)", problem.Message);
        Assert.Equal(7, problem.Location.Line);
    }

    [Fact]
    public async Task A_test_of_a_table_is_invalid()
    {
        File.WriteAllText(Path.Combine(_root, "project.toml"), "dependencies = []\n");
        var raw = Path.Combine(_root, "models", "materialize", "raw");
        Directory.CreateDirectory(raw);
        File.WriteAllText(Path.Combine(raw, "orders.sql"), """
            CREATE TABLE orders (id bigint);

            EXECUTE UNIT TEST on_a_table
            FOR materialize.raw.orders
            EXPECTED(id bigint) AS (SELECT 1);
            """);

        var result = Assert.Single(await RunAsync());

        Assert.Equal(UnitTestStatus.Invalid, result.Status);
        Assert.Contains("unit tests can only test views and materialized views, not table materialize.raw.orders",
            Assert.Single(result.Problems).Message);
        Assert.Equal(3, result.Location.Line);
    }

    [Fact]
    public async Task A_server_error_in_the_test_fails_it_with_the_servers_words()
    {
        Project("customer_totals", Totals + """
            EXECUTE UNIT TEST bad_rows
            FOR materialize.public.customer_totals
            MOCK materialize.raw.orders(id bigint, customer_id bigint, amount numeric, created_at timestamp) AS (
              SELECT * FROM (VALUES (1, 'x', 1.0, '2024-01-01'))
            ),
            EXPECTED(customer_id bigint, total numeric, order_count bigint) AS (SELECT * FROM (VALUES (1, 1.0, 1)));
            """);

        var result = Assert.Single(await RunAsync());

        Assert.Equal(UnitTestStatus.Failed, result.Status);
        Assert.Contains("invalid input syntax for type bigint", result.Error);
    }

    [Fact]
    public async Task Filters_select_tests_and_one_that_matches_nothing_is_an_error()
    {
        Project("customer_totals", Totals + $"""
            EXECUTE UNIT TEST first FOR materialize.public.customer_totals {OrdersMock},
            EXPECTED(customer_id bigint, total numeric, order_count bigint) AS (SELECT * FROM (VALUES (10, 12.5, 2), (20, 1.0, 1)));

            EXECUTE UNIT TEST second FOR materialize.public.customer_totals {OrdersMock},
            EXPECTED(customer_id bigint, total numeric, order_count bigint) AS (SELECT * FROM (VALUES (10, 12.5, 2), (20, 1.0, 1)));
            """);

        Assert.Equal(["second"], (await RunAsync("materialize.public.customer_totals#sec*")).Select(r => r.Name));
        Assert.Equal(2, (await RunAsync("materialize.*")).Count);
        var error = Assert.Throws<MzDeployException>(() => UnitTestOperation.Prepare(
            new UnitTestRequest(_root, null, "materialize.other"), NullOperationLog.Instance));
        Assert.Equal("UnitTestFilterMatchedNothing", error.ErrorId);
        Assert.Equal("no tests matched filter 'materialize.other'", error.Message);
    }
}

/// <summary>One emulator for the unit test runs, reached as a sandbox at its address (each test opens sessions of its own).</summary>
public sealed class UnitTestEmulator : IAsyncLifetime
{
    private readonly EmulatorFixture _emulator = new();

    public SandboxTarget Sandbox { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _emulator.InitializeAsync();
        Sandbox = SandboxTarget.ForAddress($"127.0.0.1:{_emulator.Server.Port}");
    }

    public Task DisposeAsync() => _emulator.DisposeAsync();
}
