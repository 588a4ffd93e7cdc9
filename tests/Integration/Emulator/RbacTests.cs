using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

[Collection(EmulatorCollection.Name)]
public sealed class RbacTests(EmulatorFixture emulator)
{
    private async Task<(string Role, NpgsqlConnection Connection)> LoginRoleAsync()
    {
        var role = TestData.UniqueName("deployer");
        await using (var admin = await emulator.OpenAsync())
            await admin.ExecAsync($"CREATE ROLE {role} WITH LOGIN PASSWORD 's3cret'");
        var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={emulator.Server.Port};Username={role};Password=s3cret;Database=materialize;Pooling=false");
        await connection.OpenAsync();
        return (role, connection);
    }

    [Fact]
    public async Task Roles_made_with_a_password_log_in_with_it_and_only_with_it()
    {
        var (role, connection) = await LoginRoleAsync();
        await using (connection)
        {
            Assert.Equal(role, await connection.ScalarAsync("SELECT current_user()"));
            Assert.Equal(false, await connection.ScalarAsync("SELECT mz_is_superuser()"));
        }
        await using var wrong = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={emulator.Server.Port};Username={role};Password=nope;Pooling=false");
        var error = await Assert.ThrowsAsync<PostgresException>(() => wrong.OpenAsync());
        Assert.Equal("28P01", error.SqlState);
    }

    [Fact]
    public async Task RBAC_checks_are_on_and_system_privileges_grant_cluster_creation()
    {
        var (role, connection) = await LoginRoleAsync();
        await using (connection)
        {
            Assert.Equal(true, await connection.ScalarAsync("SELECT current_setting('enable_rbac_checks')::bool"));
            Assert.Equal(false, await connection.ScalarAsync("SELECT has_system_privilege(current_user, 'CREATECLUSTER')"));
            Assert.Equal("permission denied to create cluster",
                (await connection.FailsAsync($"CREATE CLUSTER {role}_c (SIZE = 'xsmall')")).MessageText);

            await using (var admin = await emulator.OpenAsync())
                await admin.ExecAsync($"GRANT CREATECLUSTER, CREATEDB ON SYSTEM TO {role}");

            Assert.Equal(true, await connection.ScalarAsync("SELECT has_system_privilege(current_user, 'CREATECLUSTER')"));
            await connection.ExecAsync($"CREATE CLUSTER {role}_c (SIZE = 'xsmall')");
            await connection.ExecAsync($"CREATE DATABASE {role}_db");
            Assert.Equal(1L, await connection.ScalarAsync(
                $"SELECT count(*) FROM mz_clusters c JOIN mz_roles r ON r.id = c.owner_id WHERE c.name = '{role}_c' AND r.name = '{role}'"));
        }
    }

