using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Testing;

namespace MzDeploy.Tests.Unit.Testing;

/// <summary>Unit tests planned without a database: the exact statements, and what makes a test invalid before it runs.</summary>
public sealed class UnitTestPlannerTests
{
    private static IReadOnlyList<UnitTestPlan> Plan(Dictionary<string, string> files, string? filter = null,
        string toml = "dependencies = [\"ext.sales.orders\"]\n")
    {
        using var project = new TempProject(files, toml);
        return UnitTestOperation.Prepare(new UnitTestRequest(project.Root, null, filter), NullOperationLog.Instance).Plans;
    }

    private const string View = """
        CREATE VIEW recent AS
        SELECT o.id, "Amount" FROM ext.sales.orders AS o, (SELECT 1) WHERE mz_now() <= o.ts + INTERVAL '1 hour';

        EXECUTE UNIT TEST t1 FOR materialize.app.recent AT TIME '2024-01-15 12:00:00'
        MOCK ext.sales.orders(id int, "Amount" numeric(10,2), ts timestamp) AS (SELECT * FROM (VALUES (1, 2.5, '2024-01-15 11:30:00'))),
        EXPECTED(id integer, "Amount" decimal) AS (VALUES (1, 2.5));
        """;

    [Fact]
    public void A_test_is_lowered_to_temporary_views_and_one_comparison()
    {
        var plan = Assert.Single(Plan(new() { ["models/materialize/app/recent.sql"] = View }));

        Assert.Equal("materialize.app.recent#t1", plan.FullName);
        Assert.Empty(plan.Problems);
        Assert.Equal(
        [
            "SELECT CAST('2024-01-15 12:00:00' AS mz_timestamp)",
            "CREATE TEMPORARY VIEW mock_orders AS SELECT CAST(id AS int) AS id, CAST(\"Amount\" AS numeric(10, 2)) AS \"Amount\", " +
            "CAST(ts AS timestamp) AS ts FROM (SELECT * FROM (VALUES (1, 2.5, '2024-01-15 11:30:00')) AS derived_1) AS declared (id, \"Amount\", ts)",
            "CREATE TEMPORARY VIEW unit_test_target AS SELECT o.id, \"Amount\" FROM mock_orders AS o, (SELECT 1) AS derived_1 " +
            "WHERE CAST('2024-01-15 12:00:00' AS mz_timestamp) <= o.ts + INTERVAL '1 hour'",
            "CREATE TEMPORARY VIEW unit_test_expected AS SELECT CAST(id AS integer) AS id, CAST(\"Amount\" AS decimal) AS \"Amount\" " +
            "FROM (VALUES (1, 2.5)) AS declared (id, \"Amount\")",
            "SELECT * FROM unit_test_target LIMIT 0",
            "SELECT 'missing', CAST(id AS text), CAST(\"Amount\" AS text) FROM (SELECT id, \"Amount\" FROM unit_test_expected EXCEPT ALL " +
            "SELECT id, \"Amount\" FROM unit_test_target) AS missing_rows UNION ALL SELECT 'unexpected', CAST(id AS text), CAST(\"Amount\" AS text) " +
            "FROM (SELECT id, \"Amount\" FROM unit_test_target EXCEPT ALL SELECT id, \"Amount\" FROM unit_test_expected) AS unexpected_rows ORDER BY 1, 2, 3",
        ], plan.Steps.Select(s => s.Sql).ToList());
        Assert.Equal([UnitTestStepKind.CheckTime, UnitTestStepKind.CreateMock, UnitTestStepKind.CreateTarget, UnitTestStepKind.CreateExpected,
            UnitTestStepKind.DescribeTarget, UnitTestStepKind.Compare], plan.Steps.Select(s => s.Kind));
    }

    [Fact]
    public void Without_AT_TIME_mz_now_stays_and_nothing_is_checked()
    {
        var plan = Assert.Single(Plan(new() { ["models/materialize/app/recent.sql"] = View.Replace(" AT TIME '2024-01-15 12:00:00'", "") }));

        Assert.DoesNotContain(plan.Steps, s => s.Kind == UnitTestStepKind.CheckTime);
        Assert.Contains("WHERE mz_now() <= o.ts", plan.Steps.Single(s => s.Kind == UnitTestStepKind.CreateTarget).Sql);
    }

