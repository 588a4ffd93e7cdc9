namespace MzDeploy.Engine.Sql;

/// <summary>
/// One token of SQL text. <see cref="Text"/> is the exact source slice; <see cref="Value"/> is its meaning:
/// an unquoted word lower-cased, a quoted identifier or string literal unescaped, a variable's name.
/// </summary>
public sealed record Token(TokenKind Kind, TextSpan Span, string Text, string Value)
{
    /// <summary>For <see cref="TokenKind.Variable"/>: how the variable is written.</summary>
    public VariableStyle VariableStyle { get; init; }

    /// <summary>For <see cref="TokenKind.String"/>: how the literal is written.</summary>
    public StringStyle StringStyle { get; init; }

    /// <summary>Whether this is the unquoted word <paramref name="keyword"/> (compared case-insensitively).</summary>
    public bool IsKeyword(string keyword) =>
        Kind == TokenKind.Identifier && string.Equals(Value, keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether this is an unquoted or quoted identifier.</summary>
    public bool IsWord => Kind is TokenKind.Identifier or TokenKind.QuotedIdentifier;

    /// <summary>Whether this is the operator <paramref name="op"/>.</summary>
    public bool IsOperator(string op) => Kind == TokenKind.Operator && Text == op;

    public override string ToString() => $"{Kind} '{Text}' {Span}";
}
