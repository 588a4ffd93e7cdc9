using MzDeploy.Emulator.Statements;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Tests.Integration.Emulator;

/// <summary>
/// Which text the emulator reads as a cast to mz_timestamp (and turns into a call of its own function) and which it leaves
/// alone: the column SUBSCRIBE names mz_timestamp, an alias, a quoted name. No server: the rewrite of the text alone.
/// </summary>
public sealed class MzTimestampCastTests
{
    private const string F = "mz_emulator.to_mz_timestamp";

    [Theory]
    [InlineData("SELECT '1'::mz_timestamp", $"SELECT {F}('1')")]
    [InlineData("SELECT x::mz_catalog.mz_timestamp FROM t", $"SELECT {F}(x) FROM t")]
    [InlineData("SELECT t.x::mz_timestamp FROM t", $"SELECT {F}(t.x) FROM t")]
    [InlineData("SELECT f(a, (b))::mz_timestamp", $"SELECT {F}(f(a, (b)))")]
    [InlineData("SELECT 1 WHERE (a + 1)::mz_timestamp > now()", $"SELECT 1 WHERE {F}((a + 1)) > now()")]
    [InlineData("SELECT '1'::text::mz_timestamp", $"SELECT {F}('1'::text)")]
    [InlineData("SELECT timestamp '2024-01-01'::mz_timestamp", $"SELECT {F}(timestamp '2024-01-01')")]
    [InlineData("SELECT CAST(a + 1 AS mz_timestamp), CAST(b AS int)", $"SELECT {F}(a + 1), CAST(b AS int)")]
    [InlineData("SELECT CAST(CAST(x AS text) AS MZ_TIMESTAMP)", $"SELECT {F}(CAST(x AS text))")]
    [InlineData("SELECT mz_timestamp '1700000000000'", $"SELECT {F}('1700000000000')")]
    [InlineData("SELECT -5::mz_timestamp, $1::mz_timestamp", $"SELECT -{F}(5), {F}($1)")]
    [InlineData("SELECT x::\"mz_catalog\".\"mz_timestamp\"", $"SELECT {F}(x)")]
    [InlineData("SELECT a::mz_timestamp < b::mz_timestamp", $"SELECT {F}(a) < {F}(b)")]
    public void A_cast_to_mz_timestamp_becomes_a_call(string sql, string expected) =>
        Assert.Equal(expected, Rewrite(sql));

    [Theory]
    [InlineData("SELECT mz_timestamp, x FROM c ORDER BY mz_timestamp")]
    [InlineData("SELECT now() AS mz_timestamp FROM (SELECT 1 AS mz_timestamp) s")]
    [InlineData("SELECT x::\"MZ_TIMESTAMP\" /* ::mz_timestamp */, 'x::mz_timestamp' FROM t")]
    [InlineData("CREATE TABLE t (at mz_timestamp)")]
    public void Other_uses_of_the_word_are_left_alone(string sql) =>
        Assert.Equal(sql, Rewrite(sql));

    private static string Rewrite(string sql)
    {
        var statement = Assert.Single(LexedStatement.Split(sql));
        return SqlRewriter.Apply(statement.Text, MzTimestampCasts.Edits(statement));
    }
}
