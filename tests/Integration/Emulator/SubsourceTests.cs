namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// The subsources CREATE SOURCE makes: one progress subsource per source (docs: /sql/show-subsources/ "Every source
/// has exactly one subsource of type progress"; /sql/create-source/ EXPOSE PROGRESS AS), and a load generator's
/// tables with FOR ALL TABLES (/sql/create-source/load-generator/); DROP SOURCE takes them along but refuses while
/// something reads them (/sql/drop-source/).
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class SubsourceTests(EmulatorFixture emulator)
{
    private static string Sources(string schema) =>
        $"SELECT o.name, o.type FROM mz_sources o JOIN mz_schemas s ON s.id = o.schema_id WHERE s.name = '{schema}' ORDER BY o.name";

    [Fact]
    public async Task AUCTION_FOR_ALL_TABLES_makes_its_subsources_and_a_progress_subsource()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("auction");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE SOURCE {s}.auction_house IN CLUSTER quickstart FROM LOAD GENERATOR AUCTION FOR ALL TABLES");

        Assert.Equal(
            [["accounts", "subsource"], ["auction_house", "load-generator"], ["auction_house_progress", "progress"], ["auctions", "subsource"],
             ["bids", "subsource"], ["organizations", "subsource"], ["users", "subsource"]],
            await connection.RowsAsync(Sources(s)));
        // Subsources are relations with the generator's columns; they are sources, not tables.
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM {s}.bids"));
        Assert.Equal(["id", "buyer", "auction_id", "amount", "bid_time"], (await connection.RowsAsync(
            $"SELECT c.name FROM mz_columns c JOIN mz_sources o ON o.id = c.id JOIN mz_schemas s ON s.id = o.schema_id " +
            $"WHERE s.name = '{s}' AND o.name = 'bids' ORDER BY c.position")).Select(r => (string)r[0]!));
        Assert.Equal(0L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_tables t JOIN mz_schemas s ON s.id = t.schema_id WHERE s.name = '{s}'"));
        Assert.Equal(6L, await connection.ScalarAsync(
            "SELECT count(*) FROM mz_internal.mz_object_dependencies d JOIN mz_sources src ON src.id = d.referenced_object_id " +
            $"JOIN mz_schemas s ON s.id = src.schema_id WHERE s.name = '{s}' AND src.name = 'auction_house'"));
        Assert.Equal($"materialize.{s}.bids is a source not a table", (await connection.FailsAsync($"DROP TABLE {s}.bids")).MessageText);
    }

    [Fact]
    public async Task COUNTER_has_a_progress_subsource_named_by_EXPOSE_PROGRESS_AS()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("counter");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE SOURCE {s}.ticks IN CLUSTER quickstart FROM LOAD GENERATOR COUNTER");
        await connection.ExecAsync($"CREATE SOURCE {s}.other IN CLUSTER quickstart FROM LOAD GENERATOR COUNTER EXPOSE PROGRESS AS other_p");
        await connection.ExecAsync($"CREATE SOURCE IF NOT EXISTS {s}.other IN CLUSTER quickstart FROM LOAD GENERATOR COUNTER EXPOSE PROGRESS AS other_p");
        Assert.Equal([["other", "load-generator"], ["other_p", "progress"]],
            (await connection.RowsAsync(Sources(s))).Where(r => ((string)r[0]!).StartsWith("other", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DROP_SOURCE_takes_its_subsources_and_refuses_while_a_view_reads_one()
    {
        await using var connection = await emulator.OpenAsync();
        var s = TestData.UniqueName("dropsub");
        await connection.ExecAsync($"CREATE SCHEMA {s}");
        await connection.ExecAsync($"CREATE SOURCE {s}.auction_house IN CLUSTER quickstart FROM LOAD GENERATOR AUCTION FOR ALL TABLES");
        await connection.ExecAsync($"CREATE VIEW {s}.big_bids AS SELECT id FROM {s}.bids WHERE amount > 100");

        var error = await connection.FailsAsync($"DROP SOURCE {s}.auction_house");
        Assert.Equal("2BP01", error.SqlState);
        Assert.Equal($"cannot drop materialize.{s}.auction_house: still depended upon by catalog item 'materialize.{s}.big_bids'", error.MessageText);
        Assert.Equal(7, (await connection.RowsAsync(Sources(s))).Count);

        // A subsource alone: refused while read; a progress subsource goes only with its source.
        Assert.Equal($"cannot drop materialize.{s}.bids: still depended upon by catalog item 'materialize.{s}.big_bids'",
            (await connection.FailsAsync($"DROP SOURCE {s}.bids")).MessageText);
        Assert.Equal("2BP01", (await connection.FailsAsync($"DROP SOURCE {s}.auction_house_progress")).SqlState);
        await connection.ExecAsync($"DROP SOURCE {s}.users");
        Assert.Equal(6, (await connection.RowsAsync(Sources(s))).Count);

        await connection.ExecAsync($"DROP SOURCE {s}.auction_house CASCADE");
        Assert.Empty(await connection.RowsAsync(Sources(s)));
        Assert.Equal(0L, await connection.ScalarAsync(
            $"SELECT count(*) FROM mz_objects o JOIN mz_schemas sc ON sc.id = o.schema_id WHERE sc.name = '{s}'"));
    }
}
