using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;
using MzDeploy.Engine.TypeLock;

namespace MzDeploy.Engine.Testing;

/// <summary>
/// Plans the unit tests of a compiled project: finds every <c>EXECUTE UNIT TEST</c> the filter selects, checks what can be
/// checked without a server (the target is a view, every dependency is mocked, mocks have the real object's columns when
/// the project knows them, or types.lock does for an external dependency) and lowers each valid test to its statements (<see cref="UnitTestSql"/>). Pure: no I/O.
/// </summary>
internal static class UnitTestPlanner
{
    /// <summary>Every selected test, in project order (objects by dependency order, tests in file order).</summary>
    /// <param name="project">The compiled project (invalid unit tests are its only errors).</param>
    /// <param name="filter">The tests to select, or null for all.</param>
    /// <param name="lockFile">The project's types.lock, or null when it has none: mocks of external dependencies it
    /// holds must have its columns and types.</param>
    public static IReadOnlyList<UnitTestPlan> Plan(CompiledProject project, UnitTestFilter? filter, TypeLockFile? lockFile = null)
    {
        var byId = project.Objects.ToDictionary(o => o.Id);
        var resolver = new NameResolver(byId.Keys.ToHashSet(), project.Config.Dependencies);
        var columns = new ObjectColumns(byId, resolver);
        var locked = Locked(project, lockFile);
        var compileProblems = project.Diagnostics
            .Where(d => d.ErrorId == ErrorIds.InvalidUnitTest.Id && d.Location is not null)
            .ToLookup(d => d.Location!);
        var plans = new List<UnitTestPlan>();
        foreach (var owner in project.Objects)
        {
            foreach (var test in owner.UnitTests.OfType<UnitTestStatement>())
            {
                if (filter is null || filter.Matches(owner.Id, test.TestName.Value))
                {
                    plans.Add(PlanOne(owner, test, columns, byId, locked, compileProblems[owner.Source.Locate(test.Span)]));
                }
            }
        }

        return plans;
    }

    // The locked columns of every external dependency and every table fed by a source that types.lock holds, by the id a
    // mock of it resolves to (a table fed by a source gets its columns from upstream: the lock is where they are known).
    private static Dictionary<ObjectId, IReadOnlyList<LockedColumn>> Locked(CompiledProject project, TypeLockFile? lockFile)
    {
        var locked = new Dictionary<ObjectId, IReadOnlyList<LockedColumn>>();
        foreach (var dependency in project.Config.Dependencies)
        {
            if (lockFile?.ColumnsOf(dependency.QualifiedName) is { Count: > 0 } lockedColumns)
            {
                locked[new ObjectId(dependency.Database ?? string.Empty, dependency.Schema, dependency.Name)] = lockedColumns;
            }
        }

        foreach (var table in project.Objects.Where(o => o.Kind == ObjectKind.TableFromSource))
        {
            if (lockFile?.ColumnsOf(table.Id.ToString()) is { Count: > 0 } lockedColumns)
            {
                locked[table.Id] = lockedColumns;
            }
        }

        return locked;
    }

