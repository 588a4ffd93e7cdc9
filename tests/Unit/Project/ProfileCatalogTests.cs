using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Project;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Project;

public class ProfileCatalogTests
{
    private const string DistinctivePassword = "Zebra-Quokka-7731!";

    private static ProfileCatalog Load(TempDirectory dir, string toml, IEnvironment? environment = null)
    {
        dir.Write("profiles/profiles.toml", toml);
        return ProfileCatalog.Load(Path.Combine(dir.Path, "profiles"), environment ?? new MapEnvironment());
    }

    private static ConfigFileException LoadFails(TempDirectory dir, string toml)
    {
        var e = Assert.Throws<ConfigFileException>(() => Load(dir, toml));
        Assert.Equal("ProfilesConfigInvalid", e.ErrorId);
        return e;
    }

    [Fact]
    public void Reads_every_key_of_a_profile()
    {
        using var dir = new TempDirectory();
        var catalog = Load(dir, $"""
            [prod]
            host = "abc.eu-west-1.aws.materialize.cloud"
            port = 6876
            username = "deployer@example.com"
            password = "{DistinctivePassword}"
            sslmode = "verify-full"
            sslrootcert = "/etc/ssl/ca.pem"
            http_host = "https://abc.eu-west-1.aws.materialize.cloud"

            [prod.options]
            statement_timeout = "60s"
            transaction_isolation = "strict serializable"
            max_rows = 100
            enable_x = true
            """);

        var prod = catalog.Get("prod");
        Assert.Equal("abc.eu-west-1.aws.materialize.cloud", prod.Host);
        Assert.Equal(6876, prod.Port);
        Assert.Equal("deployer@example.com", prod.Username);
        Assert.Equal(DistinctivePassword, prod.Password!.Reveal());
        Assert.Null(prod.PasswordVariable);
        Assert.Equal(SslMode.VerifyFull, prod.SslMode);
        Assert.False(prod.IsSslModeDefault);
        Assert.Equal("/etc/ssl/ca.pem", prod.SslRootCert);
        Assert.Equal("https://abc.eu-west-1.aws.materialize.cloud", prod.HttpHost);
        Assert.Equal("60s", prod.Options["statement_timeout"]);
        Assert.Equal("strict serializable", prod.Options["transaction_isolation"]);
        Assert.Equal("100", prod.Options["max_rows"]);
        Assert.Equal("true", prod.Options["enable_x"]);
        Assert.False(prod.IsBuiltIn);
        Assert.Equal(catalog.FilePath, prod.SourcePath);
        Assert.True(catalog.FileExists);
    }

    [Fact]
    public void Defaults_are_port_6875_and_sslmode_by_host()
    {
        using var dir = new TempDirectory();
        var catalog = Load(dir, """
            [local]
            host = "localhost"
            user = "me"
            [loop4]
            host = "127.0.0.1"
            user = "me"
            [loop6]
            host = "::1"
            user = "me"
            [remote]
            host = "mz.example.com"
            user = "me"
            """);

        Assert.All(catalog.Profiles.Where(p => !p.IsBuiltIn), p => Assert.Equal(6875, p.Port));
        Assert.Equal(SslMode.Prefer, catalog.Get("local").SslMode);
        Assert.Equal(SslMode.Prefer, catalog.Get("loop4").SslMode);
        Assert.Equal(SslMode.Prefer, catalog.Get("loop6").SslMode);
        Assert.Equal(SslMode.Require, catalog.Get("remote").SslMode);
        Assert.True(catalog.Get("remote").IsSslModeDefault);
        Assert.Equal("me", catalog.Get("local").Username);
    }

    [Fact]
    public void The_built_in_emulator_profile_exists_without_a_file()
    {
        using var dir = new TempDirectory();
        var catalog = ProfileCatalog.Load(dir.Path, new MapEnvironment());

        Assert.False(catalog.FileExists);
        Assert.Equal(Path.Combine(dir.Path, "profiles.toml"), catalog.FilePath);
        var emulator = Assert.Single(catalog.Profiles);
        Assert.Same(ConnectionProfile.BuiltInEmulator, emulator);
        Assert.Equal("emulator", emulator.Name);
        Assert.Equal("localhost", emulator.Host);
        Assert.Equal(6875, emulator.Port);
        Assert.Equal("materialize", emulator.Username);
        Assert.False(emulator.HasPassword);
        Assert.True(emulator.IsBuiltIn);
        Assert.Equal(SslMode.Prefer, emulator.SslMode);
    }

