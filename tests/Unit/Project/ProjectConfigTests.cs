using MzDeploy.Engine;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Project;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Project;

public class ProjectConfigTests
{
    private static ProjectConfig Load(TempDirectory dir, string toml)
    {
        dir.Write("project.toml", toml);
        return ProjectConfig.Load(dir.Path);
    }

    private static ConfigFileException LoadFails(TempDirectory dir, string toml)
    {
        dir.Write("project.toml", toml);
        var e = Assert.Throws<ConfigFileException>(() => ProjectConfig.Load(dir.Path));
        Assert.Equal("ProjectConfigInvalid", e.ErrorId);
        return e;
    }

    [Fact]
    public void Reads_every_key()
    {
        using var dir = new TempDirectory();
        var config = Load(dir, """
            mz_version = "v0.130.0"
            dependencies = ["kafka.raw.events", "mz_catalog.mz_tables", "pg_catalog.pg_class", "mz_internal.mz_comments",
                            "information_schema.columns", "mz_introspection.mz_arrangement_sizes", "\"Sales\".public.\"Orders\""]

            [staging]
            profile_suffix = "_staging"
            emulator = false

            [staging.variables]
            orders_cluster_size = "50cc"
            region = "eu"

            [staging.security]
            aws_profile = "aws-staging"

            [ci]
            emulator = true
            """);

        Assert.Equal("v0.130.0", config.MzVersion);
        Assert.Equal(dir.Path, config.ProjectRoot);
        Assert.Equal(
            ["kafka.raw.events", "mz_catalog.mz_tables", "pg_catalog.pg_class", "mz_internal.mz_comments",
             "information_schema.columns", "mz_introspection.mz_arrangement_sizes", "Sales.public.Orders"],
            config.Dependencies.Select(d => d.QualifiedName));
        Assert.Null(config.Dependencies[1].Database);
        Assert.Equal("mz_tables", config.Dependencies[1].Name);

        var staging = config.GetProfileSettings("staging")!;
        Assert.Equal("_staging", staging.ProfileSuffix);
        Assert.False(staging.Emulator);
        Assert.Equal("50cc", staging.Variables["orders_cluster_size"]);
        Assert.Equal("eu", config.GetVariables("staging")["region"]);
        Assert.Equal("aws-staging", staging.AwsProfile);

        var ci = config.GetProfileSettings("ci")!;
        Assert.True(ci.Emulator);
        Assert.Null(ci.ProfileSuffix);
        Assert.Empty(ci.Variables);
        Assert.Null(ci.AwsProfile);
        Assert.Equal(["ci", "staging"], config.Profiles.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_empty_file_is_a_valid_project()
    {
        using var dir = new TempDirectory();
        var config = Load(dir, "# nothing yet\n");

        Assert.Null(config.MzVersion);
        Assert.Empty(config.Dependencies);
        Assert.Empty(config.Profiles);
        Assert.Null(config.GetProfileSettings("staging"));
        Assert.Null(config.GetProfileSettings(null));
        Assert.Empty(config.GetVariables("staging"));
    }

    [Fact]
    public void Profile_names_are_case_sensitive()
    {
        using var dir = new TempDirectory();
        var config = Load(dir, "[Staging]\nprofile_suffix = \"_s\"\n");

        Assert.NotNull(config.GetProfileSettings("Staging"));
        Assert.Null(config.GetProfileSettings("staging"));
    }

    [Fact]
    public void A_missing_project_toml_is_ProjectNotFound_with_the_path()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<MzDeployException>(() => ProjectConfig.Load(dir.Path));

        Assert.Equal("ProjectNotFound", e.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, e.Kind);
        Assert.Equal($"project.toml not found at {Path.Combine(dir.Path, "project.toml")}", e.Message);
        Assert.Contains("New-MzProject", RemedyText.Render(e.Remedy!));
    }

    [Fact]
    public void A_syntax_error_reports_line_and_column()
    {
        using var dir = new TempDirectory();
        var e = LoadFails(dir, "mz_version = \"cloud\"\n\n[staging]\nprofile_suffix = \n");

        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(new SourceLocation("project.toml", 4, 18), d.Location);
        Assert.StartsWith("project.toml:4:18: invalid TOML", e.Message);
    }

    [Fact]
    public void A_key_defined_twice_is_a_syntax_error()
    {
        using var dir = new TempDirectory();
        var e = LoadFails(dir, "[staging]\nprofile_suffix = \"_a\"\nprofile_suffix = \"_b\"\n");

        Assert.Equal(3, e.Diagnostics[0].Location!.Line);
        Assert.Contains("profile_suffix", e.Message);
    }

    [Fact]
    public void A_typo_in_a_profile_key_is_an_error_that_names_it_and_suggests_the_right_one()
    {
        using var dir = new TempDirectory();
        var e = LoadFails(dir, "[staging]\nprofile_suffix = \"_s\"\nemulatr = true\n");

        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(new SourceLocation("project.toml", 3, 1), d.Location);
        Assert.Contains("unknown key 'emulatr' in [staging]", d.Message);
        Assert.Contains("did you mean 'emulator'?", d.Message);
    }

    [Fact]
    public void Unknown_top_level_and_security_keys_are_errors_and_all_are_reported_at_once()
    {
        using var dir = new TempDirectory();
        var e = LoadFails(dir, """
            mz_versoin = "cloud"
            profile = "default"

            [prod.security]
            aws_profil = "x"

            [prod.variables]
            "bad name" = "1"
            count = 3
            """);

        Assert.Equal(5, e.Diagnostics.Count);
        Assert.Contains(e.Diagnostics, d => d.Message.Contains("unknown key 'mz_versoin' in project.toml; did you mean 'mz_version'?"));
        Assert.Contains(e.Diagnostics, d => d.Message.Contains("unknown key 'profile'") && d.Message.Contains(".mzprofile"));
        Assert.Contains(e.Diagnostics, d => d.Message.Contains("unknown key 'aws_profil' in [prod.security]") && d.Location!.Line == 5);
        Assert.Contains(e.Diagnostics, d => d.Message.Contains("invalid variable name 'bad name'"));
        Assert.Contains(e.Diagnostics, d => d.Message.Contains("variable 'count' in [prod.variables] must be a string"));
        Assert.StartsWith($"5 problems in {Path.Combine(dir.Path, "project.toml")}", e.Message);
    }

    [Fact]
    public void Non_string_variables_are_errors_naming_the_variable()
    {
        using var dir = new TempDirectory();
        var e = LoadFails(dir, "[prod.variables]\ncount = 3\n");

        var d = Assert.Single(e.Diagnostics);
        Assert.Equal("variable 'count' in [prod.variables] must be a string, not an integer; quote it", d.Message);
        Assert.Equal(2, d.Location!.Line);
    }

    [Theory]
    [InlineData("mz_version = 130", "'mz_version' must be a non-empty string")]
    [InlineData("dependencies = \"a.b.c\"", "'dependencies' must be an array of strings")]
    [InlineData("dependencies = [1]", "dependency #1 must be a string")]
    [InlineData("[p]\nprofile_suffix = 1", "'profile_suffix' in [p] must be a non-empty string")]
    [InlineData("[p]\nprofile_suffix = \"\"", "'profile_suffix' in [p] must be a non-empty string")]
    [InlineData("[p]\nemulator = \"yes\"", "'emulator' in [p] must be true or false, not a string")]
    [InlineData("[p]\nvariables = \"x\"", "'variables' in [p] must be a table")]
    [InlineData("[p]\nsecurity = 1", "'security' in [p] must be a table")]
    [InlineData("[p.security]\naws_profile = true", "'aws_profile' in [p.security] must be a non-empty string")]
    [InlineData("[[p]]\nemulator = true", "unknown key 'p' in project.toml")]
    public void Wrong_types_are_errors_naming_the_key(string toml, string expected)
    {
        using var dir = new TempDirectory();
        var e = LoadFails(dir, toml);

        Assert.Contains(expected, Assert.Single(e.Diagnostics).Message);
    }

    [Theory]
    [InlineData("materialize.public")]
    [InlineData("public.orders")]
    [InlineData("orders")]
    [InlineData("a.b.c.d")]
    [InlineData("a..c")]
    [InlineData("a.b.")]
    [InlineData(".b.c")]
    [InlineData("a.b c.d")]
    [InlineData("\"a.b.c")]
    [InlineData("\"\".b.c")]
    [InlineData("\"a\"x.b.c")]
    public void A_malformed_dependency_is_an_error_naming_it(string entry)
    {
        using var dir = new TempDirectory();
        var toml = $"dependencies = ['{entry}']\n";
        var e = LoadFails(dir, toml);

        var d = Assert.Single(e.Diagnostics);
        Assert.StartsWith($"invalid dependency '{entry}': expected a fully qualified 'database.schema.object' name", d.Message);
        Assert.Equal(new SourceLocation("project.toml", 1, 1), d.Location);
    }

    [Fact]
    public void A_duplicate_dependency_is_an_error_naming_it_even_when_spelled_differently()
    {
        using var dir = new TempDirectory();
        var e = LoadFails(dir, "dependencies = [\"kafka.raw.events\", \"Kafka.RAW.events\", \"\\\"kafka\\\".raw.events\"]\n");

        Assert.Equal(2, e.Diagnostics.Count);
        Assert.Equal("duplicate dependency 'Kafka.RAW.events'", e.Diagnostics[0].Message);
        Assert.Equal("duplicate dependency '\"kafka\".raw.events'", e.Diagnostics[1].Message);
    }

    [Fact]
    public void Quoted_dependency_parts_keep_their_case_and_dots()
    {
        Assert.True(ExternalDependency.TryParse("\"My.Db\".\"Sch\"\"ema\".obj", out var dependency));
        Assert.Equal("My.Db", dependency!.Database);
        Assert.Equal("Sch\"ema", dependency.Schema);
        Assert.Equal("obj", dependency.Name);
        Assert.Equal("\"My.Db\".\"Sch\"\"ema\".obj", dependency.ToString());
    }

    [Fact]
    public void The_profiles_dot_name_form_from_newer_docs_gets_a_hint_towards_top_level_tables()
    {
        using var dir = new TempDirectory();
        var e = LoadFails(dir, "[profiles.staging]\nprofile_suffix = \"_s\"\n");

        Assert.Contains("write [staging] instead of [profiles.staging]", Assert.Single(e.Diagnostics).Message);
    }

    [Fact]
    public void Emulator_mode_is_explicit_or_only_for_the_built_in_emulator_profile()
    {
        using var dir = new TempDirectory();
        var config = Load(dir, "[prod]\nemulator = true\n[emulator.variables]\nx = \"1\"\n[local]\nemulator = false\n");

        var prod = new ConnectionProfile("prod", "mz.example.com", 6875, "u", null, null, null, null, null, null);
        var other = new ConnectionProfile("other", "mz.example.com", 6875, "u", null, null, null, null, null, null);
        var local = new ConnectionProfile("local", "localhost", 6875, "u", null, null, null, null, null, null);
        var userEmulator = new ConnectionProfile("emulator", "localhost", 6875, "u", null, null, null, null, null, null);

        Assert.True(config.IsEmulator(prod));
        Assert.False(config.IsEmulator(other));
        Assert.False(config.IsEmulator(local));
        Assert.True(config.IsEmulator(ConnectionProfile.BuiltInEmulator));
        Assert.False(config.IsEmulator(userEmulator));
    }
}
