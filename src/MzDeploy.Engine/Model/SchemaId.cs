using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Model;

/// <summary>A schema as <c>database.schema</c>, each part as the catalog stores it. Equality is ordinal.</summary>
public sealed record SchemaId(string Database, string Schema) : IComparable<SchemaId>
{
    public static readonly IComparer<SchemaId> Ordinal = Comparer<SchemaId>.Create((a, b) => a.CompareTo(b));

    /// <summary>The schema <paramref name="id"/> lives in.</summary>
    public static SchemaId Of(ObjectId id) => new(id.Database, id.Schema);

    /// <summary>Parses <c>database.schema</c> (each part may be double-quoted); null when it is not two parts.</summary>
    public static SchemaId? TryParse(string text)
    {
        var script = SqlParser.Parse($"COMMENT ON SCHEMA {text} IS NULL");
        if (script.Errors.Count > 0 || script.Statements.Count != 1 || script.Statements[0].Target is not { } name ||
            name.Parts.Count != 2 || name.Span.Length != text.Length)
        {
            return null;
        }

        return new SchemaId(name.Parts[0].Value, name.Parts[1].Value);
    }

    public int CompareTo(SchemaId? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = string.CompareOrdinal(Database, other.Database);
        return c != 0 ? c : string.CompareOrdinal(Schema, other.Schema);
    }

    /// <summary>The name as SQL: <c>db."My Schema"</c>.</summary>
    public string ToSql() => SqlIdentifier.QuoteQualified(Database, Schema);

    /// <summary>Dotted display form (<c>db.schema</c>), as in mz-deploy's output.</summary>
    public override string ToString() => $"{Database}.{Schema}";
}
