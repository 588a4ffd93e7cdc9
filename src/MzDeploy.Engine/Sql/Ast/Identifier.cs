namespace MzDeploy.Engine.Sql;

/// <summary>
/// One identifier as written: <paramref name="Value"/> is the name it denotes (case-folded when unquoted,
/// unescaped when quoted), <paramref name="Quoted"/> whether it was double-quoted.
/// </summary>
public sealed record Identifier(string Value, bool Quoted, TextSpan Span)
{
    /// <summary>The name as SQL, quoted only if needed.</summary>
    public string ToSql() => SqlIdentifier.QuoteIfNeeded(Value);

    public override string ToString() => ToSql();
}

/// <summary>
/// A possibly qualified object name (<c>item</c>, <c>schema.item</c>, <c>database.schema.item</c>) with the
/// span of the whole name in the source, so callers can replace it. Equality compares the parts' values
/// and the span.
/// </summary>
public sealed class ObjectName : IEquatable<ObjectName>
{
    public ObjectName(IReadOnlyList<Identifier> parts, TextSpan span)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("an object name has at least one part", nameof(parts));
        }

        Parts = parts;
        Span = span;
    }

    /// <summary>The parts in source order.</summary>
    public IReadOnlyList<Identifier> Parts { get; }

    /// <summary>The span from the first part to the last, dots included.</summary>
    public TextSpan Span { get; }

    /// <summary>The last part: the object's own name.</summary>
    public Identifier Item => Parts[^1];

    /// <summary>The schema part, when the name has two or more parts.</summary>
    public Identifier? Schema => Parts.Count >= 2 ? Parts[^2] : null;

    /// <summary>The database part, when the name has three parts.</summary>
    public Identifier? Database => Parts.Count >= 3 ? Parts[^3] : null;

    /// <summary>Whether the name has more than one part.</summary>
    public bool IsQualified => Parts.Count > 1;

    /// <summary>The parts' values (the names they denote).</summary>
    public IReadOnlyList<string> Values => _values ??= Parts.Select(p => p.Value).ToArray();

    private string[]? _values;

    /// <summary>The name as SQL, each part quoted only if needed: <c>db."My Schema".t</c>.</summary>
    public string ToSql() => SqlIdentifier.QuoteQualified(Parts.Select(p => p.Value).ToArray());

    /// <summary>Whether both names denote the same parts (ignores spans and how parts were quoted).</summary>
    public bool NameEquals(ObjectName? other) =>
        other is not null && Parts.Select(p => p.Value).SequenceEqual(other.Parts.Select(p => p.Value), StringComparer.Ordinal);

    public bool Equals(ObjectName? other) => NameEquals(other) && Span == other!.Span;

    public override bool Equals(object? obj) => obj is ObjectName other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var part in Parts)
        {
            hash.Add(part.Value, StringComparer.Ordinal);
        }

        hash.Add(Span);
        return hash.ToHashCode();
    }

    public override string ToString() => ToSql();
}
