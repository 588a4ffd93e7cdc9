using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;

namespace MzDeploy.Engine.TypeLock;

/// <summary>
/// Reads mz-deploy's types.lock: <c>version</c>, then <c>[[table]]</c> entries of <c>database</c> (absent for a system
/// schema's object), <c>schema</c>, <c>name</c>, an optional <c>kind</c> (absent = table, as mz-deploy's <c>get_kind</c>)
/// and <c>columns</c> (or mz-deploy's alias <c>column</c>) of <c>{ name, type, nullable }</c>, as inline tables or
/// <c>[[table.columns]]</c>. Columns keep the file's order. Keys it does not know (comments) are ignored, as mz-deploy's
/// reader ignores them; so is the version's value, which mz-deploy does not check either. Every problem is reported at
/// file:line:column.
/// </summary>
internal sealed class TypeLockTomlReader
{
    private readonly TomlMetadataStore _metadata = new();
    private readonly string _displayPath;
    private readonly string _fullPath;

    private TypeLockTomlReader(string displayPath, string fullPath)
    {
        _displayPath = displayPath;
        _fullPath = fullPath;
    }

    public static TypeLockFile Parse(string text, string displayPath, string fullPath) =>
        new TypeLockTomlReader(displayPath, fullPath).Read(text);

    private TypeLockFile Read(string text)
    {
        // The syntax parser finds what the deserializer accepts silently (a key defined twice); its errors come first.
        var syntax = SyntaxParser.Parse(text, _displayPath, validate: true);
        if (syntax.Diagnostics.FirstOrDefault(d => d.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error) is { } error)
        {
            throw TypeLockFormat.Invalid(_displayPath, _fullPath, error.Span.Start.Line + 1, error.Span.Start.Column + 1,
                $"invalid TOML: {error.Message}");
        }

        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(text, new TomlSerializerOptions { MetadataStore = _metadata, SourceName = _displayPath })
                   ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw TypeLockFormat.Invalid(_displayPath, _fullPath, e.Line ?? 1, e.Column ?? 1, $"invalid TOML: {FirstLine(e.Message)}", e);
        }

        if (!root.TryGetValue("version", out var version))
        {
            throw Error(1, 1, "the file has no 'version'");
        }

        if (version is not long)
        {
            throw Error(root, "version", "'version' must be a whole number");
        }

        var objects = new List<LockedObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetValue("table", out var tables))
        {
            if (tables is not TomlTableArray entries)
            {
                throw Error(root, "table", "'table' must be an array of tables ([[table]])");
            }

            foreach (var entry in entries)
            {
                var locked = ReadObject(entry, root);
                if (!seen.Add(locked.Name))
                {
                    throw Error(entry, "name", $"object '{locked.Name}' appears twice");
                }

                objects.Add(locked);
            }
        }

        return new TypeLockFile(objects);
    }

    private LockedObject ReadObject(TomlTable entry, TomlTable root)
    {
        var schema = RequiredString(entry, "schema", "a [[table]] entry", root, "table");
        var name = RequiredString(entry, "name", "a [[table]] entry", root, "table");
        var database = OptionalString(entry, "database", "the database of a [[table]] entry");
        var key = database is null ? $"{schema}.{name}" : $"{database}.{schema}.{name}";
        var kind = OptionalString(entry, "kind", $"the kind of '{key}'") ?? LockedKinds.Table;

        var columnsKey = entry.ContainsKey("columns") ? "columns" : "column";
        var columns = new List<LockedColumn>();
        if (entry.TryGetValue(columnsKey, out var value))
        {
            IEnumerable<object?> items = value switch
            {
                TomlArray array => array,
                TomlTableArray tableArray => tableArray,
                _ => throw Error(entry, columnsKey, $"the columns of '{key}' must be an array of {{ name, type, nullable }}"),
            };
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                if (item is not TomlTable column)
                {
                    throw Error(entry, columnsKey, $"each column of '{key}' must be a table {{ name, type, nullable }}");
                }

                var locked = ReadColumn(column, key, entry, columnsKey);
                if (!names.Add(locked.Name))
                {
                    throw Error(column, "name", $"column '{locked.Name}' of '{key}' appears twice", entry, columnsKey);
                }

                columns.Add(locked);
            }
        }

        return new LockedObject(key, kind, columns);
    }

    private LockedColumn ReadColumn(TomlTable column, string key, TomlTable entry, string columnsKey)
    {
        var name = RequiredString(column, "name", $"a column of '{key}'", entry, columnsKey);
        var type = RequiredString(column, "type", $"column '{name}' of '{key}'", entry, columnsKey);
        var nullable = true;
        if (column.TryGetValue("nullable", out var value))
        {
            nullable = value is bool b
                ? b
                : throw Error(column, "nullable", $"'nullable' of column '{name}' of '{key}' must be true or false", entry, columnsKey);
        }

        // A column without nullability reads as nullable: the safe assumption for a type check (mz-deploy requires the key).
        return new LockedColumn(name, type, nullable);
    }

    private string RequiredString(TomlTable table, string key, string what, TomlTable parent, string parentKey)
    {
        if (!table.TryGetValue(key, out var value))
        {
            throw Error(table, null, $"{what} has no '{key}'", parent, parentKey);
        }

        return value is string { Length: > 0 } s
            ? s
            : throw Error(table, key, $"'{key}' of {what} must be a non-empty string", parent, parentKey);
    }

    private string? OptionalString(TomlTable table, string key, string what) =>
        !table.TryGetValue(key, out var value) ? null
        : value is string { Length: > 0 } s ? s
        : throw Error(table, key, $"{what} must be a non-empty string");

    /// <summary>
    /// An error at <paramref name="key"/> of <paramref name="table"/>; where that is not known (an inline table's keys may
    /// have no recorded place), at the first key of the table, else at <paramref name="parentKey"/> of the parent.
    /// </summary>
    private Exception Error(TomlTable table, string? key, string message, TomlTable? parent = null, string? parentKey = null)
    {
        var at = (key is null ? null : LocationOf(table, key))
                 ?? table.Keys.Select(k => LocationOf(table, k)).FirstOrDefault(l => l is not null)
                 ?? (parent is null || parentKey is null ? null : LocationOf(parent, parentKey))
                 ?? (1, 1);
        return Error(at.Line, at.Column, message);
    }

    private Exception Error(int line, int column, string message) =>
        TypeLockFormat.Invalid(_displayPath, _fullPath, line, column, message);

    private (int Line, int Column)? LocationOf(TomlTable table, string key)
    {
        if (_metadata.TryGetProperties(table, out var properties)
            && properties is not null
            && properties.TryGetProperty(key, out var property)
            && property is not null
            && property.Span.Length > 0)
        {
            // Tomlyn's positions are 0-based; ours are 1-based.
            return (property.Span.Start.Line + 1, property.Span.Start.Column + 1);
        }

        return null;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