    [Fact]
    public void Mocks_named_relative_to_the_target_stand_for_project_objects()
    {
        var plan = Assert.Single(Plan(new()
        {
            ["models/materialize/raw/orders.sql"] = "CREATE TABLE orders (id bigint, amount numeric);",
            ["models/materialize/app/big.sql"] = "CREATE VIEW big AS SELECT id FROM raw.orders WHERE amount > 10;\n" +
                "EXECUTE UNIT TEST t FOR materialize.app.big MOCK raw.orders(id bigint, amount numeric) AS (VALUES (1, 20)) EXPECTED(id bigint) AS (VALUES (1));",
        }, toml: ""));

        Assert.Empty(plan.Problems);
        Assert.Equal("CREATE TEMPORARY VIEW unit_test_target AS SELECT id FROM mock_orders WHERE amount > 10",
            plan.Steps.Single(s => s.Kind == UnitTestStepKind.CreateTarget).Sql);
    }

    [Fact]
    public void An_unmocked_dependency_and_a_mock_unlike_its_table_make_the_test_invalid_without_statements()
    {
        var plans = Plan(new()
        {
            ["models/materialize/raw/orders.sql"] = "CREATE TABLE orders (id bigint, amount numeric);",
            ["models/materialize/app/joined.sql"] = "CREATE VIEW joined AS SELECT o.id FROM raw.orders o JOIN ext.sales.orders e ON e.id = o.id;\n" +
                "EXECUTE UNIT TEST t FOR materialize.app.joined\n" +
                "MOCK raw.orders(id bigint) AS (VALUES (1))\n" +
                "EXPECTED(id bigint) AS (VALUES (1));",
        });

        var plan = Assert.Single(plans);
        Assert.Empty(plan.Steps);
        Assert.Equal(
        [
            "models/materialize/app/joined.sql:3:1: unit test 't' on 'materialize.app.joined': the mock of 'materialize.raw.orders' declares columns (id) but materialize.raw.orders has (id, amount)",
            "models/materialize/app/joined.sql:2:1: unit test 't' on 'materialize.app.joined': dependency 'ext.sales.orders' is not mocked (add MOCK ext.sales.orders(<column> <type>, …) AS (<rows>))",
        ], plan.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void A_mock_column_typed_unlike_the_project_table_is_invalid_but_other_spellings_are_not()
    {
        var plans = Plan(new()
        {
            ["models/materialize/raw/orders.sql"] = "CREATE TABLE orders (id bigint, amount numeric(12,2), note varchar);",
            ["models/materialize/app/big.sql"] = "CREATE VIEW big AS SELECT id FROM raw.orders;\n" +
                "EXECUTE UNIT TEST typed FOR materialize.app.big MOCK raw.orders(id int8, amount decimal, note text) AS (VALUES (1, 2, 'x')) EXPECTED(id bigint) AS (VALUES (1));\n" +
                "EXECUTE UNIT TEST mistyped FOR materialize.app.big MOCK raw.orders(id int, amount numeric, note text) AS (VALUES (1, 2, 'x')) EXPECTED(id bigint) AS (VALUES (1));",
        }, toml: "");

        Assert.Empty(plans[0].Problems);
        Assert.Equal("unit test 'mistyped' on 'materialize.app.big': the mock of 'materialize.raw.orders' declares id int4 but materialize.raw.orders has id int8",
            Assert.Single(plans[1].Problems).Message);
    }

    // types.lock as Update-MzTypeLock writes it: mz_columns' spellings of the types.
    private const string OrdersLock = """
        {
          "version": 1,
          "objects": {
            "ext.sales.orders": {
              "id": { "type": "integer", "nullable": false },
              "Amount": { "type": "numeric", "nullable": true },
              "ts": { "type": "timestamp without time zone", "nullable": true }
            }
          }
        }

        """;

    private static UnitTestPlan PlanWithLock(string mockColumns, string? lockText = OrdersLock)
    {
        var files = new Dictionary<string, string>
        {
            ["models/materialize/app/recent.sql"] = View.Replace("MOCK ext.sales.orders(id int, \"Amount\" numeric(10,2), ts timestamp)",
                $"MOCK ext.sales.orders({mockColumns})", StringComparison.Ordinal),
        };
        if (lockText is not null)
        {
            files["types.lock"] = lockText;
        }

        return Assert.Single(Plan(files));
    }

    [Fact]
    public void A_mock_of_an_external_dependency_matching_types_lock_is_valid_in_any_order_and_spelling()
    {
        var plan = PlanWithLock("ts timestamp, id int4, \"Amount\" decimal(10,2)");

        Assert.Empty(plan.Problems);
        Assert.Contains(plan.Steps, s => s.Kind == UnitTestStepKind.CreateMock);
    }

    [Fact]
    public void A_mock_lacking_a_locked_column_is_invalid_at_the_mock()
    {
        var problem = Assert.Single(PlanWithLock("id int, \"Amount\" numeric").Problems);

        Assert.Equal("models/materialize/app/recent.sql:5:1: unit test 't1' on 'materialize.app.recent': the mock of 'ext.sales.orders' " +
            "declares columns (id, Amount) but types.lock gives ext.sales.orders (id, Amount, ts): missing ts", problem.ToString());
    }

    [Fact]
    public void A_mock_with_a_column_the_lock_does_not_have_is_invalid()
    {
        var plan = PlanWithLock("id int, \"Amount\" numeric, ts timestamp, note text");

        Assert.Empty(plan.Steps);
        Assert.Equal("unit test 't1' on 'materialize.app.recent': the mock of 'ext.sales.orders' declares columns (id, Amount, ts, note) " +
            "but types.lock gives ext.sales.orders (id, Amount, ts): unknown note", Assert.Single(plan.Problems).Message);
    }

    [Fact]
    public void A_mock_column_typed_unlike_types_lock_is_invalid()
    {
        var problem = Assert.Single(PlanWithLock("id bigint, \"Amount\" numeric, ts timestamptz").Problems);

        Assert.Equal("unit test 't1' on 'materialize.app.recent': the mock of 'ext.sales.orders' declares id int8, ts timestamptz " +
            "but types.lock gives ext.sales.orders id int4, ts timestamp", problem.Message);
        Assert.Equal(new SourceLocation("models/materialize/app/recent.sql", 5, 1), problem.Location);
    }

    [Fact]
    public void Without_a_lock_or_with_a_lock_lacking_the_dependency_a_mock_of_an_external_object_is_not_checked()
    {
        const string Mistyped = "id bigint, note text";
        const string OtherLock = "{\"version\": 1, \"objects\": {\"ext.sales.customers\": {\"id\": {\"type\": \"bigint\", \"nullable\": false}}}}\n";

        Assert.Empty(PlanWithLock(Mistyped, lockText: null).Problems);
        Assert.Empty(PlanWithLock(Mistyped, OtherLock).Problems);
        Assert.Single(PlanWithLock(Mistyped).Problems);
    }

    [Fact]
    public void An_unreadable_lock_stops_the_planning()
    {
        Assert.Equal(ErrorIds.TypeLockInvalid.Id, Assert.Throws<MzDeployException>(() => PlanWithLock("id int", "{\"version\": 99}\n")).ErrorId);
    }

    [Fact]
    public void A_test_of_a_table_is_invalid_and_does_not_fail_the_compile()
    {
        var plan = Assert.Single(Plan(new()
        {
            ["models/materialize/raw/orders.sql"] = "CREATE TABLE orders (id bigint);\nEXECUTE UNIT TEST t FOR materialize.raw.orders EXPECTED(id bigint) AS (VALUES (1));",
        }, toml: ""));

        Assert.Equal("unit tests can only test views and materialized views, not table materialize.raw.orders", Assert.Single(plan.Problems).Message);
    }

    [Fact]
    public void Other_compile_errors_stop_before_any_test()
    {
        var error = Assert.Throws<CompilationFailedException>(() => Plan(new()
        {
            ["models/materialize/app/v.sql"] = "CREATE VIEW v AS SELECT * FROM nowhere;",
        }));

        Assert.Equal(ErrorIds.UnresolvedReference.Id, Assert.Single(error.Diagnostics).ErrorId);
    }

    [Fact]
    public void A_filter_selects_by_object_and_test_name()
    {
        var files = new Dictionary<string, string>
        {
            ["models/materialize/app/recent.sql"] = View + "\nEXECUTE UNIT TEST t2 FOR materialize.app.recent MOCK ext.sales.orders(id int, \"Amount\" numeric, ts timestamp) AS (VALUES (1, 1, now())) EXPECTED(id int, \"Amount\" numeric) AS (VALUES (1, 1));",
        };

        Assert.Equal(["t1", "t2"], Plan(files).Select(p => p.Name));
        Assert.Equal(["t2"], Plan(files, "materialize.app.recent#t2").Select(p => p.Name));
        Assert.Equal("UnitTestFilterMatchedNothing", Assert.Throws<MzDeployException>(() => Plan(files, "materialize.other")).ErrorId);
    }

    [Fact]
    public void A_mock_of_a_table_fed_by_a_source_is_checked_against_its_locked_columns()
    {
        const string Lock = """
            {"version": 2, "objects": {"materialize.ingest.bids": {"kind": "table-from-source",
              "columns": {"id": {"type": "bigint", "nullable": false}, "amount": {"type": "integer", "nullable": true}}}}}
            """;
        Dictionary<string, string> Files(string mock) => new()
        {
            ["models/materialize/ingest/auction.sql"] = "CREATE SOURCE auction IN CLUSTER quickstart FROM LOAD GENERATOR AUCTION;\n",
            ["models/materialize/ingest/bids.sql"] = "CREATE TABLE bids FROM SOURCE auction (REFERENCE \"auction\".\"bids\");\n",
            ["models/materialize/app/big.sql"] = $"""
                CREATE VIEW big AS SELECT id FROM materialize.ingest.bids WHERE amount > 10;

                EXECUTE UNIT TEST t FOR materialize.app.big
                MOCK materialize.ingest.bids({mock}) AS (SELECT * FROM (VALUES (1, 20))),
                EXPECTED(id bigint) AS (SELECT * FROM (VALUES (1)));
                """,
            ["types.lock"] = Lock,
        };

        var matching = Assert.Single(Plan(Files("amount int4, id int8"), toml: ""));
        var lacking = Assert.Single(Plan(Files("id int8, note text"), toml: ""));

        Assert.Empty(matching.Problems);
        Assert.Contains("but types.lock gives materialize.ingest.bids (id, amount)", Assert.Single(lacking.Problems).ToString(), StringComparison.Ordinal);
    }
}

public sealed class UnitTestFilterTests
{
    private static readonly ObjectId Recent = new("materialize", "public", "recent");

    [Theory]
    [InlineData("materialize", true)]
    [InlineData("materialize.*", true)]
    [InlineData("materialize.public", true)]
    [InlineData("materialize.public.*", true)]
    [InlineData("materialize.public.recent", true)]
    [InlineData("materialize.public.recent#t1", true)]
    [InlineData("materialize.public.rec*#t?", true)]
    [InlineData("MATERIALIZE.Public.Recent", true)]
    [InlineData("#t1", true)]
    [InlineData("materialize.public.recent#t2", false)]
    [InlineData("materialize.other", false)]
    [InlineData("other.*", false)]
    [InlineData("materialize.public.rec", false)]
    public void Matches_like_mz_deploy(string filter, bool matches) =>
        Assert.Equal(matches, UnitTestFilter.Parse(filter).Matches(Recent, "t1"));

    [Theory]
    [InlineData("a.b.c.d")]
    [InlineData("a..c")]
    [InlineData("a#b#c")]
    [InlineData("a.b.c#")]
    public void Refuses_what_is_not_a_filter(string filter) =>
        Assert.Equal("InvalidUnitTestFilter", Assert.Throws<MzDeployException>(() => UnitTestFilter.Parse(filter)).ErrorId);
}

public sealed class TypeNamesTests
{
    [Theory]
    [InlineData("int", "integer")]
    [InlineData("int4", "INTEGER")]
    [InlineData("bigint", "int8")]
    [InlineData("text", "varchar")]
    [InlineData("string", "character varying(20)")]
    [InlineData("float", "double precision")]
    [InlineData("float8", "double")]
    [InlineData("numeric(10,2)", "decimal")]
    [InlineData("json", "jsonb")]
    [InlineData("bool", "boolean")]
    [InlineData("timestamp with time zone", "timestamptz")]
    [InlineData("timestamp(3) without time zone", "timestamp")]
    [InlineData("int[]", "integer[]")]
    [InlineData("pg_catalog.int8", "bigint")]
    public void Spellings_of_one_type_are_the_same(string left, string right) => Assert.True(TypeNames.Same(left, right));

    [Theory]
    [InlineData("int", "bigint")]
    [InlineData("text", "numeric")]
    [InlineData("timestamp", "timestamptz")]
    [InlineData("int[]", "int")]
    public void Different_types_differ(string left, string right) => Assert.False(TypeNames.Same(left, right));
}
