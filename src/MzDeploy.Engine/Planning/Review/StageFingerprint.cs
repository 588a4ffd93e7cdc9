using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning.Review;

/// <summary>A schema production records, and the deployment that last promoted it (project names).</summary>
/// <param name="Schema">The schema (project names).</param>
/// <param name="DeployId">The deployment that last promoted it.</param>
/// <param name="Kind">Its tracking kind (<c>objects</c>, <c>sinks</c>, <c>replacement</c>, …).</param>
public sealed record FingerprintSchema(SchemaId Schema, string DeployId, string Kind);

/// <summary>An object production records, with its hash (project names).</summary>
public sealed record FingerprintObject(ObjectId Object, string Hash);

/// <summary>A production cluster a stage read to clone, its configuration in one line (id, size, options, replicas, grants).</summary>
public sealed record FingerprintCluster(string Name, string Configuration);

/// <summary>
/// The state a stage plan was computed from, as a value: the commit, and what the stage's preparation read from production
/// (every schema's promoting deployment, every recorded object's hash, the configuration of every cluster it clones). A
/// reviewed plan carries it; before running the plan the same state is read again and <see cref="Compare"/> says what moved.
/// Equal fingerprints mean the planner would compute the same plan from the same project, so the reviewed statements are
/// still the right ones. Lists are sorted, so two fingerprints of one state are equal item by item and have one
/// <see cref="Digest"/>.
/// </summary>
public sealed class StageFingerprint
{
    public StageFingerprint(string? commit, IEnumerable<FingerprintSchema> schemas, IEnumerable<FingerprintObject> objects,
        IEnumerable<FingerprintCluster> clusters)
    {
        Commit = commit;
        Schemas = schemas.OrderBy(s => s.Schema, SchemaId.Ordinal).ToList();
        Objects = objects.OrderBy(o => o.Object, ObjectId.Ordinal).ToList();
        Clusters = clusters.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        Digest = ComputeDigest();
    }

    /// <summary>The HEAD commit the plan was computed at, or null outside git.</summary>
    public string? Commit { get; }

    /// <summary>Production's schemas and their promoting deployments, ordinal order.</summary>
    public IReadOnlyList<FingerprintSchema> Schemas { get; }

    /// <summary>Production's recorded objects and hashes, ordinal order.</summary>
    public IReadOnlyList<FingerprintObject> Objects { get; }

    /// <summary>The clusters the stage read (those it clones), ordinal order.</summary>
    public IReadOnlyList<FingerprintCluster> Clusters { get; }

    /// <summary><c>sha256:</c> of every item above: one value to show in a review and compare at a glance.</summary>
    public string Digest { get; }

    /// <summary>The fingerprint of what a stage's preparation read.</summary>
    /// <param name="commit">HEAD, or null outside git.</param>
    /// <param name="production">Production's recorded schemas and objects.</param>
    /// <param name="clusters">The production clusters read, with their catalog ids.</param>
    internal static StageFingerprint Of(string? commit, ProductionSnapshot production, IEnumerable<(string Id, ProductionCluster Cluster)> clusters) =>
        new(commit,
            production.Schemas.Select(s => new FingerprintSchema(s.Key, s.Value.DeployId, s.Value.Kind.ToTrackingValue())),
            production.Hashes.Select(h => new FingerprintObject(h.Key, h.Value)),
            clusters.Select(c => new FingerprintCluster(c.Cluster.Name, Configuration(c.Id, c.Cluster))));

