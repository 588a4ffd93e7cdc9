using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Project;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning;

/// <summary>
/// Plans a stage from its change set against production: the exact statements that build the staging copy
/// (databases, production and staging schemas, schema settings, cloned clusters, re-created external indexes,
/// each staged object with its indexes, grants and comments, replacement materialized views) and the tracking rows.
/// Pure: no I/O.
/// </summary>
internal static class StagePlanner
{
    /// <param name="project">A compiled project without errors.</param>
    /// <param name="changes">The change set of <paramref name="project"/> against production (<see cref="ChangeDetector.Compute"/>).</param>
    /// <param name="names">The deployment's names (its deploy ID and the profile suffix).</param>
    /// <param name="productionClusters">The production clusters the catalog reports (production names); each cluster to clone must be here.</param>
    /// <exception cref="MzDeployException"><c>InvalidDeployId</c> (a staging name too long), <c>PrerequisitesMissing</c> (a cluster to clone is missing).</exception>
    public static StagePlan Plan(CompiledProject project, ChangeSet changes, StagingNames names, IEnumerable<ProductionCluster> productionClusters)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(productionClusters);
        project.EnsureSucceeded();
        var context = new Context(project, names, changes);
        if (changes.IsEmpty)
        {
            return new StagePlan(names, changes, [], [], [], [], [], [], new StageRecords([], [], [], [], []));
        }

        var clustersByName = productionClusters.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var schemas = changes.Schemas
            .Select(s => new SchemaMapping(names.ProductionSchema(s), names.StagingSchema(s),
                changes.StableSchemas.Contains(s) ? DeploymentKind.Replacement : DeploymentKind.Objects))
            .ToList();
        var clusters = changes.Clusters
            .Select(c => new ClusterMapping(names.ProductionCluster(c), names.StagingCluster(c)))
            .ToList();

        StagePrerequisites.Of(project, changes, names).EnsureSatisfied(clustersByName.Keys, existingObjects: null);
        var statements = new List<PlannedStatement>();
        CreateDatabasesAndSchemas(context, statements);
        foreach (var cluster in clusters)
        {
            var source = clustersByName[cluster.Production];
            statements.Add(new PlannedStatement(PlannedStatementKind.CreateCluster, cluster.Staging, source.CreateCloneSql(cluster.Staging)));
            statements.AddRange(source.GrantSql(cluster.Staging).Select(sql => new PlannedStatement(PlannedStatementKind.GrantOnCluster, cluster.Staging, sql)));
        }

        var renames = ExternalIndexes(context, statements);
        foreach (var o in changes.Objects)
        {
            CreateObject(context, o, statements, replacement: false);
        }

        foreach (var o in changes.ReplacementMaterializedViews)
        {
            CreateObject(context, o, statements, replacement: true);
        }

