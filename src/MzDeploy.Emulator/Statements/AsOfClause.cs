using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// <c>SELECT … AS OF [AT LEAST] ts</c> (docs: /sql/select/#details, /sql/subscribe/#as-of): the emulator keeps no
/// history, so a query is answered at "now" whatever timestamp it names; the clause is dropped (for SUBSCRIBE see
/// <see cref="SubscribeStatements"/>). The expression is not evaluated.
/// </summary>
internal static class AsOfClause
{
    /// <summary>The statement's text without a trailing top-level AS OF clause of a query; the same string when there is none.</summary>
    public static string Strip(LexedStatement statement)
    {
        var tokens = statement.Tokens;
        if (tokens.Count < 4 || tokens[0].Kind != TokenKind.Identifier || tokens[0].Value is not ("select" or "with" or "values" or "table"))
            return statement.Text;
        var depth = 0;
        for (var k = 1; k + 2 < tokens.Count; k++)
        {
            if (tokens[k].IsSymbol("("))
                depth++;
            else if (tokens[k].IsSymbol(")"))
                depth--;
            else if (depth == 0 && tokens[k].IsKeyword("as") && tokens[k + 1].IsKeyword("of") && !tokens[k + 2].IsSymbol(";"))
                return statement.Text[..tokens[k].Span.Start].TrimEnd() + (tokens[^1].IsSymbol(";") ? ";" : "");
        }
        return statement.Text;
    }
}
