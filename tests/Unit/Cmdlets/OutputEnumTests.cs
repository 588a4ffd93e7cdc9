using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine.Planning.Apply;

namespace MzDeploy.Tests.Unit.Cmdlets;

/// <summary>
/// Public enums mirror engine enums (engine types never cross the AssemblyLoadContext boundary), and the
/// mapper converts by value: the two must stay in step.
/// </summary>
public class OutputEnumTests
{
    [Fact]
    public void MzObjectKind_has_the_engine_object_kinds_with_the_same_values()
    {
        Assert.Equal(
            Enum.GetValues<ObjectKind>().Select(k => ((int)k, k.ToString())),
            Enum.GetValues<MzObjectKind>().Select(k => ((int)k, k.ToString())));
    }

    [Fact]
    public void MzInfrastructureKind_and_MzApplyAction_have_the_engine_values_and_map_both_ways()
    {
        Assert.Equal(
            Enum.GetValues<InfrastructureKind>().Select(k => ((int)k, k.ToString())),
            Enum.GetValues<MzInfrastructureKind>().Select(k => ((int)k, k.ToString())));
        Assert.Equal(
            Enum.GetValues<ApplyAction>().Select(k => ((int)k, k.ToString())),
            Enum.GetValues<MzApplyAction>().Select(k => ((int)k, k.ToString())));
        Assert.All(Enum.GetValues<InfrastructureKind>(), k => Assert.Equal(k, ApplyMapper.ToEngine(ApplyMapper.ToOutput(k))));
        Assert.All(Enum.GetValues<InfrastructureKind>(), k => Assert.Equal(k.ToString(), ApplyMapper.ToOutput(k).ToString()));
    }
}
