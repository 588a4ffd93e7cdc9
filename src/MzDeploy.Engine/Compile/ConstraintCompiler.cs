using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Compile;

/// <summary>
/// Checks every constraint statement of every object file and compiles it: an enforced constraint becomes a
/// companion materialized view (a project object of its own, in the constrained object's schema, staged, swapped
/// and hashed like any other); a <c>NOT ENFORCED</c> one is kept as metadata on its object. Nothing is accepted
/// and then dropped: a constraint either compiles or is reported at its position.
/// </summary>
/// <remarks>
/// Rules (mz-deploy's): constraints go on materialized views (enforced or not) and views (not enforced only),
/// never on tables or other storage objects; enforced needs <c>IN CLUSTER</c>, not enforced must not have it; a
/// foreign key references a table, table from source or materialized view (either mode) or a view (not enforced
/// only). Columns are checked where the compiler knows them (<see cref="ObjectColumns"/>); a constrained column
/// it cannot see (<c>SELECT *</c> over an external object, an expression without an alias) is an error, since the
/// fix is in the same file; a referenced column of an object whose columns are unknown (external, table from
/// source) is left to the database, which checks it when the companion is created at stage.
/// </remarks>
internal static class ConstraintCompiler
{
    /// <summary>Checks and compiles the constraints of <paramref name="objects"/>; returns the companion materialized views.</summary>
    public static List<CompiledObject> Compile(IReadOnlyList<CompiledObject> objects, IEnumerable<ExternalDependency> dependencies,
        List<Diagnostic> diagnostics)
    {
        var companions = new List<CompiledObject>();
        if (!objects.Any(o => o.Companions.Any(s => s.Kind == StatementKind.CreateConstraint)))
        {
            return companions; // most projects declare none: no need to index every object
        }

        var resolver = new NameResolver(objects.Select(o => o.Id).ToHashSet(), dependencies);
        var byId = new Dictionary<ObjectId, CompiledObject>();
        foreach (var o in objects)
        {
            byId.TryAdd(o.Id, o);
        }

        var columns = new ObjectColumns(byId, resolver);
        var companionIds = new Dictionary<ObjectId, CompiledConstraint>();
        foreach (var compiled in objects)
        {
            var constraints = new List<CompiledConstraint>();
            foreach (var statement in compiled.Companions.OfType<CreateConstraintStatement>())
            {
                if (Check(compiled, statement, resolver, columns, diagnostics) is not { } constraint)
                {
                    continue;
                }

                constraints.Add(constraint);
                if (!constraint.Enforced)
                {
                    continue;
                }

                if (byId.ContainsKey(constraint.Name) || companionIds.ContainsKey(constraint.Name))
                {
                    var other = byId.TryGetValue(constraint.Name, out var o) ? $"{o.Kind.Describe()} {o.Id} ({o.Location})" : "another constraint";
                    diagnostics.Add(new Diagnostic(ErrorIds.DuplicateObject.Id,
                        $"the constraint {constraint.Name} needs a materialized view of that name, but {other} already has it",
                        constraint.Location, constraint.Name.ToString(),
                        new Advice("Give the constraint a name of its own: CREATE PRIMARY KEY <name> IN CLUSTER … ON ….")));
                    continue;
                }

                companionIds[constraint.Name] = constraint;
                companions.Add(Companion(compiled, constraint));
            }

            if (constraints.Count > 0)
            {
                compiled.Constraints = constraints;
            }
        }

        return companions;
    }

    private static CompiledObject Companion(CompiledObject on, CompiledConstraint constraint)
    {
        var text = ConstraintQuery.CreateSql(constraint);
        var script = SqlParser.Parse(text);
        if (!script.Succeeded || script.Statements.Count != 1)
        {
            // The text is ours; a failure here is a bug in ConstraintQuery, not in the project.
            throw new InvalidOperationException($"the companion of {constraint} does not parse: {text}");
        }

        var source = new SourceFile(on.Source.File, text, script);
        return new CompiledObject(constraint.Name, ObjectKind.MaterializedView, source, script.Statements[0])
        {
            Constraint = constraint,
            DeclaredAt = constraint.Location,
        };
    }

