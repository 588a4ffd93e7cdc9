namespace MzDeploy.Emulator.Statements;

/// <summary>Walks the tokens of one statement; the recognisers below read statement headers with it.</summary>
internal sealed class TokenCursor
{
    private readonly IReadOnlyList<SqlToken> _tokens;

    public TokenCursor(ScannedStatement statement)
    {
        Statement = statement;
        _tokens = statement.Tokens;
    }

    public ScannedStatement Statement { get; }
    public int Index { get; set; }
    public bool AtEnd => Index >= _tokens.Count;
    public SqlToken? Current => AtEnd ? null : _tokens[Index];
    public SqlToken? PeekAt(int offset) => Index + offset < _tokens.Count ? _tokens[Index + offset] : null;

    /// <summary>Consumes the words if they come next, in order; otherwise consumes nothing.</summary>
    public bool Words(params string[] words)
    {
        for (var k = 0; k < words.Length; k++)
        {
            if (PeekAt(k) is not { } t || !t.IsWord(words[k])) return false;
        }
        Index += words.Length;
        return true;
    }

    public bool Symbol(string symbol)
    {
        if (Current is { } t && t.IsSymbol(symbol))
        {
            Index++;
            return true;
        }
        return false;
    }

    public void Expect(string symbol)
    {
        if (!Symbol(symbol)) throw Error($"expected {symbol}");
    }

    public void ExpectWords(params string[] words)
    {
        if (!Words(words)) throw Error("expected " + string.Join(' ', words).ToUpperInvariant());
    }

    /// <summary>An identifier (quoted or not); its value is already folded/unescaped.</summary>
    public string Identifier()
    {
        if (Current is { IsIdentifier: true } t)
        {
            Index++;
            return t.Value;
        }
        throw Error("expected an identifier");
    }

    /// <summary>A dotted name: <c>a</c>, <c>a.b</c> or <c>a.b.c</c>.</summary>
    public List<string> Name()
    {
        var parts = new List<string> { Identifier() };
        while (Current is { } t && t.IsSymbol(".") && PeekAt(1) is { IsIdentifier: true })
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
        while (Symbol(",")) names.Add(Name());
        return names;
    }

    /// <summary>Reads one option value and returns its text as written (a literal keeps its quotes).</summary>
    public (string Text, SqlToken First) OptionValue()
    {
        if (AtEnd) throw Error("expected an option value");
        var first = Current!;
        var start = first.Start;
        var depth = 0;
        var end = first.End;
        while (!AtEnd)
        {
            var t = Current!;
            if (depth == 0 && (t.IsSymbol(",") || t.IsSymbol(")"))) break;
            if (t.IsSymbol("(")) depth++;
            if (t.IsSymbol(")")) depth--;
            end = t.End;
            Index++;
        }
        return (Statement.Text[start..end], first);
    }

    public SqlParseException Error(string message)
    {
        var near = Current is { } t ? $" near \"{Statement.Text.Substring(t.Start, t.Length)}\"" : " at end of statement";
        return new SqlParseException(message + near);
    }
}

/// <summary>A statement the emulator's recognisers could not read.</summary>
internal sealed class SqlParseException(string message) : Exception(message);
