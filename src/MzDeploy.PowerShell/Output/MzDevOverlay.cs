using System.Management.Automation;

namespace MzDeploy;

/// <summary>One object of a dev overlay: where it was built and the production object it shadows.</summary>
public sealed class MzDevOverlayObject
{
    internal MzDevOverlayObject(string name, string kind, string overlay, string? production, string reason)
    {
        Name = name;
        Kind = kind;
        Overlay = overlay;
        Production = production;
        Reason = reason;
    }

    /// <summary>The project name (<c>database.schema.name</c>).</summary>
    public string Name { get; }

    /// <summary>View or MaterializedView.</summary>
    public string Kind { get; }

    /// <summary>Where the overlay holds it: <c>&lt;database&gt;__&lt;profile&gt;.schema.name</c>.</summary>
    public string Overlay { get; }

    /// <summary>Its production counterpart, or null when production has none (a new object).</summary>
    public string? Production { get; }

    /// <summary>Why it is overlaid: changed, new, depends on …, same schema as ….</summary>
    public string Reason { get; }

    public override string ToString() => Production is null ? $"{Overlay} (new)" : $"{Overlay} <- {Production}";
}

/// <summary>
/// What New-MzDevOverlay built (or, with -DryRun, would build): the overlay databases, the objects with their production
/// counterparts, the changed objects left out, the earlier overlay databases dropped, and every statement.
/// </summary>
public sealed class MzDevOverlay
{
    internal MzDevOverlay(string profile, string project, string cluster, string[] databases, MzDevOverlayObject[] objects, string[] skipped,
        string[] dropped, string[] statements, bool dryRun)
    {
        Profile = profile;
        Project = project;
        Cluster = cluster;
        Databases = databases;
        Objects = objects;
        Skipped = skipped;
        Dropped = dropped;
        Statements = statements;
        DryRun = dryRun;
    }

    /// <summary>The developer's profile: part of every overlay database's name.</summary>
    public string Profile { get; }

    /// <summary>The project's name (its folder), under which the overlay is recorded.</summary>
    public string Project { get; }

    /// <summary>The cluster every overlaid materialized view and index runs on.</summary>
    public string Cluster { get; }

    /// <summary>The overlay databases, <c>&lt;database&gt;__&lt;profile&gt;</c>.</summary>
    public string[] Databases { get; }

    /// <summary>The overlaid views and materialized views, dependencies first.</summary>
    public MzDevOverlayObject[] Objects { get; }

    /// <summary>Changed objects a dev overlay leaves out (sinks, tables, sources, connections, secrets): "Kind name: reason".</summary>
    public string[] Skipped { get; }

    /// <summary>Earlier overlay databases of this profile and project that were dropped first.</summary>
    public string[] Dropped { get; }

    /// <summary>Every statement, in order: the teardown, then the build.</summary>
    public string[] Statements { get; }

    /// <summary>True when nothing ran: the result of -DryRun.</summary>
    public bool DryRun { get; }

    public override string ToString() => $"{Profile} on {Cluster}: {Objects.Length} object(s) in {string.Join(", ", Databases)}";
}

/// <summary>What Remove-MzDevOverlay dropped: the overlay databases of a profile and project, and the statements.</summary>
public sealed class MzDevOverlayRemoval
{
    internal MzDevOverlayRemoval(string profile, string project, string[] dropped, string[] statements)
    {
        Profile = profile;
        Project = project;
        Dropped = dropped;
        Statements = statements;
    }

    public string Profile { get; }

    public string Project { get; }

    /// <summary>The overlay databases dropped (recorded, or stray names of an interrupted run); empty when there were none.</summary>
    public string[] Dropped { get; }

    /// <summary>The statements run.</summary>
    public string[] Statements { get; }

    public override string ToString() => $"{Profile}: {Dropped.Length} overlay database(s) dropped";
}

/// <summary>
/// An overlaid object's rows against its production counterpart's, read at one timestamp (New-MzDevOverlay -Compare): the row
/// counts and their difference, how many rows only one side has (as multisets, over the columns both have), and a sample
/// of those rows as objects with the column names as properties.
/// </summary>
public sealed class MzDevOverlayComparison
{
    internal MzDevOverlayComparison(string name, string overlay, string production, long overlayCount, long productionCount,
        long onlyInOverlayCount, long onlyInProductionCount, PSObject[] onlyInOverlay, PSObject[] onlyInProduction, string[] columns,
        string[] overlayOnlyColumns, string[] productionOnlyColumns)
    {
        Name = name;
        Overlay = overlay;
        Production = production;
        OverlayCount = overlayCount;
        ProductionCount = productionCount;
        OnlyInOverlayCount = onlyInOverlayCount;
        OnlyInProductionCount = onlyInProductionCount;
        OnlyInOverlay = onlyInOverlay;
        OnlyInProduction = onlyInProduction;
        Columns = columns;
        OverlayOnlyColumns = overlayOnlyColumns;
        ProductionOnlyColumns = productionOnlyColumns;
    }

    /// <summary>The project name.</summary>
    public string Name { get; }

    public string Overlay { get; }

    public string Production { get; }

    /// <summary>Rows the overlay holds.</summary>
    public long OverlayCount { get; }

    /// <summary>Rows production holds.</summary>
    public long ProductionCount { get; }

    /// <summary><see cref="OverlayCount"/> minus <see cref="ProductionCount"/>.</summary>
    public long CountDifference => OverlayCount - ProductionCount;

    /// <summary>Rows (counted with repeats) the overlay has and production does not.</summary>
    public long OnlyInOverlayCount { get; }

    /// <summary>Rows (counted with repeats) production has and the overlay does not.</summary>
    public long OnlyInProductionCount { get; }

    /// <summary>A sample (at most -SampleSize) of the rows only the overlay has.</summary>
    public PSObject[] OnlyInOverlay { get; }

    /// <summary>A sample (at most -SampleSize) of the rows only production has.</summary>
    public PSObject[] OnlyInProduction { get; }

    /// <summary>The columns compared (those both sides have).</summary>
    public string[] Columns { get; }

    /// <summary>Columns only the overlay has (not compared).</summary>
    public string[] OverlayOnlyColumns { get; }

    /// <summary>Columns only production has (not compared).</summary>
    public string[] ProductionOnlyColumns { get; }

    /// <summary>Same columns and the same rows.</summary>
    public bool Identical => OnlyInOverlayCount == 0 && OnlyInProductionCount == 0 && OverlayOnlyColumns.Length == 0 && ProductionOnlyColumns.Length == 0;

    public override string ToString() => Identical
        ? $"{Name}: identical ({OverlayCount} row(s))"
        : $"{Name}: {OnlyInOverlayCount} row(s) only in the overlay, {OnlyInProductionCount} only in production";
}
