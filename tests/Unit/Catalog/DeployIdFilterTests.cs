using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Catalog;

public class DeployIdFilterTests
{
    [Fact]
    public void No_ids_match_everything()
    {
        Assert.Null(DeployIdFilter.From(null).Match);
    }

    [Fact]
    public void Wildcards_match_case_insensitively_and_only_literal_ids_can_be_missing()
    {
        var filter = DeployIdFilter.From(["rel-*", "HOTFIX_1", "gone"]);
        Assert.True(filter.Match!("rel-42"));
        Assert.True(filter.Match!("hotfix_1"));
        Assert.False(filter.Match!("other"));
        Assert.Equal(["gone"], filter.LiteralsNotIn(["rel-42", "hotfix_1"]));
    }
}
