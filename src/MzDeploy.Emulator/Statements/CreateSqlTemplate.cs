using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// The statement a source, sink, connection or table from a source keeps for SHOW CREATE and create_sql.
/// Materialize shows it under the current, fully qualified names of the item, its cluster and everything it
/// names (docs: /sql/show-create-source/, /sql/show-create-sink/), so after a rename it shows the new names.
/// The emulator keeps the client's text with those names replaced by markers that the catalog resolves when
/// read (Bootstrap/65-definitions.sql, mz_emulator.resolve_create_sql); IF NOT EXISTS is dropped and the IN
/// CLUSTER clause stands after the name, as Materialize prints them.
/// </summary>
internal static class CreateSqlTemplate
{
    /// <summary>The item's own name.</summary>
    public const string Self = "\u0001self\u0001";

    /// <summary>Where <c> IN CLUSTER "c"</c> goes (nothing for an item without a cluster).</summary>
    public const string Cluster = "\u0001cluster\u0001";

    /// <summary>
    /// The statement with markers. <paramref name="references"/>: the spans of the names it references, each with
    /// its position (from 1) in the id list the creating procedure binds (mz_emulator.bind_references).
    /// </summary>
    public static string Build(SqlStatement statement, string text, bool withCluster, IEnumerable<(TextSpan Span, int Position)> references)
    {
        var edits = new List<(TextSpan, string)> { (statement.Name!.Span, Self + (withCluster ? Cluster : "")) };
        var tokens = statement.Tokens;
        for (var k = 1; k + 2 < tokens.Count; k++)
        {
            if (tokens[k].IsKeyword("if") && tokens[k + 1].IsKeyword("not") && tokens[k + 2].IsKeyword("exists"))
            {
                edits.Add((TextSpan.FromBounds(tokens[k - 1].Span.End, tokens[k + 2].Span.End), ""));
                break;
            }
        }
        if (statement.InCluster is { } cluster)
        {
            for (var k = 3; k < tokens.Count; k++)
            {
                if (tokens[k].Span == cluster.Span && tokens[k - 2].IsKeyword("in") && tokens[k - 1].IsKeyword("cluster"))
                {
                    edits.Add((TextSpan.FromBounds(tokens[k - 3].Span.End, tokens[k].Span.End), ""));
                    break;
                }
            }
        }
        edits.AddRange(references.Select(r => (r.Span, $"\u0001{r.Position}\u0001")));
        return SqlRewriter.Apply(text, edits);
    }
}
