namespace MzDeploy.Engine.Sql;

/// <summary>A variable used in the text but not defined for the active profile.</summary>
/// <param name="Name">The variable name as written (case-sensitive, like psql).</param>
/// <param name="Span">Where the variable (including its <c>:</c> and quotes) is in the original text.</param>
internal sealed record UndefinedVariable(string Name, TextSpan Span);

/// <summary>The text after substitution and every use of an undefined variable (left in place).</summary>
/// <param name="Text">The substituted text.</param>
/// <param name="Undefined">Variables used but not defined.</param>
/// <param name="Positions">
/// Offsets in <paramref name="Text"/> → offsets in the text as written; an offset inside a substituted value maps to the
/// start of the variable it replaced. What a server or the parser reports about the substituted text is located with it.
/// </param>
internal sealed record SubstitutionResult(string Text, IReadOnlyList<UndefinedVariable> Undefined, PositionMap Positions)
{
    /// <summary>Whether every variable used was defined.</summary>
    public bool Succeeded => Undefined.Count == 0;
}

/// <summary>
/// Replaces psql-style variables with per-profile values before parsing, as mz-deploy does:
/// <c>:name</c> → the raw value, <c>:'name'</c> → a string literal, <c>:"name"</c> → a quoted identifier.
/// Uses the lexer, so variables inside strings, quoted identifiers and comments, and <c>::</c> casts, are
/// never touched. Line numbers after substitution match the original unless a value spans lines.
/// </summary>
internal static class VariableSubstitutor
{
    /// <summary>Substitutes every variable of <paramref name="text"/> found in <paramref name="variables"/>.</summary>
    public static SubstitutionResult Substitute(string text, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(variables);
        if (!MayHoldVariable(text))
        {
            return new SubstitutionResult(text, Array.Empty<UndefinedVariable>(), PositionMap.Identity);
        }

        var edits = new List<(TextSpan Span, string Replacement)>();
        var undefined = new List<UndefinedVariable>();
        foreach (var token in Lexer.Tokenize(text).Tokens)
        {
            if (token.Kind != TokenKind.Variable)
            {
                continue;
            }

            if (!variables.TryGetValue(token.Value, out var value))
            {
                undefined.Add(new UndefinedVariable(token.Value, token.Span));
                continue;
            }

            var replacement = token.VariableStyle switch
            {
                VariableStyle.Literal => SqlLiteral.Quote(value),
                VariableStyle.Identifier => value.Length == 0 ? "\"\"" : SqlIdentifier.Quote(value),
                _ => value,
            };
            edits.Add((token.Span, replacement));
        }

        return edits.Count == 0
            ? new SubstitutionResult(text, undefined, PositionMap.Identity)
            : new SubstitutionResult(SqlRewriter.Apply(text, edits), undefined, PositionMap.From(edits));
    }

    /// <summary>
    /// Whether <paramref name="text"/> has a ':' that could start a variable (<c>:x</c>, <c>:'x'</c>, <c>:"x"</c>),
    /// not counting <c>::</c> casts. Most files have none, and then they need not be lexed to be substituted.
    /// A ':' inside a string or comment is a false positive the lexer then sorts out.
    /// </summary>
    private static bool MayHoldVariable(string text)
    {
        for (var i = text.IndexOf(':'); i >= 0 && i + 1 < text.Length; i = text.IndexOf(':', i + 1))
        {
            var next = text[i + 1];
            if (next == ':')
            {
                i++;
                continue;
            }

            if (char.IsLetter(next) || next is '_' or '\'' or '"')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The distinct names of the variables <paramref name="text"/> uses, in order of first use.</summary>
    public static IReadOnlyList<string> FindVariables(string text) =>
        Lexer.Tokenize(text).Tokens.Where(t => t.Kind == TokenKind.Variable).Select(t => t.Value).Distinct(StringComparer.Ordinal).ToList();
}