    private static UnitTestPlan PlanOne(CompiledObject owner, UnitTestStatement test, ObjectColumns columns,
        IReadOnlyDictionary<ObjectId, CompiledObject> objects, IReadOnlyDictionary<ObjectId, IReadOnlyList<LockedColumn>> locked,
        IEnumerable<Diagnostic> compileProblems)
    {
        var source = owner.Source;
        var location = source.Locate(test.Span);
        var name = test.TestName.Value;
        var expected = test.Expected.Columns.Select(c => new UnitTestColumn(c.Name.Value, c.DataType)).ToList();
        var problems = compileProblems.Select(d => new UnitTestProblem(d.Message, location)).ToList();
        if (problems.Count > 0 || owner.Statement is not CreateViewStatement view)
        {
            if (problems.Count == 0)
            {
                problems.Add(new UnitTestProblem(Prefix(name, owner.Id) + $"{owner.Kind.Describe()} {owner.Id} is not a view or materialized view", location));
            }

            return new UnitTestPlan(name, owner.Id, location, expected, source.Locate(test.Expected.Span), test.AtTime, [], problems);
        }

        var mocks = new Dictionary<ObjectId, string>();
        var steps = new List<UnitTestStep>();
        if (test.AtTime is { } atTime)
        {
            steps.Add(new UnitTestStep(UnitTestStepKind.CheckTime, UnitTestSql.CheckTime(atTime)));
        }

        foreach (var mock in test.Mocks)
        {
            var id = NameResolver.Qualify(mock.Name, owner.Id.Database, owner.Id.Schema);
            var declared = mock.Columns.Select(c => new UnitTestColumn(c.Name.Value, c.DataType)).ToList();
            var mismatch = locked.TryGetValue(id, out var lockedColumns)
                ? CheckLockedMock(name, owner.Id, id, declared, lockedColumns)
                : CheckMock(name, owner.Id, id, declared, columns, objects);
            if (mismatch is not null)
            {
                problems.Add(new UnitTestProblem(mismatch, source.Locate(mock.Span)));
            }

            var mockView = MockViewName(id, mocks.Values);
            mocks[id] = mockView;
            steps.Add(new UnitTestStep(UnitTestStepKind.CreateMock, UnitTestSql.Rows(mockView, declared, Rows(test, mock.Query.Span))));
        }

        foreach (var dependency in owner.DependsOn.Where(d => !mocks.ContainsKey(d)))
        {
            problems.Add(new UnitTestProblem(Prefix(name, owner.Id) + $"dependency '{dependency}' is not mocked " +
                $"(add MOCK {SqlIdentifier.QuoteQualified(dependency.Database, dependency.Schema, dependency.Name)}(<column> <type>, …) AS (<rows>))",
                location));
        }

        if (problems.Count > 0)
        {
            return new UnitTestPlan(name, owner.Id, location, expected, source.Locate(test.Expected.Span), test.AtTime, [], problems);
        }

        steps.Add(new UnitTestStep(UnitTestStepKind.CreateTarget,
            UnitTestSql.Target(view.Columns.Select(c => c.Value).ToList(), TargetQuery(owner, view, mocks, test.AtTime))));
        steps.Add(new UnitTestStep(UnitTestStepKind.CreateExpected,
            UnitTestSql.Rows(UnitTestSql.ExpectedView, expected, Rows(test, test.Expected.Query.Span))));
        steps.Add(new UnitTestStep(UnitTestStepKind.DescribeTarget, UnitTestSql.Describe()));
        steps.Add(new UnitTestStep(UnitTestStepKind.Compare, UnitTestSql.Compare(expected)));
        return new UnitTestPlan(name, owner.Id, location, expected, source.Locate(test.Expected.Span), test.AtTime, steps, problems);
    }

    /// <summary>mz-deploy's wording: <c>unit test 't' on 'db.s.v': …</c>.</summary>
    internal static string Prefix(string test, ObjectId target) => $"unit test '{test}' on '{target}': ";

    // The real object's columns, as far as the project knows them: names of a project object whose columns the compiler
    // can tell, and types of a project table's column definitions. External objects are not known here (those types.lock
    // holds are checked by CheckLockedMock): nothing is said.
    private static string? CheckMock(string test, ObjectId target, ObjectId mocked, IReadOnlyList<UnitTestColumn> declared, ObjectColumns columns,
        IReadOnlyDictionary<ObjectId, CompiledObject> tables)
    {
        if (columns.TargetKind(mocked) is null)
        {
            return null;
        }

        var real = columns.Of(mocked);
        if (!real.IsComplete)
        {
            return null;
        }

        var names = declared.Select(c => c.Name).ToList();
        if (names.Count != real.Names.Count || names.Except(real.Names, StringComparer.Ordinal).Any())
        {
            return Prefix(test, target) + $"the mock of '{mocked}' declares columns ({string.Join(", ", names)}) " +
                   $"but {mocked} has ({string.Join(", ", real.Names)})";
        }

        // A project table declares its columns' types too; a view's types are known only to a server.
        if (tables.TryGetValue(mocked, out var table) && table.Statement is CreateTableStatement { Columns.Count: > 0 } create)
        {
            var types = create.Columns.ToDictionary(c => c.Name.Value, c => c.DataType, StringComparer.Ordinal);
            var wrong = declared.Where(c => !TypeNames.Same(c.Type, types[c.Name])).ToList();
            if (wrong.Count > 0)
            {
                return Prefix(test, target) + $"the mock of '{mocked}' declares " +
                       string.Join(", ", wrong.Select(c => $"{c.Name} {TypeNames.Normalize(c.Type)}")) + $" but {mocked} has " +
                       string.Join(", ", wrong.Select(c => $"{c.Name} {TypeNames.Normalize(types[c.Name])}"));
            }
        }

        return null;
    }

