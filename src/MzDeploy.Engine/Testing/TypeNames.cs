using System.Text.RegularExpressions;

namespace MzDeploy.Engine.Testing;

/// <summary>
/// Type names as a unit test compares them (mz-deploy's rule: the spellings of one type are one type): int, int4 and
/// integer; bigint and int8; text, varchar and string; float, float8 and double precision; numeric and decimal; json
/// and jsonb; bool and boolean. Type modifiers are left out (<c>numeric(10,2)</c> is numeric) because a server reports
/// an expression's type without them; PostgreSQL's long spellings (<c>timestamp with time zone</c>) are folded too, as
/// the emulator's server reports them that way.
/// </summary>
public static partial class TypeNames
{
    private static readonly Dictionary<string, string> Canonical = new(StringComparer.Ordinal)
    {
        ["int"] = "int4",
        ["int4"] = "int4",
        ["integer"] = "int4",
        ["bigint"] = "int8",
        ["int8"] = "int8",
        ["smallint"] = "int2",
        ["int2"] = "int2",
        ["text"] = "text",
        ["varchar"] = "text",
        ["string"] = "text",
        ["character varying"] = "text",
        ["char varying"] = "text",
        ["float"] = "float8",
        ["float8"] = "float8",
        ["double precision"] = "float8",
        ["double"] = "float8",
        ["real"] = "float4",
        ["float4"] = "float4",
        ["numeric"] = "numeric",
        ["decimal"] = "numeric",
        ["json"] = "jsonb",
        ["jsonb"] = "jsonb",
        ["bool"] = "bool",
        ["boolean"] = "bool",
        ["timestamp"] = "timestamp",
        ["timestamp without time zone"] = "timestamp",
        ["timestamptz"] = "timestamptz",
        ["timestamp with time zone"] = "timestamptz",
        ["time"] = "time",
        ["time without time zone"] = "time",
        ["character"] = "bpchar",
        ["char"] = "bpchar",
        ["bpchar"] = "bpchar",
    };

    /// <summary>The one spelling of <paramref name="type"/> (lower case, no schema, no modifiers; arrays keep <c>[]</c>).</summary>
    public static string Normalize(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var text = Modifiers().Replace(type.Trim().ToLowerInvariant(), string.Empty);
        text = Spaces().Replace(text, " ").Replace("\"", string.Empty, StringComparison.Ordinal).Trim();
        var array = string.Empty;
        while (text.EndsWith("[]", StringComparison.Ordinal))
        {
            array += "[]";
            text = text[..^2].TrimEnd();
        }

        foreach (var schema in new[] { "pg_catalog.", "mz_catalog." })
        {
            if (text.StartsWith(schema, StringComparison.Ordinal))
            {
                text = text[schema.Length..];
            }
        }

        return (Canonical.TryGetValue(text, out var canonical) ? canonical : text) + array;
    }

    /// <summary>Whether two spellings name one type.</summary>
    public static bool Same(string left, string right) =>
        string.Equals(Normalize(left), Normalize(right), StringComparison.Ordinal);

    [GeneratedRegex(@"\s*\([^)]*\)")]
    private static partial Regex Modifiers();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
