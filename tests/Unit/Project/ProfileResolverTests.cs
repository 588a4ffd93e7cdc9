using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Project;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Project;

public class ProfileResolverTests
{
    private const string DistinctivePassword = "Zebra-Quokka-7731!";

    private static MapEnvironment Env(params (string Name, string Value)[] variables) =>
        new(variables.Select(v => new KeyValuePair<string, string>(v.Name, v.Value)));

    private static ConnectionProfile Profile(string name = "prod", string? password = null, string? passwordVariable = null,
        string? username = "deployer", string? host = "mz.example.com", IReadOnlyDictionary<string, string>? options = null) =>
        new(name, host, 6875, username, password is null ? null : new SecretString(password), passwordVariable, options,
            null, null, host is null ? "https://mz.example.com" : null);

    [Fact]
    public void The_profile_parameter_wins_over_the_environment_and_mzprofile()
    {
        using var dir = new TempDirectory();
        dir.Write(".mzprofile", "fromfile\n");

        var active = ProfileResolver.ResolveActiveProfile("fromparam", dir.Path, Env(("MZ_DEPLOY_PROFILE", "fromenv")));

        Assert.Equal(new ActiveProfile("fromparam", ProfileSource.Parameter), active);
        Assert.Equal("the profile given to the command", active.SourceDescription);
    }

    [Fact]
    public void MZ_DEPLOY_PROFILE_wins_over_mzprofile()
    {
        using var dir = new TempDirectory();
        dir.Write(".mzprofile", "fromfile\n");

        var active = ProfileResolver.ResolveActiveProfile(null, dir.Path, Env(("MZ_DEPLOY_PROFILE", "fromenv")));

        Assert.Equal(new ActiveProfile("fromenv", ProfileSource.EnvironmentVariable), active);
        Assert.Equal("the MZ_DEPLOY_PROFILE environment variable", active.SourceDescription);
    }

    [Fact]
    public void Mzprofile_gives_its_first_non_blank_line_that_is_not_a_comment()
    {
        using var dir = new TempDirectory();
        dir.Write(".mzprofile", "\n   \n# the default profile for this checkout\n  staging  \nprod\n");

        var active = ProfileResolver.ResolveActiveProfile(null, dir.Path, Env(("MZ_DEPLOY_PROFILE", "  ")));

        Assert.Equal(new ActiveProfile("staging", ProfileSource.ProjectFile), active);
        Assert.Equal(".mzprofile", ProfileResolver.ProjectProfileFile);
    }

    [Fact]
    public void Nothing_selected_gives_no_profile_and_RequireName_says_how_to_select_one()
    {
        using var dir = new TempDirectory();
        dir.Write(".mzprofile", "# only a comment\n\n");

        var active = ProfileResolver.ResolveActiveProfile("", dir.Path, Env());
        Assert.Equal(ActiveProfile.None, active);
        Assert.Equal(ActiveProfile.None, ProfileResolver.ResolveActiveProfile(null, null, Env()));

        var e = Assert.Throws<MzDeployException>(() => active.RequireName());
        Assert.Equal("NoProfileSelected", e.ErrorId);
        Assert.Equal("no profile selected: none was given to the command, MZ_DEPLOY_PROFILE is not set, and the project folder has no .mzprofile file", e.Message);
        Assert.Contains("-Profile emulator", RemedyText.Render(e.Remedy!));
    }

    [Theory]
    [InlineData("prod", "MZ_PROFILE_PROD_PASSWORD")]
    [InlineData("my-prod", "MZ_PROFILE_MY_PROD_PASSWORD")]
    [InlineData("eu.west 1", "MZ_PROFILE_EU_WEST_1_PASSWORD")]
    [InlineData("Ünï", "MZ_PROFILE__N__PASSWORD")]
    public void The_password_override_variable_upper_cases_and_replaces_non_alphanumerics(string profile, string expected)
    {
        Assert.Equal(expected, ProfileResolver.PasswordOverrideVariable(profile));
    }

