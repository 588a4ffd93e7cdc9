using System.Text.RegularExpressions;
using MzDeploy.Engine;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Engine.Planning;
using MzDeploy.Engine.Project;
using MzDeploy.Tests.Unit.Project;
using Npgsql;
using MzDeploy.PowerShell.Infrastructure;

namespace MzDeploy.Tests.Unit.Catalog;

public class ConnectionFactoryTests
{
    private static ConnectionSettings Settings(string? password = "Hunter2-Secret", Dictionary<string, string>? options = null) => new()
    {
        ProfileName = "prod",
        Host = "mz.example.com",
        Port = 6875,
        Username = "deployer",
        Password = password is null ? null : new SecretString(password),
        Options = options ?? new Dictionary<string, string>(),
        ApplicationName = "something-else",
    };

    [Fact]
    public void Sessions_are_pinned_to_the_server_cluster_even_over_a_profile_cluster_option()
    {
        var factory = new CatalogConnectionFactory(Settings(options: new() { ["cluster"] = "quickstart", ["statement_timeout"] = "60s" }));
        var pinned = new NpgsqlConnectionStringBuilder(factory.ConnectionString(pinned: true));
        Assert.Equal("-c cluster=_mz_deploy_server -c statement_timeout=60s", pinned.Options);
        Assert.Equal("MzDeploy", pinned.ApplicationName);
        Assert.False(pinned.Pooling);
    }

    [Fact]
    public void Setup_s_first_session_is_not_pinned()
    {
        var unpinned = new NpgsqlConnectionStringBuilder(new CatalogConnectionFactory(Settings()).ConnectionString(pinned: false));
        Assert.Null(unpinned.Options);
    }

    [Fact]
    public void The_description_names_the_server_and_never_the_password()
    {
        var factory = new CatalogConnectionFactory(Settings());
        Assert.Contains("Host=mz.example.com", factory.Description);
        Assert.Contains("Username=deployer", factory.Description);
        Assert.DoesNotContain("Hunter2-Secret", factory.Description);
        Assert.Contains("Hunter2-Secret", factory.ConnectionString(pinned: true));
        Assert.Equal("mz.example.com:6875", factory.Server);
    }

    [Fact]
    public void Messages_that_quote_the_password_are_redacted()
    {
        var factory = new CatalogConnectionFactory(Settings());
        Assert.Equal("login with ******** failed", factory.Redact("login with Hunter2-Secret failed"));
        Assert.Equal("abc", new CatalogConnectionFactory(Settings(password: "abc")).Redact("abc"));
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_a_connection_error_naming_host_and_profile()
    {
        var settings = Settings() with { Host = "127.0.0.1", Port = 1, SslMode = MzDeploy.Engine.Project.SslMode.Disable };
        var error = await Assert.ThrowsAsync<MzDeployException>(() => new CatalogConnectionFactory(settings).OpenAsync(CancellationToken.None));
        Assert.Equal("ConnectionFailed", error.ErrorId);
        Assert.StartsWith("cannot connect to 127.0.0.1:1 as 'deployer' (profile 'prod')", error.Message);
        Assert.DoesNotContain("Hunter2-Secret", error.ToString());
    }

    [Fact]
    public void The_built_in_emulator_profile_resolves_to_emulator_mode_and_a_credential_replaces_the_user()
    {
        using var home = new TempDirectory();
        var environment = new MapEnvironment(homeDirectory: home.Path);
        var emulator = ConnectionTarget.Resolve("emulator", home.Path, environment);
        Assert.True(emulator.EmulatorMode);
        Assert.Equal("materialize", emulator.Username);

        var other = ConnectionTarget.Resolve("emulator", home.Path, environment, "ops", new SecretString("Credential-Pw"));
        Assert.Equal("ops", other.Username);
        Assert.Contains("Credential-Pw", other.Factory.ConnectionString(pinned: true));
        Assert.DoesNotContain("Credential-Pw", other.Description);
    }
}

public class CatalogSessionTests
{
    [Fact]
    public void Lists_become_one_array_literal_with_every_element_quoted_and_escaped()
    {
        Assert.Equal("{}", CatalogSession.TextArray([]));
        Assert.Equal("{\"a\",\"b c\",\"q\\\"uote\",\"back\\\\slash\",\"{}\"}",
            CatalogSession.TextArray(["a", "b c", "q\"uote", "back\\slash", "{}"]));
    }