    /// <summary>
    /// What differs in <paramref name="now"/> from this (reviewed) fingerprint, or nothing. A schema another deployment was
    /// promoted into is reported once per deployment, and its objects' hashes (which that promote changed) are not listed again.
    /// </summary>
    public IReadOnlyList<PlanDrift> Compare(StageFingerprint now)
    {
        ArgumentNullException.ThrowIfNull(now);
        var drift = new List<PlanDrift>();
        if (!string.Equals(Commit, now.Commit, StringComparison.Ordinal))
        {
            drift.Add(new PlanDrift(PlanDriftKind.CommitMoved, "", Commit, now.Commit));
        }

        var reviewedSchemas = Schemas.ToDictionary(s => s.Schema);
        var nowSchemas = now.Schemas.ToDictionary(s => s.Schema);
        var repromoted = new HashSet<SchemaId>();
        foreach (var promoted in now.Schemas
                     .Where(s => !reviewedSchemas.TryGetValue(s.Schema, out var before) || before.DeployId != s.DeployId)
                     .GroupBy(s => s.DeployId, StringComparer.Ordinal))
        {
            var previous = promoted.Select(s => reviewedSchemas.GetValueOrDefault(s.Schema)?.DeployId).OfType<string>()
                .Distinct(StringComparer.Ordinal).Select(id => $"'{id}'").ToList();
            drift.Add(new PlanDrift(PlanDriftKind.DeploymentPromoted, promoted.Key,
                previous.Count == 0 ? null : string.Join(", ", previous), string.Join(", ", promoted.Select(s => s.Schema))));
            repromoted.UnionWith(promoted.Select(s => s.Schema));
        }

        drift.AddRange(Schemas.Where(s => !nowSchemas.ContainsKey(s.Schema))
            .Select(s => new PlanDrift(PlanDriftKind.SchemaRemoved, s.Schema.ToString(), s.DeployId, null)));
        repromoted.UnionWith(Schemas.Where(s => !nowSchemas.ContainsKey(s.Schema)).Select(s => s.Schema));

        var reviewedObjects = Objects.ToDictionary(o => o.Object, o => o.Hash);
        var nowObjects = now.Objects.ToDictionary(o => o.Object, o => o.Hash);
        bool Explained(ObjectId id) => repromoted.Contains(new SchemaId(id.Database, id.Schema));
        foreach (var (id, hash) in now.Objects.Select(o => (o.Object, o.Hash)).Where(o => !Explained(o.Object)))
        {
            if (!reviewedObjects.TryGetValue(id, out var before))
            {
                drift.Add(new PlanDrift(PlanDriftKind.ObjectAdded, id.ToString(), null, hash));
            }
            else if (before != hash)
            {
                drift.Add(new PlanDrift(PlanDriftKind.ObjectChanged, id.ToString(), before, hash));
            }
        }

        drift.AddRange(Objects.Where(o => !nowObjects.ContainsKey(o.Object) && !Explained(o.Object))
            .Select(o => new PlanDrift(PlanDriftKind.ObjectRemoved, o.Object.ToString(), o.Hash, null)));

        var reviewedClusters = Clusters.ToDictionary(c => c.Name, c => c.Configuration, StringComparer.Ordinal);
        var nowClusters = now.Clusters.ToDictionary(c => c.Name, c => c.Configuration, StringComparer.Ordinal);
        foreach (var cluster in Clusters)
        {
            if (!nowClusters.TryGetValue(cluster.Name, out var configuration))
            {
                drift.Add(new PlanDrift(PlanDriftKind.ClusterRemoved, cluster.Name, cluster.Configuration, null));
            }
            else if (configuration != cluster.Configuration)
            {
                drift.Add(new PlanDrift(PlanDriftKind.ClusterChanged, cluster.Name, cluster.Configuration, configuration));
            }
        }

        drift.AddRange(now.Clusters.Where(c => !reviewedClusters.ContainsKey(c.Name))
            .Select(c => new PlanDrift(PlanDriftKind.ClusterAdded, c.Name, null, c.Configuration)));
        return drift;
    }

    /// <summary>
    /// A cluster's configuration in one stable line: what its clone copies (size, replication factor, options or replicas,
    /// grants) and its catalog id (recorded with the deployment; a dropped and re-created cluster is another cluster).
    /// </summary>
    internal static string Configuration(string id, ProductionCluster cluster)
    {
        var parts = new List<string> { $"id {id}" };
        if (cluster.Managed)
        {
            parts.Add($"size {cluster.Size ?? "(none)"}");
            parts.Add($"replication factor {cluster.ReplicationFactor?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}");
            parts.AddRange(cluster.Options.Select(o => $"{o.Key} {o.Value}"));
        }
        else
        {
            parts.Add("unmanaged");
            parts.AddRange(cluster.Replicas.Select(r => $"replica {r.Name} size {r.Size}" + (r.AvailabilityZone is { } az ? $" zone {az}" : "")));
        }

        parts.AddRange(cluster.Grants.Select(g => $"grant {g.Privilege} to {g.Grantee}"));
        return string.Join("; ", parts);
    }

    // Every field length-prefixed, so no name or value can be mistaken for a separator.
    private string ComputeDigest()
    {
        var text = new StringBuilder();
        void Field(string? value) => text.Append(value is null ? "-1:" : $"{value.Length}:{value}").Append('\n');
        Field("commit");
        Field(Commit);
        foreach (var s in Schemas)
        {
            Field("schema");
            Field(s.Schema.Database);
            Field(s.Schema.Schema);
            Field(s.DeployId);
            Field(s.Kind);
        }

        foreach (var o in Objects)
        {
            Field("object");
            Field(o.Object.Database);
            Field(o.Object.Schema);
            Field(o.Object.Name);
            Field(o.Hash);
        }

        foreach (var c in Clusters)
        {
            Field("cluster");
            Field(c.Name);
            Field(c.Configuration);
        }

        return "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }
}
