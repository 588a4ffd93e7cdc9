using MzDeploy.Engine.Sql;

namespace MzDeploy.Emulator.Statements;

/// <summary>
/// Casts to <c>mz_timestamp</c> (<c>x::mz_timestamp</c>, <c>CAST(x AS mz_timestamp)</c>, <c>mz_timestamp '…'</c>, the
/// type optionally qualified by <c>mz_catalog</c>) become calls of <c>mz_emulator.to_mz_timestamp(x)</c>. Materialize
/// reads a number of milliseconds since the epoch, or text holding one, as an mz_timestamp as well as timestamp text
/// (docs: /sql/types/mz_timestamp/, "Valid casts"); the emulator's mz_timestamp is a domain over timestamptz, whose
/// cast reads timestamp text only (Bootstrap/83-mz-timestamp.sql holds the function that reads both).
/// </summary>
internal static class MzTimestampCasts
{
    private const string Function = "mz_emulator.to_mz_timestamp(";

    // Words before a parenthesis that make it a clause's, not a function call's (WHERE (x)::mz_timestamp …).
    private static readonly HashSet<string> NotFunctions = new(StringComparer.Ordinal)
    {
        "select", "where", "and", "or", "not", "in", "as", "on", "when", "then", "else", "by", "having", "exists",
        "any", "all", "some", "values", "from", "between", "like", "ilike", "is", "case", "return", "returning",
        "using", "set", "into", "with", "distinct", "over", "filter", "lateral", "join", "union", "except", "intersect",
    };

    // Type names written before a string literal that is the cast's operand (timestamp '…'::mz_timestamp).
    private static readonly HashSet<string> LiteralTypes = new(StringComparer.Ordinal)
    {
        "timestamp", "timestamptz", "date", "text", "varchar",
    };

    /// <summary>The edits of the statement's text that rewrite its casts to mz_timestamp (none when there are none).</summary>
    public static List<(TextSpan Span, string Replacement)> Edits(LexedStatement statement)
    {
        var tokens = statement.Tokens;
        var edits = new List<(TextSpan Span, string Replacement)>();
        for (var k = 0; k < tokens.Count; k++)
        {
            if (!IsName(tokens[k], "mz_timestamp"))
                continue;
            var type = k >= 2 && tokens[k - 1].IsSymbol(".") && IsName(tokens[k - 2], "mz_catalog") ? k - 2 : k;
            var found = CastEdits(tokens, type, k);
            if (found.Count == 0)
                continue;
            // Nested casts to mz_timestamp would overlap; the inner one is enough to read the value.
            if (found.Any(f => edits.Any(e => e.Span.OverlapsWith(f.Span))))
                continue;
            edits.AddRange(found);
        }
        return edits;
    }

    // mz_timestamp or "mz_timestamp" (a quoted name is the same type when it is written in lower case).
    private static bool IsName(Token token, string name) => token.IsWord && string.Equals(token.Value, name, StringComparison.Ordinal);

    /// <summary>The edits turning the cast whose type name runs from token <paramref name="type"/> to <paramref name="last"/> into a call; none if it is no cast.</summary>
    private static List<(TextSpan Span, string Replacement)> CastEdits(IReadOnlyList<Token> tokens, int type, int last)
    {
        var typeEnd = tokens[last].Span.End;
        // x::mz_timestamp → mz_emulator.to_mz_timestamp(x)
        if (type >= 2 && tokens[type - 1].IsOperator("::") && OperandStart(tokens, type - 2) is var start and >= 0)
            return [(new TextSpan(tokens[start].Span.Start, 0), Function), (TextSpan.FromBounds(tokens[type - 1].Span.Start, typeEnd), ")")];
        // CAST(x AS mz_timestamp) → mz_emulator.to_mz_timestamp(x)
        if (type >= 3 && tokens[type - 1].IsKeyword("as") && last + 1 < tokens.Count && tokens[last + 1].Kind == TokenKind.RightParen
            && Opening(tokens, type - 2) is var open and >= 1 && tokens[open - 1].IsKeyword("cast"))
            return [(TextSpan.FromBounds(tokens[open - 1].Span.Start, tokens[open].Span.End), Function), (TextSpan.FromBounds(tokens[type - 2].Span.End, typeEnd), "")];
        // mz_timestamp '…' → mz_emulator.to_mz_timestamp('…')
        if (last + 1 < tokens.Count && tokens[last + 1].Kind == TokenKind.String && (type == 0 || !tokens[type - 1].IsOperator("::")))
            return [(TextSpan.FromBounds(tokens[type].Span.Start, tokens[last + 1].Span.Start), Function), (new TextSpan(tokens[last + 1].Span.End, 0), ")")];
        return [];
    }

    /// <summary>The first token of the cast operand that ends at token <paramref name="end"/> (<c>::</c> binds tightest), or -1.</summary>
    private static int OperandStart(IReadOnlyList<Token> tokens, int end)
    {
        int start;
        var token = tokens[end];
        if (token.Kind == TokenKind.RightParen)
        {
            start = Opening(tokens, end - 1);
            if (start < 0)
                return -1;
            if (start > 0 && tokens[start - 1].IsWord && !(tokens[start - 1].Kind == TokenKind.Identifier && NotFunctions.Contains(tokens[start - 1].Value)))
                start--; // a function call
        }
        else if (token.Kind == TokenKind.String)
        {
            start = end;
            if (start > 0 && tokens[start - 1].Kind == TokenKind.Identifier && LiteralTypes.Contains(tokens[start - 1].Value))
                start--;
            return start;
        }
        else if (token.IsWord || token.Kind is TokenKind.Number or TokenKind.Parameter)
        {
            start = end;
        }
        else
        {
            return -1;
        }
        // Qualified names (t.created_at, mz_catalog.mz_now()).
        while (start >= 2 && tokens[start - 1].IsSymbol(".") && tokens[start - 2].IsWord)
            start -= 2;
        // A chain of casts (x::text::mz_timestamp): its operand starts where the first cast's does.
        if (start >= 2 && tokens[start - 1].IsOperator("::"))
            return OperandStart(tokens, start - 2);
        return start;
    }

    /// <summary>The index of the <c>(</c> left open at depth zero scanning back from token <paramref name="from"/>, or -1.</summary>
    private static int Opening(IReadOnlyList<Token> tokens, int from)
    {
        var depth = 0;
        for (var j = from; j >= 0; j--)
        {
            if (tokens[j].Kind == TokenKind.RightParen)
                depth++;
            else if (tokens[j].Kind == TokenKind.LeftParen && depth-- == 0)
                return j;
        }
        return -1;
    }
}