    [Fact]
    public void A_literal_password_is_used_when_nothing_overrides_it()
    {
        var settings = ProfileResolver.ResolveConnection(Profile(password: "file-secret"), Env());

        Assert.Equal("file-secret", settings.Password!.Reveal());
    }

    [Fact]
    public void A_dollar_brace_password_reads_the_variable_at_connect_time()
    {
        var profile = Profile(passwordVariable: "PROD_MZ_PASSWORD");

        var settings = ProfileResolver.ResolveConnection(profile, Env(("PROD_MZ_PASSWORD", "from-var")));

        Assert.Equal("from-var", settings.Password!.Reveal());
    }

    [Fact]
    public void MZ_PROFILE_NAME_PASSWORD_wins_over_the_file_and_over_dollar_brace()
    {
        var literal = ProfileResolver.ResolveConnection(Profile("my-prod", password: "file-secret"),
            Env(("MZ_PROFILE_MY_PROD_PASSWORD", "override")));
        var variable = ProfileResolver.ResolveConnection(Profile("my-prod", passwordVariable: "PROD_MZ_PASSWORD"),
            Env(("MZ_PROFILE_MY_PROD_PASSWORD", "override"), ("PROD_MZ_PASSWORD", "from-var")));
        var variableUnset = ProfileResolver.ResolveConnection(Profile("my-prod", passwordVariable: "UNSET_VAR"),
            Env(("MZ_PROFILE_MY_PROD_PASSWORD", "override")));

        Assert.Equal("override", literal.Password!.Reveal());
        Assert.Equal("override", variable.Password!.Reveal());
        Assert.Equal("override", variableUnset.Password!.Reveal());
    }

    [Fact]
    public void The_override_variable_also_applies_to_the_built_in_emulator()
    {
        var settings = ProfileResolver.ResolveConnection(ConnectionProfile.BuiltInEmulator, Env(("MZ_PROFILE_EMULATOR_PASSWORD", "pw")));

        Assert.Equal("pw", settings.Password!.Reveal());
        Assert.Equal("materialize", settings.Username);
        Assert.Equal("localhost", settings.Host);
    }

    [Fact]
    public void A_missing_dollar_brace_variable_is_an_error_naming_variable_and_profile_but_no_value()
    {
        var profile = Profile(passwordVariable: "PROD_MZ_PASSWORD");

        var e = Assert.Throws<MzDeployException>(() => ProfileResolver.ResolveConnection(profile, Env(("OTHER", DistinctivePassword))));

        Assert.Equal("ProfilePasswordVariableNotFound", e.ErrorId);
        Assert.Equal("environment variable 'PROD_MZ_PASSWORD' not found for profile 'prod'", e.Message);
        Assert.Contains("MZ_PROFILE_PROD_PASSWORD", RemedyText.Render(e.Remedy!));
        Assert.DoesNotContain(DistinctivePassword, e.Message + RemedyText.Render(e.Remedy!));
    }

    [Fact]
    public void Credential_overrides_replace_user_and_password_together()
    {
        var profile = Profile(password: "file-secret");

        var withBoth = ProfileResolver.ResolveConnection(profile, Env(("MZ_PROFILE_PROD_PASSWORD", "env")), "alice", new SecretString("cred"));
        var userOnly = ProfileResolver.ResolveConnection(profile, Env(), "alice");

        Assert.Equal("alice", withBoth.Username);
        Assert.Equal("cred", withBoth.Password!.Reveal());
        Assert.Equal("alice", userOnly.Username);
        Assert.Null(userOnly.Password);
    }

