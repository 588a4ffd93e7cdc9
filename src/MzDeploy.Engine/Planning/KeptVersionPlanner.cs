using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning;

/// <summary>
/// Dropping a kept previous version, as a value: the drops of exactly its recorded schemas and clusters (under their
/// staging names), then the statements that forget the record.
/// </summary>
/// <param name="Kept">The kept version.</param>
/// <param name="Drops">The drops, schemas first.</param>
/// <param name="ForgetRecord">The tracking statements that delete its record, after the drops.</param>
public sealed record PreviousVersionPlan(KeptVersion Kept, IReadOnlyList<PlannedStatement> Drops, IReadOnlyList<PlannedStatement> ForgetRecord)
{
    /// <summary>Every statement, in execution order.</summary>
    public IReadOnlyList<PlannedStatement> Statements => Drops.Concat(ForgetRecord).ToList();

    /// <summary>What the drops remove, display form (<c>schema db.s_id</c>, <c>cluster c_id</c>).</summary>
    public IReadOnlyList<string> DroppedResources => Kept.Resources.Select(r => r.Kept).ToList();
}

/// <summary>
/// The hot rollback window's pure decisions: what a promote keeps (the schemas and clusters its swap moves under the
/// staging names), whether a kept version can still be swapped back (window open, no later promote of any of its
/// resources: their epoch markers have not moved since), and the plan that drops it. No I/O.
/// </summary>
internal static class KeptVersionPlanner
{
    /// <summary>
    /// What a promote of <paramref name="deployment"/> keeps: each swapped schema and cluster, as it will be named after the
    /// swap, with the deployment that had promoted the schema and the epoch the swap moves its marker to.
    /// </summary>
    /// <param name="deployment">The deployment being promoted.</param>
    /// <param name="names">Its names.</param>
    /// <param name="epochs">Current epoch per marker key (before the swap).</param>
    /// <param name="previous">The deployment in production per schema now (the <c>production</c> view).</param>
    /// <exception cref="MzDeployException"><c>KeepPreviousNotPossible</c>: the deployment replaces materialized views in place,
    /// which no swap can take back.</exception>
    public static IReadOnlyList<KeptResource> Keep(RecordedDeployment deployment, StagingNames names, IReadOnlyDictionary<string, long> epochs,
        IReadOnlyDictionary<SchemaId, string> previous)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(names);
        if (deployment.ReplacedSchemas.Count > 0)
        {
            throw new MzDeployException(ErrorIds.KeepPreviousNotPossible,
                $"deployment '{deployment.DeployId}' replaces materialized views in place in {string.Join(", ", deployment.ReplacedSchemas)}: "
                + "an in-place replacement cannot be swapped back, so its previous version cannot be kept", deployment.DeployId,
                new Advice("Promote it without a keep window."));
        }

