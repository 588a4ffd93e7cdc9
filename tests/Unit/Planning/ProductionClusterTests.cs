using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Tests.Unit.Planning;

public class ProductionClusterTests
{
    [Fact]
    public void Option_names_and_privileges_from_the_catalog_must_be_words()
    {
        var cluster = new ProductionCluster("c", true) { Size = "25cc", Options = [new("SCHEDULE); DROP CLUSTER c; --", "x")] };
        Assert.Throws<ArgumentException>(() => cluster.CreateCloneSql("c_r1"));
        var grants = new ProductionCluster("c", true) { Size = "25cc", Grants = [new ClusterGrant("USAGE ON SYSTEM TO x; --", "r")] };
        Assert.Throws<ArgumentException>(() => grants.GrantSql("c_r1").ToList());
        Assert.Throws<ArgumentException>(() => new ProductionCluster("c", true).CreateCloneSql("c_r1"));
    }

    [Fact]
    public void Markers_are_named_per_deployment()
    {
        var names = new StagingNames(DeployId.Parse("r1"));
        Assert.Equal("deploy_r1_pending", names.PendingMarker);
        Assert.Equal("deploy_r1_swapped", names.SwappedMarker);
    }
}
