using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning;

namespace MzDeploy.Tests.Unit.Planning;

/// <summary>Setup's plan from the state read, without a database: what is created, in which order, what is left alone.</summary>
public class SetupPlannerTests
{
    private static readonly string[] Roles = ["materialize_deployer", "materialize_developer", "materialize_monitor"];

    private static SetupFacts Facts(bool rbac, bool clusterExists, bool databaseExists, params string[] existingRoles) => new(
        rbac, "_mz_deploy_server", clusterExists,
        [
            new SetupItem("database _mz_deploy", databaseExists, new PlannedStatement(PlannedStatementKind.CreateDatabase, "db", "CREATE DATABASE IF NOT EXISTS \"_mz_deploy\"")),
            new SetupItem("table _mz_deploy.tables.version", false, new PlannedStatement(PlannedStatementKind.CreateTrackingItem, "t", "CREATE TABLE v")),
        ],
        Roles, existingRoles.ToHashSet(), ["GRANT a TO \"materialize_deployer\"", "GRANT b TO \"materialize_monitor\""]);

    [Fact]
    public void A_fresh_server_under_RBAC_gets_the_cluster_first_then_the_tracking_items_then_the_roles_then_every_grant()
    {
        var plan = SetupPlanner.Plan(Facts(rbac: true, clusterExists: false, databaseExists: false), "xsmall");

        Assert.Equal(new[]
        {
            "CREATE CLUSTER \"_mz_deploy_server\" (SIZE = 'xsmall')",
            "CREATE DATABASE IF NOT EXISTS \"_mz_deploy\"",
            "CREATE TABLE v",
            "CREATE ROLE \"materialize_deployer\"",
            "CREATE ROLE \"materialize_developer\"",
            "CREATE ROLE \"materialize_monitor\"",
            "GRANT a TO \"materialize_deployer\"",
            "GRANT b TO \"materialize_monitor\"",
        }, plan.Statements.Select(s => s.Sql));
        Assert.Equal(["cluster _mz_deploy_server", "database _mz_deploy", "table _mz_deploy.tables.version", "role materialize_deployer",
            "role materialize_developer", "role materialize_monitor"], plan.Created);
        Assert.Empty(plan.AlreadyPresent);
    }

    [Fact]
    public void What_exists_is_left_alone_and_grants_are_issued_again()
    {
        var plan = SetupPlanner.Plan(Facts(true, true, true, Roles), "xsmall");

        Assert.Equal(["CREATE TABLE v", "GRANT a TO \"materialize_deployer\"", "GRANT b TO \"materialize_monitor\""], plan.Statements.Select(s => s.Sql));
        Assert.Equal(["cluster _mz_deploy_server", "database _mz_deploy", "role materialize_deployer", "role materialize_developer",
            "role materialize_monitor"], plan.AlreadyPresent);
    }

    [Fact]
    public void Without_RBAC_there_are_no_roles_and_no_grants()
    {
        var plan = SetupPlanner.Plan(Facts(rbac: false, clusterExists: false, databaseExists: true), "25cc");

        Assert.Equal(["CREATE CLUSTER \"_mz_deploy_server\" (SIZE = '25cc')", "CREATE TABLE v"], plan.Statements.Select(s => s.Sql));
        Assert.Empty(plan.Grants);
        Assert.DoesNotContain(plan.Items, i => i.Description.StartsWith("role ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_cluster_size_is_a_quoted_literal()
    {
        var plan = SetupPlanner.Plan(Facts(false, false, true), "scale=1,workers='1'");

        Assert.Equal("CREATE CLUSTER \"_mz_deploy_server\" (SIZE = 'scale=1,workers=''1''')", plan.Statements[0].Sql);
    }
}
