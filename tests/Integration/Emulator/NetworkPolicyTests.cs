using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// CREATE / ALTER / DROP NETWORK POLICY, SHOW NETWORK POLICIES, mz_network_policies and mz_network_policy_rules.
/// Docs: /sql/create-network-policy/ (ACTION: "ALLOW is the only valid option", DIRECTION: "INGRESS is the only
/// valid option", the pre-installed policy "default" with rule open_ingress allow 0.0.0.0/0, CREATENETWORKPOLICY
/// on the system required), /sql/alter-network-policy/ (ownership required), /sql/show-network-policies/.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class NetworkPolicyTests(EmulatorFixture emulator)
{
    private static async Task<List<object?[]>> RulesAsync(NpgsqlConnection connection, string policy) =>
        await connection.RowsAsync(
            "SELECT r.name, r.action, r.address, r.direction FROM mz_internal.mz_network_policy_rules r " +
            $"JOIN mz_internal.mz_network_policies p ON p.id = r.policy_id WHERE p.name = '{policy}' ORDER BY r.name");

    [Fact]
    public async Task The_preinstalled_default_policy_is_wide_open_ingress()
    {
        await using var connection = await emulator.OpenAsync();
        Assert.Equal([["open_ingress", "allow", "0.0.0.0/0", "ingress"]], await RulesAsync(connection, "default"));
        var error = await connection.FailsAsync("DROP NETWORK POLICY \"default\"");
        Assert.Contains("ALTER SYSTEM SET network_policy", error.MessageText);
    }

    [Fact]
    public async Task CREATE_ALTER_and_DROP_NETWORK_POLICY_change_the_catalog()
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("office");
        await connection.ExecAsync(
            $"CREATE NETWORK POLICY {name} (RULES (new_york (action='allow', direction='ingress', address='1.2.3.4/28'), " +
            "minnesota (action = 'allow', direction = 'ingress', address = '2.3.4.5/32')))");
        Assert.Equal(
            [["minnesota", "allow", "2.3.4.5/32", "ingress"], ["new_york", "allow", "1.2.3.4/28", "ingress"]],
            await RulesAsync(connection, name));
        var owner = await connection.ScalarAsync($"SELECT r.name FROM mz_internal.mz_network_policies p JOIN mz_roles r ON r.id = p.owner_id WHERE p.name = '{name}'");
        Assert.Equal("materialize", owner);
        Assert.Equal([name, "minnesota,new_york", ""], (await connection.RowsAsync($"SHOW NETWORK POLICIES LIKE '{name}'")).Single());

        await connection.ExecAsync(
            $"ALTER NETWORK POLICY {name} SET (RULES (boston (action='allow', direction='ingress', address='4.5.6.7/32')))");
        Assert.Equal([["boston", "allow", "4.5.6.7/32", "ingress"]], await RulesAsync(connection, name));

        var role = TestData.UniqueName("npowner");
        await connection.ExecAsync($"CREATE ROLE {role}");
        await connection.ExecAsync($"ALTER NETWORK POLICY {name} OWNER TO {role}");
        Assert.Equal(role, await connection.ScalarAsync(
            $"SELECT r.name FROM mz_internal.mz_network_policies p JOIN mz_roles r ON r.id = p.owner_id WHERE p.name = '{name}'"));

        await connection.ExecAsync($"DROP NETWORK POLICY {name}");
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_internal.mz_network_policies WHERE name = '{name}'"));
        Assert.Empty(await RulesAsync(connection, name));
        await connection.ExecAsync($"DROP NETWORK POLICY IF EXISTS {name}");
        Assert.Equal($"unknown network policy '{name}'", (await connection.FailsAsync($"DROP NETWORK POLICY {name}")).MessageText);
    }

    [Theory]
    [InlineData("r1 (action='deny', direction='ingress', address='1.2.3.4/32')", "ALLOW is the only valid option")]
    [InlineData("r1 (action='allow', direction='egress', address='1.2.3.4/32')", "INGRESS is the only valid option")]
    [InlineData("r1 (action='allow', direction='ingress', address='not-an-address')", "not a CIDR block")]
    [InlineData("r1 (action='allow', direction='ingress')", "needs ACTION, DIRECTION and ADDRESS")]
    [InlineData("r1 (action='allow', direction='ingress', address='1.2.3.4/32'), r1 (action='allow', direction='ingress', address='1.2.3.5/32')", "specified more than once")]
    public async Task Invalid_rules_are_refused(string rules, string message)
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("bad");
        var error = await connection.FailsAsync($"CREATE NETWORK POLICY {name} (RULES ({rules}))");
        Assert.Contains(message, error.MessageText);
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_internal.mz_network_policies WHERE name = '{name}'"));
    }

    [Fact]
    public async Task Creating_needs_CREATENETWORKPOLICY_and_altering_needs_ownership()
    {
        await using var admin = await emulator.OpenAsync();
        var role = TestData.UniqueName("npuser");
        await admin.ExecAsync($"CREATE ROLE {role} WITH LOGIN PASSWORD 's3cret'");
        await using var user = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={emulator.Server.Port};Username={role};Password=s3cret;Database=materialize;Pooling=false");
        await user.OpenAsync();
        var rule = "(RULES (r (action='allow', direction='ingress', address='1.2.3.4/32')))";

        var name = TestData.UniqueName("np");
        Assert.Equal("42501", (await user.FailsAsync($"CREATE NETWORK POLICY {name} {rule}")).SqlState);
        await admin.ExecAsync($"GRANT CREATENETWORKPOLICY ON SYSTEM TO {role}");
        await user.ExecAsync($"CREATE NETWORK POLICY {name} {rule}");

        var theirs = TestData.UniqueName("np");
        await admin.ExecAsync($"CREATE NETWORK POLICY {theirs} {rule}");
        var denied = await user.FailsAsync($"ALTER NETWORK POLICY {theirs} SET {rule}");
        Assert.Equal($"must be owner of NETWORK POLICY {theirs}", denied.MessageText);
        Assert.Equal($"must be owner of NETWORK POLICY {theirs}", (await user.FailsAsync($"DROP NETWORK POLICY {theirs}")).MessageText);
    }
}
