using System.Collections;
using System.Runtime.InteropServices;

namespace MzDeploy.Engine.Sql;

/// <summary>
/// A read-only view of a run of a lexed file's tokens: a statement's tokens or a fragment's, without
/// copying them. Reading past the end gives <see cref="End"/> when one is set (the parser's end of
/// statement), so lookahead never runs off the run.
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

    /// <summary>The tokens of the run, plus <see cref="End"/> when set.</summary>
    public int Count => _end is null ? _count : _count + 1;

    public Token this[int index] =>
        (uint)index < (uint)_count ? _tokens[_start + index]
        : index == _count && _end is { } end ? end
        : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>A view of <paramref name="count"/> tokens from <paramref name="index"/> (without the end token).</summary>
    public TokenList GetRange(int index, int count) => new(_tokens, _start + index, count);

    /// <summary>Marks the token at <paramref name="index"/> as read as a name.</summary>
    public void MarkName(int index)
    {
        ref var token = ref CollectionsMarshal.AsSpan(_tokens)[_start + index];
        token = token with { IsName = true };
    }

    public IEnumerator<Token> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
