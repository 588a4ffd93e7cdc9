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
}
