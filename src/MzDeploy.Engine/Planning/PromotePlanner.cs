using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning;

/// <summary>
/// Plans a promote from a deployment's tracking rows: the race-free swap transaction (epoch marker renames, schema
/// and cluster swaps, index renames, the progress marker), the post-swap steps and the drops of exactly the recorded
/// old copies. Pure: no I/O.
/// </summary>
internal static class PromotePlanner
{
    /// <exception cref="MzDeployException"><c>DeploymentConflict</c> when conflicts exist without <see cref="PromoteInput.OverwriteConflicts"/>
    /// and the swap has not happened yet.</exception>
    public static PromotePlan Plan(PromoteInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var deployment = input.Deployment;
        var names = input.Names;
        var schemaSwaps = deployment.SwappedSchemas
            .Select(s => new SchemaMapping(s, names.StagingSchemaOfProduction(s), KindOf(deployment, s)))
            .ToList();
        var clusterSwaps = deployment.Clusters.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(c => new ClusterMapping(c, names.StagingClusterOfProduction(c)))
            .ToList();

        var markers = input.Markers ?? ProgressMarkers.Promote(names);
        if (input.State == PromoteState.Finished)
        {
            return new PromotePlan(deployment.DeployId, input.State, schemaSwaps, clusterSwaps, [], [], [], [], [], [], input.MarkerEpochs, []);
        }

        var preSwap = new List<PlannedStatement>();
        var swap = new List<PlannedStatement>();
        var nextEpochs = new Dictionary<string, long>(input.MarkerEpochs, StringComparer.Ordinal);
        var conflicts = Array.Empty<DeploymentConflict>() as IReadOnlyList<DeploymentConflict>;
        if (input.State == PromoteState.NotStarted)
        {
            conflicts = input.Conflicts;
            if (conflicts.Count > 0 && !input.OverwriteConflicts)
            {
                throw ConflictError(deployment.DeployId, conflicts);
            }

            preSwap.AddRange(input.KeepRecord);
            PlanSwap(deployment, names, markers, schemaSwaps, clusterSwaps, input.MarkerEpochs, input.CreateClaimMarker, preSwap, swap, nextEpochs);
        }

        var postSwap = PlanPostSwap(deployment, names, input.SinksToRepoint);
        var cleanup = new List<PlannedStatement>();
        // A kept previous version stays under the staging names until its window ends or an undo swaps it back.
        var keep = input.Keep.Select(k => k.Kept).ToHashSet(StringComparer.Ordinal);
        foreach (var schema in schemaSwaps.Select(s => s.Staging).Concat(deployment.ReplacedSchemas.Select(names.StagingSchemaOfProduction)).Distinct()
                     .Where(s => !keep.Contains($"schema {s}")))
        {
            cleanup.Add(new PlannedStatement(PlannedStatementKind.DropSchema, schema.ToString(), $"DROP SCHEMA IF EXISTS {schema.ToSql()} CASCADE"));
        }

        foreach (var cluster in clusterSwaps.Where(c => !keep.Contains($"cluster {c.Staging}")))
        {
            cleanup.Add(new PlannedStatement(PlannedStatementKind.DropCluster, cluster.Staging,
                $"DROP CLUSTER IF EXISTS {SqlIdentifier.QuoteIfNeeded(cluster.Staging)} CASCADE"));
        }

        foreach (var stale in input.StaleMarkers)
        {
            cleanup.Add(new PlannedStatement(PlannedStatementKind.DropMarker, $"{PromotionMarker.Database}.{stale}",
                $"DROP SCHEMA IF EXISTS {PromotionMarker.Sql(stale)}"));
        }

        var swapped = markers.Swapped;
        var finish = new PlannedStatement(PlannedStatementKind.DropMarker, $"{PromotionMarker.Database}.{swapped}",
            $"DROP SCHEMA IF EXISTS {PromotionMarker.Sql(swapped)}");
        return new PromotePlan(deployment.DeployId, input.State, schemaSwaps, clusterSwaps, conflicts, preSwap, swap, postSwap, cleanup, [finish],
            nextEpochs, input.Keep);
    }

    /// <summary>The <c>DeploymentConflict</c> error listing <paramref name="conflicts"/>.</summary>
    public static MzDeployException ConflictError(DeployId deployId, IReadOnlyList<DeploymentConflict> conflicts) =>
        new(ErrorIds.DeploymentConflict,
            $"deployment conflict: {conflicts.Count} schema(s) updated since deployment '{deployId}' was staged: " + string.Join(", ", conflicts),
            deployId,
            new OverwriteConflicts(deployId));

    private static DeploymentKind KindOf(RecordedDeployment deployment, SchemaId schema) =>
        deployment.Schemas.First(s => s.Schema.Equals(schema)).Kind;

