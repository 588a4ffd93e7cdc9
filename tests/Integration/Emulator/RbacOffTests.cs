using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>enable_rbac_checks off: no privilege checks at all; enable_session_rbac_checks turns them on for one session.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class RbacOffTests(EmulatorFixture emulator)
{
    private async Task<string> CreateLoginRoleAsync(NpgsqlConnection admin, string prefix)
    {
        var role = TestData.UniqueName(prefix);
        await admin.ExecAsync($"CREATE ROLE {role} WITH LOGIN PASSWORD 's3cret'");
        return role;
    }

    private async Task<NpgsqlConnection> LoginAsync(string role, string? options = null)
    {
        var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={emulator.Server.Port};Username={role};Password=s3cret;Database=materialize;Pooling=false"
            + (options == null ? "" : $";Options={options}"));
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task With_RBAC_checks_off_any_role_reads_writes_and_creates_everywhere_and_still_is_itself()
    {
        await using var admin = await emulator.OpenAsync();
        var s = TestData.UniqueName("guarded");
        await admin.ExecAsync($"CREATE SCHEMA {s}");
        await admin.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await admin.ExecAsync($"INSERT INTO {s}.t VALUES (1)");
        var before = await CreateLoginRoleAsync(admin, "early");
        await using (var checkedSession = await LoginAsync(before))
            Assert.Equal("42501", (await checkedSession.FailsAsync($"SELECT * FROM {s}.t")).SqlState);

        try
        {
            await admin.ExecAsync("ALTER SYSTEM SET enable_rbac_checks = false");
            var after = await CreateLoginRoleAsync(admin, "late");
            foreach (var role in new[] { before, after })
            {
                await using var connection = await LoginAsync(role);
                Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM {s}.t"));
                await connection.ExecAsync($"INSERT INTO {s}.t VALUES (2)");
                await connection.ExecAsync($"CREATE TABLE {s}.{role}_t (y int)");
                await connection.ExecAsync($"CREATE VIEW {s}.{role}_v AS SELECT y FROM {s}.{role}_t");
                await connection.ExecAsync($"CREATE SCHEMA {role}_s");
                await connection.ExecAsync($"DELETE FROM {s}.t WHERE x = 2");

                // What the client sees is its own role: names, superuser status, memberships, owners.
                Assert.Equal([role, role, role, false, false], (await connection.RowsAsync(
                    "SELECT current_user(), current_user, current_role, mz_is_superuser(), " +
                    "pg_has_role(current_role(), 'materialize', 'MEMBER')"))[0]);
                Assert.Equal(2L, await connection.ScalarAsync(
                    $"SELECT count(*) FROM mz_objects o JOIN mz_roles r ON r.id = o.owner_id WHERE o.name IN ('{role}_t', '{role}_v') AND r.name = '{role}'"));
                Assert.Equal(role, await connection.ScalarAsync(
                    $"SELECT r.name FROM mz_schemas sc JOIN mz_roles r ON r.id = sc.owner_id WHERE sc.name = '{role}_s'"));
                Assert.Equal(0L, await connection.ScalarAsync(
                    "SELECT count(*) FROM mz_roles WHERE name = 'mz_rbac_bypass'"));
                Assert.Equal(0L, await connection.ScalarAsync(
                    $"SELECT count(*) FROM mz_role_members m JOIN mz_roles r ON r.id = m.member WHERE r.name = '{role}'"));

                // The session switch turns the checks on for this session only.
                Assert.Equal("off", await connection.ScalarAsync("SHOW enable_session_rbac_checks"));
                await connection.ExecAsync("SET enable_session_rbac_checks = true");
                Assert.Equal("on", await connection.ScalarAsync("SHOW enable_session_rbac_checks"));
                Assert.Equal("on", await connection.ScalarAsync("SELECT current_setting('enable_session_rbac_checks')"));
                Assert.Equal("42501", (await connection.FailsAsync($"SELECT * FROM {s}.t")).SqlState);
                Assert.Equal("permission denied to create cluster",
                    (await connection.FailsAsync($"CREATE CLUSTER {role}_c (SIZE = 'xsmall')")).MessageText);
                await connection.ExecAsync("RESET enable_session_rbac_checks");
                Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM {s}.t"));
                await connection.ExecAsync("DISCARD ALL");
                Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM {s}.t"));
            }

            await using (var sessionChecks = await LoginAsync(before, "-c enable_session_rbac_checks=on"))
            {
                Assert.Equal("on", await sessionChecks.ScalarAsync("SHOW enable_session_rbac_checks"));
                Assert.Equal("42501", (await sessionChecks.FailsAsync($"SELECT * FROM {s}.t")).SqlState);
            }
        }
        finally
        {
            await admin.ExecAsync("ALTER SYSTEM RESET enable_rbac_checks");
        }

        await using (var checkedAgain = await LoginAsync(before))
        {
            Assert.Equal(before, await checkedAgain.ScalarAsync("SELECT current_user"));
            Assert.Equal("42501", (await checkedAgain.FailsAsync($"SELECT * FROM {s}.t")).SqlState);
            // With checks on, nobody may take the bypass role.
            Assert.Equal("42501", (await checkedAgain.FailsAsync("SELECT set_config('role', 'mz_rbac_bypass', false)")).SqlState);
        }
        await admin.ExecAsync($"DROP SCHEMA {s} CASCADE");
    }
}
