using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning.DevOverlay;

/// <summary>What was found of earlier overlays of this profile and project.</summary>
/// <param name="Recorded">Overlay databases the manifest lists for this profile and project.</param>
/// <param name="Strays">Databases that exist under this profile's overlay names without a manifest row (an interrupted run).</param>
internal sealed record DevOverlayLeftovers(IReadOnlyList<string> Recorded, IReadOnlyList<string> Strays);

/// <summary>
/// Plans a dev overlay (mz-deploy <c>dev</c>) from the change set stage would compute: the changed views and materialized
/// views and everything that must be redeployed with them are created in per-database overlays, reading every clean
/// project object and every external dependency from production, with every <c>IN CLUSTER</c> (of materialized views and
/// indexes) on the developer's cluster. Every run tears the previous overlay down and builds it from scratch. Pure: no I/O.
/// </summary>
internal static class DevOverlayPlanner
{
    /// <param name="project">A compiled project without errors.</param>
    /// <param name="changes">The change set against the promoted production (<see cref="ChangeDetector.Compute"/>).</param>
    /// <param name="production">The production snapshot the change set was computed from (it says which objects have a counterpart).</param>
    /// <param name="names">The overlay's names.</param>
    /// <param name="projectName">The project's name in the manifest.</param>
    /// <param name="cluster">The developer's cluster.</param>
    /// <param name="leftovers">Earlier overlays to drop.</param>
    /// <param name="tracking">The manifest statements.</param>
    public static DevOverlayPlan Plan(CompiledProject project, ChangeSet changes, ProductionSnapshot production, DevOverlayNames names,
        string projectName, string cluster, DevOverlayLeftovers leftovers, DevOverlayTracking tracking)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(production);
        ArgumentException.ThrowIfNullOrEmpty(cluster);
        project.EnsureSucceeded();

        var overlaid = changes.Objects.Concat(changes.ReplacementMaterializedViews).Select(o => o.Id).ToHashSet();
        // The project's objects are in dependency order; the stage lists keep replacements apart, the overlay does not.
        var objects = project.Objects.Where(o => overlaid.Contains(o.Id)).ToList();
        var rewriter = new StatementRewriter(names.Production, names.Overlay, project.Objects.Select(o => o.Id).ToHashSet(), overlaid);
        var quotedCluster = SqlIdentifier.QuoteIfNeeded(cluster);

        var databases = objects.Select(o => o.Id.Database).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(d => new DevOverlayDatabase(d, names.OverlayDatabase(d)))
            .ToList();
        var build = new List<PlannedStatement>();
        foreach (var database in databases)
        {
            // No IF NOT EXISTS: the teardown dropped every overlay name of this profile, so one that exists now is not ours.
            build.Add(new PlannedStatement(PlannedStatementKind.CreateDatabase, database.Name,
                $"CREATE DATABASE {SqlIdentifier.QuoteIfNeeded(database.Name)}"));
            build.Add(tracking.Record(database.Name));
            foreach (var schema in objects.Where(o => o.Id.Database == database.ProjectDatabase).Select(o => o.Id.Schema)
                         .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                // A new database already has a public schema.
                var target = new SchemaId(database.Name, schema);
                build.Add(new PlannedStatement(PlannedStatementKind.CreateSchema, target.ToString(), $"CREATE SCHEMA IF NOT EXISTS {target.ToSql()}"));
            }
        }

        foreach (var o in objects)
        {
            var overlay = names.Overlay(o.Id);
            build.Add(new PlannedStatement(PlannedStatementKind.CreateObject, overlay.ToString(),
                rewriter.Rewrite(o, o.Statement, Qualified(overlay), _ => quotedCluster, quotedCluster)));
        }

        foreach (var o in objects)
        {
            foreach (var index in o.Indexes)
            {
                build.Add(new PlannedStatement(PlannedStatementKind.CreateIndex, names.Overlay(o.Id).ToString(),
                    rewriter.Rewrite(o, index, null, _ => quotedCluster, quotedCluster)));
            }
        }

        var planned = objects
            .Select(o => new DevOverlayObject(o.Id, o.Kind, names.Overlay(o.Id), production.Hashes.ContainsKey(o.Id) ? names.Production(o.Id) : null,
                changes.ReasonFor(o.Id)?.Description ?? "changed"))
            .ToList();
        var skipped = changes.Sinks.Concat(changes.SkippedApplyManaged)
            .OrderBy(o => o.Id, ObjectId.Ordinal)
            .Select(o => new DevOverlaySkipped(o.Id, o.Kind, changes.ReasonFor(o.Id)?.Description ?? "changed"))
            .ToList();
        var (dropped, teardown) = Teardown(leftovers, tracking);
        return new DevOverlayPlan(names.Profile, projectName, cluster, databases, planned, skipped, dropped, teardown, build);
    }

    /// <summary>Removal (mz-deploy <c>dev --down</c>): the teardown alone.</summary>
    public static DevOverlayPlan Remove(DevOverlayNames names, string projectName, DevOverlayLeftovers leftovers, DevOverlayTracking tracking)
    {
        ArgumentNullException.ThrowIfNull(names);
        var (dropped, teardown) = Teardown(leftovers, tracking);
        return new DevOverlayPlan(names.Profile, projectName, null, [], [], [], dropped, teardown, []);
    }

    /// <summary>The overlay names of a project's databases: what a stray sweep looks for.</summary>
    public static IReadOnlyList<string> CandidateNames(CompiledProject project, DevOverlayNames names) =>
        project.Objects.Select(o => o.Id.Database).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(names.OverlayDatabase).ToList();

    // Recorded databases first, then their records, then strays; each drop IF EXISTS and CASCADE (the overlay's objects
    // go with it), so a teardown interrupted half way is finished by the next one.
    private static (IReadOnlyList<string> Dropped, IReadOnlyList<PlannedStatement> Statements) Teardown(DevOverlayLeftovers leftovers,
        DevOverlayTracking tracking)
    {
        var recorded = leftovers.Recorded.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var strays = leftovers.Strays.Where(s => !recorded.Contains(s, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToList();
        var statements = new List<PlannedStatement>();
        statements.AddRange(recorded.Select(Drop));
        if (recorded.Count > 0)
        {
            statements.Add(tracking.Forget);
        }

        statements.AddRange(strays.Select(Drop));
        return (recorded.Concat(strays).Order(StringComparer.Ordinal).ToList(), statements);
    }

    private static PlannedStatement Drop(string database) =>
        new(PlannedStatementKind.DropDatabase, database, $"DROP DATABASE IF EXISTS {SqlIdentifier.QuoteIfNeeded(database)} CASCADE");

    private static string Qualified(ObjectId id) => SqlIdentifier.QuoteQualified(id.Database, id.Schema, id.Name);
}
