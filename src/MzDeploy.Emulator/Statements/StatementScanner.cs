using MzDeploy.Engine.Sql;
using EngineTokenKind = MzDeploy.Engine.Sql.TokenKind;
using TokenKind = MzDeploy.Emulator.Statements.TokenKind;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// The interception point's view of a query string: the engine lexer's tokens (MzDeploy.Engine.Sql.Lexer)
/// in the compact form the emulator's header recognisers read, and the split into statements. Statements
/// are recognised and rewritten by tokens and spans, never by regular expressions.
/// </summary>
internal static class StatementScanner
{
    /// <summary>Tokenizes <paramref name="sql"/>; comments and whitespace are dropped.</summary>
    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        foreach (var t in Lexer.Tokenize(sql).Tokens)
        {
            var kind = t.Kind switch
            {
                EngineTokenKind.EndOfFile => (TokenKind?)null,
                EngineTokenKind.Identifier => TokenKind.Word,
                EngineTokenKind.QuotedIdentifier => TokenKind.QuotedIdentifier,
                EngineTokenKind.String => TokenKind.String,
                EngineTokenKind.Number => TokenKind.Number,
                EngineTokenKind.Parameter => TokenKind.Parameter,
                _ => TokenKind.Symbol,
            };
            if (kind == null) continue;
            var value = kind == TokenKind.Symbol ? t.Text : kind == TokenKind.Number || kind == TokenKind.Parameter ? t.Text : t.Value;
            tokens.Add(new SqlToken(kind.Value, value, t.Span.Start, t.Span.Length));
        }
        return tokens;
    }

    /// <summary>
    /// Splits a query string at top-level semicolons. Empty statements are dropped; each statement keeps
    /// its text (without the semicolon) and its tokens, re-based to the statement text.
    /// </summary>
    public static List<ScannedStatement> Split(string sql)
    {
        var tokens = Tokenize(sql);
        var statements = new List<ScannedStatement>();
        var first = 0;
        var depth = 0;
        for (var k = 0; k <= tokens.Count; k++)
        {
            var atEnd = k == tokens.Count;
            if (!atEnd)
            {
                if (tokens[k].IsSymbol("(")) depth++;
                else if (tokens[k].IsSymbol(")")) depth = Math.Max(0, depth - 1);
                if (!(tokens[k].IsSymbol(";") && depth == 0)) continue;
            }
            if (k > first)
            {
                var start = tokens[first].Start;
                var end = tokens[k - 1].End;
                var rebased = tokens.GetRange(first, k - first)
                    .Select(t => t with { Start = t.Start - start })
                    .ToList();
                statements.Add(new ScannedStatement(sql[start..end], rebased));
            }
            first = k + 1;
        }
        return statements;
    }
}

/// <summary>One statement of a query string: its text and tokens (spans relative to <see cref="Text"/>).</summary>
internal sealed record ScannedStatement(string Text, IReadOnlyList<SqlToken> Tokens);
