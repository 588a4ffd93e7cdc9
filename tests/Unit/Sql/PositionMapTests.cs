using MzDeploy.Engine.Sql;

namespace MzDeploy.Tests.Unit.Sql;

/// <summary>Offsets in rewritten SQL back to the text as written: one rewrite, variables substituted, and both composed.</summary>
public class PositionMapTests
{
    [Fact]
    public void An_offset_after_an_edit_keeps_its_distance_and_one_inside_maps_to_the_edit_start()
    {
        const string written = "SELECT a FROM t WHERE b";
        var edits = new List<(TextSpan Span, string Replacement)> { (new TextSpan(14, 1), "db.schema.t") };
        var rewritten = SqlRewriter.Apply(written, edits);
        var map = PositionMap.From(edits);

        Assert.Equal(written.IndexOf("WHERE", StringComparison.Ordinal), map.ToOriginal(rewritten.IndexOf("WHERE", StringComparison.Ordinal)));
        Assert.Equal(14, map.ToOriginal(rewritten.IndexOf("schema", StringComparison.Ordinal)));
        Assert.Equal(7, map.ToOriginal(7));
    }

    [Fact]
    public void Substitution_maps_positions_after_a_longer_or_shorter_value_back_to_the_variable_as_written()
    {
        const string written = "SELECT :'who' AS w, :n AS n, amont FROM t";
        var result = VariableSubstitutor.Substitute(written, new Dictionary<string, string> { ["who"] = "a much longer name", ["n"] = "7" });
        var text = result.Text;

        Assert.Equal("SELECT 'a much longer name' AS w, 7 AS n, amont FROM t", text);
        Assert.Equal(written.IndexOf("amont", StringComparison.Ordinal), result.Positions.ToOriginal(text.IndexOf("amont", StringComparison.Ordinal)));
        Assert.Equal(written.IndexOf(":'who'", StringComparison.Ordinal), result.Positions.ToOriginal(text.IndexOf("longer", StringComparison.Ordinal)));
        Assert.Equal(written.IndexOf(":n", StringComparison.Ordinal), result.Positions.ToOriginal(text.IndexOf('7', StringComparison.Ordinal)));
        Assert.Equal(written.IndexOf("AS n", StringComparison.Ordinal), result.Positions.ToOriginal(text.IndexOf("AS n", StringComparison.Ordinal)));
    }

    [Fact]
    public void Text_without_variables_maps_to_itself()
    {
        var result = VariableSubstitutor.Substitute("SELECT a::text FROM t", new Dictionary<string, string> { ["text"] = "x" });

        Assert.True(result.Positions.IsIdentity);
        Assert.Equal(12, result.Positions.ToOriginal(12));
    }

    [Fact]
    public void Maps_compose_through_a_substitution_and_a_rewrite_of_its_result()
    {
        const string written = "CREATE VIEW v AS SELECT :col, amont FROM t";
        var substitution = VariableSubstitutor.Substitute(written, new Dictionary<string, string> { ["col"] = "a_long_column_name" });
        var rewriteEdits = new List<(TextSpan Span, string Replacement)>
        {
            (new TextSpan(0, "CREATE VIEW v".Length), "CREATE VIEW \"scratch_tc\".\"public\".\"v\""),
            (new TextSpan(substitution.Text.LastIndexOf('t'), 1), "\"scratch_tc\".\"public\".\"t\""),
        };
        var sent = SqlRewriter.Apply(substitution.Text, rewriteEdits);
        var map = PositionMap.From(rewriteEdits).Then(substitution.Positions);

        Assert.Equal(written.IndexOf("amont", StringComparison.Ordinal), map.ToOriginal(sent.IndexOf("amont", StringComparison.Ordinal)));
        Assert.Equal(written.IndexOf(":col", StringComparison.Ordinal), map.ToOriginal(sent.IndexOf("long_column", StringComparison.Ordinal)));
        Assert.Equal(written.LastIndexOf('t'), map.ToOriginal(sent.LastIndexOf("public", StringComparison.Ordinal)));
        Assert.Same(map, map.Then(PositionMap.Identity));
        Assert.Same(substitution.Positions, PositionMap.Identity.Then(substitution.Positions));
    }
}
