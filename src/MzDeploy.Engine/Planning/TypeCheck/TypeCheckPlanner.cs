using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.Sql;
using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Engine.Planning.TypeCheck;

/// <summary>
/// Plans a type check (mz-deploy's typechecked <c>compile</c>). Views and materialized views are created as plain views
/// (the planner judges the query; a cluster, options and storage add nothing to its types) and tables as written, every
/// name moved into the scratch databases; external dependencies come from types.lock, and so do tables fed by sources
/// (created as empty tables with their locked columns). What the sandbox cannot create (sources, tables fed by them that
/// types.lock lacks, and whatever reads those) is skipped with a reason, never reported as an error. Pure.
/// </summary>
internal static class TypeCheckPlanner
{
    /// <param name="project">A compiled project without errors.</param>
    /// <param name="lockFile">types.lock, or null when the project has none.</param>
    /// <param name="suffix">The scratch suffix (<c>_tc_&lt;random&gt;</c>), appended to every database name.</param>
    public static TypeCheckPlan Plan(CompiledProject project, TypeLockFile? lockFile, string suffix)
    {
        ArgumentNullException.ThrowIfNull(project);
        project.EnsureSucceeded();
        ObjectId Scratch(ObjectId id) => id with { Database = id.Database + suffix };

        var projectIds = project.Objects.Select(o => o.Id).ToHashSet();
        // A dependency the project defines itself (a table fed by a source listed in both places) is the project's object:
        // created once, from its own statement or its lock entry, not a second time as an external table.
        var dependencies = project.Config.Dependencies.Where(d => d.Database is not null)
            .Select(d => (Id: new ObjectId(d.Database!, d.Schema, d.Name), Dependency: d))
            .Where(d => !projectIds.Contains(d.Id))
            .DistinctBy(d => d.Id)
            .ToDictionary(d => d.Id, d => d.Dependency);
        var databases = project.Objects.Select(o => o.Id.Database).Concat(dependencies.Keys.Select(k => k.Database))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var schemas = project.Objects.Select(o => new SchemaId(o.Id.Database, o.Id.Schema))
            .Concat(dependencies.Keys.Select(k => new SchemaId(k.Database, k.Schema)))
            .Distinct().OrderBy(s => s.ToString(), StringComparer.Ordinal).ToList();

        var setup = new List<PlannedStatement>();
        foreach (var database in databases)
        {
            setup.Add(new PlannedStatement(PlannedStatementKind.CreateDatabase, database + suffix,
                $"CREATE DATABASE {SqlIdentifier.QuoteIfNeeded(database + suffix)}"));
        }

        foreach (var schema in schemas)
        {
            var scratch = new SchemaId(schema.Database + suffix, schema.Schema);
            setup.Add(new PlannedStatement(PlannedStatementKind.CreateSchema, scratch.ToString(), $"CREATE SCHEMA IF NOT EXISTS {scratch.ToSql()}"));
        }

        var diagnostics = new List<Diagnostic>();
        var unlocked = new HashSet<ObjectId>();
        foreach (var (id, dependency) in dependencies.OrderBy(d => d.Key, ObjectId.Ordinal))
        {
            if (lockFile?.ColumnsOf(dependency.QualifiedName) is { Count: > 0 } columns)
            {
                setup.Add(new PlannedStatement(PlannedStatementKind.CreateObject, Scratch(id).ToString(), DependencyTable(Scratch(id), columns)));
            }
            else
            {
                unlocked.Add(id);
            }
        }

        var steps = new List<TypeCheckStep>();
        var skipped = new List<(CompiledObject, string)>();
        var unavailable = new Dictionary<ObjectId, string>();
        foreach (var o in project.Objects)
        {
            if (o.Constraint is not null)
            {
                continue; // a constraint's companion view reads its object; its own query is MzDeploy's, not the user's
            }

            if (o.Kind == ObjectKind.TableFromSource)
            {
                // Its columns come from upstream, which a sandbox cannot reach; types.lock holds them once it is locked.
                if (lockFile?.ColumnsOf(o.Id.ToString()) is { Count: > 0 } locked)
                {
                    steps.Add(LockedTableStep(o, Scratch(o.Id), locked));
                }
                else
                {
                    unavailable[o.Id] = "a table fed by a source cannot be created in a sandbox unless types.lock holds its columns";
                }

                continue;
            }

            if (o.DependsOn.FirstOrDefault(unlocked.Contains) is { } notLocked)
            {
                diagnostics.Add(new Diagnostic(ErrorIds.DependencyNotLocked.Id,
                    $"{o.Id} reads {notLocked}, whose columns are not in types.lock", o.Location, o.Id.ToString(),
                    new LockDependencies()));
                unavailable[o.Id] = $"it reads {notLocked}, which types.lock lacks";
                continue;
            }

            if (o.DependsOn.FirstOrDefault(unavailable.ContainsKey) is { } blocked)
            {
                skipped.Add((o, $"it reads {blocked}, which the type check could not create ({unavailable[blocked]})"));
                unavailable[o.Id] = $"it reads {blocked}";
                continue;
            }

            var step = o.Kind switch
            {
                ObjectKind.View or ObjectKind.MaterializedView => ViewStep(o, Scratch(o.Id), id => Reference(id, projectIds, dependencies, Scratch)),
                ObjectKind.Table => TableStep(o, Scratch(o.Id), id => Reference(id, projectIds, dependencies, Scratch)),
                _ => null,
            };
            if (step is null)
            {
                // Sources, tables fed by them, sinks, connections and secrets have no query to judge; only their readers say so.
                unavailable[o.Id] = $"a {o.Kind.Describe()} cannot be created in a sandbox";
                continue;
            }

            steps.Add(step);
        }

        var cleanup = databases
            .Select(d => new PlannedStatement(PlannedStatementKind.DropDatabase, d + suffix,
                $"DROP DATABASE IF EXISTS {SqlIdentifier.QuoteIfNeeded(d + suffix)} CASCADE"))
            .ToList();
        return new TypeCheckPlan(setup, steps, cleanup, diagnostics, skipped)
        {
            ScratchDatabases = databases.Select(d => d + suffix).ToList(),
        };
    }

