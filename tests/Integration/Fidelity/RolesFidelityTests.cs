using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Fidelity;

/// <summary>
/// Issue 12, group 8: roles and RBAC statements Materialize refuses, refused with its words. Each case: the
/// statement, Materialize's documented answer, and where it is documented.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class RolesFidelityTests(EmulatorFixture emulator)
{
    // https://materialize.com/docs/sql/create-role/ — names beginning mz_, pg_ or external_ are the system's.
    [Theory]
    [InlineData("mz_")]
    [InlineData("pg_")]
    [InlineData("external_")]
    public async Task Reserved_role_names_are_refused(string prefix)
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName(prefix + "r");
        var error = await connection.FailsAsync($"CREATE ROLE {name}");
        Assert.Equal($"role name \"{name}\" is reserved", error.MessageText);
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_roles WHERE name = '{name}'"));
    }

    // https://materialize.com/docs/sql/create-role/ and /docs/sql/alter-role/#details — "Materialize does not
    // currently support the NOINHERIT attribute".
    [Theory]
    [InlineData("CREATE ROLE {0} NOINHERIT")]
    [InlineData("CREATE ROLE {0} WITH NOINHERIT")]
    public async Task NOINHERIT_is_refused(string statement)
    {
        await using var connection = await emulator.OpenAsync();
        var error = await connection.FailsAsync(string.Format(statement, TestData.UniqueName("ni")));
        Assert.Equal("0A000", error.SqlState);
        Assert.Contains("not yet supported", error.MessageText);
    }

    // https://materialize.com/docs/sql/create-role/ — Materialize uses system privileges (GRANT CREATEDB ON SYSTEM),
    // not role attributes, so CREATEDB / CREATEROLE / CREATECLUSTER attributes are refused.
    [Theory]
    [InlineData("CREATE ROLE {0} CREATEDB", "CREATEDB attribute is not supported")]
    [InlineData("CREATE ROLE {0} WITH CREATEROLE", "CREATEROLE attribute is not supported")]
    [InlineData("CREATE ROLE {0} CREATECLUSTER", "CREATECLUSTER attribute is not supported")]
    public async Task Role_attributes_Materialize_replaced_by_system_privileges_are_refused(string statement, string message)
    {
        await using var connection = await emulator.OpenAsync();
        var name = TestData.UniqueName("attr");
        var error = await connection.FailsAsync(string.Format(statement, name));
        Assert.StartsWith(message, error.MessageText);
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_roles WHERE name = '{name}'"));
    }

    // https://materialize.com/docs/sql/create-role/ — roles are made with CREATE ROLE; CREATE USER is refused.
    [Fact]
    public async Task CREATE_USER_is_refused()
    {
        await using var connection = await emulator.OpenAsync();
        var error = await connection.FailsAsync($"CREATE USER {TestData.UniqueName("u")}");
        Assert.StartsWith("CREATE USER is not supported", error.MessageText);
    }

    // https://materialize.com/docs/sql/grant-privilege/#details — each object type has its own privileges
    // (clusters: USAGE, CREATE; system: CREATEROLE, CREATEDB, CREATECLUSTER, CREATENETWORKPOLICY).
    [Theory]
    [InlineData("GRANT INSERT ON CLUSTER quickstart TO {0}", "invalid privilege types INSERT for CLUSTER")]
    [InlineData("GRANT SELECT, USAGE ON DATABASE materialize TO {0}", "invalid privilege types SELECT for DATABASE")]
    [InlineData("GRANT USAGE ON SYSTEM TO {0}", "invalid privilege types USAGE for SYSTEM")]
    public async Task Privileges_an_object_type_does_not_have_are_refused(string statement, string message)
    {
        await using var connection = await emulator.OpenAsync();
        var role = TestData.UniqueName("grantee");
        await connection.ExecAsync($"CREATE ROLE {role}");
        var error = await connection.FailsAsync(string.Format(statement, role));
        Assert.StartsWith(message, error.MessageText);
        Assert.Equal(0L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_clusters c, unnest(c.privileges) p WHERE c.name = 'quickstart' AND p::text LIKE '%' || (SELECT id FROM mz_roles WHERE name = '{role}') || '=%'"));
    }

    // https://materialize.com/docs/sql/drop-role/ — "you cannot drop a role that owns objects"; a cluster's owner
    // stays until ownership moves (ALTER CLUSTER … OWNER TO) or the cluster goes.
    [Fact]
    public async Task A_role_that_owns_a_cluster_cannot_be_dropped()
    {
        await using var connection = await emulator.OpenAsync();
        var role = TestData.UniqueName("owner");
        var cluster = TestData.UniqueName("owned");
        await connection.ExecAsync($"CREATE ROLE {role}");
        await connection.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = '25cc')");
        await connection.ExecAsync($"ALTER CLUSTER {cluster} OWNER TO {role}");
        var error = await connection.FailsAsync($"DROP ROLE {role}");
        Assert.Equal($"role \"{role}\" cannot be dropped because some objects depend on it", error.MessageText);
        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM mz_roles WHERE name = '{role}'"));
        await connection.ExecAsync($"DROP CLUSTER {cluster}");
        await connection.ExecAsync($"DROP ROLE {role}");
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM mz_roles WHERE name = '{role}'"));
    }

    // https://materialize.com/docs/sql/grant-privilege/#privileges — "ownership of affected objects" is required
    // to GRANT (and REVOKE); PostgreSQL only warns that no privileges were granted. Materialize refuses with
    // "must be owner of <TYPE> <name>" (42501) for clusters, databases and schemas as for every object.
    [Theory]
    [InlineData("GRANT USAGE ON CLUSTER {c} TO PUBLIC", "must be owner of CLUSTER {c}")]
    [InlineData("REVOKE USAGE ON CLUSTER {c} FROM PUBLIC", "must be owner of CLUSTER {c}")]
    [InlineData("GRANT CREATE ON DATABASE {d} TO PUBLIC", "must be owner of DATABASE {d}")]
    [InlineData("GRANT USAGE ON SCHEMA {s} TO PUBLIC", "must be owner of SCHEMA materialize.{s}")]
    [InlineData("REVOKE CREATE ON SCHEMA materialize.{s} FROM PUBLIC", "must be owner of SCHEMA materialize.{s}")]
    public async Task GRANT_by_a_role_that_does_not_own_the_object_is_refused(string statement, string message)
    {
        await using var admin = await emulator.OpenAsync();
        var role = TestData.UniqueName("nonown");
        var c = TestData.UniqueName("goc");
        var d = TestData.UniqueName("god");
        var s = TestData.UniqueName("gos");
        await admin.ExecAsync($"CREATE CLUSTER {c} (SIZE = '1')");
        await admin.ExecAsync($"CREATE DATABASE {d}");
        await admin.ExecAsync($"CREATE SCHEMA {s}");
        await admin.ExecAsync($"CREATE ROLE {role} WITH LOGIN PASSWORD 's3cret'");
        // Privileges to use the objects, not to own them.
        await admin.ExecAsync($"GRANT USAGE ON CLUSTER {c} TO {role}");
        await admin.ExecAsync($"GRANT USAGE ON DATABASE {d} TO {role}");
        await admin.ExecAsync($"GRANT USAGE, CREATE ON SCHEMA {s} TO {role}");
        await using var other = new Npgsql.NpgsqlConnection(
            $"Host=127.0.0.1;Port={emulator.Server.Port};Username={role};Password=s3cret;Database=materialize;Pooling=false");
        await other.OpenAsync();

        string Fill(string text) => text.Replace("{c}", c).Replace("{d}", d).Replace("{s}", s);
        var error = await other.FailsAsync(Fill(statement));
        Assert.Equal("42501", error.SqlState);
        Assert.Equal(Fill(message), error.MessageText);

        // The owner may, and so may a member of the owning role.
        await admin.ExecAsync(Fill(statement));
        await admin.ExecAsync($"ALTER CLUSTER {c} OWNER TO {role}");
        await other.ExecAsync($"GRANT USAGE ON CLUSTER {c} TO PUBLIC");
    }

    // https://materialize.com/docs/sql/grant-privilege/ — system schemas belong to the system: granting on them is refused.
    [Fact]
    public async Task GRANT_on_a_system_schema_is_refused()
    {
        await using var connection = await emulator.OpenAsync();
        var error = await connection.FailsAsync("GRANT USAGE ON SCHEMA mz_internal TO PUBLIC");
        Assert.Equal("42501", error.SqlState);
        Assert.Equal("system schema 'mz_internal' cannot be modified", error.MessageText);
    }

    // https://materialize.com/docs/sql/alter-owner/ — "you must be a member of the new owner role" and own the object;
    // Materialize refuses with its words where PostgreSQL would say "must be able to SET ROLE …".
    [Fact]
    public async Task Owner_changes_need_the_owner_and_membership_of_the_new_owner()
    {
        await using var admin = await emulator.OpenAsync();
        var s = TestData.UniqueName("aos");
        var owner = TestData.UniqueName("ao_owner");
        var other = TestData.UniqueName("ao_other");
        await admin.ExecAsync($"CREATE SCHEMA {s}");
        await admin.ExecAsync($"CREATE TABLE {s}.mine (x int)");
        await admin.ExecAsync($"CREATE TABLE {s}.theirs (x int)");
        await admin.ExecAsync($"CREATE VIEW {s}.v AS SELECT 1 AS x");
        await admin.ExecAsync($"CREATE ROLE {owner} WITH LOGIN PASSWORD 's3cret'");
        await admin.ExecAsync($"CREATE ROLE {other}");
        await admin.ExecAsync($"GRANT USAGE, CREATE ON SCHEMA {s} TO {owner}");
        await admin.ExecAsync($"ALTER TABLE {s}.mine OWNER TO {owner}");
        await admin.ExecAsync($"ALTER VIEW {s}.v OWNER TO {owner}");
        await admin.ExecAsync($"ALTER SCHEMA {s} OWNER TO {owner}");
        await using var session = new Npgsql.NpgsqlConnection(
            $"Host=127.0.0.1;Port={emulator.Server.Port};Username={owner};Password=s3cret;Database=materialize;Pooling=false");
        await session.OpenAsync();

        var notOwner = await session.FailsAsync($"ALTER TABLE {s}.theirs OWNER TO {owner}");
        Assert.Equal("42501", notOwner.SqlState);
        Assert.Equal($"must be owner of TABLE materialize.{s}.theirs", notOwner.MessageText);
        foreach (var statement in new[] { $"ALTER TABLE {s}.mine OWNER TO {other}", $"ALTER VIEW {s}.v OWNER TO {other}", $"ALTER SCHEMA {s} OWNER TO {other}" })
        {
            var notMember = await session.FailsAsync(statement);
            Assert.Equal("42501", notMember.SqlState);
            Assert.Equal($"must be a member of {other}", notMember.MessageText);
        }

        await admin.ExecAsync($"GRANT {other} TO {owner}");
        await admin.ExecAsync($"GRANT USAGE, CREATE ON SCHEMA {s} TO {other}");
        await session.ExecAsync($"ALTER TABLE {s}.mine OWNER TO {other}");
        Assert.Equal(other, await admin.ScalarAsync(
            $"SELECT r.name FROM mz_tables t JOIN mz_roles r ON r.id = t.owner_id JOIN mz_schemas sc ON sc.id = t.schema_id WHERE sc.name = '{s}' AND t.name = 'mine'"));
    }
}

