namespace MzDeploy.Engine.Sql;

/// <summary>
/// One statement's text and its tokens (comments and whitespace dropped, no end token), with spans relative to
/// <see cref="Text"/>. The front end of readers that need a statement's words but not its syntax tree (the
/// emulator reads every statement a client sends this way); read it with a <see cref="TokenCursor"/>.
/// </summary>
public sealed class LexedStatement
{
    private LexedStatement(string text, IReadOnlyList<Token> tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    /// <summary>The statement as written, without the <c>;</c> that ends it.</summary>
    public string Text { get; }

    /// <summary>The statement's tokens; their spans are offsets into <see cref="Text"/>.</summary>
    public IReadOnlyList<Token> Tokens { get; }

    /// <summary>A cursor at the statement's first token.</summary>
    public TokenCursor Cursor() => new(this);

    /// <summary>
    /// Splits <paramref name="sql"/> at top-level semicolons (one inside parentheses does not end a statement).
    /// Empty statements are dropped; each statement's text runs from its first token to its last.
    /// </summary>
    public static IReadOnlyList<LexedStatement> Split(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tokens = Lexer.Tokenize(sql).Tokens;
        var count = tokens.Count - 1; // without the end token
        var statements = new List<LexedStatement>(1);
        var first = 0;
        var depth = 0;
        for (var k = 0; k <= count; k++)
        {
            if (k < count)
            {
                var kind = tokens[k].Kind;
                if (kind == TokenKind.LeftParen)
                {
                    depth++;
                }
                else if (kind == TokenKind.RightParen)
                {
                    depth = Math.Max(0, depth - 1);
                }

                if (!(kind == TokenKind.Semicolon && depth == 0))
                {
                    continue;
                }
            }

            if (k > first)
            {
                statements.Add(Slice(sql, tokens, first, k - first));
            }

            first = k + 1;
        }

        return statements;
    }

    /// <summary>The whole of <paramref name="text"/> as one statement, semicolons and all.</summary>
    public static LexedStatement Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = Lexer.Tokenize(text).Tokens;
        return new LexedStatement(text, tokens.Take(tokens.Count - 1).ToArray());
    }

    // The run of tokens as a statement of its own: the text from its first token to its last, spans re-based
    // to it. A statement that is the whole text (the usual query of one statement) keeps text and tokens.
    private static LexedStatement Slice(string sql, IReadOnlyList<Token> tokens, int first, int count)
    {
        var start = tokens[first].Span.Start;
        var end = tokens[first + count - 1].Span.End;
        var run = new Token[count];
        for (var k = 0; k < count; k++)
        {
            var token = tokens[first + k];
            run[k] = start == 0 ? token : token with { Span = new TextSpan(token.Span.Start - start, token.Span.Length), Text = token.Text };
        }

        return new LexedStatement(start == 0 && end == sql.Length ? sql : sql[start..end], run);
    }
}
