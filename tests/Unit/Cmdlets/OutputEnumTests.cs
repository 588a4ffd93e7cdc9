using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

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
}
