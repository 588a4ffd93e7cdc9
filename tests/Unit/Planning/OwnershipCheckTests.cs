using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using Xunit;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Planning;

public class OwnershipCheckTests
{
    private static readonly SchemaId Marts = new("app", "marts");
    private static readonly ObjectId Counts = new("app", "marts", "counts");
    private static readonly IReadOnlySet<ObjectId> Managed = new HashSet<ObjectId> { Counts, new("app", "other", "managed_mv") };

    private static IReadOnlyList<UnmanagedObject> Find(params CatalogItem[] items) =>
        OwnershipCheck.Find(items, Managed, [Marts], ["compute"]);

    [Fact]
    public void Managed_objects_and_their_indexes_pass()
    {
        Assert.Empty(Find(
            new CatalogItem(Counts, "materialized-view", "alice", "compute"),
            new CatalogItem(Counts with { Name = "counts_idx" }, "index", "alice", "compute", "counts"),
            new CatalogItem(new ObjectId("app", "other", "managed_mv"), "materialized-view", "alice", "compute")));
    }

    [Fact]
    public void A_table_made_by_hand_in_a_swapped_schema_is_named_with_kind_owner_and_place()
    {
        var found = Assert.Single(Find(new CatalogItem(new ObjectId("app", "marts", "select"), "table", "bob", null)));
        Assert.Equal("table app.marts.select (owner bob, in schema app.marts)", found.ToString());
    }

    [Fact]
    public void An_index_made_by_hand_on_a_foreign_object_is_foreign_too()
    {
        var found = Find(new CatalogItem(new ObjectId("app", "marts", "t_idx"), "index", "bob", "compute", "t"));
        Assert.Equal("index app.marts.t_idx (owner bob, in schema app.marts)", Assert.Single(found).ToString());
    }

    [Fact]
    public void Every_source_or_sink_on_a_swapped_cluster_is_refused_even_when_the_project_manages_it()
    {
        var managedSink = new ObjectId("app", "other", "managed_mv") with { Name = "export" };
        var found = OwnershipCheck.Find(
            [
                new CatalogItem(new ObjectId("app", "ingest", "pg_source"), "source", "alice", "compute"),
                new CatalogItem(managedSink, "sink", "alice", "compute"),
            ],
            new HashSet<ObjectId>(Managed) { managedSink }, [Marts], ["compute"]);
        Assert.Equal(["source app.ingest.pg_source (owner alice, on cluster compute)", "sink app.other.export (owner alice, on cluster compute)"],
            found.Select(f => f.ToString()));
    }

    [Fact]
    public void A_materialized_view_outside_the_project_on_a_swapped_cluster_is_foreign()
    {
        var found = Find(new CatalogItem(new ObjectId("materialize", "public", "adhoc"), "materialized-view", "carol", "compute"));
        Assert.Equal("materialized-view materialize.public.adhoc (owner carol, on cluster compute)", Assert.Single(found).ToString());
    }

    [Fact]
    public void Objects_elsewhere_are_not_the_promote_s_business()
    {
        Assert.Empty(Find(
            new CatalogItem(new ObjectId("materialize", "public", "t"), "table", "bob", null),
            new CatalogItem(new ObjectId("materialize", "public", "src"), "source", "bob", "ingest")));
    }

    [Fact]
    public void After_the_swap_the_old_copy_is_checked_under_its_staging_name()
    {
        var names = new StagingNames(DeployId.Parse("a1b2c3d"));
        var managed = OwnershipCheck.WithStagingCopies(Managed, names, [Marts]);
        var oldCopy = new SchemaId("app", "marts_a1b2c3d");
        var found = OwnershipCheck.Find(
            [
                new CatalogItem(Counts with { Schema = "marts_a1b2c3d" }, "materialized-view", "alice", "compute_a1b2c3d"),
                new CatalogItem(new ObjectId("app", "marts_a1b2c3d", "late"), "table", "bob", null),
            ],
            managed, [oldCopy], ["compute_a1b2c3d"]);
        Assert.Equal("table app.marts_a1b2c3d.late (owner bob, in schema app.marts_a1b2c3d)", Assert.Single(found).ToString());
    }

    [Fact]
    public void The_refusal_names_every_object_and_the_ways_out()
    {
        var error = OwnershipCheck.Refusal("d1", Find(new CatalogItem(new ObjectId("app", "marts", "select"), "table", "bob", null)), "once promoted");
        Assert.Equal(ErrorIds.UnmanagedObjects.Id, error.ErrorId);
        Assert.Contains("table app.marts.select (owner bob, in schema app.marts)", error.Message, StringComparison.Ordinal);
        Assert.Contains("-DropUnmanagedObjects", RemedyText.Render(error.Remedy!), StringComparison.Ordinal);
        Assert.Contains("add it to the project", RemedyText.Render(error.Remedy!), StringComparison.Ordinal);
    }
}
