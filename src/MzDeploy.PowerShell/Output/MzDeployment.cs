namespace MzDeploy;

/// <summary>
/// Where a deployment stands: a staged one is as ready as its least ready cluster (failing, then hydrating, then
/// lagging, then ready); a promoted one is Promoted. Also the status of one staging cluster (never Promoted).
/// </summary>
public enum MzDeploymentStatus
{
    /// <summary>Every object hydrated and within the allowed lag: safe to promote.</summary>
    Ready,

    /// <summary>Objects are still hydrating.</summary>
    Hydrating,

    /// <summary>Hydrated, but lagging more than the allowed lag.</summary>
    Lagging,

    /// <summary>No replicas, every replica OOM-looping, or a recorded cluster is gone.</summary>
    Failing,

    /// <summary>Promoted to production.</summary>
    Promoted,
}

/// <summary>One object recorded by a deployment, with the hash it was deployed with.</summary>
public sealed class MzDeployedObject
{
    internal MzDeployedObject(string database, string schema, string name, string hash)
    {
        Database = database;
        Schema = schema;
        Name = name;
        Hash = hash;
    }

    public string Database { get; }
    public string Schema { get; }
    public string Name { get; }

    /// <summary><c>sha256:…</c> of the canonical statement and its indexes.</summary>
    public string Hash { get; }

    /// <summary><c>database.schema.name</c>.</summary>
    public string FullName => $"{Database}.{Schema}.{Name}";

    public override string ToString() => FullName;
}

/// <summary>Readiness of one staging cluster of a deployment.</summary>
public sealed class MzClusterStatus
{
    internal MzClusterStatus(string deployId, string cluster, string? productionCluster, MzDeploymentStatus status, string? failureReason,
        int hydratedObjects, int totalObjects, int? lagSeconds, int replicas, int problematicReplicas)
    {
        DeployId = deployId;
        Cluster = cluster;
        ProductionCluster = productionCluster;
        Status = status;
        FailureReason = failureReason;
        HydratedObjects = hydratedObjects;
        TotalObjects = totalObjects;
        LagSeconds = lagSeconds;
        Replicas = replicas;
        ProblematicReplicas = problematicReplicas;
    }

    public string DeployId { get; }

    /// <summary>The staging cluster (<c>&lt;cluster&gt;_&lt;deploy id&gt;</c>).</summary>
    public string Cluster { get; }

    /// <summary>The production cluster it replaces at promotion, or null when that cluster no longer exists.</summary>
    public string? ProductionCluster { get; }

    /// <summary>Ready, Hydrating, Lagging or Failing.</summary>
    public MzDeploymentStatus Status { get; }

    /// <summary>When Failing: <c>no_replicas</c>, <c>all_replicas_problematic</c>, <c>cluster_missing</c> or <c>production_cluster_missing</c>.</summary>
    public string? FailureReason { get; }

    /// <summary>Hydrated objects on the best replica.</summary>
    public int HydratedObjects { get; }

    /// <summary>Objects on the best replica.</summary>
    public int TotalObjects { get; }

    /// <summary>The largest wallclock lag of the cluster's objects in whole seconds, or null when none is reported.</summary>
    public int? LagSeconds { get; }

    public int Replicas { get; }

    /// <summary>Replicas OOM-killed three or more times in the last 24 hours.</summary>
    public int ProblematicReplicas { get; }

    public override string ToString() => $"{Cluster}: {Status}";
}

/// <summary>A deployment as recorded in <c>_mz_deploy</c>, with the live status of its clusters while it is staged.</summary>
public sealed class MzDeployment
{
    internal MzDeployment(string deployId, MzDeploymentStatus status, string[] kind, DateTimeOffset deployedAt, string deployedBy,
        string? commit, DateTimeOffset? promotedAt, string[] schemas, MzClusterStatus[] clusters, MzDeployedObject[] objects)
    {
        DeployId = deployId;
        Status = status;
        Kind = kind;
        DeployedAt = deployedAt;
        DeployedBy = deployedBy;
        Commit = commit;
        PromotedAt = promotedAt;
        Schemas = schemas;
        Clusters = clusters;
        Objects = objects;
    }

