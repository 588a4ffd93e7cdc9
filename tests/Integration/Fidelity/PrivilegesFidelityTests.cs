using MzDeploy.Tests.Integration.Emulator;
using System.Text.RegularExpressions;
using Npgsql;

namespace MzDeploy.Tests.Integration.Fidelity;

/// <summary>
/// Issue 12, group 4 (privileges): the catalogs' <c>privileges</c> columns hold mz_aclitem text as Materialize
/// documents it (role ids, letters in Materialize's order), and SHOW PRIVILEGES shows the same privileges with
/// role names.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class PrivilegesFidelityTests(EmulatorFixture emulator)
{
    // https://materialize.com/docs/sql/types/mz_aclitem/ — "<grantee>=<privileges>/<grantor>", grantee and
    // grantor are role IDs (so mz_aclexplode(privileges) joins mz_roles.id); the owner of a table holds arwd.
    [Fact]
    public async Task Privileges_columns_are_mz_aclitem_text_with_role_ids_and_Materialize_letter_order()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("acl");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int)");
        var owner = (string)(await connection.ScalarAsync("SELECT id FROM mz_roles WHERE name = current_user"))!;

        var table = (string[])(await connection.ScalarAsync(
            $"SELECT t.privileges FROM mz_tables t JOIN mz_schemas sc ON sc.id = t.schema_id WHERE sc.name = '{s}'"))!;
        Assert.Equal([$"{owner}=arwd/{owner}"], table);
        var schema = (string[])(await connection.ScalarAsync($"SELECT privileges FROM mz_schemas WHERE name = '{s}'"))!;
        Assert.Contains($"{owner}=UC/{owner}", schema);
    }

    // https://materialize.com/docs/sql/show-privileges/ — columns grantor, grantee, database, schema, name,
    // object_type, privilege_type, with role names (PUBLIC for everyone); ON <type> and FOR <role> filter.
    [Fact]
    public async Task SHOW_PRIVILEGES_lists_privileges_with_role_names()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("shp");
        var role = TestData.UniqueName("shp_r");
        var member = TestData.UniqueName("shp_m");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await connection.ExecAsync($"CREATE ROLE {role}");
        await connection.ExecAsync($"CREATE ROLE {member}");
        await connection.ExecAsync($"GRANT {role} TO {member}");
        await connection.ExecAsync($"GRANT SELECT ON TABLE {s}.t TO {role}");
        await connection.ExecAsync($"GRANT USAGE ON SCHEMA {s} TO {role}");
        var me = (string)(await connection.ScalarAsync("SELECT current_user"))!;

        var (columns, all) = await ReadAsync(connection, "SHOW PRIVILEGES");
        Assert.Equal(["grantor", "grantee", "database", "schema", "name", "object_type", "privilege_type"], columns);
        Assert.Contains(all, r => Row(r) == $"{me}|{role}|materialize|{s}|t|table|SELECT");
        Assert.Contains(all, r => Row(r) == $"{me}|{role}|materialize||{s}|schema|USAGE");
        Assert.Contains(all, r => Row(r) == "mz_system|PUBLIC|||quickstart|cluster|USAGE");
        Assert.DoesNotContain(all, r => Regex.IsMatch((string)r[0]!, "^[us][0-9]+$") || Regex.IsMatch((string)r[1]!, "^[us][0-9]+$"));

        // FOR a role: what it holds itself, through the roles it is a member of, and as PUBLIC.
        var (_, forMember) = await ReadAsync(connection, $"SHOW PRIVILEGES FOR {member}");
        Assert.Contains(forMember, r => Row(r) == $"{me}|{role}|materialize|{s}|t|table|SELECT");
        Assert.Contains(forMember, r => (string)r[1]! == "PUBLIC");
        Assert.DoesNotContain(forMember, r => (string)r[1]! == me);

        var (_, tables) = await ReadAsync(connection, $"SHOW PRIVILEGES ON TABLES FOR {role}");
        Assert.Equal([$"{me}|{role}|materialize|{s}|t|table|SELECT"], tables.Select(Row));
        var (_, clusters) = await ReadAsync(connection, "SHOW PRIVILEGES ON CLUSTERS");
        Assert.All(clusters, r => Assert.Equal("cluster", r[5]));
        Assert.NotEmpty(clusters);
    }

    // https://materialize.com/docs/sql/show-privileges/ — every object kind's grants show by role name, whichever
    // catalog keeps them (PostgreSQL's ACLs for relations and schemas, the emulator's for clusters, databases and items).
    [Fact]
    public async Task SHOW_PRIVILEGES_names_roles_for_every_object_kind()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("shk");
        var c = TestData.UniqueName("shkc");
        var d = TestData.UniqueName("shkd");
        var role = TestData.UniqueName("shk_r");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE CLUSTER {c} (SIZE = '1')");
        await connection.ExecAsync($"CREATE DATABASE {d}");
        await connection.ExecAsync($"CREATE SECRET {s}.pw AS 'x'");
        await connection.ExecAsync($"CREATE CONNECTION {s}.k TO KAFKA (BROKER 'b:9092', SASL PASSWORD = SECRET {s}.pw)");
        await connection.ExecAsync($"CREATE ROLE {role}");
        await connection.ExecAsync($"GRANT USAGE ON SECRET {s}.pw TO {role}");
        await connection.ExecAsync($"GRANT USAGE ON CONNECTION {s}.k TO {role}");
        await connection.ExecAsync($"GRANT CREATE ON CLUSTER {c} TO {role}");
        await connection.ExecAsync($"GRANT USAGE ON DATABASE {d} TO {role}");
        var me = (string)(await connection.ScalarAsync("SELECT current_user"))!;

        var (_, rows) = await ReadAsync(connection, $"SHOW PRIVILEGES FOR {role}");
        var mine = rows.Where(r => (string)r[1]! == role).Select(Row).ToList();
        Assert.Contains($"{me}|{role}|materialize|{s}|pw|secret|USAGE", mine);
        Assert.Contains($"{me}|{role}|materialize|{s}|k|connection|USAGE", mine);
        Assert.Contains($"{me}|{role}|||{c}|cluster|CREATE", mine);
        Assert.Contains(mine, m => m.StartsWith($"{me}|{role}|", StringComparison.Ordinal) && m.EndsWith($"|{d}|database|USAGE", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => Regex.IsMatch((string)r[0]!, "^[us][0-9]+$") || Regex.IsMatch((string)r[1]!, "^[us][0-9]+$"));
    }

    private static string Row(object?[] row) => string.Join('|', row.Select(v => v as string ?? ""));

    private static async Task<(List<string> Columns, List<object?[]> Rows)> ReadAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var k = 0; k < row.Length; k++)
                row[k] = reader.IsDBNull(k) ? null : reader.GetValue(k);
            rows.Add(row);
        }
        return (columns, rows);
    }
}