    [Fact]
    public void Connection_settings_carry_every_profile_value_and_the_defaults()
    {
        var options = new Dictionary<string, string> { ["statement_timeout"] = "60s" };
        var profile = new ConnectionProfile("prod", "mz.example.com", 6877, "deployer", null, null, options,
            SslMode.VerifyCa, "/ca.pem", null);

        var settings = ProfileResolver.ResolveConnection(profile, Env());
        var custom = ProfileResolver.ResolveConnection(profile, Env(), database: "_mz_deploy", applicationName: "test-app");

        Assert.Equal("prod", settings.ProfileName);
        Assert.Equal("mz.example.com", settings.Host);
        Assert.Equal(6877, settings.Port);
        Assert.Equal("deployer", settings.Username);
        Assert.Null(settings.Password);
        Assert.Equal("materialize", settings.Database);
        Assert.Equal("60s", settings.Options["statement_timeout"]);
        Assert.Equal(SslMode.VerifyCa, settings.SslMode);
        Assert.Equal("/ca.pem", settings.SslRootCert);
        Assert.Equal("MzDeploy", settings.ApplicationName);
        Assert.Equal("_mz_deploy", custom.Database);
        Assert.Equal("test-app", custom.ApplicationName);
    }

    [Fact]
    public void A_profile_without_a_sql_host_or_user_cannot_connect()
    {
        var noHost = Assert.Throws<MzDeployException>(() => ProfileResolver.ResolveConnection(Profile(host: null), Env()));
        var noUser = Assert.Throws<MzDeployException>(() => ProfileResolver.ResolveConnection(Profile(username: null), Env()));

        Assert.Equal("ProfileIncomplete", noHost.ErrorId);
        Assert.Equal("profile 'prod' has no SQL host configured (it only sets http_host)", noHost.Message);
        Assert.Equal("ProfileIncomplete", noUser.ErrorId);
        Assert.Equal("profile 'prod' has no username configured", noUser.Message);
        Assert.Equal("bob", ProfileResolver.ResolveConnection(Profile(username: null), Env(), "bob").Username);
    }

    [Fact]
    public void The_Npgsql_connection_string_has_the_password_and_the_description_does_not()
    {
        var options = new Dictionary<string, string> { ["cluster"] = "_mz_deploy_server", ["search_path"] = "a b\\c" };
        var profile = Profile(password: DistinctivePassword, options: options);

        var settings = ProfileResolver.ResolveConnection(profile, Env());
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(settings.ToNpgsqlConnectionString());

        Assert.Equal(DistinctivePassword, builder.Password);
        Assert.Equal("mz.example.com", builder.Host);
        Assert.Equal(6875, builder.Port);
        Assert.Equal("deployer", builder.Username);
        Assert.Equal("materialize", builder.Database);
        Assert.Equal("MzDeploy", builder.ApplicationName);
        Assert.Equal(Npgsql.SslMode.Require, builder.SslMode);
        Assert.Equal("-c cluster=_mz_deploy_server -c search_path=a\\ b\\\\c", builder.Options);

        var description = settings.ToString();
        Assert.DoesNotContain(DistinctivePassword, description);
        Assert.Contains("********", description);
        Assert.Contains("mz.example.com", description);
        Assert.DoesNotContain(DistinctivePassword, $"{settings with { Database = "x" }}");
    }

    [Fact]
    public void WithOption_pins_a_session_option_without_changing_the_original()
    {
        var settings = ProfileResolver.ResolveConnection(Profile(options: new Dictionary<string, string> { ["cluster"] = "mine" }), Env());

        var pinned = settings.WithOption("cluster", "_mz_deploy_server");

        Assert.Equal("_mz_deploy_server", pinned.Options["cluster"]);
        Assert.Equal("mine", settings.Options["cluster"]);
    }

    [Fact]
    public void A_secret_compares_by_value_and_prints_redacted()
    {
        var a = new SecretString(DistinctivePassword);

        Assert.Equal(new SecretString(DistinctivePassword), a);
        Assert.NotEqual(new SecretString("other"), a);
        Assert.Equal("********", a.ToString());
        Assert.Equal("********", $"{a}");
    }
}
