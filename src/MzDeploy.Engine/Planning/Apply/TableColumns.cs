using MzDeploy.Engine.Model;
using MzDeploy.Engine.Sql;

namespace MzDeploy.Engine.Planning.Apply;

/// <summary>
/// Compares a table's columns with production's. Materialize adds columns in place (<c>ALTER TABLE … ADD COLUMN</c>,
/// nullable columns at the end, no default) and changes nothing else about a table's columns, so: new nullable
/// columns after the existing ones are added; any other difference is drift.
/// </summary>
internal static class TableColumns
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["int"] = "integer",
        ["int4"] = "integer",
        ["int8"] = "bigint",
        ["int2"] = "smallint",
        ["float8"] = "double precision",
        ["float"] = "double precision",
        ["float4"] = "real",
        ["bool"] = "boolean",
        ["varchar"] = "character varying",
        ["char"] = "character",
        ["decimal"] = "numeric",
        ["timestamptz"] = "timestamp with time zone",
        ["timestamp"] = "timestamp without time zone",
        ["timetz"] = "time with time zone",
        ["time"] = "time without time zone",
        ["string"] = "text",
    };

    public static IEnumerable<ApplyStatement> Plan(CreateTableStatement table, InfrastructureObject actual, string quoted, List<string> changes, List<string> drift)
    {
        if (actual.Source is not null)
        {
            drift.Add($"production's table is fed by {actual.Source}, the project's is a plain table; tables are never recreated");
            return [];
        }

        var have = actual.Columns;
        var want = table.Columns;
        for (var i = 0; i < Math.Min(have.Count, want.Count); i++)
        {
            if (have[i].Name != want[i].Name.Value)
            {
                drift.Add($"column {i + 1} is {have[i].Name} in production but {want[i].Name.Value} in the project");
            }
            else if (!SameType(have[i].Type, want[i].DataType))
            {
                drift.Add($"column {have[i].Name} is {have[i].Type} in production but {want[i].DataType} in the project");
            }
            else if (have[i].Nullable == want[i].NotNull)
            {
                drift.Add($"column {have[i].Name} is {(have[i].Nullable ? "nullable" : "NOT NULL")} in production but {(want[i].NotNull ? "NOT NULL" : "nullable")} in the project");
            }
        }

        foreach (var extra in have.Skip(want.Count))
        {
            drift.Add($"column {extra.Name} exists in production but not in the project; apply never drops columns");
        }

        var statements = new List<ApplyStatement>();
        foreach (var added in want.Skip(have.Count))
        {
            if (added.NotNull)
            {
                drift.Add($"column {added.Name.Value} is NOT NULL; Materialize adds only nullable columns in place");
                continue;
            }

            changes.Add($"add column {added.Name.Value}");
            statements.Add(new ApplyStatement($"ALTER TABLE {quoted} ADD COLUMN {SqlIdentifier.Quote(added.Name.Value)} {added.DataType}"));
        }

        return drift.Count > 0 ? [] : statements;
    }

    /// <summary>Whether two type spellings denote the same type; modifiers count only when both sides give them.</summary>
    internal static bool SameType(string catalog, string project)
    {
        var (a, aMods) = Canonical(catalog);
        var (b, bMods) = Canonical(project);
        return a == b && (aMods is null || bMods is null || aMods == bMods);
    }

    private static (string Type, string? Modifiers) Canonical(string type)
    {
        var text = string.Join(' ', type.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var array = text.EndsWith("[]", StringComparison.Ordinal);
        if (array)
        {
            text = text[..^2].TrimEnd();
        }

        string? modifiers = null;
        var open = text.IndexOf('(');
        if (open >= 0 && text.IndexOf(')', open) is var close and > 0)
        {
            modifiers = text[(open + 1)..close].Replace(" ", "", StringComparison.Ordinal);
            text = (text[..open] + text[(close + 1)..]).Trim();
            text = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        text = Aliases.GetValueOrDefault(text, text);
        return (array ? text + "[]" : text, modifiers);
    }
}
