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

    private static readonly Dictionary<string, IReadOnlyList<LockedColumn>> Found = new()
    {
        ["raw.public.orders"] = [new("id", "bigint", false)],
        ["raw.public.customers"] = [new("id", "bigint", false), new("name", "text", true)],
        ["raw.public.unrelated"] = [new("z", "text", true)],
    };

    [Fact]
    public void Locks_the_declared_dependencies_only_and_is_unchanged_against_its_own_text()
    {
        using var dir = new TempDirectory();
        var deps = Dependencies(dir, "dependencies = [\"raw.public.orders\", \"raw.public.customers\"]\n");

        var first = TypeLockPlanner.Plan(deps, Found, "/p/types.lock", currentText: null);
        var again = TypeLockPlanner.Plan(deps, Found, "/p/types.lock", first.Text);

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
        var before = TypeLockPlanner.Plan(deps, Found, "/p/types.lock", null);
        var widened = new Dictionary<string, IReadOnlyList<LockedColumn>>(Found) { ["raw.public.orders"] = [new("id", "numeric", false)] };

        Assert.True(TypeLockPlanner.Plan(deps, widened, "/p/types.lock", before.Text).Changed);
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

        var e = Assert.Throws<MzDeployException>(() => TypeLockPlanner.Plan(deps, Found, "/p/types.lock", null));

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
        var plan = TypeLockPlanner.Plan([], Found, "/p/types.lock", null);

        Assert.Equal(0, plan.Objects);
        Assert.Equal(TypeLockFormat.Write(new TypeLockFile([])), plan.Text);
    }
}
