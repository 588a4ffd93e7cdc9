using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Compile;

/// <summary>
/// Resolves every object reference of every object's statements, records what each resolved to, and
/// builds the dependency graph. Also checks the statements that must be about the file's own object:
/// indexes (never on a table or source) and unit tests.
/// </summary>
internal static class ReferenceBinder
{
    public static DependencyGraph Bind(IReadOnlyList<CompiledObject> objects, NameResolver resolver, List<Diagnostic> diagnostics)
    {
        var graph = new DependencyGraph();
        foreach (var compiled in objects)
        {
            graph.AddNode(compiled.Id);
        }

        foreach (var compiled in objects)
        {
            var resolved = new Dictionary<TextSpan, ObjectId>();
            var dependsOn = new List<ObjectId>();

            // What the object reads: its query, its sink's FROM, its source's connection. Constraints read nothing
            // for their object: an enforced one's companion materialized view is an object of its own that reads them.
            foreach (var reference in compiled.Statement.References)
            {
                if (!NameResolver.NamesSchemaObject(reference.Kind))
                {
                    continue;
                }

                var resolution = ResolveOrReport(compiled, reference, resolver, resolved, diagnostics);
                if (resolution is { Kind: ResolutionKind.ProjectObject or ResolutionKind.ExternalDependency } r)
                {
                    dependsOn.Add(r.Id);
                    if (r.Kind == ResolutionKind.ProjectObject)
                    {
                        graph.AddEdge(compiled.Id, r.Id);
                    }
                }
            }

            // Statements about the object: checked and resolved, but they add no dependencies. A constraint's ON
            // target is checked by ConstraintCompiler (it must be this object); its REFERENCES object resolves here.
            foreach (var statement in compiled.Companions)
            {
                foreach (var reference in ObjectReferences(statement))
                {
                    if (statement.Kind == StatementKind.CreateConstraint && reference.Span == statement.Target?.Span)
                    {
                        continue;
                    }

                    ResolveOrReport(compiled, reference, resolver, resolved, diagnostics);
                }
            }

            foreach (var index in compiled.Indexes)
            {
                CheckIndex(compiled, index, resolver, resolved, diagnostics);
            }

            foreach (var test in compiled.UnitTests)
            {
                CheckUnitTest(compiled, test, diagnostics);
            }

            compiled.ResolvedReferences = resolved;
            compiled.DependsOn = SortedDistinct(dependsOn);
        }

        return graph;
    }

    /// <summary>The ids in ordinal order without repeats (what a sorted set would hold).</summary>
    private static List<ObjectId> SortedDistinct(List<ObjectId> ids)
    {
        if (ids.Count < 2)
        {
            return ids;
        }

        ids.Sort(ObjectId.Ordinal);
        var distinct = new List<ObjectId>(ids.Count) { ids[0] };
        for (var i = 1; i < ids.Count; i++)
        {
            if (ObjectId.Ordinal.Compare(ids[i], distinct[^1]) != 0)
            {
                distinct.Add(ids[i]);
            }
        }

        return distinct;
    }

    private static IEnumerable<Reference> ObjectReferences(SqlStatement statement) =>
        statement.References.Where(r => NameResolver.NamesSchemaObject(r.Kind));

    private static Resolution? ResolveOrReport(CompiledObject compiled, Reference reference, NameResolver resolver,
        Dictionary<TextSpan, ObjectId> resolved, List<Diagnostic> diagnostics)
    {
        var file = compiled.Source.File;
        var resolution = resolver.Resolve(reference.Name, file.Database!, file.Schema!);
        if (resolution.Kind == ResolutionKind.Unresolved)
        {
            diagnostics.Add(new Diagnostic(ErrorIds.UnresolvedReference.Id,
                $"{reference.Name} (read as {resolution.Id}) is neither defined in this project nor declared in project.toml dependencies",
                compiled.Source.Locate(reference.Span), resolution.Id.ToString(),
                new DeclareDependency(resolution.Id.ToString(), $"models/{resolution.Id.Database}/{resolution.Id.Schema}/{resolution.Id.Name}.sql")));
            return null;
        }

        resolved[reference.Span] = resolution.Id;
        return resolution;
    }

    private static void CheckIndex(CompiledObject compiled, SqlStatement index, NameResolver resolver,
        Dictionary<TextSpan, ObjectId> resolved, List<Diagnostic> diagnostics)
    {
        if (index.Target is not { } target)
        {
            return;
        }

        var file = compiled.Source.File;
        var id = NameResolver.Qualify(target, file.Database!, file.Schema!);
        var where = compiled.Source.Locate(index.Span);
        if (!id.Equals(compiled.Id))
        {
            diagnostics.Add(new Diagnostic(ErrorIds.IndexOnOtherObject.Id,
                $"the index in {file.RelativePath} is on {id}, but an index belongs in the file of the object it indexes ({compiled.Id})",
                where, id.ToString(), new Advice($"Move the CREATE INDEX into the file that defines {id}.")));
            return;
        }

        resolved[target.Span] = id;
        if (compiled.Kind.RejectsIndexes())
        {
            diagnostics.Add(new Diagnostic(ErrorIds.IndexOnStorageObject.Id,
                $"an index is not supported on {compiled.Kind.Describe()} {compiled.Id}",
                where, compiled.Id.ToString(),
                new Advice($"Create a view over {compiled.Id.Name} in a compute schema and index the view instead.")));
        }
    }

    private static void CheckUnitTest(CompiledObject compiled, SqlStatement test, List<Diagnostic> diagnostics)
    {
        var where = compiled.Source.Locate(test.Span);
        if (compiled.Kind is not (ObjectKind.View or ObjectKind.MaterializedView))
        {
            diagnostics.Add(new Diagnostic(ErrorIds.InvalidUnitTest.Id,
                $"unit tests can only test views and materialized views, not {compiled.Kind.Describe()} {compiled.Id}",
                where, compiled.Id.ToString()));
            return;
        }

        if (test.Target is not { } target || target.Parts.Count != 3 ||
            !NameResolver.Qualify(target, string.Empty, string.Empty).Equals(compiled.Id))
        {
            diagnostics.Add(new Diagnostic(ErrorIds.InvalidUnitTest.Id,
                $"a unit test in {compiled.Source} must name its target fully qualified: FOR {compiled.Id}",
                where, compiled.Id.ToString(),
                new Advice($"Write FOR {SqlIdentifier.QuoteQualified(compiled.Id.Database, compiled.Id.Schema, compiled.Id.Name)}.")));
        }
    }
}
