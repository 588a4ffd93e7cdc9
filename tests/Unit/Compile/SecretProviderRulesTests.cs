using MzDeploy.Engine;
using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Errors;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Compile;

/// <summary>aws_secret() is not in this build: compiling refuses it at the call, saying what to use instead.</summary>
public sealed class SecretProviderRulesTests
{
    private static CompiledProject Compile(Dictionary<string, string> files)
    {
        using var project = new TempProject(files, "# test\n");
        return ProjectCompiler.Compile(project.Root, null);
    }

    [Fact]
    public void An_aws_secret_call_is_a_positioned_compile_error_with_the_alternatives()
    {
        var project = Compile(new()
        {
            ["models/materialize/raw/db_password.sql"] = "-- the warehouse password\nCREATE SECRET db_password AS\n    AWS_SECRET('prod/warehouse');",
        });

        var error = Assert.Single(project.Diagnostics);
        Assert.Equal(ErrorIds.SecretProviderUnavailable.Id, error.ErrorId);
        Assert.Equal(new SourceLocation("models/materialize/raw/db_password.sql", 3, 5), error.Location);
        Assert.Equal("secret materialize.raw.db_password: the aws_secret() provider is not available in this build of MzDeploy "
                     + "(it does not include the AWS SDK for .NET)", error.Message);
        var remedy = RemedyText.Render(error.Remedy!);
        Assert.Contains("env_var('NAME')", remedy, StringComparison.Ordinal);
        Assert.Contains("Invoke-MzApply -SecretValue @{ 'materialize.raw.db_password' = <SecureString> }", remedy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CREATE SECRET s AS env_var('PW');")]
    [InlineData("CREATE SECRET s AS 'placeholder';")]
    [InlineData("CREATE SECRET s AS decode('c2VjcmV0', 'base64');")]
    public void Other_values_compile(string sql)
    {
        Assert.Empty(Compile(new() { ["models/materialize/raw/s.sql"] = sql }).Diagnostics);
    }
}
