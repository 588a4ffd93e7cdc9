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
    private readonly int[] _lineStarts;

    public LineMap(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
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

        _lineStarts = starts.ToArray();
        TextLength = text.Length;
    }

    /// <summary>Length of the text the map was built from.</summary>
    public int TextLength { get; }

    /// <summary>Number of lines (a text without line breaks has one).</summary>
    public int LineCount => _lineStarts.Length;

    /// <summary>The line and column of <paramref name="offset"/>; offsets past the end map to the end.</summary>
    public LinePosition GetPosition(int offset)
    {
        offset = Math.Clamp(offset, 0, TextLength);
        var index = Array.BinarySearch(_lineStarts, offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return new LinePosition(index + 1, offset - _lineStarts[index] + 1);
    }

    /// <summary>The offset at which 1-based <paramref name="line"/> starts.</summary>
    public int GetLineStart(int line)
    {
        if (line < 1 || line > _lineStarts.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(line));
        }

        return _lineStarts[line - 1];
    }

    /// <summary>A <see cref="SourceLocation"/> for <paramref name="offset"/> in <paramref name="file"/>.</summary>
    public SourceLocation ToLocation(string file, int offset)
    {
        var position = GetPosition(offset);
        return new SourceLocation(file, position.Line, position.Column);
    }
}
