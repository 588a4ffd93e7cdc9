using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Planning.Lock;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.TypeLock;
using MzDeploy.Tests.Unit.Project;

namespace MzDeploy.Tests.Unit.TypeLock;

/// <summary>Planning a lock: exactly the declared dependencies, no rewrite when nothing changed, missing ones by their line.</summary>
public sealed class TypeLockPlannerTests
{
    private static IReadOnlyList<ExternalDependency> Dependencies(TempDirectory dir, string toml)
    {
        dir.Write("project.toml", toml);
        return ProjectConfig.Load(dir.Path).Dependencies;
    }

    private static readonly Dictionary<string, LockedObject> Found = new[]
    {
        new LockedObject("raw.public.orders", "table", [new("id", "bigint", false)]),
        new LockedObject("raw.public.customers", "view", [new("id", "bigint", false), new("name", "text", true)]),
        new LockedObject("raw.public.unrelated", "table", [new("z", "text", true)]),
        new LockedObject("shop.ingest.ticks", "table", [new("counter", "bigint", false)]),
    }.ToDictionary(o => o.Name);

    private static LockSubject Table(string name)
    {
        var parts = name.Split('.');
        return new LockSubject(name, parts[0], parts[1], parts[2]);
    }

    [Fact]
    public void Locks_the_declared_dependencies_only_and_is_unchanged_against_its_own_text()
    {
        using var dir = new TempDirectory();
        var deps = Dependencies(dir, "dependencies = [\"raw.public.orders\", \"raw.public.customers\"]\n");

        var first = TypeLockPlanner.Plan(deps, [], Found, "/p/types.lock", currentText: null);
        var again = TypeLockPlanner.Plan(deps, [], Found, "/p/types.lock", first.Text);

        Assert.True(first.Changed);
        Assert.Equal(2, first.Objects);
        Assert.DoesNotContain("unrelated", first.Text, StringComparison.Ordinal);
        Assert.False(again.Changed);
        Assert.Equal(first.Text, again.Text);
    }

    [Fact]
    public void A_changed_column_changes_the_plan()
    {
        using var dir = new TempDirectory();
        var deps = Dependencies(dir, "dependencies = [\"raw.public.orders\"]\n");
        var before = TypeLockPlanner.Plan(deps, [], Found, "/p/types.lock", null);
        var widened = new Dictionary<string, LockedObject>(Found) { ["raw.public.orders"] = new("raw.public.orders", "table", [new("id", "numeric", false)]) };

        Assert.True(TypeLockPlanner.Plan(deps, [], widened, "/p/types.lock", before.Text).Changed);
    }

    [Fact]
    public void Missing_dependencies_are_named_with_their_project_toml_lines()
    {
        using var dir = new TempDirectory();
        var deps = Dependencies(dir, """
            mz_version = "cloud"
            dependencies = [
                "raw.public.orders",
                "raw.public.gone",
                'raw."Public".also_gone',
            ]
            """);

        var e = Assert.Throws<MzDeployException>(() => TypeLockPlanner.Plan(deps, [], Found, "/p/types.lock", null));

        Assert.Equal("ExternalDependencyNotFound", e.ErrorId);
        Assert.Equal(
            "declared dependencies not found in target database (2):" + Environment.NewLine
            + "  × raw.public.gone (project.toml:4:1)" + Environment.NewLine
            + "  × raw.\"Public\".also_gone (project.toml:5:1)",
            e.Message);
        Assert.Equal(["raw.public.gone", "raw.\"Public\".also_gone"], Assert.IsType<LockExistingDependencies>(e.Remedy).Missing);
    }

    [Fact]
    public void No_dependencies_plan_an_empty_lock()
    {
        var plan = TypeLockPlanner.Plan([], [], Found, "/p/types.lock", null);

        Assert.Equal(0, plan.Objects);
        Assert.True(plan.NothingToLock);
        Assert.Equal(TypeLockFormat.Write(new TypeLockFile(Array.Empty<LockedObject>())), plan.Text);
    }

    [Fact]
    public void Tables_fed_by_sources_are_locked_as_tables_beside_the_dependencies_and_the_catalogs_kinds_are_kept()
    {
        using var dir = new TempDirectory();
        var deps = Dependencies(dir, "dependencies = [\"raw.public.orders\", \"raw.public.customers\"]\n");

        var plan = TypeLockPlanner.Plan(deps, [Table("shop.ingest.ticks")], Found, "/p/types.lock", null);
        var read = TypeLockFormat.Parse(plan.Text, "types.lock");

        Assert.Equal(3, plan.Objects);
        Assert.Empty(plan.Skipped);
        Assert.False(plan.NothingToLock);
        Assert.Equal(["raw.public.customers", "raw.public.orders", "shop.ingest.ticks"], read.Locked.Keys);
        // mz-deploy's lock has no kind for a table fed by a source: the file records it as the table the catalog says it is.
        Assert.Equal("table", read.KindOf("shop.ingest.ticks"));
        Assert.DoesNotContain("kind = \"table", plan.Text, StringComparison.Ordinal);
        Assert.Equal("table", read.KindOf("raw.public.orders"));
        Assert.Equal("view", read.KindOf("raw.public.customers"));
        Assert.Equal([new LockedColumn("counter", "bigint", false)], read.ColumnsOf("shop.ingest.ticks"));
        Assert.False(TypeLockPlanner.Plan(deps, [Table("shop.ingest.ticks")], Found, "/p/types.lock", plan.Text).Changed);
    }

    [Fact]
    public void A_table_fed_by_a_source_the_server_lacks_is_skipped_not_an_error_and_the_rest_is_locked()
    {
        using var dir = new TempDirectory();
        var deps = Dependencies(dir, "dependencies = [\"raw.public.orders\"]\n");

        var plan = TypeLockPlanner.Plan(deps, [Table("shop.ingest.ticks"), Table("shop.ingest.not_yet"), Table("shop.ingest.also_not")],
            Found, "/p/types.lock", null);

        Assert.Equal(["shop.ingest.also_not", "shop.ingest.not_yet"], plan.Skipped);
        Assert.Equal(2, plan.Objects);
        Assert.DoesNotContain("not_yet", plan.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_declared_dependency_stays_an_error_when_tables_fed_by_sources_are_there()
    {
        using var dir = new TempDirectory();
        var deps = Dependencies(dir, "dependencies = [\"raw.public.gone\"]\n");

        var e = Assert.Throws<MzDeployException>(() => TypeLockPlanner.Plan(deps, [Table("shop.ingest.ticks")], Found, "/p/types.lock", null));

        Assert.Equal("ExternalDependencyNotFound", e.ErrorId);
    }
}