    public string DeployId { get; }

    public MzDeploymentStatus Status { get; }

    /// <summary>
    /// What it does to its schemas, as mz-deploy records it per schema: every distinct kind, sorted (<c>objects</c>,
    /// <c>replacement</c>, <c>sinks</c>). Usually one; a deployment that stages one schema and changes sinks in another
    /// is both, and <c>Where-Object Kind -eq sinks</c> finds it (-eq on an array matches any element).
    /// </summary>
    public string[] Kind { get; }

    /// <summary>When it was staged.</summary>
    public DateTimeOffset DeployedAt { get; }

    /// <summary>The user who staged it.</summary>
    public string DeployedBy { get; }

    /// <summary>The git commit it was staged from, or null.</summary>
    public string? Commit { get; }

    /// <summary>When it was promoted, or null while it is staged.</summary>
    public DateTimeOffset? PromotedAt { get; }

    /// <summary>The production schemas it replaces (<c>db.schema</c>).</summary>
    public string[] Schemas { get; }

    /// <summary>Its staging clusters and their readiness (empty once promoted).</summary>
    public MzClusterStatus[] Clusters { get; }

    /// <summary>The objects it deployed.</summary>
    public MzDeployedObject[] Objects { get; }

    public override string ToString() => DeployId;
}

/// <summary>One promotion, as Get-MzDeploymentHistory lists it (newest first).</summary>
public sealed class MzPromotionRecord
{
    internal MzPromotionRecord(string deployId, DateTimeOffset promotedAt, string deployedBy, string? commit, string[] kind, string[] schemas,
        string[] droppedUnmanagedObjects)
    {
        DroppedUnmanagedObjects = droppedUnmanagedObjects;
        DeployId = deployId;
        PromotedAt = promotedAt;
        DeployedBy = deployedBy;
        Commit = commit;
        Kind = kind;
        Schemas = schemas;
    }

    public string DeployId { get; }
    public DateTimeOffset PromotedAt { get; }

    /// <summary>The user who staged the deployment (mz-deploy's log shows this as "Promoted by").</summary>
    public string DeployedBy { get; }

    public string? Commit { get; }

    /// <summary>Every distinct kind of its schemas, sorted, as <see cref="MzDeployment.Kind"/>.</summary>
    public string[] Kind { get; }

    /// <summary>The schemas swapped into production (<c>db.schema</c>).</summary>
    public string[] Schemas { get; }

    /// <summary>Objects the project did not own that the promote dropped with -DropUnmanagedObjects (<c>kind name (owner …)</c>).</summary>
    public string[] DroppedUnmanagedObjects { get; }

    public override string ToString() => DeployId;
}

/// <summary>What Initialize-MzDeploy found and did.</summary>
public sealed class MzSetupResult
{
    internal MzSetupResult(string profile, string server, string user, bool rbacEnabled, string[] created, string[] alreadyPresent,
        string[] grants, string[] statements)
    {
        Profile = profile;
        Server = server;
        User = user;
        RbacEnabled = rbacEnabled;
        Created = created;
        AlreadyPresent = alreadyPresent;
        Grants = grants;
        Statements = statements;
    }

    public string Profile { get; }

    /// <summary><c>host:port</c>.</summary>
    public string Server { get; }

    /// <summary>The user setup ran as.</summary>
    public string User { get; }

    /// <summary>Whether Materialize enforces RBAC (then the three mz-deploy roles were created and granted).</summary>
    public bool RbacEnabled { get; }

    /// <summary>What this run created (<c>cluster _mz_deploy_server</c>, <c>table _mz_deploy.tables.deployments</c>, …); empty when already set up.</summary>
    public string[] Created { get; }

    /// <summary>What already existed and was left alone.</summary>
    public string[] AlreadyPresent { get; }

    /// <summary>The GRANT statements issued (every run, to heal drift; repeating a grant changes nothing).</summary>
    public string[] Grants { get; }

    /// <summary>Every statement that ran, in order.</summary>
    public string[] Statements { get; }

    public override string ToString() => Created.Length == 0 ? $"{Server}: already set up" : $"{Server}: created {Created.Length}";
}
