using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// <c>INTERVAL '30' minutes</c>: Materialize reads a plural time unit after an interval literal as the unit
/// (docs: /sql/types/interval/, <c>INTERVAL '1' MINUTE</c>); PostgreSQL knows only the singular there and
/// would read the plural as a column alias (thirty seconds named "minutes"). The plural becomes the singular.
/// </summary>
internal static class IntervalUnits
{
    private static readonly Dictionary<string, string> Singular = new(StringComparer.Ordinal)
    {
        ["years"] = "YEAR",
        ["months"] = "MONTH",
        ["days"] = "DAY",
        ["hours"] = "HOUR",
        ["minutes"] = "MINUTE",
        ["seconds"] = "SECOND",
    };

    /// <summary>The edits of the statement's text that make plural units after interval literals singular (none when there are none).</summary>
    public static List<(TextSpan Span, string Replacement)> Edits(LexedStatement statement)
    {
        var tokens = statement.Tokens;
        var edits = new List<(TextSpan Span, string Replacement)>();
        for (var k = 2; k < tokens.Count; k++)
        {
            if (tokens[k].Kind != TokenKind.Identifier || !Singular.TryGetValue(tokens[k].Value, out var unit)
                || tokens[k - 1].Kind != TokenKind.String || !tokens[k - 2].IsKeyword("interval"))
                continue;
            edits.Add((tokens[k].Span, unit));
        }
        return edits;
    }
}