    private static void PlanSwap(RecordedDeployment deployment, StagingNames names, ProgressMarkers markers, List<SchemaMapping> schemaSwaps,
        List<ClusterMapping> clusterSwaps, IReadOnlyDictionary<string, long> epochs, bool createClaimMarker, List<PlannedStatement> preSwap,
        List<PlannedStatement> swap, Dictionary<string, long> nextEpochs)
    {
        // Every resource the promote changes gets its epoch bumped, in-place replacements included, so two
        // promotes touching one resource serialize: the loser's transaction fails at its rename.
        var keys = schemaSwaps.Select(s => PromotionMarker.KeyOf(s.Production))
            .Concat(deployment.ReplacedSchemas.Select(PromotionMarker.KeyOf))
            .Concat(clusterSwaps.Select(c => PromotionMarker.KeyOfCluster(c.Production)))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var key in keys)
        {
            var epoch = epochs.TryGetValue(key, out var current) ? current : 0;
            var from = PromotionMarker.EpochName(key, epoch);
            var to = PromotionMarker.EpochName(key, epoch + 1);
            if (!epochs.ContainsKey(key))
            {
                preSwap.Add(new PlannedStatement(PlannedStatementKind.CreateMarker, $"{PromotionMarker.Database}.{from}",
                    $"CREATE SCHEMA IF NOT EXISTS {PromotionMarker.Sql(from)}"));
            }

            swap.Add(new PlannedStatement(PlannedStatementKind.Rename, $"{PromotionMarker.Database}.{from}",
                $"ALTER SCHEMA {PromotionMarker.Sql(from)} RENAME TO {SqlIdentifier.QuoteIfNeeded(to)}"));
            nextEpochs[key] = epoch + 1;
        }

        var pending = markers.Pending;
        if (createClaimMarker)
        {
            // Never re-created otherwise: a twin promote that swapped first renamed it, and re-creating it here would let
            // this promote swap production back.
            preSwap.Add(ClaimStatements.Claim(pending));
        }

        foreach (var schema in schemaSwaps)
        {
            // The second name of SWAP WITH is a bare identifier in the first name's database.
            swap.Add(new PlannedStatement(PlannedStatementKind.SwapSchema, schema.Production.ToString(),
                $"ALTER SCHEMA {schema.Production.ToSql()} SWAP WITH {SqlIdentifier.QuoteIfNeeded(schema.Staging.Schema)}"));
        }

        foreach (var cluster in clusterSwaps)
        {
            swap.Add(new PlannedStatement(PlannedStatementKind.SwapCluster, cluster.Production,
                $"ALTER CLUSTER {SqlIdentifier.QuoteIfNeeded(cluster.Production)} SWAP WITH {SqlIdentifier.QuoteIfNeeded(cluster.Staging)}"));
        }

        foreach (var rename in deployment.PendingStatements.Where(p => p.StatementKind == PendingStatementRecord.RenameKind).OrderBy(p => p.SequenceNumber))
        {
            swap.Add(new PlannedStatement(PlannedStatementKind.Rename, $"{rename.Database}.{rename.Schema}.{rename.Object}", rename.Sql)
            {
                PendingSequenceNumber = rename.SequenceNumber,
            });
        }

        // Last: the progress marker moves only if everything before it succeeded, in the same commit.
        swap.Add(new PlannedStatement(PlannedStatementKind.Rename, $"{PromotionMarker.Database}.{pending}",
            $"ALTER SCHEMA {PromotionMarker.Sql(pending)} RENAME TO {SqlIdentifier.QuoteIfNeeded(markers.Swapped)}"));
    }

    private static List<PlannedStatement> PlanPostSwap(RecordedDeployment deployment, StagingNames names, IReadOnlyList<SinkToRepoint> sinksToRepoint)
    {
        var steps = new List<PlannedStatement>();
        var sinks = deployment.PendingStatements.Where(p => p.StatementKind == PendingStatementRecord.SinkKind).OrderBy(p => p.SequenceNumber).ToList();
        foreach (var schema in sinks.Select(s => new SchemaId(s.Database, s.Schema)).Distinct().Order(SchemaId.Ordinal))
        {
            // Sink-only schemas never get a staging copy, so the first deploy has to create them.
            steps.Add(new PlannedStatement(PlannedStatementKind.CreateSchema, schema.ToString(), $"CREATE SCHEMA IF NOT EXISTS {schema.ToSql()}"));
        }

        foreach (var sink in sinks)
        {
            steps.Add(new PlannedStatement(PlannedStatementKind.CreateSink, $"{sink.Database}.{sink.Schema}.{sink.Object}", sink.Sql)
            {
                Guard = StatementGuard.SkipIfTargetExists,
                GuardObject = new ObjectId(sink.Database, sink.Schema, sink.Object),
                PendingSequenceNumber = sink.SequenceNumber,
            });
        }

        foreach (var replacement in deployment.Replacements
                     .OrderBy(r => new ObjectId(r.TargetDatabase, r.TargetSchema, r.TargetName), ObjectId.Ordinal))
        {
            var target = new ObjectId(replacement.TargetDatabase, replacement.TargetSchema, replacement.TargetName);
            var staged = new ObjectId(replacement.TargetDatabase, replacement.ReplacementSchema, replacement.TargetName);
            steps.Add(new PlannedStatement(PlannedStatementKind.ApplyReplacement, target.ToString(),
                $"ALTER MATERIALIZED VIEW {Qualified(target)} APPLY REPLACEMENT {Qualified(staged)}")
            {
                Guard = StatementGuard.SkipIfGuardObjectMissing,
                GuardObject = staged,
            });
        }

        foreach (var sink in sinksToRepoint.OrderBy(s => s.Sink, ObjectId.Ordinal))
        {
            steps.Add(new PlannedStatement(PlannedStatementKind.RepointSink, sink.Sink.ToString(),
                $"ALTER SINK {Qualified(sink.Sink)} SET FROM {Qualified(sink.Dependency)}")
            {
                GuardObject = sink.Dependency,
            });
        }

        return steps;
    }

    private static string Qualified(ObjectId id) => SqlIdentifier.QuoteQualified(id.Database, id.Schema, id.Name);
}
