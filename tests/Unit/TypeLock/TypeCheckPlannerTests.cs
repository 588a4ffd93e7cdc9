using MzDeploy.Engine;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Planning.TypeCheck;
using MzDeploy.Engine.TypeLock;
using MzDeploy.Tests.Unit.Project;

namespace MzDeploy.Tests.Unit.TypeLock;

/// <summary>The statements a type check sends, and how their positions lead back to the user's file.</summary>
public sealed class TypeCheckPlannerTests
{
    private static TypeCheckPlan Plan(TempDirectory dir, TypeLockFile? lockFile)
    {
        var project = ProjectCompiler.Compile(dir.Path, null).EnsureSucceeded();
        return TypeCheckPlanner.Plan(project, lockFile, "_tc_x");
    }

    private static readonly TypeLockFile Lock = new([
        new LockedObject("raw.public.orders", LockedKinds.Table, [new LockedColumn("id", "bigint", false), new LockedColumn("amount", "numeric(10,2)", true)]),
    ]);

    [Fact]
    public void A_materialized_view_becomes_a_plain_view_in_the_scratch_database_with_its_column_list_and_scratch_references()
    {
        using var dir = new TempDirectory();
        dir.Write("project.toml", "dependencies = [\"raw.public.orders\"]\n");
        dir.Write("models/shop/s/mv.sql",
            "CREATE MATERIALIZED VIEW mv (a, b) IN CLUSTER quickstart WITH (RETAIN HISTORY FOR '1h') AS\nSELECT id, amount FROM raw.public.orders;\n");

        var plan = Plan(dir, Lock);

        Assert.Equal(
            ["CREATE DATABASE raw_tc_x", "CREATE DATABASE shop_tc_x", "CREATE SCHEMA IF NOT EXISTS raw_tc_x.public",
             "CREATE SCHEMA IF NOT EXISTS shop_tc_x.s",
             "CREATE TABLE raw_tc_x.public.orders (\"id\" bigint NOT NULL, \"amount\" numeric(10,2))"],
            plan.Setup.Select(s => s.Sql));
        var step = Assert.Single(plan.Steps);
        Assert.Equal("CREATE VIEW shop_tc_x.s.mv (a, b) AS\nSELECT id, amount FROM raw_tc_x.public.orders", step.Sql);
        Assert.Equal(new SourceLocation("models/shop/s/mv.sql", 2, 12), step.Locate(step.Sql.IndexOf("amount", StringComparison.Ordinal)));
        Assert.Equal(["DROP DATABASE IF EXISTS raw_tc_x CASCADE", "DROP DATABASE IF EXISTS shop_tc_x CASCADE"], plan.Cleanup.Select(s => s.Sql));
    }

    [Fact]
    public void Readers_of_a_source_are_skipped_with_a_reason_and_an_unlocked_dependency_is_an_error()
    {
        using var dir = new TempDirectory();
        dir.Write("project.toml", "dependencies = [\"raw.public.orders\"]\n");
        dir.Write("models/shop/ingest/src.sql", "CREATE SOURCE src IN CLUSTER quickstart FROM LOAD GENERATOR COUNTER;\n");
        dir.Write("models/shop/s/counts.sql", "CREATE VIEW counts AS SELECT * FROM shop.ingest.src;\n");
        dir.Write("models/shop/s/o.sql", "CREATE VIEW o AS SELECT id FROM raw.public.orders;\n");

        var plan = Plan(dir, lockFile: null);

        Assert.Empty(plan.Steps);
        var (skipped, reason) = Assert.Single(plan.Skipped);
        Assert.Equal("shop.s.counts", skipped.Id.ToString());
        Assert.Contains("a source cannot be created in a sandbox", reason, StringComparison.Ordinal);
        var error = Assert.Single(plan.Diagnostics);
        Assert.Equal("DependencyNotLocked", error.ErrorId);
        Assert.Equal("models/shop/s/o.sql", error.Location!.File);
    }

    [Fact]
    public void A_table_fed_by_a_source_that_types_lock_holds_is_created_empty_and_its_readers_are_checked_the_unlocked_ones_skipped()
    {
        using var dir = new TempDirectory();
        dir.Write("project.toml", "");
        dir.Write("models/shop/ingest/auction.sql", "CREATE SOURCE auction IN CLUSTER quickstart FROM LOAD GENERATOR AUCTION;\n");
        dir.Write("models/shop/ingest/bids.sql", "CREATE TABLE bids FROM SOURCE auction (REFERENCE \"auction\".\"bids\");\n");
        dir.Write("models/shop/ingest/users.sql", "CREATE TABLE users FROM SOURCE auction (REFERENCE \"auction\".\"users\");\n");
        dir.Write("models/shop/s/top.sql", "CREATE VIEW top AS SELECT auction_id, max(amount) AS top FROM shop.ingest.bids GROUP BY auction_id;\n");
        dir.Write("models/shop/s/names.sql", "CREATE VIEW names AS SELECT name FROM shop.ingest.users;\n");
        var locked = new TypeLockFile([
            new LockedObject("shop.ingest.bids", LockedKinds.TableFromSource,
                [new LockedColumn("auction_id", "bigint", false), new LockedColumn("amount", "integer", true)]),
        ]);

        var plan = Plan(dir, locked);

        Assert.Equal(
            ["CREATE TABLE shop_tc_x.ingest.bids (\"auction_id\" bigint NOT NULL, \"amount\" integer)",
             "CREATE VIEW shop_tc_x.s.top AS SELECT auction_id, max(amount) AS top FROM shop_tc_x.ingest.bids GROUP BY auction_id"],
            plan.Steps.Select(s => s.Sql));
        var (skipped, reason) = Assert.Single(plan.Skipped);
        Assert.Equal("shop.s.names", skipped.Id.ToString());
        Assert.Contains("unless types.lock holds its columns", reason, StringComparison.Ordinal);
        Assert.Empty(plan.Diagnostics);
    }

    [Fact]
    public void A_table_fed_by_a_source_also_declared_as_a_dependency_is_created_once_as_the_project_object()
    {
        using var dir = new TempDirectory();
        dir.Write("project.toml", "dependencies = [\"shop.ingest.bids\"]\n");
        dir.Write("models/shop/ingest/auction.sql", "CREATE SOURCE auction IN CLUSTER quickstart FROM LOAD GENERATOR AUCTION;\n");
        dir.Write("models/shop/ingest/bids.sql", "CREATE TABLE bids FROM SOURCE auction (REFERENCE \"auction\".\"bids\");\n");
        dir.Write("models/shop/s/top.sql", "CREATE VIEW top AS SELECT auction_id FROM shop.ingest.bids;\n");
        var locked = new TypeLockFile([
            new LockedObject("shop.ingest.bids", LockedKinds.TableFromSource, [new LockedColumn("auction_id", "bigint", false)]),
        ]);

        var plan = Plan(dir, locked);

        Assert.Empty(plan.Diagnostics);
        Assert.Empty(plan.Skipped);
        var sent = plan.Setup.Select(s => s.Sql).Concat(plan.Steps.Select(s => s.Sql)).ToList();
        Assert.Single(sent, sql => sql.StartsWith("CREATE TABLE shop_tc_x.ingest.bids", StringComparison.Ordinal));
        Assert.Contains(plan.Steps, s => s.Sql.StartsWith("CREATE VIEW shop_tc_x.s.top", StringComparison.Ordinal));
    }
}