    [Fact]
    public async Task Cluster_grants_show_through_mz_aclexplode()
    {
        var (role, connection) = await LoginRoleAsync();
        await using (connection)
        {
            var view = TestData.UniqueName("denied");
            var cluster = TestData.UniqueName("granted");
            await using var admin = await emulator.OpenAsync();
            await admin.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = 'xsmall')");
            await admin.ExecAsync($"GRANT CREATE ON SCHEMA materialize.public TO {role}");
            Assert.Equal($"permission denied for CLUSTER \"{cluster}\"",
                (await connection.FailsAsync($"CREATE MATERIALIZED VIEW {view} IN CLUSTER {cluster} AS SELECT 1")).MessageText);

            await admin.ExecAsync($"GRANT USAGE, CREATE ON CLUSTER {cluster} TO {role}");
            var privileges = await admin.RowsAsync(
                "SELECT p.privilege_type FROM mz_clusters c, mz_internal.mz_aclexplode(c.privileges) p " +
                $"JOIN mz_roles r ON r.id = p.grantee WHERE c.name = '{cluster}' AND r.name = '{role}' ORDER BY 1");
            Assert.Equal(["CREATE", "USAGE"], privileges.Select(r => (string)r[0]!));
            Assert.Equal(true, await connection.ScalarAsync($"SELECT has_cluster_privilege('{cluster}', 'USAGE')"));
            await connection.ExecAsync($"CREATE MATERIALIZED VIEW {view} IN CLUSTER {cluster} AS SELECT 1 AS one");

            await admin.ExecAsync($"REVOKE CREATE ON CLUSTER {cluster} FROM {role}");
            Assert.Equal(false, await connection.ScalarAsync($"SELECT has_cluster_privilege('{cluster}', 'CREATE')"));
            await admin.ExecAsync($"REVOKE CREATE ON SCHEMA materialize.public FROM {role}");
        }
    }

    [Fact]
    public async Task Role_membership_answers_pg_has_role()
    {
        var (role, connection) = await LoginRoleAsync();
        await using (connection)
        {
            await using var admin = await emulator.OpenAsync();
            var group = TestData.UniqueName("group");
            await admin.ExecAsync($"CREATE ROLE {group}");
            await admin.ExecAsync($"GRANT {group} TO {role}");
            Assert.Equal(true, await connection.ScalarAsync($"SELECT pg_has_role(current_role(), '{group}', 'MEMBER')"));
            Assert.Equal(1L, await admin.ScalarAsync(
                $"SELECT count(*) FROM mz_role_members m JOIN mz_roles g ON g.id = m.role_id JOIN mz_roles r ON r.id = m.member " +
                $"WHERE g.name = '{group}' AND r.name = '{role}'"));
        }
    }

    [Fact]
    public async Task ALTER_SYSTEM_switches_RBAC_checks_off_and_on()
    {
        var (role, connection) = await LoginRoleAsync();
        await using var admin = await emulator.OpenAsync();
        try
        {
            using (var raw = emulator.Raw())
                Assert.Equal(["ALTER SYSTEM"], raw.Query("ALTER SYSTEM SET enable_rbac_checks = off"));
            await using (connection)
            {
                Assert.Equal("off", await connection.ScalarAsync("SHOW enable_rbac_checks"));
                await connection.ExecAsync($"CREATE CLUSTER {role}_free (SIZE = 'xsmall')");
            }
        }
        finally
        {
            await admin.ExecAsync("ALTER SYSTEM RESET enable_rbac_checks");
        }
        Assert.Equal("on", await admin.ScalarAsync("SELECT current_setting('enable_rbac_checks')"));
    }

    [Fact]
    public async Task A_role_sees_its_own_database_and_system_privileges()
    {
        var (role, connection) = await LoginRoleAsync();
        await using (connection)
        {
            await using var admin = await emulator.OpenAsync();
            await admin.ExecAsync($"GRANT CREATECLUSTER ON SYSTEM TO {role}");
            await admin.ExecAsync($"GRANT CREATE ON DATABASE materialize TO {role}");
            Assert.Equal(["CREATECLUSTER"], (await connection.RowsAsync(
                "SELECT privilege_type FROM mz_internal.mz_show_my_system_privileges")).Select(r => (string)r[0]!));
            var databases = (await connection.RowsAsync(
                "SELECT name, privilege_type FROM mz_internal.mz_show_my_database_privileges WHERE name = 'materialize' ORDER BY 2"))
                .Select(r => $"{r[0]} {r[1]}").ToList();
            Assert.Equal(["materialize CREATE", "materialize USAGE"], databases);
            await admin.ExecAsync($"REVOKE CREATE ON DATABASE materialize FROM {role}");
        }
    }

    [Fact]
    public async Task Database_and_schema_privilege_functions_take_Materialize_names()
    {
        var (role, connection) = await LoginRoleAsync();
        await using (connection)
        {
            Assert.Equal(true, await connection.ScalarAsync("SELECT has_database_privilege('materialize', 'USAGE')"));
            Assert.Equal(false, await connection.ScalarAsync("SELECT has_database_privilege('materialize', 'CREATE')"));
            Assert.Equal(true, await connection.ScalarAsync("SELECT has_schema_privilege('public', 'USAGE')"));
            Assert.Equal(false, await connection.ScalarAsync($"SELECT has_schema_privilege('{role}', 'materialize.public', 'CREATE')"));
        }
    }

    [Fact]
    public async Task Only_owners_drop_or_swap_clusters_and_schemas()
    {
        var (role, connection) = await LoginRoleAsync();
        await using (connection)
        {
            await using var admin = await emulator.OpenAsync();
            var cluster = TestData.UniqueName("owned");
            var schema = TestData.UniqueName("owned");
            await admin.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = 'xsmall')");
            await admin.ExecAsync($"CREATE SCHEMA {schema}");
            Assert.Equal($"must be owner of CLUSTER {cluster}", (await connection.FailsAsync($"DROP CLUSTER {cluster}")).MessageText);
            Assert.Equal($"must be owner of SCHEMA materialize.{schema}", (await connection.FailsAsync($"DROP SCHEMA {schema}")).MessageText);
            Assert.Equal($"must be owner of SCHEMA materialize.{schema}",
                (await connection.FailsAsync($"ALTER SCHEMA {schema} RENAME TO {schema}_x")).MessageText);
            await admin.ExecAsync($"DROP CLUSTER {cluster}");
        }
    }
}
