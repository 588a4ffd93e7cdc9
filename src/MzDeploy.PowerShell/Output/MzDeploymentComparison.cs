using System.Management.Automation;

namespace MzDeploy;

/// <summary>
/// Compare-MzDeployment: one staged view or materialized view compared with its production counterpart at one timestamp —
/// row counts, how many rows only one side has (as multisets, over the columns both have) and a sample of those rows as
/// objects with the column names as properties.
/// </summary>
public sealed class MzDeploymentComparison
{
    internal MzDeploymentComparison(string deployId, string name, string kind, string staging, long productionCount, long stagingCount,
        long onlyInProductionCount, long onlyInStagingCount, PSObject[] onlyInProduction, PSObject[] onlyInStaging, string[] columns,
        string[] productionOnlyColumns, string[] stagingOnlyColumns, string statement)
    {
        DeployId = deployId;
        Name = name;
        Kind = kind;
        Staging = staging;
        ProductionCount = productionCount;
        StagingCount = stagingCount;
        OnlyInProductionCount = onlyInProductionCount;
        OnlyInStagingCount = onlyInStagingCount;
        OnlyInProduction = onlyInProduction;
        OnlyInStaging = onlyInStaging;
        Columns = columns;
        ProductionOnlyColumns = productionOnlyColumns;
        StagingOnlyColumns = stagingOnlyColumns;
        Statement = statement;
    }

    public string DeployId { get; }

    /// <summary>The production object (db.schema.name).</summary>
    public string Name { get; }

    /// <summary><c>View</c> or <c>MaterializedView</c> (the staged object's kind).</summary>
    public string Kind { get; }

    /// <summary>The staged object (db.schema_id.name).</summary>
    public string Staging { get; }

    /// <summary>Rows production holds.</summary>
    public long ProductionCount { get; }

    /// <summary>Rows the staged version holds.</summary>
    public long StagingCount { get; }

    /// <summary><see cref="StagingCount"/> minus <see cref="ProductionCount"/>.</summary>
    public long CountDifference => StagingCount - ProductionCount;

    /// <summary>Rows (counted with repeats) production has and the staged version does not.</summary>
    public long OnlyInProductionCount { get; }

    /// <summary>Rows (counted with repeats) the staged version has and production does not.</summary>
    public long OnlyInStagingCount { get; }

    /// <summary><see cref="OnlyInProductionCount"/> plus <see cref="OnlyInStagingCount"/>: what Publish-MzDeployment -MaxChangedRows limits.</summary>
    public long ChangedRows => OnlyInProductionCount + OnlyInStagingCount;

    /// <summary>Same columns and the same rows.</summary>
    public bool Identical => ChangedRows == 0 && ProductionOnlyColumns.Length == 0 && StagingOnlyColumns.Length == 0;

    /// <summary>A sample (at most -SampleSize) of the rows only production has.</summary>
    public PSObject[] OnlyInProduction { get; }

    /// <summary>A sample (at most -SampleSize) of the rows only the staged version has.</summary>
    public PSObject[] OnlyInStaging { get; }

    /// <summary>The columns compared (both versions have them).</summary>
    public string[] Columns { get; }

    /// <summary>Columns only production has (not compared).</summary>
    public string[] ProductionOnlyColumns { get; }

    /// <summary>Columns only the staged version has (not compared).</summary>
    public string[] StagingOnlyColumns { get; }

    /// <summary>The SELECT that read the counts and samples.</summary>
    public string Statement { get; }
}

/// <summary>Compare-MzDeployment -DryRun: what the comparison would read, with the exact statements, and what it leaves out.</summary>
public sealed class MzDeploymentComparisonPlan
{
    internal MzDeploymentComparisonPlan(string deployId, string? cluster, string[] objects, string[] uncompared, string[] statements)
    {
        DeployId = deployId;
        Cluster = cluster;
        Objects = objects;
        Uncompared = uncompared;
        Statements = statements;
    }

    public string DeployId { get; }

    /// <summary>The cluster the SELECTs run on (a staging cluster of the deployment), or null for the connection's.</summary>
    public string? Cluster { get; }

    /// <summary>The production objects compared, each with its staged counterpart (<c>name &lt;- staging name</c>).</summary>
    public string[] Objects { get; }

    /// <summary>Staged views and materialized views without a production counterpart: new, so not compared.</summary>
    public string[] Uncompared { get; }

    /// <summary>Every statement the comparison sends, in order.</summary>
    public string[] Statements { get; }
}