    private static CompiledConstraint? Check(CompiledObject compiled, CreateConstraintStatement statement, NameResolver resolver,
        ObjectColumns columns, List<Diagnostic> diagnostics)
    {
        var source = compiled.Source;
        var file = source.File;
        var where = source.Locate(statement.Span);
        var words = KindWords(statement.ConstraintKind);
        var errors = diagnostics.Count;

        var on = NameResolver.Qualify(statement.Target!, file.Database!, file.Schema!);
        if (!on.Equals(compiled.Id))
        {
            diagnostics.Add(new Diagnostic(ErrorIds.ConstraintReferenceMismatch.Id,
                $"the {words} in {file.RelativePath} is ON {on}, but a constraint belongs in the file of the object it constrains ({compiled.Id})",
                source.Locate(statement.Target!.Span), on.ToString(),
                new Advice($"Write ON {SqlIdentifier.QuoteIfNeeded(compiled.Id.Name)}, or move the statement into the file that defines {on}.")));
            return null;
        }

        if (compiled.Kind is not (ObjectKind.View or ObjectKind.MaterializedView))
        {
            diagnostics.Add(new Diagnostic(ErrorIds.ConstraintNotAllowed.Id,
                $"a {words} constraint is not allowed on {compiled.Kind.Describe()} {compiled.Id}: only materialized views and views take constraints",
                where, compiled.Id.ToString(),
                new Advice($"Put the constraint on a materialized view over {compiled.Id.Name}.")));
            return null;
        }

        if (statement.Enforced && compiled.Kind == ObjectKind.View)
        {
            diagnostics.Add(new Diagnostic(ErrorIds.EnforcedConstraintNotAllowed.Id,
                $"an enforced {words} constraint is not allowed on view {compiled.Id}: a view holds no data to check",
                where, compiled.Id.ToString(),
                new Advice("Write NOT ENFORCED (metadata only), or make the view a materialized view.")));
        }
        else if (statement.Enforced && statement.InCluster is null)
        {
            diagnostics.Add(new Diagnostic(ErrorIds.ConstraintMissingCluster.Id,
                $"the enforced {words} constraint on {compiled.Id} is missing its required IN CLUSTER: it runs as a materialized view",
                where, compiled.Id.ToString(),
                new Advice($"Add IN CLUSTER <cluster> before ON, e.g. IN CLUSTER {SqlIdentifier.QuoteIfNeeded(compiled.Cluster ?? "<cluster>")}, or write NOT ENFORCED.")));
        }
        else if (!statement.Enforced && statement.InCluster is { } cluster)
        {
            diagnostics.Add(new Diagnostic(ErrorIds.ConstraintClusterNotAllowed.Id,
                $"the NOT ENFORCED {words} constraint on {compiled.Id} must not specify IN CLUSTER: nothing runs for it",
                source.Locate(cluster.Span), compiled.Id.ToString(),
                new Advice("Remove IN CLUSTER, or drop NOT ENFORCED to have the constraint checked by a materialized view.")));
        }

        CheckColumns(compiled, statement.Columns, columns.Of(compiled.Id), compiled.Id, referenced: false, diagnostics);

        ObjectId? references = null;
        if (statement.ConstraintKind == ConstraintKind.ForeignKey)
        {
            references = CheckReferenced(compiled, statement, resolver, columns, diagnostics);
        }

        // An unresolved REFERENCES object is reported by the reference binder; either way nothing compiles.
        if (diagnostics.Count > errors || (statement.ConstraintKind == ConstraintKind.ForeignKey && references is null))
        {
            return null;
        }

        var keys = statement.Columns.Select(c => c.Value).ToList();
        var name = statement.Name?.Item.Value ?? DefaultName(compiled.Id.Name, keys, statement.ConstraintKind);
        return new CompiledConstraint(statement.ConstraintKind, statement.Enforced, new ObjectId(on.Database, on.Schema, name), on, keys,
            statement.InCluster?.Value, references, statement.ReferencedColumns.Select(c => c.Value).ToList(), where);
    }

