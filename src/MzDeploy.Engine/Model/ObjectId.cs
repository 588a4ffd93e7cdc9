namespace MzDeploy.Engine.Model;

/// <summary>
/// The fully qualified name of a database object: <c>database.schema.name</c>, each part as the
/// catalog stores it (case preserved, unquoted). Equality is ordinal, as in Materialize's catalog.
/// System objects referenced with two parts carry an empty <see cref="Database"/>.
/// </summary>
public sealed record ObjectId(string Database, string Schema, string Name) : IComparable<ObjectId>
{
    public static readonly IComparer<ObjectId> Ordinal = Comparer<ObjectId>.Create((a, b) => a.CompareTo(b));

    public int CompareTo(ObjectId? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = string.CompareOrdinal(Database, other.Database);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(Schema, other.Schema);
        return c != 0 ? c : string.CompareOrdinal(Name, other.Name);
    }

    /// <summary>The schema this object lives in, as <c>database.schema</c>.</summary>
    public string SchemaKey => Database.Length == 0 ? Schema : $"{Database}.{Schema}";

    /// <summary>Dotted display form (not SQL: use <c>SqlIdentifier</c> to write names into SQL).</summary>
    public override string ToString() => Database.Length == 0 ? $"{Schema}.{Name}" : $"{Database}.{Schema}.{Name}";
}