    [Fact]
    public void A_refused_catalog_read_shows_the_server_words_and_keeps_its_SQL_for_debugging()
    {
        var refused = new PostgresException("permission denied for table deployments", "ERROR", "ERROR", "42501");

        var error = Assert.IsType<MzDeployException>(CatalogErrors.StatementFailed(refused, "SELECT x FROM _mz_deploy.public.deployments", s => s,
            CancellationToken.None));

        Assert.Equal("permission denied for table deployments (SQLSTATE 42501)", error.Message);
        Assert.Equal("SELECT x FROM _mz_deploy.public.deployments", error.Statement);
        Assert.False(error.Transient);
    }

    [Fact]
    public void A_dropped_connection_or_a_server_shutting_down_is_transient_and_names_no_SQL()
    {
        var dropped = Assert.IsType<MzDeployException>(CatalogErrors.StatementFailed(
            new NpgsqlException("Exception while reading from stream", new IOException("connection reset")), "WITH staged AS (SELECT 1)", s => s,
            CancellationToken.None));
        var shutdown = Assert.IsType<MzDeployException>(CatalogErrors.StatementFailed(
            new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), "WITH staged AS (SELECT 1)",
            s => s, CancellationToken.None, "at TrackingRows _mz_deploy.public.deployments"));

        Assert.Equal(ErrorIds.ConnectionFailed.Id, dropped.ErrorId);
        Assert.Equal("the connection to the server failed: connection reset", dropped.Message);
        Assert.True(dropped.Transient);
        Assert.Equal("terminating connection due to administrator command (SQLSTATE 57P01) at TrackingRows _mz_deploy.public.deployments",
            shutdown.Message);
        Assert.True(shutdown.Transient);
        Assert.All(new[] { dropped, shutdown }, e => Assert.Equal("WITH staged AS (SELECT 1)", e.Statement));
        Assert.True(CatalogErrors.IsTransientState("08006"));
        Assert.False(CatalogErrors.IsTransientState("42P01"));
    }

    [Fact]
    public void Statements_in_messages_are_one_line_and_short()
    {
        Assert.Equal("SELECT 1 FROM t", CatalogErrors.Summarize("SELECT 1\n   FROM\tt"));
        var summary = CatalogErrors.Summarize(new string('x', 500));
        Assert.Equal(160, summary.Length);
        Assert.EndsWith("...", summary);
    }
}

public class TrackingSchemaTests
{
    [Fact]
    public void It_has_mz_deploy_s_seven_tables_nine_views_and_their_indexes_plus_three_tables_and_views_of_its_own()
    {
        var byKind = TrackingSchema.Objects.GroupBy(o => (o.Schema, o.Kind)).ToDictionary(g => g.Key, g => g.Select(o => o.Name).ToList());
        Assert.Equal(["deployments", "objects", "clusters", "pending_statements", "replacement_mvs", "version", "cluster_names", "unmanaged_drops",
            "kept_versions", "dev_overlays"], byKind[("tables", TrackingObjectKind.Table)]);
        Assert.Equal(["production", "staging_deployments", "deployment_clusters", "missing_clusters", "deployments", "objects",
            "pending_statements", "replacement_mvs", "version", "cluster_names", "unmanaged_drops", "kept_versions"], byKind[("public", TrackingObjectKind.View)]);
        Assert.Equal(8, byKind[("tables", TrackingObjectKind.Index)].Count);
        Assert.Equal(4, byKind[("public", TrackingObjectKind.Index)].Count);
    }

