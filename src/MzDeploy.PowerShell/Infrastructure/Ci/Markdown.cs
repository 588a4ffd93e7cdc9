using System.Text;

namespace MzDeploy.PowerShell.Infrastructure.Ci;

/// <summary>
/// The little Markdown the summaries need, safe for any name: a name is a code span (so <c>*</c>, <c>_</c>, <c>&lt;</c> are
/// literal), its fence longer than any backtick run inside it, and <c>|</c> escaped so a table cell stays one cell.
/// </summary>
internal static class Markdown
{
    public static string Code(string value)
    {
        var text = value.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);
        var longest = 0;
        var run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', longest + 1);
        // A space keeps a leading or trailing backtick from joining the fence (CommonMark strips one on each side).
        var pad = text.StartsWith('`') || text.EndsWith('`') ? " " : "";
        return $"{fence}{pad}{text}{pad}{fence}";
    }

    /// <summary>Plain words in a table cell: one line, <c>|</c> escaped.</summary>
    public static string Cell(string value) => value.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);

    public static void Table(StringBuilder markdown, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        markdown.Append("| ").AppendJoin(" | ", headers).AppendLine(" |");
        markdown.Append('|').AppendJoin('|', headers.Select(_ => "---")).AppendLine("|");
        foreach (var row in rows)
        {
            markdown.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        markdown.AppendLine();
    }

    /// <summary>A bullet list of code spans, or nothing when <paramref name="items"/> is empty.</summary>
    public static void List(StringBuilder markdown, string heading, IReadOnlyCollection<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        markdown.AppendLine($"**{heading}** ({items.Count})").AppendLine();
        foreach (var item in items)
        {
            markdown.Append("- ").AppendLine(Code(item));
        }

        markdown.AppendLine();
    }
}
