using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Compile;

/// <summary>
/// Turns parsed files into objects and definitions, checking that each file holds what its folder
/// allows: one primary statement named like the file, companion statements about that object, and no
/// object defined twice.
/// </summary>
internal static class ObjectCollector
{
    public static (List<CompiledObject> Objects, List<CompiledDefinition> Definitions) Collect(
        IReadOnlyList<SourceFile> sources, List<Diagnostic> diagnostics)
    {
        var objects = new List<CompiledObject>();
        var definitions = new List<CompiledDefinition>();
        var byId = new Dictionary<ObjectId, CompiledObject>();
        foreach (var source in sources)
        {
            var statements = AllowedStatements(source, diagnostics);
            if (source.File.Kind != ProjectFileKind.Object)
            {
                CheckDefinitionPrimary(source, statements, diagnostics);
                definitions.Add(new CompiledDefinition(source.File.Kind, source.File.Name, source, statements));
                continue;
            }

            var compiled = CollectObject(source, statements, diagnostics);
            if (compiled is null)
            {
                continue;
            }

            if (byId.TryGetValue(compiled.Id, out var first))
            {
                diagnostics.Add(new Diagnostic(ErrorIds.DuplicateObject.Id,
                    $"{compiled.Id} is defined twice: in {first.Source} and in {source}",
                    source.Locate(compiled.Statement.Name!.Span), compiled.Id.ToString(),
                    new Advice("Keep one definition per object; each object lives in models/<database>/<schema>/<name>.sql.")));
                continue;
            }

            byId[compiled.Id] = compiled;
            objects.Add(compiled);
        }

        return (objects, definitions);
    }

    private static List<SqlStatement> AllowedStatements(SourceFile source, List<Diagnostic> diagnostics)
    {
        var allowed = new List<SqlStatement>();
        foreach (var statement in source.Script.Statements)
        {
            if (StatementPlacement.IsAllowed(source.File.Kind, statement.Kind))
            {
                allowed.Add(statement);
                continue;
            }

            diagnostics.Add(new Diagnostic(ErrorIds.StatementNotAllowed.Id,
                $"{Describe(statement)} is not allowed in {source.File.RelativePath}: {StatementPlacement.Describe(source.File.Kind)}",
                source.Locate(statement.Span), source.File.QualifiedName,
                new Advice("Move the statement to the file that defines what it creates.")));
        }

        return allowed;
    }

    private static CompiledObject? CollectObject(SourceFile source, List<SqlStatement> statements, List<Diagnostic> diagnostics)
    {
        var file = source.File;
        var primaries = statements.Where(s => StatementPlacement.IsPrimary(file.Kind, s.Kind)).ToList();
        if (primaries.Count == 0)
        {
            // A file whose statements failed to parse was already reported; don't pile on.
            if (source.Script.Errors.Count == 0)
            {
                diagnostics.Add(new Diagnostic(ErrorIds.MissingPrimaryStatement.Id,
                    $"{file.RelativePath} does not define {file.QualifiedName}: {StatementPlacement.Describe(file.Kind)}",
                    new SourceLocation(file.RelativePath, 1, 1), file.QualifiedName,
                    new Advice($"Add the CREATE statement for {file.Name}, or delete the file.")));
            }

            return null;
        }

        foreach (var extra in primaries.Skip(1))
        {
            diagnostics.Add(new Diagnostic(ErrorIds.MultiplePrimaryStatements.Id,
                $"{file.RelativePath} already defines {primaries[0].Name}; {Describe(extra)} needs a file of its own",
                source.Locate(extra.Span), file.QualifiedName,
                new Advice("Put each object in its own file named after it.")));
        }

        var primary = primaries[0];
        var id = NameResolver.Qualify(primary.Name!, file.Database!, file.Schema!);
        var expected = new ObjectId(file.Database!, file.Schema!, file.Name);
        if (!id.Equals(expected))
        {
            diagnostics.Add(new Diagnostic(ErrorIds.ObjectNameMismatch.Id,
                $"{file.RelativePath} must define {expected} but defines {id}",
                source.Locate(primary.Name!.Span), id.ToString(),
                new Advice($"Rename the object to {SqlIdentifier.QuoteIfNeeded(file.Name)} or rename the file after the object.")));
        }

        var compiled = new CompiledObject(id, ObjectKinds.FromStatement(primary.Kind)!.Value, source, primary);
        if (statements.Count > 1)
        {
            // Most objects have no other statements; they keep the shared empty lists.
            var others = statements.Where(s => !ReferenceEquals(s, primary) && !StatementPlacement.IsPrimary(file.Kind, s.Kind)).ToList();
            compiled.Indexes = others.Where(s => s.Kind == StatementKind.CreateIndex).ToList();
            compiled.UnitTests = others.Where(s => s.Kind == StatementKind.ExecuteUnitTest).ToList();
            compiled.Companions = others.Where(s => s.Kind is not (StatementKind.CreateIndex or StatementKind.ExecuteUnitTest)).ToList();
        }

        return compiled;
    }

    private static void CheckDefinitionPrimary(SourceFile source, List<SqlStatement> statements, List<Diagnostic> diagnostics)
    {
        var file = source.File;
        if (!StatementPlacement.RequiresPrimary(file.Kind))
        {
            return;
        }

        var primaries = statements.Where(s => StatementPlacement.IsPrimary(file.Kind, s.Kind)).ToList();
        if (primaries.Count == 0 && source.Script.Errors.Count == 0)
        {
            diagnostics.Add(new Diagnostic(ErrorIds.MissingPrimaryStatement.Id,
                $"{file.RelativePath} does not define {file.Name}: {StatementPlacement.Describe(file.Kind)}",
                new SourceLocation(file.RelativePath, 1, 1), file.Name));
        }

        foreach (var extra in primaries.Skip(1))
        {
            diagnostics.Add(new Diagnostic(ErrorIds.MultiplePrimaryStatements.Id,
                $"{file.RelativePath} already defines {file.Name}; {Describe(extra)} needs a file of its own",
                source.Locate(extra.Span), file.Name));
        }

        if (primaries.Count > 0 && primaries[0].Name is { } name && (name.Parts.Count != 1 || name.Item.Value != file.Name))
        {
            diagnostics.Add(new Diagnostic(ErrorIds.ObjectNameMismatch.Id,
                $"{file.RelativePath} must define {file.Name} but defines {name}",
                source.Locate(name.Span), name.ToString(),
                new Advice("Name the file after what it creates.")));
        }
    }

    private static string Describe(SqlStatement statement) =>
        statement.Name is null ? KindWords(statement.Kind) : $"{KindWords(statement.Kind)} {statement.Name}";

    // "CreateMaterializedView" → "CREATE MATERIALIZED VIEW"
    private static string KindWords(StatementKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? " " + c : c.ToString())).ToUpperInvariant();
}
