namespace MzDeploy.Engine.Sql;

/// <summary>
/// Shares the strings of short, often repeated token values (keywords, column names, operators, small
/// numbers) so a large project does not hold one copy per occurrence. A lossy per-thread cache: a
/// collision replaces the entry, which costs an allocation, never a wrong string.
/// </summary>
internal static class StringPool
{
    private const int MaxLength = 32;
    private const int Size = 4096;

    [ThreadStatic]
    private static string?[]? t_table;

    /// <summary>The string of <paramref name="chars"/>, shared when seen before on this thread.</summary>
    public static string Get(ReadOnlySpan<char> chars)
    {
        if (chars.Length > MaxLength || chars.Length == 0)
        {
            return chars.Length == 0 ? string.Empty : new string(chars);
        }

        var table = t_table ??= new string?[Size];
        var slot = string.GetHashCode(chars) & (Size - 1);
        var pooled = table[slot];
        if (pooled is not null && chars.SequenceEqual(pooled))
        {
            return pooled;
        }

        pooled = new string(chars);
        table[slot] = pooled;
        return pooled;
    }

    /// <summary>The lower-case (invariant) string of <paramref name="chars"/>, shared like <see cref="Get"/>.</summary>
    public static string ToLower(ReadOnlySpan<char> chars)
    {
        if (chars.Length > MaxLength)
        {
            return chars.ToString().ToLowerInvariant();
        }

        Span<char> lower = stackalloc char[chars.Length];
        chars.ToLowerInvariant(lower);
        return Get(lower);
    }
}
