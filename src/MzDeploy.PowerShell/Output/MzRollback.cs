using MzDeploy.Engine.Operations;

namespace MzDeploy;

/// <summary>What Undo-MzDeployment did (or, with -DryRun, would do): the swap back, the sinks moved back, the rolled-back version dropped.</summary>
public sealed class MzRollback
{
    internal MzRollback(UndoResult r, bool dryRun)
    {
        DeployId = r.DeployId;
        RecordedAs = r.RollbackId;
        DryRun = dryRun;
        Resumed = r.StartedFrom == Engine.Model.PromoteState.Swapped;
        SwappedSchemas = r.SchemaSwaps.Select(s => new MzStagingName(s.Production.ToString(), s.Staging.ToString())).ToArray();
        SwappedClusters = r.ClusterSwaps.Select(c => new MzStagingName(c.Production, c.Staging)).ToArray();
        RepointedSinks = r.RepointedSinks.ToArray();
        DroppedResources = r.DroppedResources.ToArray();
        Attempts = r.Attempts;
        Statements = PasteableSql.Terminate(r.Statements);
    }

    /// <summary>The deployment rolled back.</summary>
    public string DeployId { get; }

    /// <summary>The promotion the rollback is recorded as (Get-MzDeploymentHistory lists it).</summary>
    public string RecordedAs { get; }

    /// <summary>True for the plan of -DryRun: nothing ran.</summary>
    public bool DryRun { get; }

    /// <summary>True when this run finished an undo that an earlier run had swapped but not completed.</summary>
    public bool Resumed { get; }

    /// <summary>Production schema ↔ kept copy, swapped in one transaction.</summary>
    public MzStagingName[] SwappedSchemas { get; }

    /// <summary>Production cluster ↔ kept copy.</summary>
    public MzStagingName[] SwappedClusters { get; }

    /// <summary>Sinks moved back onto the restored objects (<c>sink -> object</c>).</summary>
    public string[] RepointedSinks { get; }

    /// <summary>The rolled-back version, dropped after the swap (<c>schema db.s_id</c>, <c>cluster c_id</c>).</summary>
    public string[] DroppedResources { get; }

    /// <summary>Swap transactions tried (0 for a plan).</summary>
    public int Attempts { get; }

    /// <summary>Every statement, in order (BEGIN and COMMIT included).</summary>
    public string[] Statements { get; }

    public override string ToString() => DeployId;
}
