using MzDeploy.Engine.Model;

namespace MzDeploy.Engine.Planning.DevOverlay;

/// <summary>One overlay database: the project database it shadows and its own name.</summary>
public sealed record DevOverlayDatabase(string ProjectDatabase, string Name);

/// <summary>
/// One object built in the overlay.
/// </summary>
/// <param name="Id">The project name.</param>
/// <param name="Kind">A view or a materialized view.</param>
/// <param name="Overlay">Where it is created (the overlay database).</param>
/// <param name="Production">Its production counterpart, or null when production has none (a new object).</param>
/// <param name="Reason">Why it is overlaid (changed, depends on …, same schema as …).</param>
public sealed record DevOverlayObject(ObjectId Id, ObjectKind Kind, ObjectId Overlay, ObjectId? Production, string Reason);

/// <summary>A changed object the overlay leaves out (tables, sources, sinks, connections, secrets): it reads production's.</summary>
public sealed record DevOverlaySkipped(ObjectId Id, ObjectKind? Kind, string Reason);

/// <summary>
/// What a dev overlay run does, as exact statements: <see cref="Teardown"/> drops every overlay database this profile and
/// project recorded, forgets the records and drops stray overlay names; <see cref="Build"/> creates each overlay database,
/// records it at once (so an interrupted run is cleaned by the next), its schemas, the overlaid objects in dependency order,
/// then their indexes. A removal has no <see cref="Build"/>.
/// </summary>
public sealed class DevOverlayPlan
{
    internal DevOverlayPlan(string profile, string project, string? cluster, IReadOnlyList<DevOverlayDatabase> databases,
        IReadOnlyList<DevOverlayObject> objects, IReadOnlyList<DevOverlaySkipped> skipped, IReadOnlyList<string> dropped,
        IReadOnlyList<PlannedStatement> teardown, IReadOnlyList<PlannedStatement> build)
    {
        Profile = profile;
        Project = project;
        Cluster = cluster;
        Databases = databases;
        Objects = objects;
        Skipped = skipped;
        Dropped = dropped;
        Teardown = teardown;
        Build = build;
    }

    /// <summary>The developer's profile (part of every overlay name, and of the manifest key).</summary>
    public string Profile { get; }

    /// <summary>The project's name in the manifest (its folder name).</summary>
    public string Project { get; }

    /// <summary>The cluster every overlaid materialized view and index runs on; null for a removal.</summary>
    public string? Cluster { get; }

    /// <summary>The overlay databases built, in name order.</summary>
    public IReadOnlyList<DevOverlayDatabase> Databases { get; }

    /// <summary>The overlaid objects, dependencies first.</summary>
    public IReadOnlyList<DevOverlayObject> Objects { get; }

    /// <summary>Changed objects left out of the overlay.</summary>
    public IReadOnlyList<DevOverlaySkipped> Skipped { get; }

    /// <summary>The overlay databases the teardown drops (recorded, or stray), in name order.</summary>
    public IReadOnlyList<string> Dropped { get; }

    /// <summary>Drops of the previous overlay and its records.</summary>
    public IReadOnlyList<PlannedStatement> Teardown { get; }

    /// <summary>The new overlay; empty for a removal or when nothing differs from production.</summary>
    public IReadOnlyList<PlannedStatement> Build { get; }

    /// <summary>Every statement in the order it runs.</summary>
    public IEnumerable<PlannedStatement> Statements => Teardown.Concat(Build);
}

/// <summary>
/// The manifest rows (<c>dev_overlays</c>) as statements, supplied by the catalog layer: <see cref="Record"/> writes the row
/// of one overlay database, <see cref="Forget"/> deletes every row of this profile and project.
/// </summary>
internal sealed record DevOverlayTracking(Func<string, PlannedStatement> Record, PlannedStatement Forget);
