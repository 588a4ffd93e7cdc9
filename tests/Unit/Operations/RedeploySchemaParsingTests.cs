using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Tests.Unit.Operations;

/// <summary>-RedeploySchema: mz-deploy's comma list and PowerShell's array mean the same thing.</summary>
public class RedeploySchemaParsingTests
{
    private static IReadOnlyList<string> Parse(params string[] entries) =>
        StageOperation.ParseRedeploySchemas(entries).Select(s => s.ToString()).ToList();

    [Fact]
    public void A_comma_list_is_split_trimmed_and_empty_parts_ignored_like_the_array_form()
    {
        Assert.Equal(["app.core", "app.ops"], Parse("app.core", "app.ops"));
        Assert.Equal(["app.core", "app.ops"], Parse("app.core,app.ops"));
        Assert.Equal(["app.core", "app.ops", "x.y"], Parse(" app.core , ,app.ops,", "x.y"));
        Assert.Empty(StageOperation.ParseRedeploySchemas(null));
    }

    [Fact]
    public void A_malformed_entry_of_a_list_is_named_in_the_error()
    {
        var error = Assert.Throws<MzDeployException>(() => Parse("app.core,ops"));

        Assert.Equal(ErrorIds.InvalidRedeploySchema.Id, error.ErrorId);
        Assert.Contains("'ops'", error.Message);
        Assert.DoesNotContain("app.core", error.Message);
    }
}
