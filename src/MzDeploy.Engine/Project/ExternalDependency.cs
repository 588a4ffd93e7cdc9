using System.Text;

namespace MzDeploy.Engine.Project;

/// <summary>
/// An object the project reads but does not define, listed in project.toml's <c>dependencies</c>.
/// Names follow SQL rules: unquoted parts fold to lower case, double-quoted parts are kept exactly
/// (<c>"Sales".public.orders</c>), so they compare equal to the references the SQL parser resolves.
/// </summary>
/// <param name="Database">The database, or <c>null</c> for a two-part name in a system schema.</param>
/// <param name="Schema">The schema.</param>
/// <param name="Name">The object.</param>
/// <param name="Text">The entry exactly as written in project.toml.</param>
public sealed record ExternalDependency(string? Database, string Schema, string Name, string Text)
{
    /// <summary>Schemas whose objects may be named without a database (<c>mz_catalog.mz_tables</c>).</summary>
    public static IReadOnlySet<string> SystemSchemas { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "mz_catalog", "pg_catalog", "mz_internal", "information_schema", "mz_introspection",
    };

    /// <summary>The normalised parts joined with dots (<c>db.schema.object</c> or <c>schema.object</c>).</summary>
    public string QualifiedName => Database is null ? $"{Schema}.{Name}" : $"{Database}.{Schema}.{Name}";

    /// <summary>The 1-based line of project.toml the entry is written on, when known (errors about one dependency point there).</summary>
    public int? Line { get; init; }

    public override string ToString() => Text;

    /// <summary>
    /// Parses a dependency entry. Accepts <c>database.schema.object</c>, and <c>schema.object</c> only when the
    /// schema is a system schema. Returns <c>false</c> for anything else.
    /// </summary>
    public static bool TryParse(string text, out ExternalDependency? dependency)
    {
        dependency = null;
        var parts = SplitName(text);
        if (parts is null)
        {
            return false;
        }

        if (parts.Count == 3)
        {
            dependency = new ExternalDependency(parts[0], parts[1], parts[2], text);
            return true;
        }

        if (parts.Count == 2 && SystemSchemas.Contains(parts[0]))
        {
            dependency = new ExternalDependency(null, parts[0], parts[1], text);
            return true;
        }

        return false;
    }

    /// <summary>Splits a dotted SQL name into normalised parts; <c>null</c> when it is malformed.</summary>
    private static List<string>? SplitName(string text)
    {
        var parts = new List<string>();
        var i = 0;
        while (true)
        {
            var part = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        return null; // unterminated quote
                    }

                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            part.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    part.Append(text[i++]);
                }

                if (part.Length == 0)
                {
                    return null;
                }

                parts.Add(part.ToString());
            }
            else
            {
                while (i < text.Length && text[i] != '.')
                {
                    var c = text[i];
                    if (c == '"' || char.IsWhiteSpace(c) || char.IsControl(c))
                    {
                        return null;
                    }

                    part.Append(c);
                    i++;
                }

                if (part.Length == 0)
                {
                    return null;
                }

                parts.Add(part.ToString().ToLowerInvariant());
            }

            if (i == text.Length)
            {
                return parts;
            }

            if (text[i] != '.')
            {
                return null; // text after a closing quote
            }

            i++;
        }
    }
}
