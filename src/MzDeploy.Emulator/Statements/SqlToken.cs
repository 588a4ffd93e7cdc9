namespace MzDeploy.Emulator.Statements;

internal enum TokenKind
{
    /// <summary>Keyword or unquoted identifier; <see cref="SqlToken.Value"/> is folded to lower case.</summary>
    Word,
    /// <summary>Double-quoted identifier; <see cref="SqlToken.Value"/> is unescaped, case kept.</summary>
    QuotedIdentifier,
    /// <summary>String literal (plain, E'', dollar-quoted); <see cref="SqlToken.Value"/> is the unescaped content.</summary>
    String,
    Number,
    /// <summary>Bind parameter <c>$n</c>.</summary>
    Parameter,
    /// <summary>Operator or punctuation, including <c>;</c>.</summary>
    Symbol,
}

/// <summary>One token with its span in the statement text.</summary>
internal sealed record SqlToken(TokenKind Kind, string Value, int Start, int Length)
{
    public int End => Start + Length;

    public bool IsWord(string lowerCaseWord) => Kind == TokenKind.Word && Value == lowerCaseWord;

    public bool IsSymbol(string symbol) => Kind == TokenKind.Symbol && Value == symbol;

    public bool IsIdentifier => Kind is TokenKind.Word or TokenKind.QuotedIdentifier;
}
