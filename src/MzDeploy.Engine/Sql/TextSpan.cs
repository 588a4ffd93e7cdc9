namespace MzDeploy.Engine.Sql;

/// <summary>
/// A half-open range <c>[Start, End)</c> of UTF-16 code units in a source text. Spans are the currency
/// between the lexer, the parser and every caller that rewrites SQL: a reference's span is exactly the
/// text to replace.
/// </summary>
public readonly record struct TextSpan(int Start, int Length)
{
    /// <summary>The offset just after the last character of the span.</summary>
    public int End => Start + Length;

    /// <summary>Whether the span covers no characters.</summary>
    public bool IsEmpty => Length == 0;

    /// <summary>The span from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    public static TextSpan FromBounds(int start, int end)
    {
        if (end < start)
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"end {end} is before start {start}");
        }

        return new TextSpan(start, end - start);
    }

    /// <summary>Whether <paramref name="other"/> lies entirely inside this span.</summary>
    public bool Contains(TextSpan other) => other.Start >= Start && other.End <= End;

    /// <summary>Whether the two spans share at least one character.</summary>
    public bool OverlapsWith(TextSpan other) => Start < other.End && other.Start < End;

    /// <summary>The text the span covers.</summary>
    public string Slice(string text) => text.Substring(Start, Length);

    public override string ToString() => $"[{Start}..{End})";
}
