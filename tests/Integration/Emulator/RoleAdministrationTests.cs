using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// What Invoke-MzApply needs of roles: ALTER ROLE attributes, memberships (GRANT/REVOKE role), GRANT and REVOKE
/// on every object kind it manages, Materialize's refusals (a non-owner's GRANT, system objects), COMMENT ON ROLE,
/// SHOW ROLES. Docs: /sql/alter-role/, /sql/grant-role/, /sql/grant-privilege/, /sql/revoke-privilege/,
/// /sql/comment-on/, /sql/show-roles/.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class RoleAdministrationTests(EmulatorFixture emulator)
{
    private async Task<NpgsqlConnection> OpenAsRoleAsync(NpgsqlConnection admin, string role)
    {
        await admin.ExecAsync($"CREATE ROLE {role} WITH LOGIN PASSWORD 's3cret'");
        var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={emulator.Server.Port};Username={role};Password=s3cret;Database=materialize;Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<string> RoleIdAsync(NpgsqlConnection connection, string role) =>
        (string)(await connection.ScalarAsync($"SELECT id FROM mz_roles WHERE name = '{role}'"))!;

    [Fact]
    public async Task ALTER_ROLE_attributes_show_in_mz_roles_and_unsupported_ones_are_refused()
    {
        await using var connection = await emulator.OpenAsync();
        var role = TestData.UniqueName("attr");
        await connection.ExecAsync($"CREATE ROLE {role}");
        Assert.Equal(false, await connection.ScalarAsync($"SELECT rolcanlogin FROM mz_roles WHERE name = '{role}'"));
        await connection.ExecAsync($"ALTER ROLE {role} WITH LOGIN INHERIT PASSWORD 'pw-{role}'");
        Assert.Equal(true, await connection.ScalarAsync($"SELECT rolcanlogin FROM mz_roles WHERE name = '{role}'"));
        await connection.ExecAsync($"ALTER ROLE {role} NOLOGIN PASSWORD NULL");
        Assert.Equal(false, await connection.ScalarAsync($"SELECT rolcanlogin FROM mz_roles WHERE name = '{role}'"));

        Assert.Equal("0A000", (await connection.FailsAsync($"ALTER ROLE {role} RENAME TO {role}_2")).SqlState);
        Assert.StartsWith("CONNECTION LIMIT attribute is not supported",
            (await connection.FailsAsync($"ALTER ROLE {role} CONNECTION LIMIT 3")).MessageText);
        Assert.StartsWith("VALID UNTIL attribute is not supported",
            (await connection.FailsAsync($"ALTER ROLE {role} VALID UNTIL '2030-01-01'")).MessageText);

        // The password is not kept in the statement log.
        Assert.Equal(0L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_emulator.statement_log WHERE strpos(sql, 'pw-' || '{role}') > 0"));
    }

    [Fact]
    public async Task GRANT_and_REVOKE_role_change_mz_role_members()
    {
        await using var connection = await emulator.OpenAsync();
        var group = TestData.UniqueName("grp");
        var member = TestData.UniqueName("mem");
        await connection.ExecAsync($"CREATE ROLE {group}");
        await connection.ExecAsync($"CREATE ROLE {member}");
        var count = $"SELECT count(*) FROM mz_role_members m JOIN mz_roles g ON g.id = m.role_id JOIN mz_roles r ON r.id = m.member " +
                    $"WHERE g.name = '{group}' AND r.name = '{member}'";

        await connection.ExecAsync($"GRANT {group} TO {member}");
        Assert.Equal(1L, await connection.ScalarAsync(count));
        await connection.ExecAsync($"REVOKE {group} FROM {member}");
        Assert.Equal(0L, await connection.ScalarAsync(count));
    }

    // Each kind: the GRANT statement's object clause, the privilege, and the catalog relation showing privileges.
    [Theory]
    [InlineData("CLUSTER {c}", "USAGE", "SELECT privileges FROM mz_clusters WHERE name = '{c}'")]
    [InlineData("DATABASE {d}", "USAGE", "SELECT privileges FROM mz_databases WHERE name = '{d}'")]
    [InlineData("SCHEMA {s}", "USAGE", "SELECT privileges FROM mz_schemas WHERE name = '{s}'")]
    [InlineData("TABLE {s}.t", "SELECT", "SELECT o.privileges FROM mz_tables o JOIN mz_schemas s ON s.id = o.schema_id WHERE s.name = '{s}' AND o.name = 't'")]
    [InlineData("VIEW {s}.v", "SELECT", "SELECT o.privileges FROM mz_views o JOIN mz_schemas s ON s.id = o.schema_id WHERE s.name = '{s}' AND o.name = 'v'")]
    [InlineData("MATERIALIZED VIEW {s}.mv", "SELECT", "SELECT o.privileges FROM mz_materialized_views o JOIN mz_schemas s ON s.id = o.schema_id WHERE s.name = '{s}' AND o.name = 'mv'")]
    [InlineData("SOURCE {s}.src", "SELECT", "SELECT o.privileges FROM mz_sources o JOIN mz_schemas s ON s.id = o.schema_id WHERE s.name = '{s}' AND o.name = 'src'")]
    [InlineData("SECRET {s}.pw", "USAGE", "SELECT o.privileges FROM mz_secrets o JOIN mz_schemas s ON s.id = o.schema_id WHERE s.name = '{s}' AND o.name = 'pw'")]
    [InlineData("CONNECTION {s}.ssh", "USAGE", "SELECT o.privileges FROM mz_connections o JOIN mz_schemas s ON s.id = o.schema_id WHERE s.name = '{s}' AND o.name = 'ssh'")]
    public async Task GRANT_and_REVOKE_work_on_every_object_kind_apply_manages(string on, string privilege, string privilegesQuery)
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("gr");
        var c = TestData.UniqueName("grc");
        var d = TestData.UniqueName("grd");
        var role = TestData.UniqueName("grantee");
        await connection.ExecAsync($"CREATE ROLE {role}");
        await connection.ExecAsync($"CREATE CLUSTER {c} SIZE '25cc'");
        await connection.ExecAsync($"CREATE DATABASE {d}");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await connection.ExecAsync($"CREATE VIEW {s}.v AS SELECT x FROM {s}.t");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.mv IN CLUSTER {c} AS SELECT x FROM {s}.t");
        await connection.ExecAsync($"CREATE SOURCE {s}.src IN CLUSTER {c} FROM LOAD GENERATOR COUNTER");
        await connection.ExecAsync($"CREATE SECRET {s}.pw AS 'x'");
        await connection.ExecAsync($"CREATE CONNECTION {s}.ssh TO SSH TUNNEL (HOST 'h', USER 'u')");
        var target = on.Replace("{s}", s).Replace("{c}", c).Replace("{d}", d);
        var query = privilegesQuery.Replace("{s}", s).Replace("{c}", c).Replace("{d}", d);
        var roleId = await RoleIdAsync(connection, role);
        var letter = privilege == "USAGE" ? "U" : "r";

        await connection.ExecAsync($"GRANT {privilege} ON {target} TO {role}");
        var granted = (string[])(await connection.ScalarAsync(query))!;
        Assert.Contains(granted, a => a.StartsWith(roleId + "=" + letter + "/", StringComparison.Ordinal));

        await connection.ExecAsync($"REVOKE {privilege} ON {target} FROM {role}");
        var revoked = (string[])(await connection.ScalarAsync(query))!;
        Assert.DoesNotContain(revoked, a => a.StartsWith(roleId + "=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GRANT_by_a_role_that_does_not_own_the_object_is_refused()
    {
        await using var admin = await emulator.OpenAsync();
        var s = TestData.UniqueName("nonown");
        var role = TestData.UniqueName("nonowner");
        await admin.ExecAsync($"CREATE SCHEMA {s}");
        await admin.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await admin.ExecAsync($"CREATE SECRET {s}.pw AS 'x'");
        await using var other = await OpenAsRoleAsync(admin, role);
        await admin.ExecAsync($"GRANT USAGE ON SCHEMA {s} TO {role}");
        await admin.ExecAsync($"GRANT SELECT ON TABLE {s}.t TO {role}");

        var table = await other.FailsAsync($"GRANT SELECT ON TABLE {s}.t TO PUBLIC");
        Assert.Equal("42501", table.SqlState);
        Assert.Equal($"must be owner of TABLE materialize.{s}.t", table.MessageText);
        Assert.Equal($"must be owner of SECRET materialize.{s}.pw",
            (await other.FailsAsync($"GRANT USAGE ON SECRET {s}.pw TO PUBLIC")).MessageText);
        // Invalid privilege types for the kind, as for clusters.
        Assert.Equal("invalid privilege types SELECT for SECRET", (await admin.FailsAsync($"GRANT SELECT ON SECRET {s}.pw TO {role}")).MessageText);
    }

    [Fact]
    public async Task GRANT_on_a_system_object_is_refused()
    {
        await using var connection = await emulator.OpenAsync();
        var role = TestData.UniqueName("sysgr");
        await connection.ExecAsync($"CREATE ROLE {role}");
        var error = await connection.FailsAsync($"GRANT SELECT ON mz_catalog.mz_tables TO {role}");
        Assert.Equal("42501", error.SqlState);
        Assert.Equal("system item 'mz_catalog.mz_tables' cannot be modified", error.MessageText);
    }

    [Fact]
    public async Task COMMENT_ON_ROLE_shows_in_mz_comments_and_SHOW_ROLES_lists_user_roles()
    {
        await using var connection = await emulator.OpenAsync();
        var role = TestData.UniqueName("cmt");
        await connection.ExecAsync($"CREATE ROLE {role}");
        await connection.ExecAsync($"COMMENT ON ROLE {role} IS 'deploys production'");
        Assert.Equal("deploys production", await connection.ScalarAsync(
            $"SELECT c.comment FROM mz_internal.mz_comments c JOIN mz_roles r ON r.id = c.id WHERE c.object_type = 'role' AND r.name = '{role}'"));

        var all = (await connection.RowsAsync("SHOW ROLES")).Select(r => (string)r[0]!).ToList();
        Assert.Contains(role, all);
        Assert.DoesNotContain("mz_system", all);
        Assert.Equal([role], (await connection.RowsAsync($"SHOW ROLES LIKE '{role}%'")).Select(r => (string)r[0]!).ToList());
        Assert.Equal([role], (await connection.RowsAsync($"SHOW ROLES WHERE name = '{role}'")).Select(r => (string)r[0]!).ToList());
    }
}
