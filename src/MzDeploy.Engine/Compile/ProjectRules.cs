using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Compile;

/// <summary>Checks that need the whole project: dependency cycles and schemas mixing storage with compute.</summary>
internal static class ProjectRules
{
    public static void CheckCycles(DependencyGraph graph, IReadOnlyDictionary<ObjectId, CompiledObject> objects,
        List<Diagnostic> diagnostics)
    {
        foreach (var cycle in graph.FindCycles())
        {
            var first = objects[cycle[0]];
            var path = string.Join(" → ", cycle.Append(cycle[0]));
            diagnostics.Add(new Diagnostic(ErrorIds.DependencyCycle.Id,
                $"dependency cycle: {path}",
                first.Location, cycle[0].ToString(),
                new Advice("Objects cannot read each other in a loop; break the cycle by removing one of these references.")));
        }
    }

    public static void CheckMixedSchemas(IReadOnlyList<CompiledObject> objects, List<Diagnostic> diagnostics)
    {
        foreach (var schema in objects.GroupBy(o => (o.Id.Database, o.Id.Schema)).OrderBy(g => g.Key))
        {
            var storage = schema.Where(o => o.Kind.IsStorage()).OrderBy(o => o.Id, ObjectId.Ordinal).ToList();
            var compute = schema.Where(o => !o.Kind.IsStorage()).OrderBy(o => o.Id, ObjectId.Ordinal).ToList();
            if (storage.Count == 0 || compute.Count == 0)
            {
                continue;
            }

            var key = $"{schema.Key.Database}.{schema.Key.Schema}";
            diagnostics.Add(new Diagnostic(ErrorIds.MixedSchema.Id,
                $"schema {key} mixes storage objects ({Sample(storage)}) with views or materialized views ({Sample(compute)})",
                compute[0].Location, key,
                new Advice("Schemas are swapped whole at promote, which must never move a table, source, sink, secret or connection: " +
                "put them in a schema of their own.")));
        }
    }

    private static string Sample(List<CompiledObject> objects) =>
        string.Join(", ", objects.Take(3).Select(o => $"{o.Kind.Describe()} {o.Id.Name}")) + (objects.Count > 3 ? ", …" : string.Empty);
}
