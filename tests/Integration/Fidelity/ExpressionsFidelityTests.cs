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
}
