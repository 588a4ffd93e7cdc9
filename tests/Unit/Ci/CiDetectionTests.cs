using MzDeploy.Engine.Project;
using MzDeploy.PowerShell.Infrastructure.Ci;

namespace MzDeploy.Tests.Unit.Ci;

public class CiDetectionTests
{
    private static MapEnvironment Env(params (string Name, string Value)[] variables) =>
        new(variables.Select(v => new KeyValuePair<string, string>(v.Name, v.Value)));

    [Fact]
    public void The_runners_own_variables_select_their_system()
    {
        Assert.Equal(CiSystem.GitHubActions, CiDetection.Detect(Env(("GITHUB_ACTIONS", "true")), null));
        Assert.Equal(CiSystem.AzurePipelines, CiDetection.Detect(Env(("TF_BUILD", "True")), null));
        Assert.Equal(CiSystem.None, CiDetection.Detect(Env(), null));
        Assert.Equal(CiSystem.None, CiDetection.Detect(Env(("GITHUB_ACTIONS", "1"), ("TF_BUILD", "yes")), null));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("false")]
    [InlineData("Off")]
    [InlineData("no")]
    public void The_environment_variable_turns_it_off(string value)
    {
        Assert.Equal(CiSystem.None, CiDetection.Detect(Env(("GITHUB_ACTIONS", "true"), ("MZ_DEPLOY_CI_OUTPUT", value)), null));
        Assert.Equal(CiSystem.AzurePipelines, CiDetection.Detect(Env(("TF_BUILD", "True"), ("MZ_DEPLOY_CI_OUTPUT", "1")), null));
    }

    [Fact]
    public void The_preference_variable_wins_over_the_environment_variable()
    {
        var off = Env(("GITHUB_ACTIONS", "true"), ("MZ_DEPLOY_CI_OUTPUT", "0"));
        var on = Env(("GITHUB_ACTIONS", "true"));

        Assert.Equal(CiSystem.GitHubActions, CiDetection.Detect(off, true));
        Assert.Equal(CiSystem.None, CiDetection.Detect(on, false));
        Assert.Equal(CiSystem.None, CiDetection.Detect(on, new System.Management.Automation.PSObject(false)));
        Assert.Equal(CiSystem.None, CiDetection.Detect(on, 0));
    }
}
