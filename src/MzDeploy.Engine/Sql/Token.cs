namespace MzDeploy.Engine.Sql;

/// <summary>
/// One token of SQL text. <see cref="Text"/> is the exact source slice; <see cref="Value"/> is its meaning:
/// an unquoted word lower-cased, a quoted identifier or string literal unescaped, a variable's name.
/// </summary>
/// <remarks>
/// A value type: a project of thousands of files keeps every token of every statement alive (for canonical
/// rendering), so tokens live inline in arrays instead of as objects the garbage collector must trace.
/// <see cref="Text"/> is sliced from the source on demand unless it equals <see cref="Value"/>.
/// </remarks>
public readonly struct Token : IEquatable<Token>
{
    private readonly string? _source;
    private readonly string? _text;
    private readonly string? _value;
    private readonly byte _variableStyle;
    private readonly byte _stringStyle;

    /// <summary>A token whose text is given.</summary>
    public Token(TokenKind Kind, TextSpan Span, string Text, string Value)
    {
        this.Kind = Kind;
        this.Span = Span;
        _text = Text;
        _value = Value;
    }

    /// <summary>A token of <paramref name="source"/>; its text is <paramref name="text"/> when known, else sliced on demand.</summary>
    internal Token(TokenKind kind, TextSpan span, string source, string? text, string value)
    {
        Kind = kind;
        Span = span;
        _source = source;
        _text = text;
        _value = value;
    }

    public TokenKind Kind { get; init; }

    public TextSpan Span { get; init; }

    /// <summary>The exact source text of the token.</summary>
    public string Text
    {
        get => _text ?? (_source is null ? string.Empty : _source.Substring(Span.Start, Span.Length));
        init => _text = value;
    }

    /// <summary>What the token means (see the type's summary).</summary>
    public string Value
    {
        get => _value ?? Text;
        init => _value = value;
    }

    /// <summary>For <see cref="TokenKind.Variable"/>: how the variable is written.</summary>
    public VariableStyle VariableStyle
    {
        get => (VariableStyle)_variableStyle;
        init => _variableStyle = (byte)value;
    }

    /// <summary>For <see cref="TokenKind.String"/>: how the literal is written.</summary>
    public StringStyle StringStyle
    {
        get => (StringStyle)_stringStyle;
        init => _stringStyle = (byte)value;
    }

    /// <summary>Whether the parser read this token as a name (an identifier, not a keyword); the printer re-quotes names.</summary>
    internal bool IsName { get; init; }

    /// <summary>Whether this is the unquoted word <paramref name="keyword"/> (compared case-insensitively).</summary>
    public bool IsKeyword(string keyword) =>
        Kind == TokenKind.Identifier && string.Equals(Value, keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether this is an unquoted or quoted identifier.</summary>
    public bool IsWord => Kind is TokenKind.Identifier or TokenKind.QuotedIdentifier;

    /// <summary>Whether this is the operator <paramref name="op"/>.</summary>
    public bool IsOperator(string op) => Kind == TokenKind.Operator && string.Equals(Value, op, StringComparison.Ordinal);

    /// <summary>
    /// Whether this is the operator or punctuation mark <paramref name="symbol"/> (<c>=</c>, <c>(</c>, <c>,</c>,
    /// <c>;</c>, <c>.</c>, …): one test for both, as readers of statement headers want.
    /// </summary>
    public bool IsSymbol(string symbol) =>
        Kind is TokenKind.Operator or (>= TokenKind.LeftParen and <= TokenKind.Dot) && string.Equals(Value, symbol, StringComparison.Ordinal);

    /// <summary>Whether this is the end of the text (<see cref="TokenKind.EndOfFile"/>).</summary>
    public bool IsEnd => Kind == TokenKind.EndOfFile;

    public void Deconstruct(out TokenKind Kind, out TextSpan Span, out string Text, out string Value)
    {
        Kind = this.Kind;
        Span = this.Span;
        Text = this.Text;
        Value = this.Value;
    }

    public bool Equals(Token other) =>
        Kind == other.Kind && Span == other.Span && _variableStyle == other._variableStyle && _stringStyle == other._stringStyle
        && string.Equals(Value, other.Value, StringComparison.Ordinal) && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Token other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, Span, Value);

    public static bool operator ==(Token left, Token right) => left.Equals(right);

    public static bool operator !=(Token left, Token right) => !left.Equals(right);

    public override string ToString() => $"{Kind} '{Text}' {Span}";
}