        var records = Records(context, schemas, clusters, renames);
        return new StagePlan(names, changes, schemas, clusters,
            changes.Objects.Select(o => names.Production(o.Id)).ToList(),
            changes.Sinks.Select(o => names.Production(o.Id)).ToList(),
            changes.ReplacementMaterializedViews.Select(o => names.Production(o.Id)).ToList(),
            statements, records);
    }

    private sealed class Context
    {
        public Context(CompiledProject project, StagingNames names, ChangeSet changes)
        {
            Project = project;
            Names = names;
            Changes = changes;
            Staged = changes.Objects.Concat(changes.ReplacementMaterializedViews).Select(o => o.Id).ToHashSet();
            StagedRewriter = new StatementRewriter(names, project.Objects.Select(o => o.Id).ToHashSet(),
                changes.Objects.Select(o => o.Id).ToHashSet());
            CompanionRewriter = new StatementRewriter(names, project.Objects.Select(o => o.Id).ToHashSet(), Staged);
            ProductionRewriter = new StatementRewriter(names, project.Objects.Select(o => o.Id).ToHashSet(), new HashSet<ObjectId>());
        }

        public CompiledProject Project { get; }

        public StagingNames Names { get; }

        public ChangeSet Changes { get; }

        /// <summary>Objects with a copy in a staging schema (staged objects and replacements).</summary>
        public HashSet<ObjectId> Staged { get; }

        /// <summary>Rewrites references to staged objects into staging schemas. Replacements are not in its set: references to them stay on production, which keeps its name.</summary>
        public StatementRewriter StagedRewriter { get; }

        /// <summary>Rewrites indexes, grants and comments of staged objects and replacements onto their staging copies.</summary>
        public StatementRewriter CompanionRewriter { get; }

        /// <summary>Rewrites every reference to production names (sinks, external indexes).</summary>
        public StatementRewriter ProductionRewriter { get; }

        public string Qualified(ObjectId id) => SqlIdentifier.QuoteQualified(id.Database, id.Schema, id.Name);
    }

    private static void CreateDatabasesAndSchemas(Context context, List<PlannedStatement> statements)
    {
        var names = context.Names;
        var databases = context.Project.Objects.Select(o => o.Id.Database).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var stagedDatabases = context.Changes.Schemas.Select(s => s.Database).ToHashSet(StringComparer.Ordinal);
        foreach (var database in databases)
        {
            var production = names.ProductionDatabase(database);
            statements.Add(new PlannedStatement(PlannedStatementKind.CreateDatabase, production,
                $"CREATE DATABASE IF NOT EXISTS {SqlIdentifier.QuoteIfNeeded(production)}"));
            if (!stagedDatabases.Contains(database))
            {
                continue;
            }

            foreach (var definition in Modifiers(context, ProjectFileKind.DatabaseModifier, database, null))
            {
                foreach (var statement in definition.Statements.Where(s => s.Kind != StatementKind.Set))
                {
                    statements.Add(new PlannedStatement(PlannedStatementKind.SchemaModifier, production,
                        RewriteModifier(context, definition, statement, null)));
                }
            }
        }

        foreach (var schema in context.Changes.Schemas)
        {
            var production = names.ProductionSchema(schema);
            var staging = names.StagingSchema(schema);
            statements.Add(new PlannedStatement(PlannedStatementKind.CreateSchema, production.ToString(),
                $"CREATE SCHEMA IF NOT EXISTS {production.ToSql()}"));

            // No IF NOT EXISTS: a schema that already carries this name is not ours, and must never be adopted
            // (abort would drop it).
            statements.Add(new PlannedStatement(PlannedStatementKind.CreateSchema, staging.ToString(), $"CREATE SCHEMA {staging.ToSql()}"));
            foreach (var definition in Modifiers(context, ProjectFileKind.SchemaModifier, schema.Database, schema.Schema))
            {
                foreach (var statement in definition.Statements.Where(s => s.Kind != StatementKind.Set))
                {
                    statements.Add(new PlannedStatement(PlannedStatementKind.SchemaModifier, staging.ToString(),
                        RewriteModifier(context, definition, statement, schema)));
                }
            }
        }
    }

    private static IEnumerable<CompiledDefinition> Modifiers(Context context, ProjectFileKind kind, string database, string? schema) =>
        context.Project.Definitions.Where(d => d.Kind == kind && d.Source.File.Database == database && d.Source.File.Schema == schema);

    // Schema references to the staged schema go to its staging copy; other schema and database references are
    // qualified with production database names.
    private static string RewriteModifier(Context context, CompiledDefinition definition, SqlStatement statement, SchemaId? staged)
    {
        var names = context.Names;
        var database = definition.Source.File.Database!;
        var edits = new List<(TextSpan, string)>();
        foreach (var reference in statement.References)
        {
            var values = reference.Name.Values;
            switch (reference.Kind)
            {
                case ReferenceKind.Database when values.Count == 1 && context.Project.Objects.Any(o => o.Id.Database == values[0]):
                    edits.Add((reference.Span, SqlIdentifier.QuoteIfNeeded(names.ProductionDatabase(values[0]))));
                    break;
                case ReferenceKind.Schema when values.Count is 1 or 2:
                    var schema = new SchemaId(values.Count == 2 ? values[0] : database, values[^1]);
                    var target = staged is not null && schema.Equals(staged) ? names.StagingSchema(schema) : names.ProductionSchema(schema);
                    edits.Add((reference.Span, target.ToSql()));
                    break;
            }
        }

        var start = statement.Span.Start;
        return SqlRewriter.Apply(statement.Text, edits.Select(e => (new TextSpan(e.Item1.Start - start, e.Item1.Length), e.Item2)));
    }

    // Indexes of objects that are not redeployed but live on a cluster that is cloned: the old cluster is dropped
    // after the swap, so each is re-created on the clone, still on the production object. A named index cannot
    // take its name yet (the production index holds it), so it is created as <name>_<id>; promote's swap
    // transaction renames the old one away and gives the new one the project's name.
    private static List<(ObjectId On, string Sql, string Name)> ExternalIndexes(Context context, List<PlannedStatement> statements)
    {
        var names = context.Names;
        var cloned = context.Changes.Clusters.ToHashSet(StringComparer.Ordinal);
        var renames = new List<(ObjectId, string, string)>();
        foreach (var o in context.Project.Objects.Where(o => !context.Staged.Contains(o.Id)))
        {
            foreach (var index in o.Indexes.Where(i => i.InCluster is { } c && cloned.Contains(c.Value)))
            {
                var production = names.Production(o.Id);
                string? newName = null;
                if (index.Name is { } name)
                {
                    var stagingName = names.DeployIdName(name.Item.Value + names.Suffix);
                    var oldName = names.DeployIdName(name.Item.Value + names.Suffix + "_old");
                    newName = SqlIdentifier.QuoteIfNeeded(stagingName);
                    var qualify = (string n) => SqlIdentifier.QuoteQualified(production.Database, production.Schema, n);
                    renames.Add((production, $"ALTER INDEX {qualify(name.Item.Value)} RENAME TO {SqlIdentifier.QuoteIfNeeded(oldName)}", name.Item.Value));
                    renames.Add((production, $"ALTER INDEX {qualify(stagingName)} RENAME TO {SqlIdentifier.QuoteIfNeeded(name.Item.Value)}", name.Item.Value));
                }

                statements.Add(new PlannedStatement(PlannedStatementKind.CreateIndex, production.ToString(),
                    context.ProductionRewriter.Rewrite(o, index, newName, stagingClusters: true)));
            }
        }

        return renames;
    }

    private static void CreateObject(Context context, CompiledObject o, List<PlannedStatement> statements, bool replacement)
    {
        var names = context.Names;
        var staging = names.Staging(o.Id);
        var stagingName = context.Qualified(staging);
        var rewriter = context.StagedRewriter;
        if (replacement)
        {
            statements.Add(new PlannedStatement(PlannedStatementKind.CreateReplacement, staging.ToString(), ReplacementSql(context, o)));
        }
        else
        {
            statements.Add(new PlannedStatement(PlannedStatementKind.CreateObject, staging.ToString(),
                rewriter.Rewrite(o, o.Statement, stagingName, stagingClusters: true)));
        }

        var companions = context.CompanionRewriter;
        foreach (var index in o.Indexes)
        {
            statements.Add(new PlannedStatement(PlannedStatementKind.CreateIndex, staging.ToString(),
                companions.Rewrite(o, index, null, stagingClusters: true)));
        }

        foreach (var grant in o.Companions.Where(s => s.Kind is StatementKind.Grant or StatementKind.Revoke))
        {
            statements.Add(new PlannedStatement(PlannedStatementKind.Grant, staging.ToString(), companions.Rewrite(o, grant, null, stagingClusters: true)));
        }

        foreach (var comment in o.Companions.Where(s => s.Kind == StatementKind.Comment))
        {
            statements.Add(new PlannedStatement(PlannedStatementKind.Comment, staging.ToString(), companions.Rewrite(o, comment, null, stagingClusters: true)));
        }
    }

    // CREATE REPLACEMENT MATERIALIZED VIEW <staging> FOR <production> …: the word REPLACEMENT goes before
    // MATERIALIZED, and FOR <target> right after the name.
    private static string ReplacementSql(Context context, CompiledObject o)
    {
        var statement = o.Statement;
        var names = context.Names;
        var text = context.StagedRewriter.Rewrite(o, statement,
            $"{context.Qualified(names.Staging(o.Id))} FOR {context.Qualified(names.Production(o.Id))}", stagingClusters: true);
        var materialized = statement.Tokens.First(t => t.IsKeyword("MATERIALIZED"));
        var offset = materialized.Span.Start - statement.Span.Start;
        return SqlRewriter.Apply(text, [(new TextSpan(offset, 0), "REPLACEMENT ")]);
    }

    private static StageRecords Records(Context context, List<SchemaMapping> schemas, List<ClusterMapping> clusters,
        List<(ObjectId On, string Sql, string Name)> renames)
    {
        var names = context.Names;
        var changes = context.Changes;
        var recordedSchemas = schemas.Select(s => new RecordedSchema(s.Production, s.Kind)).ToList();
        var objects = changes.Objects.Concat(changes.ReplacementMaterializedViews)
            .Select(o => (Id: names.Production(o.Id), o.Hash))
            .ToList();

        // A sink schema records all of its sinks, not only the changed ones: the production snapshot of a schema
        // is what its latest deployment recorded, so a partial record would make the others look deleted.
        var sinkSchemas = changes.Sinks.Select(s => SchemaId.Of(s.Id)).ToHashSet();
        foreach (var schema in sinkSchemas.Order(SchemaId.Ordinal))
        {
            var production = names.ProductionSchema(schema);
            if (recordedSchemas.All(r => !r.Schema.Equals(production)))
            {
                recordedSchemas.Add(new RecordedSchema(production, DeploymentKind.Sinks));
            }

            objects.AddRange(context.Project.Objects
                .Where(o => o.Kind == ObjectKind.Sink && SchemaId.Of(o.Id).Equals(schema))
                .Select(o => (names.Production(o.Id), o.Hash)));
        }

        var pending = new List<PendingStatementRecord>();
        foreach (var sink in changes.Sinks)
        {
            var production = names.Production(sink.Id);
            pending.Add(new PendingStatementRecord(pending.Count, production.Database, production.Schema, production.Name, sink.Hash,
                context.ProductionRewriter.Rewrite(sink, sink.Statement, context.Qualified(production), stagingClusters: false),
                PendingStatementRecord.SinkKind));
        }

        foreach (var (on, sql, _) in renames)
        {
            pending.Add(new PendingStatementRecord(pending.Count, on.Database, on.Schema, on.Name, string.Empty, sql, PendingStatementRecord.RenameKind));
        }

        var replacements = changes.ReplacementMaterializedViews
            .Select(o => names.Production(o.Id))
            .Select(p => new ReplacementRecord(p.Database, p.Schema, p.Name, names.StagingSchemaName(p.Schema)))
            .ToList();
        return new StageRecords(
            recordedSchemas.OrderBy(r => r.Schema, SchemaId.Ordinal).ToList(),
            objects.OrderBy(o => o.Id, ObjectId.Ordinal).Select(o => new DeployedObjectRecord(o.Id.Database, o.Id.Schema, o.Id.Name, o.Hash)).ToList(),
            clusters.Select(c => c.Production).ToList(),
            pending,
            replacements);
    }
}
