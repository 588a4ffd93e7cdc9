using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Tests.Unit.Planning;

public class DeployIdTests
{
    [Theory]
    [InlineData("r1")]
    [InlineData("release-42")]
    [InlineData("0a1b2c3")]
    public void A_valid_id_parses_to_a_value_with_the_same_text(string text)
    {
        var id = DeployId.Parse(text);

        Assert.Equal(text, id.Value);
        Assert.Equal(text, id.ToString());
        Assert.Equal(text, (string)id);
        Assert.Equal(DeployId.Parse(text), id);
        Assert.True(DeployId.TryParse(text, out var parsed));
        Assert.Equal(id, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Release")]
    [InlineData("-r1")]
    [InlineData("r 1")]
    public void An_invalid_id_does_not_parse(string? text)
    {
        Assert.False(DeployId.TryParse(text, out var parsed));
        Assert.Equal(default, parsed);
        var error = Assert.Throws<MzDeployException>(() => DeployId.Parse(text));
        Assert.Equal(ErrorIds.InvalidDeployId.Id, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void Different_ids_are_not_equal_and_an_error_about_one_carries_its_text()
    {
        Assert.NotEqual(DeployId.Parse("r1"), DeployId.Parse("r2"));
        var error = new MzDeployException(ErrorIds.DeploymentNotFound, "m", DeployId.Parse("r1"));
        Assert.Equal("r1", Assert.IsType<string>(error.Target));
    }

    [Fact]
    public void A_deploy_id_bound_or_shown_as_a_parameter_is_its_quoted_text()
    {
        Assert.Equal(" /* $1 = 'r1' */", PlannedStatement.DescribeParameters([DeployId.Parse("r1")]));
    }
}
