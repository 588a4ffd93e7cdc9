namespace MzDeploy.Engine.Sql;

/// <summary>
/// Maps a character offset in rewritten SQL back to the text it was rewritten from, through the span edits of
/// <see cref="SqlRewriter.Apply"/> (names qualified or renamed, clauses dropped). A server reports an error's position in
/// what it received; the user must get it in what they wrote (the emulator maps through its translation, a type check
/// through its own rewrite). An offset inside replaced text maps to the start of the text it replaced; elsewhere the
/// distance to the nearest edit before it is kept.
/// </summary>
public sealed class PositionMap
{
    // Each edit as (start in the translation, length there, start in the original, length there), in text order.
    private readonly List<(int To, int ToLength, int From, int FromLength)> _edits;

    private PositionMap(List<(int, int, int, int)> edits) => _edits = edits;

    /// <summary>The map of <see cref="SqlRewriter.Apply"/> with <paramref name="edits"/> (non-overlapping, any order).</summary>
    public static PositionMap From(IEnumerable<(TextSpan Span, string Replacement)> edits)
    {
        var mapped = new List<(int, int, int, int)>();
        var shift = 0;
        foreach (var (span, replacement) in edits.OrderBy(e => e.Span.Start).ThenBy(e => e.Span.Length))
        {
            mapped.Add((span.Start + shift, replacement.Length, span.Start, span.Length));
            shift += replacement.Length - span.Length;
        }

        return new PositionMap(mapped);
    }

    /// <summary>The 0-based offset in the original text of 0-based <paramref name="translated"/>.</summary>
    public int ToOriginal(int translated)
    {
        var shift = 0;
        foreach (var (to, toLength, from, fromLength) in _edits)
        {
            if (translated < to)
            {
                break;
            }

            if (translated < to + toLength)
            {
                return from;
            }

            shift = (from + fromLength) - (to + toLength);
        }

        return translated + shift;
    }
}
