using MzDeploy.Engine;
using MzDeploy.Engine.Catalog;
using MzDeploy.Engine.Errors;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Operations;
using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Catalog;

/// <summary>Sessions, the executor and the role checks, against a set-up emulator with RBAC on.</summary>
[Collection(SetUpCollection.Name)]
public sealed class RoleAndSessionTests(SetUpEmulator emulator)
{
    private static Task<IReadOnlyList<DeploymentInfo>> ListAsync(CatalogConnectionFactory factory) =>
        DeploymentQueries.GetAsync(factory, DeploymentScope.Staging, _ => false, 300, NullOperationLog.Instance, CancellationToken.None);

    [Fact]
    public async Task Sessions_run_on_the_server_cluster_as_MzDeploy()
    {
        await using var session = await emulator.Factory().OpenAsync(CancellationToken.None);
        Assert.Equal("_mz_deploy_server", await session.QuerySingleAsync("SHOW cluster", r => r.GetString(0), CancellationToken.None));
        Assert.Equal("MzDeploy", await session.QuerySingleAsync("SELECT current_setting('application_name')", r => r.GetString(0), CancellationToken.None));
    }

    [Fact]
    public async Task A_rejected_statement_carries_SQLSTATE_and_the_server_message_and_is_recorded()
    {
        var log = new StatementLog();
        await using var session = await emulator.Factory().OpenAsync(CancellationToken.None, recorder: log);
        var error = await Assert.ThrowsAsync<MzDeployException>(() => session.ExecuteAsync("CREATE VIEW nope AS SELECT * FROM no_such_table", CancellationToken.None));
        Assert.Equal("SqlStatementFailed", error.ErrorId);
        Assert.Equal("42P01", error.SqlState);
        Assert.Contains("no_such_table", error.Message);
        // MzDeploy's SQL is for -Debug, never the message a user reads.
        Assert.EndsWith("(SQLSTATE 42P01)", error.Message);
        Assert.DoesNotContain("CREATE VIEW", error.Message);
        Assert.Equal("CREATE VIEW nope AS SELECT * FROM no_such_table", error.Statement);
        Assert.False(error.Transient);
        Assert.Equal(["CREATE VIEW nope AS SELECT * FROM no_such_table"], log.Statements);
    }

    [Fact]
    public async Task A_list_travels_as_one_text_parameter()
    {
        await using var session = await emulator.Factory().OpenAsync(CancellationToken.None);
        var values = new[] { "plain", "with \"quotes\"", "back\\slash", "comma,brace}" };
        var back = await session.QueryAsync("SELECT unnest($1::text::text[])", r => r.GetString(0), CancellationToken.None, CatalogSession.TextArray(values));
        Assert.Equal(values, back);
    }

