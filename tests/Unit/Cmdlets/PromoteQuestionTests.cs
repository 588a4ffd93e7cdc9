using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning;
using MzDeploy.PowerShell.Cmdlets;

namespace MzDeploy.Tests.Unit.Cmdlets;

/// <summary>What Publish-MzDeployment asks: counts plus names of what is swapped and dropped, short.</summary>
public class PromoteQuestionTests
{
    private static PromoteResult Plan(int schemas, IReadOnlyList<string>? sinks = null) => new("a1b2c3d", PromoteState.NotStarted, null,
        Enumerable.Range(1, schemas).Select(i => new SchemaMapping(new SchemaId("materialize", $"s{i}"), new SchemaId("materialize", $"s{i}_a1b2c3d"),
            DeploymentKind.Objects)).ToList(),
        [new ClusterMapping("orders", "orders_a1b2c3d")], sinks ?? [], [], [],
        [.. Enumerable.Range(1, schemas).Select(i => $"schema materialize.s{i}_a1b2c3d"), "cluster orders_a1b2c3d"], [], ["BEGIN", "COMMIT"], 0, []);

    [Fact]
    public void Names_the_swapped_schemas_and_clusters_and_what_is_dropped()
    {
        var question = PromoteQuestion.For("Promote", Plan(2, ["materialize.exports.out"]), "localhost:6875");

        Assert.Equal(string.Join(Environment.NewLine,
            "Promote deployment 'a1b2c3d' on localhost:6875?",
            "  Swap into production 2 schema(s): materialize.s1, materialize.s2",
            "  Swap into production 1 cluster(s): orders",
            "  Create 1 sink(s): materialize.exports.out",
            "  Then drop the previous version: 3 resource(s): schema materialize.s1_a1b2c3d, schema materialize.s2_a1b2c3d, cluster orders_a1b2c3d"),
            question);
    }

    [Fact]
    public void Long_lists_are_cut_after_five_names()
    {
        var question = PromoteQuestion.For("Promote", Plan(7), "localhost:6875");

        Assert.Contains("  Swap into production 7 schema(s): materialize.s1, materialize.s2, materialize.s3, materialize.s4, materialize.s5 and 2 more",
            question);
        Assert.DoesNotContain("BEGIN", question);
    }
}
