namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>DROP kind checks, ALTER … OWNER TO, tables fed by sources.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class CatalogDdlTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task DROP_refuses_a_name_of_another_kind_and_drops_nothing()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("kinds");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (x int)");
        await connection.ExecAsync($"CREATE VIEW {s}.v AS SELECT x FROM {s}.t");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.mv AS SELECT x FROM {s}.t");

        var viewOnMv = await connection.FailsAsync($"DROP VIEW {s}.mv");
        Assert.Equal("42809", viewOnMv.SqlState);
        Assert.Equal($"materialize.{s}.mv is a materialized view, which you can drop using DROP MATERIALIZED VIEW", viewOnMv.MessageText);
        Assert.Equal($"materialize.{s}.v is a view not a materialized view",
            (await connection.FailsAsync($"DROP MATERIALIZED VIEW {s}.v")).MessageText);
        Assert.Equal($"materialize.{s}.v is a view not a table", (await connection.FailsAsync($"DROP TABLE {s}.v")).MessageText);
        Assert.Equal($"materialize.{s}.t is a table not a view", (await connection.FailsAsync($"DROP VIEW IF EXISTS {s}.t")).MessageText);
        // One wrong name in a list fails the whole statement.
        Assert.Equal($"materialize.{s}.mv is a materialized view not a table",
            (await connection.FailsAsync($"DROP TABLE {s}.t, {s}.mv CASCADE")).MessageText);
        Assert.Equal(["mv", "t", "v"], (await connection.RowsAsync(
            $"SELECT o.name FROM mz_objects o JOIN mz_schemas sc ON sc.id = o.schema_id WHERE sc.name = '{s}' ORDER BY 1")).Select(r => (string)r[0]!));

        // The right kind still drops, with PostgreSQL's RESTRICT/CASCADE and IF EXISTS.
        Assert.Equal("2BP01", (await connection.FailsAsync($"DROP TABLE {s}.t")).SqlState);
        await connection.ExecAsync($"DROP MATERIALIZED VIEW {s}.mv");
        await connection.ExecAsync($"DROP VIEW IF EXISTS {s}.v, {s}.missing");
        await connection.ExecAsync($"DROP TABLE {s}.t");
        Assert.Equal(0L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_objects o JOIN mz_schemas sc ON sc.id = o.schema_id WHERE sc.name = '{s}'"));
    }

    [Fact]
    public async Task ALTER_DATABASE_and_CLUSTER_OWNER_TO_change_the_owner_and_pass_on_its_privileges()
    {
        await using var connection = await emulator.OpenAsync();
        var role = TestData.UniqueName("owner");
        var database = TestData.UniqueName("owned");
        var cluster = TestData.UniqueName("owned_c");
        await connection.ExecAsync($"CREATE ROLE {role}");
        await connection.ExecAsync($"CREATE DATABASE {database}");
        await connection.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = 'xsmall')");

        using (var raw = emulator.Raw())
        {
            Assert.Equal(["ALTER DATABASE"], raw.Query($"ALTER DATABASE {database} OWNER TO {role}"));
            Assert.Equal(["ALTER CLUSTER"], raw.Query($"ALTER CLUSTER {cluster} OWNER TO {role}"));
        }

        Assert.Equal(role, await connection.ScalarAsync(
            $"SELECT r.name FROM mz_databases d JOIN mz_roles r ON r.id = d.owner_id WHERE d.name = '{database}'"));
        Assert.Equal(role, await connection.ScalarAsync(
            $"SELECT r.name FROM mz_clusters c JOIN mz_roles r ON r.id = c.owner_id WHERE c.name = '{cluster}'"));
        Assert.Equal(["CREATE", "USAGE"], (await connection.RowsAsync(
            $"SELECT a.privilege_type FROM mz_databases d, mz_internal.mz_aclexplode(d.privileges) a JOIN mz_roles r ON r.id = a.grantee " +
            $"WHERE d.name = '{database}' AND r.name = '{role}' ORDER BY 1")).Select(r => (string)r[0]!));

        var unknown = await connection.FailsAsync($"ALTER DATABASE {database} OWNER TO nobody_{role}");
        Assert.Equal("42704", unknown.SqlState);
        Assert.Equal($"unknown role 'nobody_{role}'", unknown.MessageText);
        Assert.Equal("42704", (await connection.FailsAsync($"ALTER CLUSTER missing_{cluster} OWNER TO {role}")).SqlState);

        await connection.ExecAsync($"DROP DATABASE {database}");
        await connection.ExecAsync($"DROP CLUSTER {cluster}");
    }

    [Fact]
    public async Task Tables_from_sources_are_tables_that_depend_on_their_source()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("fed");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE SECRET {s}.pw AS 'pw'");
        await connection.ExecAsync($"CREATE CONNECTION {s}.pg TO POSTGRES (HOST 'db', DATABASE 'app', USER 'u', PASSWORD SECRET {s}.pw)");
        await connection.ExecAsync($"CREATE SOURCE {s}.src IN CLUSTER quickstart FROM POSTGRES CONNECTION {s}.pg (PUBLICATION 'mz')");
        await connection.ExecAsync($"CREATE TABLE {s}.orders FROM SOURCE {s}.src (REFERENCE public.orders)");
        await connection.ExecAsync($"CREATE TABLE IF NOT EXISTS {s}.orders FROM SOURCE {s}.src (REFERENCE public.orders)");
        await connection.ExecAsync($"CREATE VIEW {s}.v AS SELECT count(*) AS n FROM {s}.orders");

        Assert.Equal(0L, await connection.ScalarAsync($"SELECT n FROM {s}.v"));
        var table = await connection.RowsAsync(
            "SELECT t.name, so.name, t.create_sql FROM mz_tables t JOIN mz_sources so ON so.id = t.source_id " +
            $"JOIN mz_schemas sc ON sc.id = t.schema_id WHERE sc.name = '{s}'");
        Assert.Equal([["orders", "src", $"CREATE TABLE \"materialize\".\"{s}\".\"orders\" FROM SOURCE \"materialize\".\"{s}\".\"src\" (REFERENCE public.orders)"]], table);
        Assert.Equal(["src"], (await connection.RowsAsync(
            "SELECT o.name FROM mz_internal.mz_object_dependencies d JOIN mz_objects o ON o.id = d.referenced_object_id " +
            $"JOIN mz_tables t ON t.id = d.object_id JOIN mz_schemas sc ON sc.id = t.schema_id WHERE sc.name = '{s}'")).Select(r => (string)r[0]!));
        Assert.Equal("42710", (await connection.FailsAsync($"CREATE TABLE {s}.orders FROM SOURCE {s}.src (REFERENCE public.orders)")).SqlState);
        Assert.Equal("42704", (await connection.FailsAsync($"CREATE TABLE {s}.x FROM SOURCE {s}.nosuch (REFERENCE public.x)")).SqlState);

        var restrict = await connection.FailsAsync($"DROP SOURCE {s}.src");
        Assert.Equal("2BP01", restrict.SqlState);
        Assert.Equal($"cannot drop materialize.{s}.src: still depended upon by catalog item 'materialize.{s}.orders'", restrict.MessageText);
        await connection.ExecAsync($"DROP SOURCE {s}.src CASCADE");
        Assert.Equal(0L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_objects o JOIN mz_schemas sc ON sc.id = o.schema_id WHERE sc.name = '{s}' AND o.name IN ('src', 'orders', 'v')"));
        await connection.ExecAsync($"DROP SCHEMA {s} CASCADE");
    }
}
