using MzDeploy.Engine.Compile;
using MzDeploy.Engine.Model;
using MzDeploy.Engine.Planning.Apply;

namespace MzDeploy.Tests.Unit.Planning.Apply;

/// <summary>Network policies and roles: rules converged in place, memberships and attributes altered, passwords masked.</summary>
public sealed class NetworkPolicyAndRolePlanTests : IDisposable
{
    private readonly TempProject _project = new(new Dictionary<string, string>
    {
        ["network-policies/office.sql"] =
            "CREATE NETWORK POLICY office (RULES (hq (action = 'allow', direction = 'ingress', address = '1.2.3.4/28')));\n",
        ["roles/loader.sql"] = "CREATE ROLE loader WITH LOGIN PASSWORD 'pw-never-shown';\nGRANT loader TO etl;\n",
    });

    public void Dispose() => _project.Dispose();

    private CompiledProject Compile()
    {
        var project = ProjectCompiler.Compile(_project.Root, null);
        Assert.Empty(project.Diagnostics);
        return project;
    }

    private static InfrastructureSnapshot Production(string address, bool login, params string[] members) => new()
    {
        NetworkPolicies = new Dictionary<string, InfrastructureNetworkPolicy>
        {
            ["office"] = new("office") { Rules = [new("hq", "allow", "ingress", address)] },
        },
        Roles = new Dictionary<string, InfrastructureRole> { ["loader"] = new("loader") { Login = login, Members = members } },
    };

    [Fact]
    public void Matching_rules_and_role_are_unchanged()
    {
        var plan = ApplyPlanner.Plan(Compile(), Production("1.2.3.4/28", true, "etl"), new ApplyOptions());

        Assert.All(plan.Items, i => Assert.Equal(ApplyAction.Unchanged, i.Action));
        Assert.Empty(plan.Statements);
    }

    [Fact]
    public void Changed_rules_are_set_in_place()
    {
        var item = ApplyPlanner.Plan(Compile(), Production("9.9.9.9/32", true, "etl"), new ApplyOptions())
            .OfType(InfrastructureKind.NetworkPolicy).Single();

        Assert.Equal(ApplyAction.Altered, item.Action);
        Assert.Equal(["ALTER NETWORK POLICY \"office\" SET (RULES (hq (action = 'allow', direction = 'ingress', address = '1.2.3.4/28')))"],
            item.Statements.Select(s => s.Sql));
    }

    [Fact]
    public void Without_a_network_policy_catalog_policies_are_refused_not_guessed()
    {
        var item = ApplyPlanner.Plan(Compile(), new InfrastructureSnapshot { NetworkPolicies = null }, new ApplyOptions())
            .OfType(InfrastructureKind.NetworkPolicy).Single();

        Assert.Equal(ApplyAction.Refused, item.Action);
        Assert.Empty(item.Statements);
    }

    [Fact]
    public void Role_attributes_and_members_converge_and_stale_members_are_revoked()
    {
        var item = ApplyPlanner.Plan(Compile(), Production("1.2.3.4/28", false, "old_job"), new ApplyOptions())
            .OfType(InfrastructureKind.Role).Single();

        Assert.Equal(ApplyAction.Altered, item.Action);
        Assert.Equal(new[]
        {
            "ALTER ROLE \"loader\" WITH LOGIN",
            "GRANT \"loader\" TO \"etl\"",
            "REVOKE \"loader\" FROM \"old_job\"",
        }, item.Statements.Select(s => s.Sql));
    }

    [Fact]
    public void A_created_role_shows_its_password_masked()
    {
        var item = ApplyPlanner.Plan(Compile(), InfrastructureSnapshot.Empty, new ApplyOptions()).OfType(InfrastructureKind.Role).Single();

        var create = item.Statements[0];
        Assert.Equal("CREATE ROLE \"loader\" WITH LOGIN PASSWORD '***'", create.Sql);
        Assert.Equal("CREATE ROLE \"loader\" WITH LOGIN PASSWORD 'pw-never-shown'", create.Reveal());
        Assert.DoesNotContain(item.Statements, s => s.Sql.Contains("never-shown", StringComparison.Ordinal));
    }
}
