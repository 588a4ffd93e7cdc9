using System.Text;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// A small tokenizer for the emulator's interception point: it splits a query string into statements
/// and gives each token its span, so statements are recognised and rewritten by tokens and spans, never
/// by regular expressions.
/// </summary>
/// <remarks>
/// Stopgap: the engine's lexer (MzDeploy.Engine.Sql.Lexer) had not landed when this was written. Once it
/// has, this class becomes an adapter over <c>Lexer.Tokenize</c> and relation rewriting moves to the
/// engine parser's relation references.
/// </remarks>
internal static class StatementScanner
{
    /// <summary>Tokenizes <paramref name="sql"/>; comments and whitespace are dropped.</summary>
    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '-' && At(sql, i + 1) == '-')
            {
                while (i < sql.Length && sql[i] != '\n') i++;
                continue;
            }
            if (c == '/' && At(sql, i + 1) == '*')
            {
                var depth = 0;
                do
                {
                    if (sql[i] == '/' && At(sql, i + 1) == '*') { depth++; i += 2; }
                    else if (sql[i] == '*' && At(sql, i + 1) == '/') { depth--; i += 2; }
                    else i++;
                } while (depth > 0 && i < sql.Length);
                continue;
            }
            var start = i;
            if ((c == 'e' || c == 'E') && At(sql, i + 1) == '\'')
            {
                i++;
                var value = ReadQuoted(sql, ref i, '\'', backslashEscapes: true);
                tokens.Add(new SqlToken(TokenKind.String, value, start, i - start));
            }
            else if (c == '\'')
            {
                var value = ReadQuoted(sql, ref i, '\'', backslashEscapes: false);
                tokens.Add(new SqlToken(TokenKind.String, value, start, i - start));
            }
            else if (c == '"')
            {
                var value = ReadQuoted(sql, ref i, '"', backslashEscapes: false);
                tokens.Add(new SqlToken(TokenKind.QuotedIdentifier, value, start, i - start));
            }
            else if (c == '$' && TryDollarTag(sql, i, out var tag))
            {
                var bodyStart = i + tag.Length;
                var close = sql.IndexOf(tag, bodyStart, StringComparison.Ordinal);
                var bodyEnd = close < 0 ? sql.Length : close;
                i = close < 0 ? sql.Length : close + tag.Length;
                tokens.Add(new SqlToken(TokenKind.String, sql[bodyStart..bodyEnd], start, i - start));
            }
            else if (c == '$' && char.IsAsciiDigit(At(sql, i + 1)))
            {
                i++;
                while (i < sql.Length && char.IsAsciiDigit(sql[i])) i++;
                tokens.Add(new SqlToken(TokenKind.Parameter, sql[start..i], start, i - start));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_' || sql[i] == '$')) i++;
                tokens.Add(new SqlToken(TokenKind.Word, sql[start..i].ToLowerInvariant(), start, i - start));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(At(sql, i + 1))))
            {
                while (i < sql.Length && (char.IsAsciiDigit(sql[i]) || sql[i] == '.')) i++;
                if (i < sql.Length && (sql[i] == 'e' || sql[i] == 'E'))
                {
                    i++;
                    if (i < sql.Length && (sql[i] == '+' || sql[i] == '-')) i++;
                    while (i < sql.Length && char.IsAsciiDigit(sql[i])) i++;
                }
                tokens.Add(new SqlToken(TokenKind.Number, sql[start..i], start, i - start));
            }
            else if (c == ':' && At(sql, i + 1) == ':')
            {
                i += 2;
                tokens.Add(new SqlToken(TokenKind.Symbol, "::", start, 2));
            }
            else if ("+-*/<>=~!@#%^&|`?".Contains(c))
            {
                while (i < sql.Length && "+-*/<>=~!@#%^&|`?".Contains(sql[i])
                       && !(sql[i] == '-' && At(sql, i + 1) == '-') && !(sql[i] == '/' && At(sql, i + 1) == '*')) i++;
                tokens.Add(new SqlToken(TokenKind.Symbol, sql[start..i], start, i - start));
            }
            else
            {
                i++;
                tokens.Add(new SqlToken(TokenKind.Symbol, c.ToString(), start, 1));
            }
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

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    private static bool TryDollarTag(string sql, int i, out string tag)
    {
        var j = i + 1;
        while (j < sql.Length && (char.IsLetterOrDigit(sql[j]) || sql[j] == '_') && !(j == i + 1 && char.IsAsciiDigit(sql[j]))) j++;
        if (j < sql.Length && sql[j] == '$')
        {
            tag = sql[i..(j + 1)];
            return true;
        }
        tag = "";
        return false;
    }

    private static string ReadQuoted(string sql, ref int i, char quote, bool backslashEscapes)
    {
        var value = new StringBuilder();
        i++;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (backslashEscapes && c == '\\' && i + 1 < sql.Length)
            {
                var n = sql[i + 1];
                value.Append(n switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'b' => '\b', 'f' => '\f', _ => n });
                i += 2;
                continue;
            }
            if (c == quote)
            {
                if (At(sql, i + 1) == quote) { value.Append(quote); i += 2; continue; }
                i++;
                return value.ToString();
            }
            value.Append(c);
            i++;
        }
        return value.ToString();
    }
}

/// <summary>One statement of a query string: its text and tokens (spans relative to <see cref="Text"/>).</summary>
internal sealed record ScannedStatement(string Text, IReadOnlyList<SqlToken> Tokens);
