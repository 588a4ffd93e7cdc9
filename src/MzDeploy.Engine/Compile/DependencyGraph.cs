using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Compile;

/// <summary>
/// Dependencies between project objects: an edge <c>a → b</c> means <c>a</c> reads <c>b</c>, so
/// <c>b</c> must be created first. Pure data; deterministic results (ordinal order) so plans and
/// hashes never depend on file-system enumeration order.
/// </summary>
public sealed class DependencyGraph
{
    private readonly SortedDictionary<ObjectId, SortedSet<ObjectId>> _dependsOn = new(ObjectId.Ordinal);

    public void AddNode(ObjectId node)
    {
        if (!_dependsOn.ContainsKey(node))
        {
            _dependsOn[node] = new SortedSet<ObjectId>(ObjectId.Ordinal);
        }
    }

    /// <summary>Records that <paramref name="dependent"/> reads <paramref name="dependency"/>. Both become nodes.</summary>
    public void AddEdge(ObjectId dependent, ObjectId dependency)
    {
        AddNode(dependent);
        AddNode(dependency);
        _dependsOn[dependent].Add(dependency);
    }

    public IReadOnlyCollection<ObjectId> Nodes => _dependsOn.Keys;

    public IReadOnlyCollection<ObjectId> DependenciesOf(ObjectId node) =>
        _dependsOn.TryGetValue(node, out var set) ? set : Array.Empty<ObjectId>();

    /// <summary>
    /// Every object that reads <paramref name="nodes"/>, directly or through others.
    /// </summary>
    public IReadOnlySet<ObjectId> TransitiveDependentsOf(IEnumerable<ObjectId> nodes)
    {
        var dependents = BuildReverse();
        var result = new SortedSet<ObjectId>(ObjectId.Ordinal);
        var queue = new Queue<ObjectId>(nodes);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            if (!dependents.TryGetValue(current, out var readers))
            {
                continue;
            }

            foreach (var reader in readers)
            {
                if (result.Add(reader))
                {
                    queue.Enqueue(reader);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Dependencies before dependents; among objects that are ready at the same time, ordinal name
    /// order. Nodes on a cycle are left out (report them with <see cref="FindCycles"/>).
    /// </summary>
    public IReadOnlyList<ObjectId> TopologicalOrder()
    {
        var dependents = BuildReverse();
        var remaining = _dependsOn.ToDictionary(p => p.Key, p => p.Value.Count);
        var ready = new SortedSet<ObjectId>(remaining.Where(p => p.Value == 0).Select(p => p.Key), ObjectId.Ordinal);
        var order = new List<ObjectId>(_dependsOn.Count);
        while (ready.Count > 0)
        {
            var next = ready.Min!;
            ready.Remove(next);
            order.Add(next);
            if (!dependents.TryGetValue(next, out var readers))
            {
                continue;
            }

            foreach (var reader in readers)
            {
                if (--remaining[reader] == 0)
                {
                    ready.Add(reader);
                }
            }
        }

        return order;
    }

    /// <summary>
    /// Every dependency cycle, each as the list of its members in dependency order starting from its
    /// ordinally smallest member (a self-reference is a cycle of one). Uses Tarjan's strongly connected
    /// components, iteratively so deep chains cannot overflow the stack.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<ObjectId>> FindCycles()
    {
        var index = new Dictionary<ObjectId, int>();
        var low = new Dictionary<ObjectId, int>();
        var onStack = new HashSet<ObjectId>();
        var stack = new Stack<ObjectId>();
        var cycles = new List<IReadOnlyList<ObjectId>>();
        var counter = 0;

        foreach (var root in _dependsOn.Keys)
        {
            if (index.ContainsKey(root))
            {
                continue;
            }

            var work = new Stack<(ObjectId Node, IEnumerator<ObjectId> Edges)>();
            Visit(root);
            while (work.Count > 0)
            {
                var (node, edges) = work.Peek();
                if (edges.MoveNext())
                {
                    var next = edges.Current;
                    if (!index.ContainsKey(next))
                    {
                        Visit(next);
                    }
                    else if (onStack.Contains(next))
                    {
                        low[node] = Math.Min(low[node], index[next]);
                    }

                    continue;
                }

                work.Pop();
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }

                if (low[node] != index[node])
                {
                    continue;
                }

                var component = new List<ObjectId>();
                ObjectId member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (!member.Equals(node));

                if (component.Count > 1 || DependenciesOf(node).Contains(node))
                {
                    cycles.Add(OrderCycle(component));
                }
            }

            void Visit(ObjectId node)
            {
                index[node] = low[node] = counter++;
                stack.Push(node);
                onStack.Add(node);
                work.Push((node, DependenciesOf(node).GetEnumerator()));
            }
        }

        return cycles.OrderBy(c => c[0], ObjectId.Ordinal).ToList();
    }

    // The shortest path from the smallest member back to itself (breadth-first inside the component),
    // so the message reads a → b → c → a even when the component holds more than one loop.
    private IReadOnlyList<ObjectId> OrderCycle(List<ObjectId> component)
    {
        var members = component.ToHashSet();
        var start = component.Min(ObjectId.Ordinal)!;
        var parent = new Dictionary<ObjectId, ObjectId>();
        var queue = new Queue<ObjectId>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var next in DependenciesOf(current))
            {
                if (!members.Contains(next))
                {
                    continue;
                }

                if (next.Equals(start))
                {
                    var path = new List<ObjectId>();
                    for (var node = current; !node.Equals(start); node = parent[node])
                    {
                        path.Add(node);
                    }

                    path.Add(start);
                    path.Reverse();
                    return path;
                }

                if (parent.TryAdd(next, current))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return component.OrderBy(c => c, ObjectId.Ordinal).ToList();
    }

    private Dictionary<ObjectId, List<ObjectId>> BuildReverse()
    {
        var reverse = new Dictionary<ObjectId, List<ObjectId>>();
        foreach (var (node, dependencies) in _dependsOn)
        {
            foreach (var dependency in dependencies)
            {
                if (!reverse.TryGetValue(dependency, out var list))
                {
                    reverse[dependency] = list = new List<ObjectId>();
                }

                list.Add(node);
            }
        }

        return reverse;
    }
}
