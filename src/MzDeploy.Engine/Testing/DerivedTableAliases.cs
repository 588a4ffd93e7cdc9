using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Testing;

/// <summary>
/// Names the unnamed subqueries and VALUES lists of a FROM clause (<c>SELECT * FROM (VALUES (1, 'a'))</c>, the usual
/// shape of a mock's rows). Materialize does not need the name; PostgreSQL 15, which the local sandbox runs on, refuses
/// a derived table without one. Adding <c>AS derived_n</c> changes nothing on Materialize, so a test means the same on
/// either server.
/// </summary>
internal static class DerivedTableAliases
{
    // After a derived table's ")", any of these means it has no alias.
    private static readonly HashSet<string> NotAnAlias = new(StringComparer.Ordinal)
    {
        "where", "group", "having", "window", "order", "limit", "offset", "fetch", "union", "except", "intersect",
        "join", "inner", "left", "right", "full", "cross", "natural", "on", "using", "lateral", "options", "returning",
    };

    /// <summary>Insertions (empty spans at a <c>)</c>'s end) naming each unnamed derived table inside <paramref name="within"/>.</summary>
    public static IEnumerable<(TextSpan Span, string Text)> Edits(IReadOnlyList<Token> tokens, TextSpan within)
    {
        var inside = tokens.Where(t => t.Span.Start >= within.Start && t.Span.End <= within.End).ToList();
        // Per parenthesis depth: whether a FROM list is open there (a comma then starts another table).
        var fromList = new Stack<bool>();
        fromList.Push(false);
        var opened = new Stack<bool>(); // per open "(": whether it starts a derived table
        var n = 0;
        for (var i = 0; i < inside.Count; i++)
        {
            var token = inside[i];
            if (token.Kind == TokenKind.LeftParen)
            {
                opened.Push(StartsDerivedTable(inside, i, fromList.Peek()));
                fromList.Push(false);
                continue;
            }

            if (token.Kind == TokenKind.RightParen && opened.Count > 0)
            {
                fromList.Pop();
                if (opened.Pop() && !HasAlias(inside, i + 1))
                {
                    yield return (new TextSpan(token.Span.End, 0), $" AS derived_{++n}");
                }

                continue;
            }

            if (token.Kind == TokenKind.Identifier)
            {
                if (token.IsKeyword("from"))
                {
                    fromList.Pop();
                    fromList.Push(true);
                }
                else if (token.Value is "where" or "group" or "having" or "window" or "order" or "limit" or "union" or "except" or "intersect")
                {
                    fromList.Pop();
                    fromList.Push(false);
                }
            }
        }
    }

    private static bool StartsDerivedTable(List<Token> tokens, int paren, bool inFromList)
    {
        var before = paren - 1;
        if (before >= 0 && tokens[before].IsKeyword("lateral"))
        {
            before--;
        }

        return before >= 0 && (tokens[before].IsKeyword("from") || tokens[before].IsKeyword("join") ||
                               (inFromList && tokens[before].Kind == TokenKind.Comma));
    }

    private static bool HasAlias(List<Token> tokens, int next) =>
        next < tokens.Count && (tokens[next].IsKeyword("as") || tokens[next].Kind == TokenKind.QuotedIdentifier ||
                                (tokens[next].Kind == TokenKind.Identifier && !NotAnAlias.Contains(tokens[next].Value)));
}
