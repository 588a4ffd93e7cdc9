using System.Text;

namespace MzDeploy.Engine.Sql;

/// <summary>
/// Replaces spans of a SQL text and keeps everything else byte for byte: comments, layout and casing the
/// user wrote survive a rewrite (names, IN CLUSTER clauses, references).
/// </summary>
public static class SqlRewriter
{
    /// <summary>
    /// <paramref name="text"/> with each span replaced by its replacement. Edits may come in any order but
    /// must lie inside the text and must not overlap (two empty edits at the same offset are applied in the
    /// order given).
    /// </summary>
    /// <exception cref="ArgumentException">An edit is outside the text or overlaps another.</exception>
    public static string Apply(string text, IEnumerable<(TextSpan Span, string Replacement)> edits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(edits);
        var ordered = edits
            .Select((edit, index) => (edit.Span, edit.Replacement, index))
            .OrderBy(e => e.Span.Start)
            .ThenBy(e => e.Span.Length)
            .ThenBy(e => e.index)
            .ToList();

        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (var (span, replacement, _) in ordered)
        {
            if (span.Start < 0 || span.Length < 0 || span.End > text.Length)
            {
                throw new ArgumentException($"edit {span} lies outside the text (length {text.Length})", nameof(edits));
            }

            if (span.Start < position)
            {
                throw new ArgumentException($"edit {span} overlaps another edit", nameof(edits));
            }

            ArgumentNullException.ThrowIfNull(replacement, nameof(edits));
            builder.Append(text, position, span.Start - position);
            builder.Append(replacement);
            position = span.End;
        }

        builder.Append(text, position, text.Length - position);
        return builder.ToString();
    }
}
