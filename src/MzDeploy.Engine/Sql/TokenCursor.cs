using MzDeploy.Engine.Errors;

namespace MzDeploy.Engine.Sql;

/// <summary>
/// Reads a <see cref="LexedStatement"/> token by token: statement headers (<c>CREATE CLUSTER c (SIZE = 'x')</c>)
/// recognised by their words, without the parser. It never changes the tokens; only its position moves.
/// Past the last token <see cref="Current"/> is an end token (<see cref="Token.IsEnd"/>), so lookahead never runs off.
/// Words are compared with the lexer's folded values: pass them in lower case.
/// </summary>
public sealed class TokenCursor
{
    private readonly IReadOnlyList<Token> _tokens;
    private readonly Token _end;

    public TokenCursor(LexedStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        Statement = statement;
        _tokens = statement.Tokens;
        _end = new Token(TokenKind.EndOfFile, new TextSpan(statement.Text.Length, 0), string.Empty, string.Empty);
    }

    /// <summary>The statement being read.</summary>
    public LexedStatement Statement { get; }

    /// <summary>The position: the index of <see cref="Current"/> in the statement's tokens.</summary>
    public int Index { get; set; }

    public bool AtEnd => Index >= _tokens.Count;

    /// <summary>The token at the position, or the end token.</summary>
    public Token Current => PeekAt(0);

    /// <summary>The token <paramref name="offset"/> places after the position, or the end token.</summary>
    public Token PeekAt(int offset)
    {
        var index = Index + offset;
        return index >= 0 && index < _tokens.Count ? _tokens[index] : _end;
    }

    /// <summary>Consumes the words if they come next, in order; otherwise consumes nothing.</summary>
    public bool Words(params string[] words)
    {
        ArgumentNullException.ThrowIfNull(words);
        for (var k = 0; k < words.Length; k++)
        {
            if (!PeekAt(k).IsKeyword(words[k]))
            {
                return false;
            }
        }

        Index += words.Length;
        return true;
    }

    /// <summary>Consumes the operator or punctuation mark if it comes next.</summary>
    public bool Symbol(string symbol)
    {
        if (!Current.IsSymbol(symbol))
        {
            return false;
        }

        Index++;
        return true;
    }

    public void Expect(string symbol)
    {
        if (!Symbol(symbol))
        {
            throw Error($"expected {symbol}");
        }
    }

    public void ExpectWords(params string[] words)
    {
        if (!Words(words))
        {
            throw Error("expected " + string.Join(' ', words).ToUpperInvariant());
        }
    }

    /// <summary>An identifier, quoted or not; its value is already folded or unescaped.</summary>
    public string Identifier()
    {
        var token = Current;
        if (!token.IsWord)
        {
            throw Error("expected an identifier");
        }

        Index++;
        return token.Value;
    }

    /// <summary>A dotted name: <c>a</c>, <c>a.b</c> or <c>a.b.c</c>.</summary>
    public List<string> Name()
    {
        var parts = new List<string> { Identifier() };
        while (Current.IsSymbol(".") && PeekAt(1).IsWord)
        {
            Index++;
            parts.Add(Identifier());
        }

        return parts;
    }

    /// <summary>A comma-separated list of dotted names.</summary>
    public List<List<string>> Names()
    {
        var names = new List<List<string>> { Name() };
        while (Symbol(","))
        {
            names.Add(Name());
        }

        return names;
    }

    /// <summary>
    /// One option value: the tokens up to the next <c>,</c> or <c>)</c> outside parentheses. Returns its text as
    /// written (a literal keeps its quotes) and its first token.
    /// </summary>
    public (string Text, Token First) OptionValue()
    {
        if (AtEnd)
        {
            throw Error("expected an option value");
        }

        var first = Current;
        var end = first.Span.End;
        var depth = 0;
        while (!AtEnd)
        {
            var token = Current;
            if (depth == 0 && (token.IsSymbol(",") || token.IsSymbol(")")))
            {
                break;
            }

            if (token.IsSymbol("("))
            {
                depth++;
            }
            else if (token.IsSymbol(")"))
            {
                depth--;
            }

            end = token.Span.End;
            Index++;
        }

        return (Statement.Text[first.Span.Start..end], first);
    }

    /// <summary>The statement's text from the current token to its end (empty at the end).</summary>
    public string Rest() => AtEnd ? string.Empty : Statement.Text[Current.Span.Start..];

    /// <summary>A syntax error at the position: <paramref name="message"/> and the token it is near.</summary>
    public MzDeployException Error(string message)
    {
        var near = AtEnd ? " at end of statement" : $" near \"{Current.Text}\"";
        return SyntaxError(message + near);
    }

    /// <summary>A syntax error about the statement as a whole (an option given twice, a value of the wrong kind).</summary>
    public static MzDeployException SyntaxError(string message) => new(ErrorIds.SqlSyntaxError, message);

    /// <summary>Whether <paramref name="exception"/> is a syntax error the cursor (or <see cref="SyntaxError"/>) made.</summary>
    public static bool IsSyntaxError(Exception exception) =>
        exception is MzDeployException { Error: var error } && error == ErrorIds.SqlSyntaxError;
}
