namespace MzDeploy;

/// <summary>A production schema or cluster and the staging copy a deployment creates next to it.</summary>
public sealed class MzStagingName
{
    internal MzStagingName(string production, string staging)
    {
        Production = production;
        Staging = staging;
    }

    /// <summary>The production name (<c>db.schema</c> or cluster).</summary>
    public string Production { get; }

    /// <summary>The staging name (<c>db.schema_&lt;id&gt;</c> or <c>cluster_&lt;id&gt;</c>).</summary>
    public string Staging { get; }

    public override string ToString() => $"{Production} -> {Staging}";
}

/// <summary>What Invoke-MzStage -DryRun would do: the names it would create and the exact SQL, in execution order.</summary>
public sealed class MzStagePlan
{
    internal MzStagePlan(string deployId, MzStagingName[] schemas, MzStagingName[] clusters, string[] objects, string[] sinks,
        string[] replacementMaterializedViews, string[] statements, string[] reasons)
    {
        DeployId = deployId;
        Schemas = schemas;
        Clusters = clusters;
        Objects = objects;
        Sinks = sinks;
        ReplacementMaterializedViews = replacementMaterializedViews;
        Statements = statements;
        Reasons = reasons;
    }

    public string DeployId { get; }

    /// <summary>Production schema → staging schema.</summary>
    public MzStagingName[] Schemas { get; }

    /// <summary>Production cluster → staging cluster.</summary>
    public MzStagingName[] Clusters { get; }

    /// <summary>Views and materialized views staged (<c>db.schema.name</c>, production names), dependencies first.</summary>
    public string[] Objects { get; }

    /// <summary>Sinks created at promotion.</summary>
    public string[] Sinks { get; }

    /// <summary>Materialized views of stable schemas replaced in place at promotion.</summary>
    public string[] ReplacementMaterializedViews { get; }

    /// <summary>The exact SQL, in execution order.</summary>
    public string[] Statements { get; }

    /// <summary>Why each object is redeployed ("db.schema.name: changed", "…: depends on …").</summary>
    public string[] Reasons { get; }
}

/// <summary>What Remove-MzDeployment dropped.</summary>
public sealed class MzAbortResult
{
    internal MzAbortResult(string deployId, string[] droppedSchemas, string[] droppedClusters)
    {
        DeployId = deployId;
        DroppedSchemas = droppedSchemas;
        DroppedClusters = droppedClusters;
    }

    public string DeployId { get; }

    /// <summary>The staging schemas dropped (<c>db.schema</c>).</summary>
    public string[] DroppedSchemas { get; }

    /// <summary>The staging clusters dropped.</summary>
    public string[] DroppedClusters { get; }
}
