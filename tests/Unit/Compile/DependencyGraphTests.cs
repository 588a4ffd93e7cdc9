using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Tests.Unit.Compile;

public class DependencyGraphTests
{
    private static ObjectId Id(string name) => new("materialize", "public", name);

    [Fact]
    public void Topological_order_puts_dependencies_first_and_breaks_ties_by_name()
    {
        var g = new DependencyGraph();
        g.AddEdge(Id("summary"), Id("stalled"));
        g.AddEdge(Id("stalled"), Id("orders"));
        g.AddEdge(Id("alerts"), Id("orders"));
        g.AddNode(Id("zeta"));

        var order = g.TopologicalOrder().Select(o => o.Name).ToList();

        Assert.Equal(new[] { "orders", "alerts", "stalled", "summary", "zeta" }, order);
    }

    [Fact]
    public void A_cycle_is_reported_in_dependency_order_from_its_smallest_member()
    {
        var g = new DependencyGraph();
        g.AddEdge(Id("c"), Id("a"));
        g.AddEdge(Id("a"), Id("b"));
        g.AddEdge(Id("b"), Id("c"));
        g.AddEdge(Id("d"), Id("a"));

        var cycle = Assert.Single(g.FindCycles());

        Assert.Equal(new[] { "a", "b", "c" }, cycle.Select(o => o.Name));
        Assert.DoesNotContain(g.TopologicalOrder(), o => o.Name is "a" or "b" or "c" or "d");
    }

    [Fact]
    public void A_self_reference_is_a_cycle_of_one()
    {
        var g = new DependencyGraph();
        g.AddEdge(Id("v"), Id("v"));
        g.AddEdge(Id("w"), Id("x"));

        var cycle = Assert.Single(g.FindCycles());
        Assert.Equal(new[] { "v" }, cycle.Select(o => o.Name));
    }

    [Fact]
    public void Separate_cycles_are_all_reported()
    {
        var g = new DependencyGraph();
        g.AddEdge(Id("a"), Id("b"));
        g.AddEdge(Id("b"), Id("a"));
        g.AddEdge(Id("x"), Id("y"));
        g.AddEdge(Id("y"), Id("x"));

        Assert.Equal(2, g.FindCycles().Count);
    }

    [Fact]
    public void A_component_with_two_loops_yields_a_real_closed_path()
    {
        var g = new DependencyGraph();
        g.AddEdge(Id("a"), Id("b"));
        g.AddEdge(Id("b"), Id("c"));
        g.AddEdge(Id("c"), Id("b"));
        g.AddEdge(Id("c"), Id("a"));

        var cycle = Assert.Single(g.FindCycles());
        for (var i = 0; i < cycle.Count; i++)
        {
            Assert.Contains(cycle[(i + 1) % cycle.Count], g.DependenciesOf(cycle[i]));
        }
    }

    [Fact]
    public void A_long_chain_does_not_overflow_the_stack()
    {
        var g = new DependencyGraph();
        for (var i = 1; i < 50_000; i++)
        {
            g.AddEdge(Id($"v{i:D6}"), Id($"v{i - 1:D6}"));
        }

        Assert.Empty(g.FindCycles());
        Assert.Equal(50_000, g.TopologicalOrder().Count);
    }

    [Fact]
    public void Transitive_dependents_follow_every_path()
    {
        var g = new DependencyGraph();
        g.AddEdge(Id("b"), Id("a"));
        g.AddEdge(Id("c"), Id("b"));
        g.AddEdge(Id("d"), Id("a"));
        g.AddNode(Id("e"));

        var dependents = g.TransitiveDependentsOf(new[] { Id("a") }).Select(o => o.Name);

        Assert.Equal(new[] { "b", "c", "d" }, dependents);
    }
}