    [Fact]
    public void Every_statement_is_idempotent_and_quotes_every_name_it_writes()
    {
        foreach (var item in TrackingSchema.Objects)
        {
            Assert.Matches(@"^CREATE (TABLE|VIEW|INDEX) IF NOT EXISTS ", item.CreateSql);
            Assert.Contains($"\"{item.Name}\"", item.CreateSql);
            if (item.Kind == TrackingObjectKind.Index)
                Assert.Contains("IN CLUSTER \"_mz_deploy_server\" ON \"_mz_deploy\".", item.CreateSql);
        }

        Assert.Equal("CREATE DATABASE IF NOT EXISTS \"_mz_deploy\"", TrackingSchema.CreateDatabaseSql);
        Assert.Equal("INSERT INTO \"_mz_deploy\".\"tables\".\"version\" (version) VALUES (1)", TrackingSchema.SeedVersionSql);
    }

    [Fact]
    public void Views_read_only_base_tables_and_the_catalog()
    {
        foreach (var view in TrackingSchema.Objects.Where(o => o.Kind == TrackingObjectKind.View))
        {
            var sources = Regex.Matches(view.CreateSql, @"(?:FROM|JOIN) (\S+)").Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(sources);
            Assert.All(sources, s => Assert.True(s.StartsWith("\"_mz_deploy\".\"tables\".", StringComparison.Ordinal)
                || s.StartsWith("mz_catalog.", StringComparison.Ordinal) || s == "latest", $"{view.Name} reads {s}"));
        }
    }

    [Fact]
    public void Grants_follow_mz_deploy_s_role_model()
    {
        var deployer = TrackingSchema.GrantStatements(RoleCheck.DeployerRole);
        var developer = TrackingSchema.GrantStatements(RoleCheck.DeveloperRole);
        var monitor = TrackingSchema.GrantStatements(RoleCheck.MonitorRole);
        Assert.Equal(5, monitor.Count);
        Assert.All(monitor, g => Assert.EndsWith(" TO \"materialize_monitor\"", g));
        Assert.DoesNotContain(monitor, g => g.Contains("tables\" TO", StringComparison.Ordinal) && g.Contains("SELECT", StringComparison.Ordinal));
        Assert.Contains("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \"_mz_deploy\".\"tables\" TO \"materialize_deployer\"", deployer);
        Assert.Contains("GRANT CREATEDB, CREATECLUSTER ON SYSTEM TO \"materialize_deployer\"", deployer);
        Assert.Contains("GRANT SELECT, INSERT, DELETE ON TABLE \"_mz_deploy\".\"tables\".\"dev_overlays\" TO \"materialize_developer\"", developer);
        Assert.Equal(20, deployer.Count + developer.Count + monitor.Count);
    }
}

public class SetupVerifierTests
{
    [Fact]
    public void Up_to_five_missing_items_are_named_then_the_rest_counted()
    {
        var error = SetupVerifier.SetupRequired(["a", "b", "c", "d", "e", "f", "g"]);
        Assert.Equal("SetupRequired", error.ErrorId);
        Assert.Equal(ErrorKind.NotInstalled, error.Kind);
        Assert.Equal("mz-deploy infrastructure is not fully initialized: missing a, b, c, d, e and 2 more", error.Message);
        Assert.StartsWith("Run Initialize-MzDeploy as an administrator", RemedyText.Render(error.Remedy!));
        Assert.Equal("mz-deploy infrastructure is not fully initialized: missing a", SetupVerifier.SetupRequired(["a"]).Message);
        // An existing installation that lacks what a newer version added: the message says setup adds it.
        Assert.Equal("mz-deploy infrastructure is not fully initialized: missing table _mz_deploy.tables.kept_versions (this version of MzDeploy "
            + "uses tracking objects the existing installation lacks: running setup again adds them and keeps every deployment and record)",
            SetupVerifier.SetupRequired(["table _mz_deploy.tables.kept_versions"], installed: true).Message);
    }
}

public class RoleCheckTests
{
    [Fact]
    public void Superusers_pass_everything()
    {
        Assert.Equal(MzDeployRole.Superuser, RoleCheck.Decide("admin", true, [], RoleRequirement.Deployer).Role);
    }