    /// <summary>The name a reference is written as: project objects and declared dependencies in the scratch databases.</summary>
    private static string? Reference(ObjectId id, IReadOnlySet<ObjectId> projectIds, IReadOnlyDictionary<ObjectId, ExternalDependency> dependencies,
        Func<ObjectId, ObjectId> scratch)
    {
        if (id.Database.Length == 0 || !(projectIds.Contains(id) || dependencies.ContainsKey(id)))
        {
            return null; // a system object (or something the compiler let through) stays as written
        }

        var target = scratch(id);
        return SqlIdentifier.QuoteQualified(target.Database, target.Schema, target.Name);
    }

    // The column types come from the server's catalog through types.lock and are written as they are: a type name is not an
    // identifier to quote (numeric(10,2), timestamp with time zone).
    private static string DependencyTable(ObjectId scratch, IReadOnlyList<LockedColumn> columns) =>
        $"CREATE TABLE {SqlIdentifier.QuoteQualified(scratch.Database, scratch.Schema, scratch.Name)} ("
        + string.Join(", ", columns.Select(c => $"{SqlIdentifier.Quote(c.Name)} {c.Type}{(c.Nullable ? "" : " NOT NULL")}"))
        + ")";

    /// <summary>A table fed by a source, as the empty table types.lock describes (no position in it leads back to the file).</summary>
    private static TypeCheckStep LockedTableStep(CompiledObject o, ObjectId scratch, IReadOnlyList<LockedColumn> columns) =>
        new(o, scratch, DependencyTable(scratch, columns), PositionMap.Identity);

    /// <summary>
    /// <c>CREATE [MATERIALIZED] VIEW name [(columns)] [IN CLUSTER c] [WITH (…)] AS query</c> → <c>CREATE VIEW scratch [(columns)] AS query</c>,
    /// references in the query moved into the scratch databases.
    /// </summary>
    private static TypeCheckStep? ViewStep(CompiledObject o, ObjectId scratch, Func<ObjectId, string?> reference)
    {
        var statement = o.Statement;
        if (statement.Name is not { } name)
        {
            return null;
        }

        var start = statement.Span.Start;
        var edits = new List<(TextSpan Span, string Replacement)>
        {
            (TextSpan.FromBounds(0, name.Span.End - start), "CREATE VIEW " + SqlIdentifier.QuoteQualified(scratch.Database, scratch.Schema, scratch.Name)),
        };

        // Between the name and the top-level AS: keep a column list right after the name, drop the rest (IN CLUSTER, WITH (…)).
        var depth = 0;
        int? dropFrom = null;
        var columnList = true;
        foreach (var token in statement.Tokens)
        {
            if (token.Span.Start < name.Span.End)
            {
                continue;
            }

            if (depth == 0 && token.IsKeyword("as"))
            {
                if (dropFrom is { } from)
                {
                    edits.Add((TextSpan.FromBounds(from - start, token.Span.Start - start), ""));
                }

                break;
            }

            if (depth == 0 && !(columnList && token.IsSymbol("(")))
            {
                columnList = false;
                dropFrom ??= token.Span.Start;
            }

            depth += token.IsSymbol("(") ? 1 : token.IsSymbol(")") ? -1 : 0;
            if (depth == 0 && token.IsSymbol(")"))
            {
                columnList = false;
            }
        }

        AddReferences(o, reference, edits, name.Span.End);
        return Step(o, scratch, edits);
    }

    private static TypeCheckStep TableStep(CompiledObject o, ObjectId scratch, Func<ObjectId, string?> reference)
    {
        var statement = o.Statement;
        var start = statement.Span.Start;
        var edits = new List<(TextSpan Span, string Replacement)>();
        if (statement.Name is { } name)
        {
            edits.Add((new TextSpan(name.Span.Start - start, name.Span.Length),
                SqlIdentifier.QuoteQualified(scratch.Database, scratch.Schema, scratch.Name)));
        }

        AddReferences(o, reference, edits, statement.Name?.Span.End ?? start);
        return Step(o, scratch, edits);
    }

    private static void AddReferences(CompiledObject o, Func<ObjectId, string?> reference, List<(TextSpan Span, string Replacement)> edits, int after)
    {
        var start = o.Statement.Span.Start;
        foreach (var r in o.Statement.References)
        {
            if (r.Span.Start < after || !o.ResolvedReferences.TryGetValue(r.Span, out var id) || reference(id) is not { } text)
            {
                continue;
            }

            edits.Add((new TextSpan(r.Span.Start - start, r.Span.Length), text));
        }
    }

    private static TypeCheckStep Step(CompiledObject o, ObjectId scratch, List<(TextSpan Span, string Replacement)> edits)
    {
        var sql = SqlRewriter.Apply(o.Statement.Text, edits);
        return new TypeCheckStep(o, scratch, sql.TrimEnd().TrimEnd(';'), PositionMap.From(edits));
    }
}
