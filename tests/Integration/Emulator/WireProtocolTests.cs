using Npgsql;

namespace MzDeploy.Tests.Integration.Emulator;

[Collection(EmulatorCollection.Name)]
public sealed class WireProtocolTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task Npgsql_sees_Materialize_version_parameters()
    {
        await using var connection = await emulator.OpenAsync();
        Assert.Equal("9.5.0", connection.PostgreSqlVersion.ToString(3));
        Assert.Equal("v0.147.0 (mzdeploy-emulator)", connection.PostgresParameters["mz_version"]);
        Assert.Equal("quickstart", connection.PostgresParameters["cluster"]);
        Assert.Equal("materialize", connection.PostgresParameters["database"]);
    }

    [Fact]
    public async Task Deploy_tool_introspection_functions_answer()
    {
        await using var connection = await emulator.OpenAsync();
        var row = (await connection.RowsAsync(
            "SELECT mz_version() AS version, mz_environment_id() AS environment_id, current_role() AS role, " +
            "current_user(), mz_is_superuser(), current_setting('enable_rbac_checks')::bool, current_database()"))[0];
        Assert.Equal("v0.147.0 (mzdeploy-emulator)", row[0]);
        Assert.Equal("materialize", row[2]);
        Assert.Equal("materialize", row[3]);
        Assert.Equal(true, row[4]);
        Assert.Equal(true, row[5]);
        Assert.Equal("materialize", row[6]);
    }

    [Fact]
    public void SSLRequest_is_answered_N_and_the_session_continues_in_plain_text()
    {
        using var client = RawPgClient.Connect(emulator.Server.Port, sslRequest: true);
        Assert.Equal('N', client.SslAnswer);
        Assert.Equal(["SELECT 1"], client.Query("SELECT 1"));
    }

    [Fact]
    public async Task Requiring_SSL_fails_cleanly()
    {
        await using var connection = new NpgsqlConnection(emulator.ConnectionString + ";SSL Mode=Require");
        await Assert.ThrowsAnyAsync<Exception>(() => connection.OpenAsync());
        // The emulator still serves the next client.
        await using var next = await emulator.OpenAsync();
        Assert.Equal(1, await next.ScalarAsync("SELECT 1"));
    }

    [Fact]
    public async Task Startup_options_set_the_cluster()
    {
        await using var connection = await emulator.OpenAsync("Options=-c cluster=elsewhere");
        Assert.Equal("elsewhere", await connection.ScalarAsync("SHOW cluster"));
        Assert.Equal("elsewhere", connection.PostgresParameters["cluster"]);

        using var raw = emulator.Raw(options: "--cluster=other");
        Assert.Equal("other", raw.Parameters["cluster"]);
    }

    [Fact]
    public async Task SET_cluster_changes_SHOW_cluster_and_reports_the_parameter()
    {
        using var raw = emulator.Raw();
        Assert.Equal(["SET"], raw.Query("SET cluster = 'c_x'"));
        Assert.Equal("c_x", raw.Parameters["cluster"]);
        Assert.Equal(["SET"], raw.Query("SET CLUSTER TO quickstart"));
        Assert.Equal("quickstart", raw.Parameters["cluster"]);

        await using var connection = await emulator.OpenAsync();
        await connection.ExecAsync("SET cluster = mine");
        Assert.Equal("mine", await connection.ScalarAsync("SHOW cluster"));
        Assert.Equal("mine", await connection.ScalarAsync("SELECT current_setting('cluster')"));
    }

    [Fact]
    public async Task Extended_protocol_with_parameters_works()
    {
        await using var connection = await emulator.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT $1::int + 1, $2::text", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = 41 });
        command.Parameters.Add(new NpgsqlParameter { Value = "x" });
        await command.PrepareAsync();
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(42, reader.GetInt32(0));
        Assert.Equal("x", reader.GetString(1));
    }

    [Fact]
    public async Task Array_typed_bind_parameters_are_refused_like_Materialize()
    {
        await using var connection = await emulator.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT cardinality($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = new[] { "a", "b" } });
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteScalarAsync());
        Assert.Equal("0A000", error.SqlState);
        Assert.Contains("array-typed bind parameters", error.MessageText);
        // The documented workaround works.
        await using var ok = new NpgsqlCommand("SELECT cardinality($1::text::text[])", connection);
        ok.Parameters.Add(new NpgsqlParameter { Value = "{a,b}" });
        Assert.Equal(2, await ok.ExecuteScalarAsync());
    }

    [Fact]
    public void Command_tags_are_Materialize_s()
    {
        using var raw = emulator.Raw();
        var cluster = TestData.UniqueName("tags");
        Assert.Equal(["CREATE CLUSTER"], raw.Query($"CREATE CLUSTER {cluster} (SIZE = 'xsmall')"));
        Assert.Equal(["ALTER CLUSTER"], raw.Query($"ALTER CLUSTER {cluster} SET (REPLICATION FACTOR = 2)"));
        Assert.Equal(["DROP CLUSTER"], raw.Query($"DROP CLUSTER {cluster}"));
        var database = TestData.UniqueName("tagdb");
        Assert.Equal(["CREATE DATABASE"], raw.Query($"CREATE DATABASE {database}"));
        Assert.Equal(["CREATE SCHEMA"], raw.Query($"CREATE SCHEMA {database}.s"));
        Assert.Equal(["DROP SCHEMA"], raw.Query($"DROP SCHEMA {database}.s"));
        Assert.Equal(["DROP DATABASE"], raw.Query($"DROP DATABASE {database}"));
        Assert.Equal(["SELECT 1"], raw.Query("SELECT 1"));
    }

    [Fact]
    public async Task Statements_the_emulator_lacks_fail_with_not_supported()
    {
        await using var connection = await emulator.OpenAsync();
        var error = await connection.FailsAsync("SUBSCRIBE (SELECT 1)");
        Assert.Equal("0A000", error.SqlState);
        Assert.Equal("SUBSCRIBE is not supported by the emulator", error.MessageText);
        Assert.Equal(1, await connection.ScalarAsync("SELECT 1"));
    }

    [Fact]
    public async Task Errors_carry_no_emulator_internals()
    {
        await using var connection = await emulator.OpenAsync();
        var error = await connection.FailsAsync("DROP CLUSTER no_such_cluster");
        Assert.Equal("unknown cluster 'no_such_cluster'", error.MessageText);
        Assert.Null(error.Where);
    }

    [Fact]
    public async Task Missing_relations_are_reported_with_Materialize_names()
    {
        await using var connection = await emulator.OpenAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ScalarAsync("SELECT * FROM materialize.public.nothing_here"));
        Assert.Equal("unknown catalog item 'materialize.public.nothing_here'", error.MessageText);
    }
}