    // An external dependency's columns as types.lock records them (mz_columns' names and types): the mock must declare
    // exactly those names, in any order, each with a type that folds to the locked one.
    private static string? CheckLockedMock(string test, ObjectId target, ObjectId mocked, IReadOnlyList<UnitTestColumn> declared,
        IReadOnlyList<LockedColumn> locked)
    {
        var names = declared.Select(c => c.Name).ToList();
        var lockedNames = locked.Select(c => c.Name).ToList();
        var missing = lockedNames.Except(names, StringComparer.Ordinal).ToList();
        var unknown = names.Except(lockedNames, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unknown.Count > 0 || names.Count != lockedNames.Count)
        {
            var details = new List<string>();
            if (missing.Count > 0)
            {
                details.Add($"missing {string.Join(", ", missing)}");
            }

            if (unknown.Count > 0)
            {
                details.Add($"unknown {string.Join(", ", unknown)}");
            }

            return Prefix(test, target) + $"the mock of '{mocked}' declares columns ({string.Join(", ", names)}) " +
                   $"but types.lock gives {mocked} ({string.Join(", ", lockedNames)})" +
                   (details.Count > 0 ? $": {string.Join("; ", details)}" : string.Empty);
        }

        var types = locked.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
        var wrong = declared.Where(c => !TypeNames.Same(c.Type, types[c.Name])).ToList();
        if (wrong.Count == 0)
        {
            return null;
        }

        return Prefix(test, target) + $"the mock of '{mocked}' declares " +
               string.Join(", ", wrong.Select(c => $"{c.Name} {TypeNames.Normalize(c.Type)}")) + $" but types.lock gives {mocked} " +
               string.Join(", ", wrong.Select(c => $"{c.Name} {TypeNames.Normalize(types[c.Name])}"));
    }

    /// <summary>The tested view's query with every reference to a mocked object turned into the mock, and mz_now() into <paramref name="atTime"/>.</summary>
    private static string TargetQuery(CompiledObject owner, CreateViewStatement view, Dictionary<ObjectId, string> mocks, string? atTime)
    {
        var query = view.Query.Span;
        var edits = new List<(TextSpan Span, string Replacement)>();
        foreach (var reference in view.References)
        {
            if (reference.Span.Start >= query.Start && reference.Span.End <= query.End &&
                owner.ResolvedReferences.TryGetValue(reference.Span, out var id) && mocks.TryGetValue(id, out var mock))
            {
                edits.Add((reference.Span, UnitTestSql.Name(mock)));
            }
        }

        if (atTime is not null)
        {
            edits.AddRange(MzNowCalls(view, query).Select(span => (span, UnitTestSql.Timestamp(atTime))));
        }

        edits.AddRange(DerivedTableAliases.Edits(view.Tokens, query));
        var text = Slice(view, query);
        return SqlRewriter.Apply(text, edits.Select(e => (new TextSpan(e.Span.Start - query.Start, e.Span.Length), e.Replacement)));
    }

    /// <summary>Spans of <c>mz_now()</c> (or <c>mz_catalog.mz_now()</c>) calls inside <paramref name="within"/>.</summary>
    private static IEnumerable<TextSpan> MzNowCalls(SqlStatement statement, TextSpan within)
    {
        var tokens = statement.Tokens;
        for (var i = 0; i + 2 < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Span.Start < within.Start || token.Span.End > within.End || !token.IsWord || token.Value != "mz_now" ||
                tokens[i + 1].Kind != TokenKind.LeftParen || tokens[i + 2].Kind != TokenKind.RightParen)
            {
                continue;
            }

            var start = i >= 2 && tokens[i - 1].Kind == TokenKind.Dot && tokens[i - 2].IsWord && tokens[i - 2].Value == "mz_catalog"
                ? tokens[i - 2].Span.Start
                : token.Span.Start;
            yield return TextSpan.FromBounds(start, tokens[i + 2].Span.End);
        }
    }

    // mock_<name>, made unique among the test's mocks (two mocked objects may share a name in different schemas).
    private static string MockViewName(ObjectId id, IEnumerable<string> taken)
    {
        var used = taken.ToHashSet(StringComparer.Ordinal);
        var name = "mock_" + id.Name;
        for (var n = 2; used.Contains(name); n++)
        {
            name = $"mock_{id.Name}_{n}";
        }

        return name;
    }

    /// <summary>A mock's or EXPECTED's query, its derived tables named.</summary>
    private static string Rows(UnitTestStatement test, TextSpan query) =>
        SqlRewriter.Apply(Slice(test, query),
            DerivedTableAliases.Edits(test.Tokens, query).Select(e => (new TextSpan(e.Span.Start - query.Start, 0), e.Text)));

    private static string Slice(SqlStatement statement, TextSpan span) =>
        statement.Text.Substring(span.Start - statement.Span.Start, span.Length);
}
