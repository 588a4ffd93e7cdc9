using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.Sql;

/// <summary>A parsed SQL text: its statements, every lexical and syntax error, and a line map for locations.</summary>
/// <param name="Text">The text that was parsed.</param>
/// <param name="Statements">The statements that parsed without error, in order.</param>
/// <param name="Errors">Every error, in source order: at most one syntax error per statement, plus lexical errors.</param>
/// <param name="Comments">The comments of the text.</param>
/// <param name="Lines">Maps offsets to lines and columns.</param>
public sealed record SqlScript(
    string Text,
    IReadOnlyList<SqlStatement> Statements,
    IReadOnlyList<SqlError> Errors,
    IReadOnlyList<Token> Comments,
    LineMap Lines)
{
    /// <summary>Whether the text parsed without any error.</summary>
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Parses Materialize SQL as it appears in mz-deploy project files (and the statements a deploy tool sends).
/// Statements are separated by <c>;</c>. A syntax error inside a statement is recorded and parsing resumes
/// after the statement's <c>;</c>, so one run reports every broken statement of a file.
/// </summary>
public static class SqlParser
{
    /// <summary>Parses <paramref name="text"/>.</summary>
    public static SqlScript Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Statements keep no tokens (they lex again on demand), so the lexer's buffer can be borrowed.
        var lexed = Lexer.TokenizeTransient(text);
        var tokens = lexed.Tokens;
        var statements = new List<SqlStatement>();
        var errors = lexed.Errors.Count == 0 ? null : new List<SqlError>(lexed.Errors);
        var first = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind is not (TokenKind.Semicolon or TokenKind.EndOfFile))
            {
                continue;
            }

            if (i > first)
            {
                var end = new Token(TokenKind.EndOfFile, new TextSpan(token.Span.Start, 0), string.Empty, string.Empty);
                try
                {
                    statements.Add(new Parser(text, tokens, first, i - first, end).ParseStatement());
                }
                catch (SyntaxException e)
                {
                    (errors ??= new List<SqlError>()).Add(new SqlError(e.Message, e.Span));
                }
            }

            first = i + 1;
        }

        errors?.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
        return new SqlScript(text, statements, (IReadOnlyList<SqlError>?)errors ?? Array.Empty<SqlError>(), lexed.Comments, new LineMap(text));
    }

    /// <summary>Parses a text that must hold exactly one statement; throws on any error.</summary>
    /// <exception cref="MzDeployException">ErrorId <c>SqlSyntaxError</c> when the text does not parse or holds more or fewer than one statement.</exception>
    public static SqlStatement ParseSingle(string text)
    {
        var script = Parse(text);
        if (!script.Succeeded)
        {
            var error = script.Errors[0];
            var at = script.Lines.GetPosition(error.Span.Start);
            throw new MzDeployException(ErrorIds.SqlSyntaxError, $"{at}: {error.Message}", text);
        }

        if (script.Statements.Count != 1)
        {
            throw new MzDeployException(ErrorIds.SqlSyntaxError,
                $"expected exactly one statement, found {script.Statements.Count}", text);
        }

        return script.Statements[0];
    }
}

/// <summary>A syntax error inside one statement; unwinds the statement's parse.</summary>
internal class SyntaxException : Exception
{
    public SyntaxException(string message, TextSpan span)
        : base(message) => Span = span;

    public TextSpan Span { get; }
}