    [Theory]
    [InlineData(RoleRequirement.AnyRole, MzDeployRole.Monitor, true)]
    [InlineData(RoleRequirement.AnyRole, MzDeployRole.Developer, true)]
    [InlineData(RoleRequirement.AnyRole, MzDeployRole.Deployer, true)]
    [InlineData(RoleRequirement.Deployer, MzDeployRole.Deployer, true)]
    [InlineData(RoleRequirement.Deployer, MzDeployRole.Developer, false)]
    [InlineData(RoleRequirement.Deployer, MzDeployRole.Monitor, false)]
    [InlineData(RoleRequirement.Developer, MzDeployRole.Developer, true)]
    [InlineData(RoleRequirement.Developer, MzDeployRole.Deployer, false)]
    public void Each_operation_accepts_its_roles(RoleRequirement required, MzDeployRole held, bool allowed)
    {
        if (allowed)
        {
            Assert.Equal(held, RoleCheck.Decide("u", false, [held], required).Role);
            return;
        }

        var error = Assert.Throws<MzDeployException>(() => RoleCheck.Decide("u", false, [held], required));
        Assert.Equal(ErrorIds.MzDeployRoleRequired.Id, error.ErrorId);
    }

    [Fact]
    public void Errors_name_the_grant_with_the_user_quoted_when_needed()
    {
        var none = Assert.Throws<MzDeployException>(() => RoleCheck.Decide("CI Bot", false, [], RoleRequirement.Deployer));
        Assert.Equal("Ask an administrator to run: GRANT materialize_deployer TO \"CI Bot\"", RemedyText.Render(none.Remedy!));
        var wrong = Assert.Throws<MzDeployException>(() => RoleCheck.Decide("dev", false, [MzDeployRole.Deployer], RoleRequirement.Developer));
        Assert.Contains("Deployers change production through Invoke-MzStage", RemedyText.Render(wrong.Remedy!));
        var many = Assert.Throws<MzDeployException>(() => RoleCheck.Decide("u", false, [MzDeployRole.Deployer, MzDeployRole.Monitor], RoleRequirement.AnyRole));
        Assert.Equal(ErrorIds.MultipleMzDeployRoles.Id, many.ErrorId);
    }
}

public class ClusterStatusTests
{
    private static ClusterStatusInfo Cluster(ClusterState state) => new("d", "c_d", "c", state, null, 0, 0, null, 1, 0);

    [Fact]
    public void A_deployment_is_as_ready_as_its_least_ready_cluster()
    {
        Assert.Equal(DeploymentState.Ready, ClusterStatusQuery.Combine([]));
        Assert.Equal(DeploymentState.Lagging, ClusterStatusQuery.Combine([Cluster(ClusterState.Ready), Cluster(ClusterState.Lagging)]));
        Assert.Equal(DeploymentState.Hydrating, ClusterStatusQuery.Combine([Cluster(ClusterState.Lagging), Cluster(ClusterState.Hydrating)]));
        Assert.Equal(DeploymentState.Failing, ClusterStatusQuery.Combine([Cluster(ClusterState.Hydrating), Cluster(ClusterState.Failing)]));
    }

    [Fact]
    public void The_status_query_takes_its_list_as_one_text_parameter_and_no_name_suffix_pattern()
    {
        Assert.Contains("= ANY($1::text::text[])", ClusterStatusQuery.Sql);
        Assert.DoesNotContain("LIKE", ClusterStatusQuery.Sql);
        Assert.DoesNotContain("\"tables\"", ClusterStatusQuery.Sql);
    }
}

public class RecordedParameterTests
{
    [Fact]
    public void Recorded_statements_name_their_parameter_values_in_a_trailing_comment()
    {
        Assert.Equal(" /* $1 = 'abc', $2 = 3, $3 = NULL */", PlannedStatement.DescribeParameters(["abc", 3, null]));
        Assert.Equal(" /* $1 = 'it''s * /' */", PlannedStatement.DescribeParameters(["it's */"]));
        Assert.Equal(" /* $1 = '" + new string('x', 60) + "…' */", PlannedStatement.DescribeParameters([new string('x', 100)]));
        Assert.Equal(" /* 9 parameters */", PlannedStatement.DescribeParameters(new object?[9]));
    }
}
