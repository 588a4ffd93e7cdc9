using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// ALTER SECRET, ALTER CONNECTION SET / RESET / DROP / ROTATE KEYS, VALIDATE CONNECTION, and a secret's value
/// kept out of every catalog relation, SHOW output and the statement log.
/// Docs: /sql/create-secret/, /sql/alter-secret/, /sql/show-secrets/ ("There is no way to show the contents of an
/// existing secret"), /sql/alter-connection/, /sql/validate-connection/.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class SecretConnectionTests(EmulatorFixture emulator)
{
    private async Task<string> SchemaAsync(NpgsqlConnection connection, string prefix)
    {
        var s = TestData.UniqueName(prefix);
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        return s;
    }

    private async Task<NpgsqlConnection> OpenAsRoleAsync(NpgsqlConnection admin, string role)
    {
        await admin.ExecAsync($"CREATE ROLE {role} WITH LOGIN PASSWORD 's3cret'");
        var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={emulator.Server.Port};Username={role};Password=s3cret;Database=materialize;Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<byte[]?> DigestAsync(NpgsqlConnection connection, string schema, string name) =>
        (byte[]?)await connection.ScalarAsync(
            "SELECT d.digest FROM mz_emulator.secret_digests d JOIN mz_secrets s ON s.id = d.id " +
            $"JOIN mz_schemas sc ON sc.id = s.schema_id WHERE sc.name = '{schema}' AND s.name = '{name}'");

    private static byte[] Sha256(string value) => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value));

    [Fact]
    public async Task A_secret_value_appears_in_no_catalog_relation_SHOW_output_or_statement_log()
    {
        await using var connection = await emulator.OpenAsync();
        var s = await SchemaAsync(connection, "sec");
        var first = "first-" + Guid.NewGuid().ToString("N");
        var second = "second-" + Guid.NewGuid().ToString("N");
        await connection.ExecAsync($"CREATE SECRET {s}.pw AS '{first}'");
        await connection.ExecAsync($"ALTER SECRET {s}.pw AS '{second}'");

        Assert.Equal($"CREATE SECRET \"materialize\".\"{s}\".\"pw\" AS '********'", (await connection.RowsAsync($"SHOW CREATE SECRET {s}.pw")).Single()[1]);
        foreach (var value in new[] { first, second })
        {
            // Every catalog relation's text, and the statement log (written before a query that names it; the
            // query spells the value backwards, as it is logged itself).
            var reversed = new string(value.Reverse().ToArray());
            Assert.Equal(0L, await connection.ScalarAsync(
                $"SELECT count(*) FROM mz_emulator.statement_log WHERE strpos(sql, reverse('{reversed}')) > 0"));
            Assert.Equal(0L, await connection.ScalarAsync(
                $"SELECT count(*) FROM mz_secrets s WHERE s::text LIKE '%{value}%'"));
            Assert.Equal(0L, await connection.ScalarAsync(
                $"SELECT count(*) FROM mz_objects o WHERE o::text LIKE '%{value}%'"));
            Assert.Equal(0L, await connection.ScalarAsync(
                $"SELECT count(*) FROM mz_emulator.catalog_items i WHERE i::text LIKE '%{value}%'"));
        }
        var logged = (await connection.RowsAsync(
            $"SELECT sql FROM mz_emulator.statement_log WHERE sql LIKE '% SECRET {s}.pw AS%' AND sql NOT LIKE 'SELECT%' ORDER BY seq")).Select(r => (string)r[0]!).ToList();
        Assert.Equal([$"CREATE SECRET {s}.pw AS '********'", $"ALTER SECRET {s}.pw AS '********'"], logged);
    }

    [Fact]
    public async Task ALTER_SECRET_changes_the_value_only_for_its_owner()
    {
        await using var admin = await emulator.OpenAsync();
        var s = await SchemaAsync(admin, "secalt");
        await admin.ExecAsync($"CREATE SECRET {s}.pw AS 'one'");
        Assert.Equal(Sha256("one"), await DigestAsync(admin, s, "pw"));

        await admin.ExecAsync($"ALTER SECRET {s}.pw AS decode('dHdv', 'base64')");
        Assert.Equal(Sha256("two"), await DigestAsync(admin, s, "pw"));
        // IF NOT EXISTS keeps the existing value.
        await admin.ExecAsync($"CREATE SECRET IF NOT EXISTS {s}.pw AS 'three'");
        Assert.Equal(Sha256("two"), await DigestAsync(admin, s, "pw"));

        // IF EXISTS on a missing secret is a notice; without it, Materialize's unknown catalog item.
        await admin.ExecAsync($"ALTER SECRET IF EXISTS {s}.nothing AS 'x'");
        Assert.Equal("unknown catalog item 'nothing'", (await admin.FailsAsync($"ALTER SECRET {s}.nothing AS 'x'")).MessageText);
        // A value may not read relations (docs: "may not reference any relations").
        await admin.ExecAsync($"CREATE TABLE {s}.t (v text)");
        await admin.FailsAsync($"ALTER SECRET {s}.pw AS (SELECT v FROM {s}.t)");
        Assert.Equal(Sha256("two"), await DigestAsync(admin, s, "pw"));
        // Another kind of item.
        await admin.ExecAsync($"CREATE CONNECTION {s}.c TO SSH TUNNEL (HOST 'h')");
        Assert.Equal($"materialize.{s}.c is a connection not a secret", (await admin.FailsAsync($"ALTER SECRET {s}.c AS 'x'")).MessageText);

        var role = TestData.UniqueName("secuser");
        await using var other = await OpenAsRoleAsync(admin, role);
        await admin.ExecAsync($"GRANT USAGE ON SCHEMA {s} TO {role}");
        var denied = await other.FailsAsync($"ALTER SECRET {s}.pw AS 'mine'");
        Assert.Equal("42501", denied.SqlState);
        Assert.Equal($"must be owner of SECRET materialize.{s}.pw", denied.MessageText);
        Assert.DoesNotContain("mine", denied.MessageText);
        Assert.Equal(Sha256("two"), await DigestAsync(admin, s, "pw"));
    }

    [Fact]
    public async Task ALTER_CONNECTION_SET_RESET_and_DROP_change_the_options_mz_connections_shows()
    {
        await using var connection = await emulator.OpenAsync();
        var s = await SchemaAsync(connection, "conalt");
        await connection.ExecAsync($"CREATE CONNECTION {s}.ssh TO SSH TUNNEL (HOST 'bastion', PORT 22, USER 'mz')");

        await connection.ExecAsync($"ALTER CONNECTION {s}.ssh SET (HOST = 'bastion-2') WITH (VALIDATE = false)");
        var createSql = $"SELECT create_sql FROM mz_connections c JOIN mz_schemas sc ON sc.id = c.schema_id WHERE sc.name = '{s}' AND c.name = 'ssh'";
        Assert.Equal($"CREATE CONNECTION \"materialize\".\"{s}\".\"ssh\" TO SSH TUNNEL (HOST = 'bastion-2', PORT = 22, USER = 'mz')",
            await connection.ScalarAsync(createSql));
        Assert.Equal($"CREATE CONNECTION \"materialize\".\"{s}\".\"ssh\" TO SSH TUNNEL (HOST = 'bastion-2', PORT = 22, USER = 'mz')",
            (await connection.RowsAsync($"SHOW CREATE CONNECTION {s}.ssh")).Single()[1]);

        await connection.ExecAsync($"ALTER CONNECTION {s}.ssh RESET (PORT)");
        await connection.ExecAsync($"ALTER CONNECTION {s}.ssh DROP (USER)");
        await connection.ExecAsync($"ALTER CONNECTION {s}.ssh SET (USER = 'deploy', PORT = 2222)");
        Assert.Equal($"CREATE CONNECTION \"materialize\".\"{s}\".\"ssh\" TO SSH TUNNEL (HOST = 'bastion-2', USER = 'deploy', PORT = 2222)",
            await connection.ScalarAsync(createSql));

        // Refused, and nothing changes: an option twice, an option the type lacks.
        Assert.StartsWith("cannot modify the same option more than once",
            (await connection.FailsAsync($"ALTER CONNECTION {s}.ssh SET (HOST = 'a', HOST = 'b')")).MessageText);
        Assert.StartsWith("BROKER is not a valid option of SSH TUNNEL connections",
            (await connection.FailsAsync($"ALTER CONNECTION {s}.ssh SET (BROKER = 'b:9092')")).MessageText);
        Assert.Equal($"CREATE CONNECTION \"materialize\".\"{s}\".\"ssh\" TO SSH TUNNEL (HOST = 'bastion-2', USER = 'deploy', PORT = 2222)",
            await connection.ScalarAsync(createSql));
    }

    [Fact]
    public async Task ALTER_CONNECTION_SET_to_a_secret_requires_it_and_records_the_dependency()
    {
        await using var connection = await emulator.OpenAsync();
        var s = await SchemaAsync(connection, "consec");
        await connection.ExecAsync($"CREATE SECRET {s}.pw AS 'x'");
        await connection.ExecAsync($"CREATE SECRET {s}.pw2 AS 'y'");
        await connection.ExecAsync($"CREATE CONNECTION {s}.pg TO POSTGRES (HOST 'db', DATABASE 'app', USER 'u', PASSWORD SECRET {s}.pw)");

        Assert.Equal("unknown catalog item 'missing'",
            (await connection.FailsAsync($"ALTER CONNECTION {s}.pg SET (PASSWORD = SECRET {s}.missing)")).MessageText);
        await connection.ExecAsync($"ALTER CONNECTION {s}.pg SET (PASSWORD = SECRET {s}.pw2)");
        Assert.Equal(1L, await connection.ScalarAsync(
            "SELECT count(*) FROM mz_internal.mz_object_dependencies d JOIN mz_connections c ON c.id = d.object_id " +
            $"JOIN mz_secrets x ON x.id = d.referenced_object_id JOIN mz_schemas sc ON sc.id = c.schema_id WHERE sc.name = '{s}' AND x.name = 'pw2'"));
        Assert.Contains($"PASSWORD = SECRET {s}.pw2", (string)(await connection.RowsAsync($"SHOW CREATE CONNECTION {s}.pg")).Single()[1]!);
    }

    [Fact]
    public async Task ROTATE_KEYS_promotes_the_secondary_key_of_an_SSH_tunnel()
    {
        await using var connection = await emulator.OpenAsync();
        var s = await SchemaAsync(connection, "rot");
        await connection.ExecAsync($"CREATE CONNECTION {s}.ssh TO SSH TUNNEL (HOST 'bastion', USER 'mz')");
        await connection.ExecAsync($"CREATE CONNECTION {s}.kafka TO KAFKA (BROKER 'b:9092', SSH TUNNEL {s}.ssh)");
        var keys = "SELECT t.public_key_1, t.public_key_2 FROM mz_ssh_tunnel_connections t JOIN mz_connections c ON c.id = t.id " +
                   $"JOIN mz_schemas sc ON sc.id = c.schema_id WHERE sc.name = '{s}'";
        var before = (await connection.RowsAsync(keys)).Single();
        Assert.StartsWith("ssh-ed25519 ", (string)before[0]!);
        Assert.NotEqual(before[0], before[1]);

        await connection.ExecAsync($"ALTER CONNECTION {s}.ssh ROTATE KEYS");
        var after = (await connection.RowsAsync(keys)).Single();
        Assert.Equal(before[1], after[0]);
        Assert.NotEqual(before[1], after[1]);
        Assert.NotEqual(before[0], after[1]);

        Assert.Contains("not an SSH tunnel connection", (await connection.FailsAsync($"ALTER CONNECTION {s}.kafka ROTATE KEYS")).MessageText);
    }

    [Fact]
    public async Task VALIDATE_CONNECTION_succeeds_for_a_connection_and_refuses_other_items()
    {
        await using var connection = await emulator.OpenAsync();
        var s = await SchemaAsync(connection, "val");
        await connection.ExecAsync($"CREATE SECRET {s}.pw AS 'x'");
        await connection.ExecAsync($"CREATE CONNECTION {s}.ssh TO SSH TUNNEL (HOST 'bastion', USER 'mz')");

        Assert.Empty(await connection.RowsAsync($"VALIDATE CONNECTION {s}.ssh"));
        Assert.Equal($"materialize.{s}.pw is a secret not a connection",
            (await connection.FailsAsync($"VALIDATE CONNECTION {s}.pw")).MessageText);
        Assert.Equal("unknown catalog item 'nothing'", (await connection.FailsAsync($"VALIDATE CONNECTION {s}.nothing")).MessageText);
    }
}
