using Npgsql;
using MzDeploy.Tests.Integration.Emulator;

namespace MzDeploy.Tests.Integration.Fidelity;

/// <summary>
/// Issue 12, group 11: expressions Materialize evaluates that PostgreSQL reads otherwise. Each case: the
/// statement, Materialize's documented answer, and where it is documented.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ExpressionsFidelityTests(EmulatorFixture emulator)
{
    // https://materialize.com/docs/sql/types/interval/ — a time unit after the literal is the literal's unit
    // (INTERVAL '1' MINUTE); the plural reads the same. PostgreSQL alone would take "minutes" for a column alias.
    [Theory]
    [InlineData("INTERVAL '30' minutes", 30 * 60)]
    [InlineData("INTERVAL '2' hours", 2 * 3600)]
    [InlineData("INTERVAL '30' MINUTE", 30 * 60)]
    public async Task A_unit_after_an_interval_literal_is_its_unit(string literal, int seconds)
    {
        await using var connection = await emulator.OpenAsync();
        Assert.Equal(TimeSpan.FromSeconds(seconds), await connection.ScalarAsync($"SELECT {literal}"));
        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM (SELECT now() AS t) n WHERE n.t - {literal} < now()"));
    }

    // https://materialize.com/docs/sql/functions/now_and_mz_now/ and /docs/sql/types/mz_timestamp/ — mz_now()
    // compares with numbers (milliseconds since the epoch) on either side, as temporal filters write it.
    [Fact]
    public async Task mz_now_compares_with_millisecond_columns_on_either_side()
    {
        await using var connection = await emulator.OpenAsync();
        var t = TestData.UniqueName("tf");
        await connection.ExecAsync($"CREATE TABLE {t} (created_ms numeric, n bigint)");
        await connection.ExecAsync($"INSERT INTO {t} SELECT extract(epoch FROM now()) * 1000, (extract(epoch FROM now()) * 1000)::bigint");
        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM {t} WHERE mz_now() <= created_ms + 60000"));
        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM {t} WHERE created_ms + 60000 >= mz_now()"));
        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM {t} WHERE n + 60000 > mz_now() AND mz_now() <> n - 60000"));
        Assert.Equal(0L, await connection.ScalarAsync($"SELECT count(*) FROM {t} WHERE created_ms - 60000 > mz_now()"));
    }

    // https://materialize.com/docs/sql/types/mz_timestamp/ — "Integer and numeric casts must be in the form of
    // milliseconds since the Unix epoch. Casting from text can be either also in the form of milliseconds since the
    // Unix epoch or in a human-readable form that is the same as for the timestamptz type"; mz_timestamp casts to
    // timestamptz, and timestamptz casts implicitly to mz_timestamp (so the two compare).
    [Theory]
    [InlineData("'1700000000000'::mz_timestamp")]
    [InlineData("CAST('1700000000000' AS mz_timestamp)")]
    [InlineData("CAST(1700000000000 AS mz_catalog.mz_timestamp)")]
    [InlineData("1700000000000::mz_timestamp")]
    [InlineData("(1699999999000 + 1000)::mz_timestamp")]
    [InlineData("'1700000000000'::text::mz_timestamp")]
    [InlineData("mz_timestamp '1700000000000'")]
    [InlineData("'2023-11-14 22:13:20+00'::mz_timestamp")]
    [InlineData("CAST(TIMESTAMPTZ '2023-11-14 22:13:20+00' AS mz_timestamp)")]
    public async Task mz_timestamp_reads_milliseconds_since_the_epoch_and_timestamps(string value)
    {
        await using var connection = await emulator.OpenAsync();
        var at = new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero);
        Assert.Equal(at.UtcDateTime, ((DateTime)(await connection.ScalarAsync($"SELECT ({value})::timestamptz"))!).ToUniversalTime());
        Assert.Equal(true, await connection.ScalarAsync($"SELECT {value} = TIMESTAMPTZ '2023-11-14 22:13:20+00'"));
        Assert.Equal(true, await connection.ScalarAsync($"SELECT {value} < TIMESTAMPTZ '2023-11-14 22:13:21+00' AND {value} < mz_now()"));
        Assert.Equal(1L, await connection.ScalarAsync($"SELECT count(*) FROM (VALUES (1700000000000), (1700000001000)) AS t(ms) WHERE ms > {value}"));
    }

    // Same page: text that is neither is refused.
    [Theory]
    [InlineData("'yesterday-ish'::mz_timestamp")]
    [InlineData("CAST('17000x' AS mz_timestamp)")]
    public async Task mz_timestamp_refuses_text_that_is_neither(string value)
    {
        await using var connection = await emulator.OpenAsync();
        var e = await Assert.ThrowsAsync<PostgresException>(() => connection.ScalarAsync($"SELECT {value}"));
        Assert.Equal("22007", e.SqlState);
        Assert.Contains("mz_timestamp", e.MessageText);
    }

    // https://materialize.com/docs/sql/select/ and /docs/sql/subscribe/#as-of — AS OF [AT LEAST] ts reads at a
    // given timestamp. The emulator keeps no history and answers at "now" (which any AT LEAST allows).
    [Theory]
    [InlineData("AS OF AT LEAST 0")]
    [InlineData("AS OF mz_now()")]
    public void AS_OF_is_accepted_and_answered_at_now(string asOf)
    {
        using var raw = emulator.Raw();
        var t = TestData.UniqueName("asof");
        raw.Query($"CREATE TABLE {t} (x int)");
        raw.Query($"INSERT INTO {t} VALUES (1), (2)");
        Assert.Equal(["SELECT 2"], raw.Query($"SELECT x FROM {t} ORDER BY x {asOf}"));
        Assert.Equal(["BEGIN", "DECLARE CURSOR", "FETCH 2", "COMMIT"],
            raw.Query($"BEGIN; DECLARE c CURSOR FOR SUBSCRIBE {t} {asOf}; FETCH ALL c; COMMIT"));
    }

    // https://materialize.com/docs/sql/functions/#aggregate-functions — avg "returns numeric if x is int, double
    // if x is real, else returns same type as x"; https://materialize.com/docs/sql/types/numeric/ — 39 digits of
    // precision, and "Materialize trims all trailing zeroes off of numeric values".
    [Theory]
    [InlineData("(1), (2)", "1.5")]
    [InlineData("(1), (2), (2)", "1.66666666666666666666666666666666666667")]
    [InlineData("(1::bigint), (2), (NULL)", "1.5")]
    [InlineData("(1::smallint), (3)", "2")]
    [InlineData("(1.50), (2.25)", "1.875")]
    [InlineData("(0.001), (0.002), (0.002)", "0.001666666666666666666666666666666666667")]
    public async Task AVG_of_integers_and_numerics_is_numeric_with_Materialize_scale(string values, string expected)
    {
        await using var connection = await emulator.OpenAsync();
        var row = (await connection.RowsAsync($"SELECT avg(x)::text, pg_typeof(avg(x))::text FROM (VALUES {values}) AS t(x)")).Single();
        Assert.Equal(expected, row[0]);
        Assert.Equal("numeric", row[1]);
    }

    // Same page: avg of a real is a double; of an interval, an interval; no rows, NULL.
    [Fact]
    public async Task AVG_of_other_types_keeps_PostgreSQL_and_Materialize_types()
    {
        await using var connection = await emulator.OpenAsync();
        Assert.Equal(1.75, await connection.ScalarAsync("SELECT avg(x) FROM (VALUES (1.5::real), (2)) AS t(x)"));
        Assert.Equal(TimeSpan.FromMinutes(90), await connection.ScalarAsync("SELECT avg(x) FROM (VALUES (INTERVAL '1 hour'), (INTERVAL '2 hours')) AS t(x)"));
        Assert.Equal(DBNull.Value, await connection.ScalarAsync("SELECT avg(x) FROM (VALUES (1)) AS t(x) WHERE false"));

        // A view keeps the call as written in its definition.
        var t = TestData.UniqueName("avg");
        await connection.ExecAsync($"CREATE TABLE {t} (x int)");
        await connection.ExecAsync($"CREATE VIEW {t}_v AS SELECT avg(x) AS a FROM {t}");
        Assert.Equal($"CREATE VIEW \"materialize\".\"public\".\"{t}_v\" AS SELECT avg({t}.x) AS a FROM \"materialize\".\"public\".{t}",
            (await connection.RowsAsync($"SHOW CREATE VIEW {t}_v")).Single()[1]);
    }
}