    [Fact]
    public void The_built_in_emulator_profile_is_listed_beside_file_profiles_and_a_user_emulator_table_replaces_it()
    {
        using var dir = new TempDirectory();
        var withoutOverride = Load(dir, "[prod]\nhost = \"mz.example.com\"\nusername = \"u\"\n");
        Assert.Equal(["emulator", "prod"], withoutOverride.Profiles.Select(p => p.Name));
        Assert.True(withoutOverride.Get("emulator").IsBuiltIn);

        var withOverride = Load(dir, "[emulator]\nhost = \"127.0.0.1\"\nport = 16875\nusername = \"dev\"\n");
        var emulator = withOverride.Get("emulator");
        Assert.False(emulator.IsBuiltIn);
        Assert.Equal(16875, emulator.Port);
        Assert.Equal("dev", emulator.Username);
        Assert.Single(withOverride.Profiles);
    }

    [Fact]
    public void The_profiles_directory_comes_from_the_argument_then_MZ_DEPLOY_PROFILES_DIR_then_home()
    {
        using var dir = new TempDirectory();
        dir.Write("explicit/profiles.toml", "[a]\nhost = \"h\"\nusername = \"u\"\n");
        dir.Write("fromenv/profiles.toml", "[b]\nhost = \"h\"\nusername = \"u\"\n");
        dir.Write("home/.mz/profiles.toml", "[c]\nhost = \"h\"\nusername = \"u\"\n");
        var home = Path.Combine(dir.Path, "home");
        var withVariable = new MapEnvironment(
            new Dictionary<string, string> { ["MZ_DEPLOY_PROFILES_DIR"] = Path.Combine(dir.Path, "fromenv") }, home);
        var homeOnly = new MapEnvironment(homeDirectory: home);

        var explicitCatalog = ProfileCatalog.Load(Path.Combine(dir.Path, "explicit"), withVariable);
        Assert.True(explicitCatalog.TryGet("a", out _));
        Assert.Equal(ProfilesDirectorySource.Parameter, explicitCatalog.Directory.Source);

        var environmentCatalog = ProfileCatalog.Load(null, withVariable);
        Assert.True(environmentCatalog.TryGet("b", out _));
        Assert.Equal(ProfilesDirectorySource.EnvironmentVariable, environmentCatalog.Directory.Source);

        var homeCatalog = ProfileCatalog.Load(null, homeOnly);
        Assert.True(homeCatalog.TryGet("c", out _));
        Assert.Equal(ProfilesDirectorySource.Home, homeCatalog.Directory.Source);
        Assert.Equal(Path.Combine(home, ".mz", "profiles.toml"), homeCatalog.FilePath);
    }

    [Fact]
    public void Without_any_directory_only_the_emulator_exists_and_an_unknown_profile_says_how_to_locate_the_file()
    {
        var catalog = ProfileCatalog.Load(null, new MapEnvironment());

        Assert.Equal(ProfilesDirectorySource.None, catalog.Directory.Source);
        Assert.Null(catalog.FilePath);
        Assert.Equal("emulator", Assert.Single(catalog.Profiles).Name);
        var e = Assert.Throws<MzDeployException>(() => catalog.Get("prod"));
        Assert.Equal("ProfileNotFound", e.ErrorId);
        Assert.Contains("no profiles.toml could be located", e.Message);
        Assert.Contains("MZ_DEPLOY_PROFILES_DIR", RemedyText.Render(e.Remedy!));
    }

    [Fact]
    public void An_unknown_profile_is_ProfileNotFound_naming_the_file_the_source_and_the_known_profiles()
    {
        using var dir = new TempDirectory();
        var catalog = Load(dir, "[prod]\nhost = \"h\"\nusername = \"u\"\n");

        var e = Assert.Throws<MzDeployException>(() => catalog.Get(new ActiveProfile("staging", ProfileSource.ProjectFile)));
        Assert.Equal("ProfileNotFound", e.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, e.Kind);
        Assert.Equal($"profile 'staging' (selected by the project's .mzprofile file) not found in {catalog.FilePath}. Known profiles: emulator, prod.", e.Message);
        Assert.Equal($"Add a [staging] table to {catalog.FilePath}, or use one of: emulator, prod.", RemedyText.Render(e.Remedy!));
        Assert.Equal("staging", e.Target);
    }

    [Fact]
    public void An_unknown_profile_when_the_file_is_missing_says_so()
    {
        using var dir = new TempDirectory();
        var catalog = ProfileCatalog.Load(dir.Path, new MapEnvironment());

        var e = Assert.Throws<MzDeployException>(() => catalog.Get("prod"));
        Assert.Contains($"{Path.Combine(dir.Path, "profiles.toml")} does not exist", e.Message);
    }

