using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Fidelity;

/// <summary>
/// Issue 12, group 9: the catalog. mz_objects lists the system's relations (docs: mz_catalog.mz_objects, "all
/// objects"), and the relations mz_index_columns, mz_object_fully_qualified_names, mz_cluster_deployment_lineage and
/// mz_show_materialized_views exist with their documented columns (docs: /reference/system-catalog/mz_internal/).
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class CatalogFidelityTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task mz_objects_lists_the_system_relations()
    {
        await using var connection = await emulator.OpenAsync();
        var rows = await connection.RowsAsync(
            "SELECT o.id, o.type, s.name FROM mz_objects o JOIN mz_schemas s ON s.id = o.schema_id WHERE o.name = 'mz_tables'");
        var row = Assert.Single(rows);
        Assert.StartsWith("s", (string)row[0]!);
        Assert.Equal("mz_catalog", row[2]);
        Assert.Equal(1L, await connection.ScalarAsync("SELECT count(*) FROM mz_objects WHERE name = 'mz_network_policies'"));
    }

    [Fact]
    public async Task mz_index_columns_shows_each_key_part()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("idxcols");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE TABLE {s}.t (a int NOT NULL, b text, c int)");
        await connection.ExecAsync($"CREATE INDEX t_cb IN CLUSTER quickstart ON {s}.t (c, b)");
        await connection.ExecAsync($"CREATE INDEX t_expr IN CLUSTER quickstart ON {s}.t (a + 1)");
        string Columns(string index) =>
            "SELECT ic.index_position, ic.on_position, ic.on_expression, ic.nullable FROM mz_internal.mz_index_columns ic " +
            $"JOIN mz_indexes i ON i.id = ic.index_id JOIN mz_objects t ON t.id = i.on_id JOIN mz_schemas sc ON sc.id = t.schema_id " +
            $"WHERE sc.name = '{s}' AND i.name = '{index}' ORDER BY ic.index_position";

        Assert.Equal([[1m, 3m, null, true], [2m, 2m, null, true]], await connection.RowsAsync(Columns("t_cb")));
        Assert.Equal([[1m, null, "a + 1", true]], await connection.RowsAsync(Columns("t_expr")));
    }

    [Fact]
    public async Task mz_object_fully_qualified_names_lineage_and_show_materialized_views_have_their_rows()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("fqn");
        var cluster = TestData.UniqueName("fqncl");
        await connection.ExecAsync($"CREATE CLUSTER {cluster} (SIZE = '25cc')");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE MATERIALIZED VIEW {s}.mv IN CLUSTER {cluster} AS SELECT 1 AS one");
        await connection.ExecAsync($"COMMENT ON MATERIALIZED VIEW {s}.mv IS 'the one'");

        Assert.Equal(["mv", "materialized-view", s, "materialize"], (await connection.RowsAsync(
            "SELECT name, object_type, schema_name, database_name FROM mz_internal.mz_object_fully_qualified_names " +
            $"WHERE schema_name = '{s}'")).Single());
        Assert.Equal([cluster], (await connection.RowsAsync(
            "SELECT l.cluster_name FROM mz_internal.mz_cluster_deployment_lineage l JOIN mz_clusters c ON c.id = l.cluster_id " +
            $"WHERE c.name = '{cluster}' AND l.current_deployment_cluster_id = c.id")).Single());
        Assert.Equal(["mv", cluster, "the one"], (await connection.RowsAsync(
            "SELECT v.name, v.cluster, v.comment FROM mz_internal.mz_show_materialized_views v JOIN mz_schemas sc ON sc.id = v.schema_id " +
            $"WHERE sc.name = '{s}'")).Single());
    }
}
