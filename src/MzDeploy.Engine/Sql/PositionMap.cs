namespace MzDeploy.Engine.Sql;

/// <summary>
/// Maps a character offset in rewritten SQL back to the text it was rewritten from, through the span edits of
/// <see cref="SqlRewriter.Apply"/> (names qualified or renamed, clauses dropped). A server reports an error's position in
/// what it received; the user must get it in what they wrote (the emulator maps through its translation, a type check
/// through its own rewrite). An offset inside replaced text maps to the start of the text it replaced; elsewhere the
/// distance to the nearest edit before it is kept. Maps compose (<see cref="Then"/>): text rewritten twice (variables
/// substituted, then names qualified) maps back through both.
/// </summary>
public sealed class PositionMap
{
    // Each edit as (start in the translation, length there, start in the original, length there), in text order.
    private readonly List<(int To, int ToLength, int From, int FromLength)> _edits;

    // The map of the rewrite that made this map's original text, if any: applied after this one.
    private readonly PositionMap? _next;

    private PositionMap(List<(int, int, int, int)> edits, PositionMap? next = null)
    {
        _edits = edits;
        _next = next;
    }

    /// <summary>The map of no rewrite: every offset is its own original.</summary>
    public static PositionMap Identity { get; } = new([]);

    /// <summary>Whether the map changes no offset.</summary>
    public bool IsIdentity => _edits.Count == 0 && (_next is null || _next.IsIdentity);

    /// <summary>
    /// This map followed by <paramref name="next"/>, the map of the rewrite that produced this map's original text:
    /// offsets in the final text map to offsets in the first.
    /// </summary>
    public PositionMap Then(PositionMap next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (next.IsIdentity)
        {
            return this;
        }

        return IsIdentity ? next : new PositionMap(_edits, _next is null ? next : _next.Then(next));
    }

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
        var own = OwnOriginal(translated);
        return _next is null ? own : _next.ToOriginal(own);
    }

    private int OwnOriginal(int translated)
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