        long Next(string key) => epochs.GetValueOrDefault(key) + 1;
        var schemas = deployment.SwappedSchemas.Select(s => new KeptResource(KeptResourceKind.Schema, s.Database, s.Schema,
            names.StagingSchemaName(s.Schema), previous.GetValueOrDefault(s), Next(PromotionMarker.KeyOf(s))));
        var clusters = deployment.Clusters.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(c => new KeptResource(KeptResourceKind.Cluster, null, c, names.StagingClusterOfProduction(c), null,
                Next(PromotionMarker.KeyOfCluster(c))));
        return schemas.Concat(clusters).ToList();
    }

    /// <summary>
    /// The promotion an undo of <paramref name="deployId"/> is recorded as: <c>&lt;id&gt;-undo</c> (the ID cut to fit), a
    /// deployment of the restored schemas whose rows are the previous deployments' (mode <c>rollback</c>).
    /// </summary>
    public static DeployId RollbackId(DeployId deployId) =>
        DeployId.Parse((deployId.Value.Length <= 58 ? deployId.Value : deployId.Value[..58]) + "-undo");

    /// <summary>The kept resources a later promote swapped (their epoch marker moved past the recorded epoch), production names.</summary>
    public static IReadOnlyList<string> Superseded(KeptVersion kept, IReadOnlyDictionary<string, long> epochs)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(epochs);
        return kept.Resources.Where(r => epochs.GetValueOrDefault(r.MarkerKey, -1) != r.Epoch).Select(r => r.Production).ToList();
    }

    /// <summary>
    /// Whether <paramref name="kept"/> can be swapped back now: promoted, window open, no resource promoted since.
    /// </summary>
    /// <exception cref="MzDeployException"><c>NoPreviousVersion</c>, <c>RollbackWindowExpired</c>, <c>RollbackSuperseded</c>.</exception>
    public static void CheckUndoable(KeptVersion kept, IReadOnlyDictionary<string, long> epochs)
    {
        ArgumentNullException.ThrowIfNull(kept);
        if (!kept.Promoted)
        {
            throw NothingKept(kept.DeployId, "its promote has not finished swapping; there is no previous version to go back to yet");
        }

        if (kept.Expired)
        {
            throw new MzDeployException(ErrorIds.RollbackWindowExpired,
                $"the rollback window of deployment '{kept.DeployId}' ended at {kept.ExpiresAt:u}: its previous version is no longer kept for an undo "
                + "(the next command drops it)", kept.DeployId, new RollForwardInstead(kept.DeployId));
        }

        var superseded = Superseded(kept, epochs);
        if (superseded.Count > 0)
        {
            throw new MzDeployException(ErrorIds.RollbackSuperseded,
                $"deployment '{kept.DeployId}' cannot be undone: a later promote changed {string.Join(", ", superseded)} since, and swapping the "
                + "kept version back would throw that promote away", kept.DeployId, new RollForwardInstead(kept.DeployId));
        }
    }

    /// <summary>The <c>NoPreviousVersion</c> error: nothing kept for <paramref name="deployId"/> (or for any deployment), and why.</summary>
    public static MzDeployException NothingKept(DeployId? deployId, string why) =>
        new(ErrorIds.NoPreviousVersion,
            deployId is { } id ? $"deployment '{id}' has no kept previous version to undo: {why}" : $"no previous version is kept: {why}",
            deployId?.Value ?? "previous version", new KeepPreviousNextTime(deployId?.Value));

    /// <summary>
    /// The deployment an undo swaps: the kept schemas (as objects schemas) and clusters under their production names, so
    /// <see cref="PromotePlanner"/> plans the swap back exactly like a promote of the kept copies.
    /// </summary>
    public static RecordedDeployment UndoDeployment(DeployId deployId, IReadOnlyList<KeptResource> kept, DateTimeOffset keptAt) =>
        new(deployId, keptAt,
            kept.Where(r => r.Kind == KeptResourceKind.Schema).Select(r => new RecordedSchema(r.ProductionSchema, DeploymentKind.Objects)).ToList(),
            kept.Where(r => r.Kind == KeptResourceKind.Cluster).Select(r => r.Name).ToList())
        {
            Promoted = true,
        };

    /// <summary>Drops exactly the recorded copies of <paramref name="kept"/>, then <paramref name="forgetRecord"/>.</summary>
    public static PreviousVersionPlan Drop(KeptVersion kept, IReadOnlyList<PlannedStatement> forgetRecord)
    {
        ArgumentNullException.ThrowIfNull(kept);
        var drops = kept.Resources.OrderBy(r => r.Kind).ThenBy(r => r.Database, StringComparer.Ordinal).ThenBy(r => r.StagingName, StringComparer.Ordinal)
            .Select(r => r.Kind == KeptResourceKind.Schema
                ? new PlannedStatement(PlannedStatementKind.DropSchema, r.StagingSchema.ToString(), $"DROP SCHEMA IF EXISTS {r.StagingSchema.ToSql()} CASCADE")
                : new PlannedStatement(PlannedStatementKind.DropCluster, r.StagingName, $"DROP CLUSTER IF EXISTS {SqlIdentifier.QuoteIfNeeded(r.StagingName)} CASCADE"))
            .ToList();
        return new PreviousVersionPlan(kept, drops, forgetRecord);
    }
}