    private static ObjectId? CheckReferenced(CompiledObject compiled, CreateConstraintStatement statement, NameResolver resolver,
        ObjectColumns columns, List<Diagnostic> diagnostics)
    {
        var source = compiled.Source;
        var file = source.File;
        var name = statement.ReferencedObject!;
        var resolution = resolver.Resolve(name, file.Database!, file.Schema!);
        var where = source.Locate(name.Span);
        if (statement.ReferencedColumns.Count != statement.Columns.Count)
        {
            diagnostics.Add(new Diagnostic(ErrorIds.ConstraintColumnCountMismatch.Id,
                $"the FOREIGN KEY on {compiled.Id} has {statement.Columns.Count} column(s) but references {statement.ReferencedColumns.Count}",
                where, compiled.Id.ToString(), new Advice("List as many referenced columns as constrained ones, in matching order.")));
        }

        switch (resolution.Kind)
        {
            case ResolutionKind.Unresolved:
                return null; // the reference binder reports the unknown name
            case ResolutionKind.SystemObject:
                diagnostics.Add(InvalidTarget(compiled, where, $"system object {resolution.Id}"));
                return null;
            case ResolutionKind.ExternalDependency:
                return resolution.Id; // its kind and columns are not known here; the database checks them at stage
        }

        var target = columns.TargetKind(resolution.Id);
        var allowed = target is ObjectKind.Table or ObjectKind.TableFromSource or ObjectKind.MaterializedView
            || (target is ObjectKind.View && !statement.Enforced);
        if (!allowed)
        {
            diagnostics.Add(InvalidTarget(compiled, where,
                $"{target!.Value.Describe()} {resolution.Id}{(target == ObjectKind.View ? " while enforced" : string.Empty)}"));
            return null;
        }

        CheckColumns(compiled, statement.ReferencedColumns, columns.Of(resolution.Id), resolution.Id, referenced: true, diagnostics);
        return resolution.Id;
    }

    private static Diagnostic InvalidTarget(CompiledObject compiled, SourceLocation where, string what) =>
        new(ErrorIds.ConstraintInvalidTarget.Id,
            $"the FOREIGN KEY on {compiled.Id} references {what}, an invalid target type: a foreign key references a table, " +
            "table from source or materialized view, or (NOT ENFORCED only) a view",
            where, compiled.Id.ToString(),
            new Advice("Reference a table or materialized view, or write NOT ENFORCED to reference a view."));

    private static void CheckColumns(CompiledObject compiled, IReadOnlyList<Identifier> wanted, ColumnSet known, ObjectId of,
        bool referenced, List<Diagnostic> diagnostics)
    {
        foreach (var column in wanted)
        {
            if (known.Contains(column.Value))
            {
                continue;
            }

            var where = compiled.Source.Locate(column.Span);
            if (known.IsComplete)
            {
                diagnostics.Add(new Diagnostic(
                    referenced ? ErrorIds.ConstraintReferencedColumnNotFound.Id : ErrorIds.ConstraintColumnNotFound.Id,
                    $"{(referenced ? "referenced column" : "column")} {column} not found in {of} (its columns: {string.Join(", ", known.Names.Select(SqlIdentifier.QuoteIfNeeded))})",
                    where, of.ToString(), new Advice("Name a column the object has; names are case-sensitive when quoted.")));
            }
            else if (!referenced)
            {
                diagnostics.Add(new Diagnostic(ErrorIds.ConstraintColumnUnknown.Id,
                    $"cannot check column {column} of {of}: not all of its column names are known ({known.Unknown})",
                    where, of.ToString(),
                    new Advice($"Name every column of {of.Name}'s select list (… AS {column}), or list them: CREATE MATERIALIZED VIEW {SqlIdentifier.QuoteIfNeeded(of.Name)} ({column}, …) AS ….")));
            }
        }
    }

    /// <summary>mz-deploy's default: <c>&lt;object&gt;_&lt;col1&gt;_&lt;col2&gt;_&lt;pk|unique|fk&gt;</c>.</summary>
    public static string DefaultName(string on, IEnumerable<string> columns, ConstraintKind kind) =>
        string.Join('_', columns.Prepend(on).Append(kind switch
        {
            ConstraintKind.PrimaryKey => "pk",
            ConstraintKind.Unique => "unique",
            _ => "fk",
        }));

    private static string KindWords(ConstraintKind kind) => kind switch
    {
        ConstraintKind.PrimaryKey => "PRIMARY KEY",
        ConstraintKind.Unique => "UNIQUE",
        _ => "FOREIGN KEY",
    };
}