    [Fact]
    public async Task Cancelling_stops_a_running_statement()
    {
        await using var session = await emulator.Factory().OpenAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            session.QueryAsync("SELECT pg_sleep(20)", r => 0, cancel.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_wrong_password_is_an_authentication_error_that_never_shows_the_password()
    {
        var (user, _) = await emulator.LoginRoleAsync();
        var error = await Assert.ThrowsAsync<MzDeployException>(() => emulator.Factory(user, "Wr0ng-Pa55word!").OpenAsync(CancellationToken.None));
        Assert.Equal("AuthenticationFailed", error.ErrorId);
        Assert.Equal("28P01", error.SqlState);
        Assert.Contains(user, error.Message);
        Assert.DoesNotContain("Wr0ng-Pa55word!", error.ToString());
        Assert.DoesNotContain("Wr0ng-Pa55word!", emulator.Factory(user, "Wr0ng-Pa55word!").Description);
    }

    [Fact]
    public async Task A_user_without_an_mz_deploy_role_is_told_which_grant_to_ask_for()
    {
        var (user, password) = await emulator.LoginRoleAsync();
        var error = await Assert.ThrowsAsync<MzDeployException>(() => ListAsync(emulator.Factory(user, password)));
        Assert.Equal(ErrorIds.NoMzDeployRole.Id, error.ErrorId);
        Assert.Contains($"'{user}' is not a member of any mz-deploy role", error.Message);
        Assert.Equal(new Advice($"Ask an administrator to run: GRANT materialize_monitor TO {user}"), error.Remedy);
    }

    [Fact]
    public async Task Each_role_reads_deployments_and_only_deployers_pass_the_deployer_check()
    {
        foreach (var role in RoleCheck.RoleNames)
        {
            var (user, password) = await emulator.LoginRoleAsync(role);
            Assert.Empty(await ListAsync(emulator.Factory(user, password)));
        }

        var (monitor, monitorPassword) = await emulator.LoginRoleAsync(RoleCheck.MonitorRole);
        var error = await Assert.ThrowsAsync<MzDeployException>(async () =>
        {
            await using var _ = await VerifiedSession.OpenAsync(emulator.Factory(monitor, monitorPassword), RoleRequirement.Deployer,
                NullOperationLog.Instance, CancellationToken.None);
        });
        Assert.Equal(ErrorIds.MzDeployRoleRequired.Id, error.ErrorId);
        Assert.Equal($"this command requires the 'materialize_deployer' role, but '{monitor}' is connected as 'materialize_monitor'", error.Message);
        Assert.Equal(new SwitchRole("materialize_deployer", monitor, DeployerWantsDevelopment: false), error.Remedy);

        var (deployer, deployerPassword) = await emulator.LoginRoleAsync(RoleCheck.DeployerRole);
        await using var verified = await VerifiedSession.OpenAsync(emulator.Factory(deployer, deployerPassword), RoleRequirement.Deployer,
            NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(MzDeployRole.Deployer, verified.Role.Role);
    }

    [Fact]
    public async Task A_user_with_two_mz_deploy_roles_is_refused()
    {
        var (user, password) = await emulator.LoginRoleAsync(RoleCheck.DeployerRole, RoleCheck.MonitorRole);
        var error = await Assert.ThrowsAsync<MzDeployException>(() => ListAsync(emulator.Factory(user, password)));
        Assert.Equal(ErrorIds.MultipleMzDeployRoles.Id, error.ErrorId);
        Assert.Contains("materialize_deployer, materialize_monitor", error.Message);
    }

    [Fact]
    public async Task Setup_by_a_non_superuser_under_RBAC_names_the_current_role()
    {
        var (user, password) = await emulator.LoginRoleAsync(RoleCheck.DeployerRole);
        var error = await Assert.ThrowsAsync<MzDeployException>(() =>
            SetupOperation.RunAsync(emulator.Factory(user, password), new SetupOptions(), NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.SetupRequiresSuperuser.Id, error.ErrorId);
        Assert.Equal($"setup requires a superuser role when RBAC is enforced (current role: '{user}')", error.Message);
    }

    [Fact]
    public async Task Only_the_owner_of_the_tracking_database_may_re_run_setup_under_RBAC()
    {
        var admin = TestData.UniqueName("admin");
        await using (var connection = await emulator.AdminAsync())
            await connection.ExecAsync($"CREATE ROLE {admin} WITH SUPERUSER LOGIN PASSWORD 'Admin-Pw-1'");
        var error = await Assert.ThrowsAsync<MzDeployException>(() =>
            SetupOperation.RunAsync(emulator.Factory(admin, "Admin-Pw-1"), new SetupOptions(), NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.SetupNotDatabaseOwner.Id, error.ErrorId);
        Assert.Equal($"_mz_deploy is owned by role 'materialize', not by the current role '{admin}'", error.Message);
        Assert.EndsWith($"ALTER DATABASE \"_mz_deploy\" OWNER TO {admin}", Assert.IsType<RunSetupAsOwner>(error.Remedy).TransferSql);
    }

    [Fact]
    public async Task The_emulator_profile_skips_role_checks()
    {
        var (user, password) = await emulator.LoginRoleAsync();
        await using var verified = await VerifiedSession.OpenAsync(emulator.Factory(user, password, emulatorMode: true), RoleRequirement.Deployer,
            NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(MzDeployRole.Superuser, verified.Role.Role);
        Assert.False(verified.Role.RbacActive);
    }
}
