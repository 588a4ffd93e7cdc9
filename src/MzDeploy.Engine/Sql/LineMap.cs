namespace MzDeploy.Engine.Sql;

/// <summary>A 1-based line and column (columns count UTF-16 code units).</summary>
public readonly record struct LinePosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>
/// Converts offsets in a text to 1-based line and column numbers. <c>\n</c>, <c>\r\n</c> and a lone
/// <c>\r</c> each end a line, as editors count them.
/// </summary>
public sealed class LineMap
{
    private readonly string _text;
    private int[]? _lineStarts;

    public LineMap(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _text = text;
        TextLength = text.Length;
    }

    /// <summary>Line starts, found when first needed: most parsed files are never asked for a position.</summary>
    private int[] LineStarts => _lineStarts ??= FindLineStarts(_text);

    private static int[] FindLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                starts.Add(i + 1);
            }
            else if (c == '\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts.ToArray();
    }

    /// <summary>Length of the text the map was built from.</summary>
    public int TextLength { get; }

    /// <summary>Number of lines (a text without line breaks has one).</summary>
    public int LineCount => LineStarts.Length;

    /// <summary>The line and column of <paramref name="offset"/>; offsets past the end map to the end.</summary>
    public LinePosition GetPosition(int offset)
    {
        offset = Math.Clamp(offset, 0, TextLength);
        var lineStarts = LineStarts;
        var index = Array.BinarySearch(lineStarts, offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return new LinePosition(index + 1, offset - lineStarts[index] + 1);
    }

    /// <summary>The offset at which 1-based <paramref name="line"/> starts.</summary>
    public int GetLineStart(int line)
    {
        var lineStarts = LineStarts;
        if (line < 1 || line > lineStarts.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(line));
        }

        return lineStarts[line - 1];
    }

    /// <summary>A <see cref="SourceLocation"/> for <paramref name="offset"/> in <paramref name="file"/>.</summary>
    public SourceLocation ToLocation(string file, int offset)
    {
        var position = GetPosition(offset);
        return new SourceLocation(file, position.Line, position.Column);
    }
}
