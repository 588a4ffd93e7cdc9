using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Project;

namespace MzDeploy.Tests.Unit.Project;

public class ProfileSecretTests
{
    private const string DistinctivePassword = "Zebra7731Quokka";

    [Theory]
    [InlineData("[p]\nhost = \"h\"\npassword = \"Zebra7731Quokka\"\npassword = \"Zebra7731Quokka\"\n")]
    [InlineData("[p]\nhost = \"h\"\npassword = Zebra7731Quokka\n")]
    [InlineData("[p]\nhost = \"h\"\npassword = \"x\" Zebra7731Quokka\n")]
    [InlineData("[p]\nhost = \"h\"\n\"password\" = Zebra7731Quokka \"\n")]
    [InlineData("[p]\nhost = \"h\"\npassword = \"Zebra7731Quokka\"\n[p.password]\nx = 1\n")]
    public void TOML_syntax_errors_on_password_lines_never_echo_the_password(string toml)
    {
        using var dir = new TempDirectory();
        dir.Write("profiles.toml", toml);

        var e = Assert.Throws<ConfigFileException>(() => ProfileCatalog.Load(dir.Path, new MapEnvironment()));

        Assert.Equal("ProfilesConfigInvalid", e.ErrorId);
        Assert.NotEmpty(e.Diagnostics);
        Assert.DoesNotContain(DistinctivePassword, e.Message);
        Assert.DoesNotContain("Zebra", e.Message);
        Assert.All(e.Diagnostics, d => Assert.DoesNotContain("Zebra", d.ToString()));
    }

    [Fact]
    public void Syntax_errors_elsewhere_keep_their_detail()
    {
        using var dir = new TempDirectory();
        dir.Write("profiles.toml", "[p]\nhost = \"h\" extra\n");

        var e = Assert.Throws<ConfigFileException>(() => ProfileCatalog.Load(dir.Path, new MapEnvironment()));

        Assert.Contains("`extra`", e.Message);
    }

    [Fact]
    public void A_redefined_key_error_names_the_key_but_not_its_first_definition()
    {
        using var dir = new TempDirectory();
        dir.Write("profiles.toml", "[p]\nhost = \"h\"\npassword = \"Zebra7731Quokka\"\npassword = \"other\"\n");

        var e = Assert.Throws<ConfigFileException>(() => ProfileCatalog.Load(dir.Path, new MapEnvironment()));

        var d = Assert.Single(e.Diagnostics);
        Assert.Contains("p.password", d.Message);
        Assert.Contains("cannot be redefined", d.Message);
        Assert.Equal(4, d.Location!.Line);
        Assert.DoesNotContain("Zebra", e.Message);
    }
}
