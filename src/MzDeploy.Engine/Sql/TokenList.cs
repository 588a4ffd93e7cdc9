using System.Collections;

namespace MzDeploy.Engine.Sql;

/// <summary>
/// The parser's read-only view of one statement's run of a lexed file's tokens, without copying them.
/// Reading one past the run gives the end token when one is set (the parser's end of statement), so
/// lookahead never runs off the run. Views must not outlive the parse: the tokens are the lexer's
/// per-thread buffer; keep <see cref="ToArray"/> copies instead.
/// </summary>
internal sealed class TokenList : IReadOnlyList<Token>
{
    private readonly List<Token> _tokens;
    private readonly int _start;
    private readonly int _count;
    private readonly Token? _end;

    public TokenList(List<Token> tokens, int start, int count, Token? end = null)
    {
        _tokens = tokens;
        _start = start;
        _count = count;
        _end = end;
    }

    /// <summary>The tokens of the run, plus the end token when set.</summary>
    public int Count => _end is null ? _count : _count + 1;

    public Token this[int index] =>
        (uint)index < (uint)_count ? _tokens[_start + index]
        : index == _count && _end is { } end ? end
        : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>A view of <paramref name="count"/> tokens from <paramref name="index"/> (without the end token).</summary>
    public TokenList GetRange(int index, int count) => new(_tokens, _start + index, count);

    /// <summary>A copy of the run's tokens (without the end token), which does not keep the whole file's tokens alive.</summary>
    public Token[] ToArray() => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_tokens).Slice(_start, _count).ToArray();

    public IEnumerator<Token> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