    [Fact]
    public void Getting_the_active_profile_when_none_is_selected_is_NoProfileSelected()
    {
        var catalog = ProfileCatalog.Load(null, new MapEnvironment());

        var e = Assert.Throws<MzDeployException>(() => catalog.Get(ActiveProfile.None));
        Assert.Equal("NoProfileSelected", e.ErrorId);
        Assert.Contains("-Profile", RemedyText.Render(e.Remedy!));
        Assert.Contains("MZ_DEPLOY_PROFILE", e.Message);
        Assert.Contains(".mzprofile", e.Message);
    }

    [Fact]
    public void A_password_of_exactly_dollar_brace_VAR_is_a_variable_reference_and_anything_else_is_literal()
    {
        using var dir = new TempDirectory();
        var catalog = Load(dir, """
            [a]
            host = "h"
            username = "u"
            password = "${MZ_A_PASSWORD}"
            [b]
            host = "h"
            username = "u"
            password = "x${MZ_A_PASSWORD}"
            [c]
            host = "h"
            username = "u"
            password = "${not a var}"
            """);

        Assert.Equal("MZ_A_PASSWORD", catalog.Get("a").PasswordVariable);
        Assert.Null(catalog.Get("a").Password);
        Assert.Equal("x${MZ_A_PASSWORD}", catalog.Get("b").Password!.Reveal());
        Assert.Null(catalog.Get("b").PasswordVariable);
        Assert.Equal("${not a var}", catalog.Get("c").Password!.Reveal());
    }

    [Fact]
    public void Unknown_keys_and_bad_values_are_all_reported_with_locations_and_names()
    {
        using var dir = new TempDirectory();
        var e = LoadFails(dir, """
            default = "prod"

            [prod]
            hots = "h"
            host = "h"
            username = "u"
            port = 70000
            sslmode = "strict"

            [prod.options]
            "search path" = "x"
            cluster = ["a"]

            [http_only_bad]
            username = "u"
            """);

        var messages = e.Diagnostics.Select(d => d.Message).ToList();
        Assert.Contains("unexpected top-level key 'default': profiles.toml holds one [<name>] table per profile", messages);
        Assert.Contains(messages, m => m.StartsWith("unknown key 'hots' in profile 'prod'; did you mean 'host'?"));
        Assert.Contains("'port' in profile 'prod' must be an integer from 1 to 65535, not 70000", messages);
        Assert.Contains("'sslmode' in profile 'prod' must be one of disable, prefer, require, verify-ca, verify-full, not 'strict'", messages);
        Assert.Contains(messages, m => m.StartsWith("invalid option key 'search path' in profile 'prod'"));
        Assert.Contains("option 'cluster' in profile 'prod' must be a string, number or boolean, not an array", messages);
        Assert.Contains(messages, m => m.StartsWith("profile 'http_only_bad' has no host configured"));
        Assert.Equal(7, e.Diagnostics.Count);
        Assert.Equal(4, e.Diagnostics.Single(d => d.Message.Contains("'hots'")).Location!.Line);
        Assert.All(e.Diagnostics, d => Assert.Equal(e.FilePath, d.Location?.File ?? e.FilePath));
    }

    [Fact]
    public void Username_and_user_together_are_an_error()
    {
        using var dir = new TempDirectory();
        var e = LoadFails(dir, "[p]\nhost = \"h\"\nusername = \"a\"\nuser = \"b\"\n");

        Assert.Equal("profile 'p' sets both 'username' and 'user'; keep one", Assert.Single(e.Diagnostics).Message);
    }

    [Fact]
    public void A_TOML_syntax_error_names_file_line_and_column()
    {
        using var dir = new TempDirectory();
        var e = LoadFails(dir, "[p]\nhost = \"h\n");

        var d = e.Diagnostics[0];
        Assert.Equal(2, d.Location!.Line);
        Assert.EndsWith("profiles.toml", d.Location.File);
    }

    [Fact]
    public void A_non_string_password_error_never_echoes_the_value()
    {
        using var dir = new TempDirectory();
        var e = LoadFails(dir, "[p]\nhost = \"h\"\nusername = \"u\"\npassword = 77319911\n");

        Assert.Equal("'password' in profile 'p' must be a string, not an integer", Assert.Single(e.Diagnostics).Message);
        Assert.DoesNotContain("77319911", e.Message);
    }

    [Fact]
    public void A_profile_never_shows_its_password_in_ToString()
    {
        using var dir = new TempDirectory();
        var catalog = Load(dir, $"[prod]\nhost = \"mz.example.com\"\nusername = \"deployer\"\npassword = \"{DistinctivePassword}\"\n");

        var prod = catalog.Get("prod");
        Assert.Equal("prod (deployer@mz.example.com:6875, sslmode=require)", prod.ToString());
        Assert.Equal("********", prod.Password!.ToString());
        Assert.DoesNotContain(DistinctivePassword, $"{prod} {prod.Password}");
        Assert.DoesNotContain(DistinctivePassword, string.Join(" ", catalog.Profiles));
    }
}
